"""Account administration and password changes: every change is checked, done in one
transaction and written to the append-only :class:`~.models.AccountEvent` log.

Only the administrator (``Action.MANAGE_USERS``) creates accounts, changes roles, deactivates,
reactivates, unlocks and resets passwords, always with a reason (21 CFR 11.10(d), (g); ICH E6(R3)
4.2.2: access is granted, changed and withdrawn under control and on record). Accounts are never
deleted, because audit records name them. A password set by an administrator must be changed
by its owner at the next sign-in (:func:`change_own_password`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inodli.edc.accounts import validation as check
from inodli.edc.accounts.models import AccountEvent, FailedLogins, PasswordState
from inodli.edc.core.models import UserProfile
from inodli.edc.core.roles import Role, assign_role, roles_of
from inodli.edc.governance.permissions import Action, require

__all__ = [
    "change_own_password",
    "create_account",
    "deactivate",
    "must_change_password",
    "reactivate",
    "reset_password",
    "set_roles",
    "unlock",
]

T = TypeVar("T")
Act = AccountEvent.Action


class _Checks:
    """Runs several field checks and raises all their refusals together, so a form shows
    every wrong field at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.errors.setdefault(field, []).extend(messages)
            return None

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _refuse(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [message]})


def _log(
    by: Any, target: Any, action: str, old: str, new: str, reason: str, now: dt.datetime | None
) -> AccountEvent:
    return AccountEvent.objects.create(
        at=now or timezone.now(),
        by=by,
        target=target,
        action=action,
        old_value=old,
        new_value=new,
        reason=reason,
    )


def _codes(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(role.value for role in roles))


def _forget_roles(user: Any) -> None:
    if hasattr(user, "_inodli_roles"):
        del user._inodli_roles


def must_change_password(user: Any) -> bool:
    """True when an administrator set ``user``'s password and the user has not yet replaced it."""
    return PasswordState.objects.filter(user=user.pk, must_change=True).exists()


@transaction.atomic
def create_account(
    by: Any,
    *,
    username: Any,
    first_name: Any,
    last_name: Any,
    email: Any,
    roles: Iterable[Any] | None,
    language: Any,
    password1: Any,
    password2: Any,
    reason: Any,
    now: dt.datetime | None = None,
) -> Any:
    """Create an active account with ``roles`` and an initial password its owner must change at
    the first sign-in. Raises ``ValidationError`` (per field, all at once) and saves nothing
    when any value is refused."""
    require(by, Action.MANAGE_USERS)
    checks = _Checks()
    name = checks.run(check.check_username, username)
    first = checks.run(check.check_name, "first_name", _("First name"), first_name)
    last = checks.run(check.check_name, "last_name", _("Last name"), last_name)
    address = checks.run(check.check_email, email)
    chosen = checks.run(check.check_roles, roles)
    chosen_language = checks.run(check.check_language, language)
    why = checks.run(check.check_reason, reason)
    model = get_user_model()
    # The policy compares the password with the names and address just typed.
    candidate = model(username=name or "", first_name=first or "", last_name=last or "")
    candidate.email = address or ""
    labels = (_("Initial password"), _("Initial password again"))
    password = checks.run(check.check_new_password, password1, password2, candidate, labels=labels)
    checks.raise_any()
    # raise_any() raised if any check failed: every value below is set.
    assert name is not None
    assert first is not None
    assert last is not None
    assert chosen is not None
    assert chosen_language is not None
    assert why is not None
    assert password is not None
    user = model.objects.create_user(
        username=name, email=address or "", password=password, first_name=first, last_name=last
    )
    for role in sorted(chosen):
        assign_role(user, role)
    UserProfile.objects.create(user=user, language=chosen_language)
    PasswordState.objects.create(user=user, must_change=True, why=PasswordState.Why.NEW_ACCOUNT)
    new = (
        f"username={name}; name={first} {last}; email={address}; roles={_codes(chosen)}; "
        f"language={chosen_language}; initial password set, to be changed at first sign-in"
    )
    _log(by, user, Act.CREATE, "", new, why, now)
    return user


def _locked_administrators() -> list[int]:
    """The active administrators' ids, their rows locked until the transaction ends, so two
    administrators removing each other at the same moment cannot both succeed (PostgreSQL;
    SQLite writes one transaction at a time anyway). Locked in id order: no deadlock."""
    return list(
        get_user_model()
        .objects.select_for_update(of=("self",))
        .filter(is_active=True, groups__name=Role.ADMINISTRATOR.value)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _keep_an_administrator(target: Any) -> None:
    if _locked_administrators() == [target.pk]:
        raise _refuse(
            _("%(user)s is the last active administrator: make another administrator first.")
            % {"user": target.get_username()}
        )


@transaction.atomic
def set_roles(
    by: Any, target: Any, roles: Iterable[Any] | None, reason: Any, now: dt.datetime | None = None
) -> AccountEvent:
    """Give ``target`` exactly ``roles`` (one or more). The last active administrator keeps the
    administrator role."""
    require(by, Action.MANAGE_USERS)
    checks = _Checks()
    chosen = checks.run(check.check_roles, roles)
    why = checks.run(check.check_reason, reason)
    checks.raise_any()
    assert chosen is not None
    assert why is not None
    _forget_roles(target)
    before = roles_of(target)
    if chosen == before:
        raise _refuse(_("%(user)s already has exactly these roles.") % {"user": target})
    if Role.ADMINISTRATOR in before - chosen and target.is_active:
        _keep_an_administrator(target)
    removed = [role.value for role in before - chosen]
    target.groups.remove(*Group.objects.filter(name__in=removed))
    for role in sorted(chosen - before):
        assign_role(target, role)
    _forget_roles(target)
    return _log(by, target, Act.ROLES, _codes(before), _codes(chosen), why, now)


@transaction.atomic
def deactivate(by: Any, target: Any, reason: Any, now: dt.datetime | None = None) -> AccountEvent:
    """Withdraw ``target``'s access (the account and everything it recorded stay). Their open
    sessions end at their next request: Django refuses an inactive user's session."""
    require(by, Action.MANAGE_USERS)
    why = check.check_reason(reason)
    if target.pk == by.pk:
        raise _refuse(_("You cannot deactivate your own account."))
    target.refresh_from_db(fields=["is_active"])
    if not target.is_active:
        raise _refuse(_("%(user)s is already inactive.") % {"user": target})
    if Role.ADMINISTRATOR in roles_of(target):
        _keep_an_administrator(target)
    target.is_active = False
    target.save(update_fields=["is_active"])
    return _log(by, target, Act.DEACTIVATE, "active", "inactive", why, now)


@transaction.atomic
def reactivate(by: Any, target: Any, reason: Any, now: dt.datetime | None = None) -> AccountEvent:
    """Give a deactivated account its access back (with the roles it had)."""
    require(by, Action.MANAGE_USERS)
    why = check.check_reason(reason)
    target.refresh_from_db(fields=["is_active"])
    if target.is_active:
        raise _refuse(_("%(user)s is already active.") % {"user": target})
    target.is_active = True
    target.save(update_fields=["is_active"])
    return _log(by, target, Act.REACTIVATE, "inactive", "active", why, now)


@transaction.atomic
def unlock(by: Any, target: Any, reason: Any, now: dt.datetime | None = None) -> AccountEvent:
    """End a lockout early and set the failed-login counter back to zero."""
    require(by, Action.MANAGE_USERS)
    why = check.check_reason(reason)
    when = now or timezone.now()
    row = FailedLogins.objects.select_for_update().filter(username=target.get_username()).first()
    locked = row is not None and row.locked_until is not None and row.locked_until > when
    if row is None or not (locked or row.count):
        raise _refuse(_("%(user)s is not locked out and has no failed logins.") % {"user": target})
    old = f"{row.count} failed logins"
    if locked:
        assert row.locked_until is not None
        old = f"locked until {row.locked_until.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC; {old}"
    FailedLogins.objects.filter(pk=row.pk).update(count=0, locked_until=None)
    return _log(by, target, Act.UNLOCK, old, "unlocked; 0 failed logins", why, now)


@transaction.atomic
def reset_password(
    by: Any,
    target: Any,
    password1: Any,
    password2: Any,
    reason: Any,
    now: dt.datetime | None = None,
) -> AccountEvent:
    """Set a temporary password that ``target`` must change at the next sign-in. Their open
    sessions end (Django ties a session to the password). An administrator changes their own
    password on the password page, with the current one."""
    require(by, Action.MANAGE_USERS)
    if target.pk == by.pk:
        raise _refuse(_("Change your own password on the password page, not by a reset."))
    checks = _Checks()
    labels = (_("Temporary password"), _("Temporary password again"))
    password = checks.run(check.check_new_password, password1, password2, target, labels=labels)
    why = checks.run(check.check_reason, reason)
    checks.raise_any()
    assert password is not None
    assert why is not None
    target.set_password(password)
    target.save(update_fields=["password"])
    PasswordState.objects.update_or_create(
        user=target, defaults={"must_change": True, "why": PasswordState.Why.RESET}
    )
    new = "temporary password set, to be changed at next sign-in"
    return _log(by, target, Act.RESET_PASSWORD, "", new, why, now)


# Stored as the reason of a password change by its owner (English, like every stored value).
_OWN_CHANGE_REASON: dict[str, str] = {
    PasswordState.Why.NEW_ACCOUNT: "required at first sign-in",
    PasswordState.Why.RESET: "required after a password reset",
}


@transaction.atomic
def change_own_password(
    user: Any,
    old_password: Any,
    new_password1: Any,
    new_password2: Any,
    now: dt.datetime | None = None,
) -> AccountEvent:
    """``user`` replaces their password: the current one, then the new one twice, checked by the
    policy and different from the current one. Clears a required change."""
    hidden = _("(not shown)")
    if not user.check_password(str(old_password or "")):
        raise check.bad_input(
            "old_password", _("Current password"), _("your current password"), hidden
        )
    fields = ("new_password1", "new_password2")
    password = check.check_new_password(new_password1, new_password2, user, fields=fields)
    if user.check_password(password):
        raise check.bad_input(
            "new_password1", _("New password"), _("a password other than the current one"), hidden
        )
    user.set_password(password)
    user.save(update_fields=["password"])
    state = PasswordState.objects.select_for_update().filter(user=user.pk).first()
    reason = "the user's own choice"
    old = ""
    if state is not None and state.must_change:
        reason = _OWN_CHANGE_REASON.get(state.why, reason)
        old = "change required"
        PasswordState.objects.filter(pk=state.pk).update(must_change=False, why="")
    return _log(user, user, Act.CHANGE_PASSWORD, old, "password changed", reason, now)
