"""Accounts: lockout after repeated failed logins, an idle-session timeout, and an
append-only log of logins, failed logins and lockouts (21 CFR 11.300(d))."""
