"""Sign-in security: lockout after :data:`MAX_FAILURES` consecutive failed logins for
:data:`LOCKOUT`, an idle-session timeout, and every login, failure and lockout logged.

The counter lives in the database (every worker sees it); the check runs in the
authentication backend, so a locked account is refused even with the right password.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from inodli.edc.accounts.models import FailedLogins, LoginEvent

__all__ = ["IDLE_TIMEOUT", "LOCKOUT", "MAX_FAILURES", "IdleTimeoutMiddleware", "LockoutBackend"]

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=30)
IDLE_TIMEOUT = dt.timedelta(minutes=30)
_LAST_SEEN = "inodli_last_seen"


def _address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


def _log(outcome: str, username: str, request: HttpRequest | None, user: Any = None) -> None:
    LoginEvent.objects.create(
        at=timezone.now(),
        username=username[:150],
        user=user,
        outcome=outcome,
        address=_address(request),
    )


def _storable(username: str) -> str:
    """The user name as the login tables can hold it: PostgreSQL text refuses NUL bytes, and no
    account can have one, so a NUL is replaced (still counted and logged as an attempt)."""
    return username.replace("\x00", "\ufffd")[:150]


def is_locked(username: str, now: dt.datetime | None = None) -> bool:
    row = FailedLogins.objects.filter(username=_storable(username)).first()
    return bool(row and row.locked_until and row.locked_until > (now or timezone.now()))


class LockoutBackend(ModelBackend):
    """Django's password check, refused while the user name is locked out."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username and is_locked(username):
            _log(LoginEvent.Outcome.LOCKED, _storable(username), request)
            return None
        if username and "\x00" in username:
            return None  # no account has such a name; asking the database would be an error
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = _storable(str(credentials.get("username", "")))
    if not username or is_locked(username):
        return  # a refused login of a locked account is logged by the backend
    _log(LoginEvent.Outcome.FAILED, username, request)
    with transaction.atomic():
        row, _created = FailedLogins.objects.get_or_create(username=username)
        FailedLogins.objects.filter(pk=row.pk).update(count=F("count") + 1)
        row.refresh_from_db()
        if row.count >= MAX_FAILURES:
            FailedLogins.objects.filter(pk=row.pk).update(
                count=0, locked_until=timezone.now() + LOCKOUT
            )
            _log(LoginEvent.Outcome.LOCKOUT, username, request)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    FailedLogins.objects.filter(username=user.get_username()).update(count=0, locked_until=None)
    _log(LoginEvent.Outcome.LOGIN, user.get_username(), request, user)
    request.session[_LAST_SEEN] = timezone.now().timestamp()


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None and not getattr(request, "_inodli_timed_out", False):
        _log(LoginEvent.Outcome.LOGOUT, user.get_username(), request, user)


class IdleTimeoutMiddleware:
    """Log out a session idle for longer than :data:`IDLE_TIMEOUT` (ward workstations are
    shared). The last-seen time is written at most once a minute to spare the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(_LAST_SEEN)
            if last is not None and now - float(last) > IDLE_TIMEOUT.total_seconds():
                _log(LoginEvent.Outcome.TIMEOUT, user.get_username(), request, user)
                request._inodli_timed_out = True  # type: ignore[attr-defined]
                logout(request)
                return redirect(f"/login/?next={request.path}")
            if last is None or now - float(last) > 60:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
