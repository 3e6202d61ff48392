"""Assessment case report forms: labs, marrow, extramedullary disease, response, relapse,
survival follow-up and death."""
