"""Study roles as Django groups, and the two questions views ask now: may read, may enter.

Issue 6 refines permissions per role; the names below are already the groups the demo creates
and the personas the tests use, so that refinement adds rules without renaming anything.
"""

from __future__ import annotations

import enum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ANALYSIS_ROLES",
    "DATA_ENTRY_ROLES",
    "READ_ROLES",
    "Role",
    "can_enter_data",
    "can_read",
    "roles_of",
]


class Role(enum.StrEnum):
    INVESTIGATOR = "investigator"
    SUB_INVESTIGATOR = "sub_investigator"
    NURSE = "nurse"
    PHARMACIST = "pharmacist"
    DATA_MANAGER = "data_manager"
    MONITOR = "monitor"
    STATISTICIAN = "statistician"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.INVESTIGATOR: _("Investigator"),
    Role.SUB_INVESTIGATOR: _("Sub-investigator"),
    Role.NURSE: _("Research nurse"),
    Role.PHARMACIST: _("Pharmacist"),
    Role.DATA_MANAGER: _("Data manager"),
    Role.MONITOR: _("Monitor"),
    Role.STATISTICIAN: _("Statistician"),
    Role.ADMINISTRATOR: _("Administrator"),
}

#: Roles that enter or correct study data. Monitors and statisticians only read.
DATA_ENTRY_ROLES = frozenset(
    {Role.INVESTIGATOR, Role.SUB_INVESTIGATOR, Role.NURSE, Role.PHARMACIST, Role.DATA_MANAGER}
)
READ_ROLES = frozenset(Role)
# Who may open the statistical analyses (study report, design and monitoring page).
ANALYSIS_ROLES = frozenset({Role.STATISTICIAN, Role.INVESTIGATOR, Role.DATA_MANAGER})


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The study roles of ``user`` (their groups named after a :class:`Role`)."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_inodli_roles", None)
    if cached is None:  # once per request: request.user is a new object each time
        names = set(Group.objects.filter(user=user.pk).values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._inodli_roles = cached  # type: ignore[union-attr,attr-defined,unused-ignore]
    return cached


def can_read(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(roles_of(user) & READ_ROLES)


def can_enter_data(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(roles_of(user) & DATA_ENTRY_ROLES)


def assign_role(user: Any, role: Role) -> None:
    """Put ``user`` in the group of ``role`` (created on first use)."""
    group, _created = Group.objects.get_or_create(name=role.value)
    group.user_set.add(user)
    if hasattr(user, "_inodli_roles"):
        del user._inodli_roles
