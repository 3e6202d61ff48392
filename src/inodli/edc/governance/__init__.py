"""Trial governance: permissions per role, edit checks, queries, e-signatures, SDV and locks."""
