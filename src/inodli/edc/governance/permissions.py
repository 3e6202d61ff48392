"""What each study role may do: one table, read by the views, the API and the tests.

The core's two questions (``can_read``, ``can_enter_data``) stay as they are; this module adds
the governance actions. A monitor reads, verifies source data and raises queries but never
enters data; a statistician reads and exports; the administrator manages accounts and reads the
sign-in log (with the data manager); an outsider (no role) may do nothing.
"""

from __future__ import annotations

import enum
from typing import Any

from inodli.edc.core.roles import Role, roles_of

__all__ = ["ROLE_ACTIONS", "Action", "allowed", "require"]


class Action(enum.StrEnum):
    READ = "read"
    ENTER_DATA = "enter_data"
    RAISE_QUERY = "raise_query"
    ANSWER_QUERY = "answer_query"
    CLOSE_QUERY = "close_query"
    SIGN = "sign"
    VERIFY_SOURCE = "verify_source"
    LOCK = "lock"
    EXPORT = "export"
    IMPORT = "import"
    RUN_CHECKS = "run_checks"
    MANAGE_USERS = "manage_users"
    VIEW_LOGIN_LOG = "view_login_log"


_SITE = {Action.READ, Action.ENTER_DATA, Action.ANSWER_QUERY}

#: The permission matrix (ICH E6(R3) 3.16: who may create, change, verify and sign data).
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.INVESTIGATOR: frozenset(_SITE | {Action.SIGN}),
    Role.SUB_INVESTIGATOR: frozenset(_SITE | {Action.SIGN}),
    Role.NURSE: frozenset(_SITE),
    Role.PHARMACIST: frozenset(_SITE),
    Role.DATA_MANAGER: frozenset(
        _SITE
        | {
            Action.RAISE_QUERY,
            Action.CLOSE_QUERY,
            Action.LOCK,
            Action.EXPORT,
            Action.IMPORT,
            Action.RUN_CHECKS,
            Action.VIEW_LOGIN_LOG,  # reviews who signed in, as part of data oversight
        }
    ),
    Role.MONITOR: frozenset(
        {Action.READ, Action.RAISE_QUERY, Action.CLOSE_QUERY, Action.VERIFY_SOURCE}
    ),
    Role.STATISTICIAN: frozenset({Action.READ, Action.EXPORT}),
    # Accounts (21 CFR 11.10(d), (g)): only the administrator creates accounts and sets roles.
    Role.ADMINISTRATOR: frozenset({Action.READ, Action.MANAGE_USERS, Action.VIEW_LOGIN_LOG}),
}


def allowed(user: Any, action: Action) -> bool:
    """True when one of ``user``'s study roles may do ``action``."""
    return any(action in ROLE_ACTIONS[role] for role in roles_of(user))


def require(user: Any, action: Action) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may do ``action``."""
    from django.core.exceptions import PermissionDenied

    if not allowed(user, action):
        raise PermissionDenied(f"your role may not {action.value.replace('_', ' ')}")
