"""Template context for every page: the user's roles and whether they may enter data or see the analyses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from inodli.edc.core.roles import ANALYSIS_ROLES, DATA_ENTRY_ROLES, roles_of


def study(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "user_roles": [],
            "may_enter_data": False,
            "may_see_analyses": False,
            "languages": settings.LANGUAGES,
        }
    roles = roles_of(user)
    return {
        "user_roles": sorted(role.label for role in roles),
        "may_enter_data": bool(roles & DATA_ENTRY_ROLES),
        "may_see_analyses": bool(roles & ANALYSIS_ROLES),
        "languages": settings.LANGUAGES,
    }
