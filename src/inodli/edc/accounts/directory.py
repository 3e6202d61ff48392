"""What the user administration page lists: each account with its roles, state and lockout, and
the account log. Read-only; a fixed number of queries whatever the number of users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from inodli.edc.accounts.models import AccountEvent, FailedLogins, PasswordState
from inodli.edc.core.roles import Role

__all__ = ["AccountRow", "account_events", "account_row", "account_rows"]

_ROLE_VALUES = {role.value for role in Role}


@dataclass(frozen=True)
class AccountRow:
    """One account as the administrator sees it."""

    pk: int
    username: str
    printed_name: str
    email: str
    roles: tuple[Role, ...]
    active: bool
    locked_until: dt.datetime | None
    failed_logins: int
    last_login: dt.datetime | None
    must_change_password: bool

    @property
    def role_labels(self) -> str:
        return ", ".join(role.label for role in self.roles)

    @property
    def role_codes(self) -> list[str]:
        return [role.value for role in self.roles]


def _rows(users: list[Any], now: dt.datetime) -> list[AccountRow]:
    names = [user.get_username() for user in users]
    failures = {row.username: row for row in FailedLogins.objects.filter(username__in=names)}
    must_change = set(
        PasswordState.objects.filter(user__in=users, must_change=True).values_list(
            "user_id", flat=True
        )
    )
    rows = []
    for user in users:
        failed = failures.get(user.get_username())
        locked_until = failed.locked_until if failed is not None else None
        groups = {group.name for group in user.groups.all()} & _ROLE_VALUES
        rows.append(
            AccountRow(
                pk=user.pk,
                username=user.get_username(),
                printed_name=user.get_full_name(),
                email=user.email,
                roles=tuple(role for role in Role if role.value in groups),
                active=user.is_active,
                locked_until=locked_until if locked_until and locked_until > now else None,
                failed_logins=failed.count if failed is not None else 0,
                last_login=user.last_login,
                must_change_password=user.pk in must_change,
            )
        )
    return rows


def account_rows(now: dt.datetime | None = None) -> list[AccountRow]:
    """Every account, by user name (inactive ones too: they are never deleted)."""
    users = list(get_user_model().objects.prefetch_related("groups").order_by("username"))
    return _rows(users, now or timezone.now())


def account_row(user: Any, now: dt.datetime | None = None) -> AccountRow:
    """One account, as in :func:`account_rows`."""
    fresh = get_user_model().objects.prefetch_related("groups").get(pk=user.pk)
    return _rows([fresh], now or timezone.now())[0]


def account_events(target: Any = None) -> QuerySet[AccountEvent]:
    """The account log, newest first; one account's when ``target`` is given."""
    events = AccountEvent.objects.select_related("by", "target").order_by("-at", "-id")
    return events.filter(target=target) if target is not None else events
