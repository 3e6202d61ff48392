"""The sign-in log and the account log (both append-only), the per-user failed-login counter,
and whether a user must choose a new password before doing anything else."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountEvent", "FailedLogins", "LoginEvent", "PasswordState"]


class LoginEventQuerySet(models.QuerySet["LoginEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("login events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("login events cannot be deleted")


class LoginEvent(models.Model):
    """One login, failed login, refused (locked) login or logout."""

    class Outcome(models.TextChoices):
        LOGIN = "login", _("login")
        FAILED = "failed", _("failed login")
        LOCKED = "locked", _("refused: account locked")
        LOCKOUT = "lockout", _("account locked after failures")
        LOGOUT = "logout", _("logout")
        TIMEOUT = "timeout", _("session timed out")

    at = models.DateTimeField(db_index=True)
    username = models.CharField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    address = models.CharField(max_length=45, blank=True)

    objects = LoginEventQuerySet.as_manager()

    class Meta:
        ordering = ("at", "id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("login events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("login events cannot be deleted")


class FailedLogins(models.Model):
    """Consecutive failed logins of one user name, and the lock they caused."""

    username = models.CharField(max_length=150, unique=True)
    count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)


class PasswordState(models.Model):
    """Whether ``user`` must choose a new password before anything else (after an administrator
    set the password: a new account or a reset). No row: no change required."""

    class Why(models.TextChoices):
        NEW_ACCOUNT = "new_account", _("new account")
        RESET = "reset", _("password reset by an administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    must_change = models.BooleanField(default=False)
    why = models.CharField(max_length=16, choices=Why.choices, blank=True)


class AccountEventQuerySet(models.QuerySet["AccountEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("account events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("account events cannot be deleted")


class AccountEvent(models.Model):
    """One change to an account (21 CFR 11.10(d), (e)): who did what to whom, when (UTC), the
    value before and after, and why. Passwords never appear, only that one was set."""

    class Action(models.TextChoices):
        CREATE = "create", _("account created")
        ROLES = "roles", _("roles changed")
        DEACTIVATE = "deactivate", _("account deactivated")
        REACTIVATE = "reactivate", _("account reactivated")
        UNLOCK = "unlock", _("account unlocked")
        RESET_PASSWORD = "reset_password", _("password reset")
        CHANGE_PASSWORD = "change_password", _("password changed by its owner")

    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField()

    objects = AccountEventQuerySet.as_manager()

    class Meta:
        ordering = ("at", "id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("account events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("account events cannot be deleted")
