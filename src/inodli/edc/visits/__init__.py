"""Visits: the per-subject calendar from the protocol schedule, form status, overdue visits."""
