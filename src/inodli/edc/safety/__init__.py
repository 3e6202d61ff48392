"""Safety case report forms: adverse events and acute/chronic GVHD assessments."""
