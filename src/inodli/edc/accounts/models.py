"""The sign-in log (append-only) and the per-user failed-login counter."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

__all__ = ["FailedLogins", "LoginEvent"]


class LoginEventQuerySet(models.QuerySet["LoginEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("login events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("login events cannot be deleted")


class LoginEvent(models.Model):
    """One login, failed login, refused (locked) login or logout."""

    class Outcome(models.TextChoices):
        LOGIN = "login", "login"
        FAILED = "failed", "failed login"
        LOCKED = "locked", "refused: account locked"
        LOCKOUT = "lockout", "account locked after failures"
        LOGOUT = "logout", "logout"
        TIMEOUT = "timeout", "session timed out"

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
