"""A password set by an administrator is changed before anything else: after such a sign-in,
every page but the password page (and logging out, the language switch, static files)
redirects there.

Whether a change is due is read once, at sign-in, into the session; pages then cost no query.
A reset by the administrator ends the user's open sessions (Django ties a session to the
password), so the next sign-in reads the new state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

__all__ = ["MUST_CHANGE_KEY", "PasswordChangeRequiredMiddleware"]

MUST_CHANGE_KEY = "inodli_must_change_password"


@receiver(user_logged_in)
def _read_password_state(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from inodli.edc.accounts.services import must_change_password

    request.session[MUST_CHANGE_KEY] = must_change_password(user)


def _always_open() -> tuple[str, ...]:
    return (
        reverse("accounts:password"),
        reverse("logout"),
        reverse("login"),
        reverse("set-language"),
    )


class PasswordChangeRequiredMiddleware:
    """Send a user who must change their password to the password page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(MUST_CHANGE_KEY)
            and request.path not in _always_open()
            and not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
        ):
            target = reverse("accounts:password")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
