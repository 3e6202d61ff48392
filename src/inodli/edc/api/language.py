"""The language an API response is written in.

Precedence, first match wins:

1. an ``Accept-Language`` header that names a language the site speaks (``en``,
   ``zh-Hans``; ``zh-CN`` and ``zh`` mean ``zh-Hans``, ``en-GB`` means ``en``);
2. the authenticated caller's profile language (``UserProfile.language``), the one the pages
   use;
3. the site default, ``settings.LANGUAGE_CODE``.

The header comes first because an API client sends it on purpose, per request (a script that
logs in English for a sponsor while the account reads Chinese pages); without one, the
account's preference applies, as on the pages. The pages rank the other way (the profile beats
the browser's header), because every browser sends a header whether or not the user chose it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

# Django's own parser (q-values, ordering, its length cap against oversized headers); it is
# what LocaleMiddleware uses, so pages and API read a header alike.
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from inodli.edc.core.middleware import SESSION_LANGUAGE_KEY

__all__ = ["choose_language", "requested_language", "session_language", "user_language"]


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def requested_language(accept_language: str) -> str | None:
    """The most preferred language of an ``Accept-Language`` header that the site speaks.

    Parameters
    ----------
    accept_language : str
        The header's value, possibly empty or malformed (then nothing is requested).

    Returns
    -------
    str or None
        A code of ``settings.LANGUAGES`` (e.g. ``"zh-hans"``), or None when the header names
        no supported language (absent, ``*``, ``fr``, only ``q=0`` entries).

    References
    ----------
    RFC 9110, section 12.5.4 (Accept-Language); RFC 4647, section 3.4 (lookup by prefix).
    """
    for tag, quality in parse_accept_lang_header(accept_language):
        if tag == "*" or quality <= 0:
            continue
        if (code := _supported(tag)) is not None:
            return code
    return None


def session_language(request: HttpRequest) -> str | None:
    """The profile language that the page middleware keeps in a logged-in session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    stored = request.session.get(SESSION_LANGUAGE_KEY)
    return _supported(stored) if stored else None


def user_language(request: Request) -> str | None:
    """The authenticated API caller's profile language, or None (anonymous, no profile).

    A session caller's preference is already in the session (read once per login, updated by
    the language switch); any other authentication (HTTP Basic) reads the profile.
    """
    from inodli.edc.core.models import UserProfile

    user: Any = request.user
    if not (user and user.is_authenticated):
        return None
    if isinstance(request.successful_authenticator, SessionAuthentication):
        cached = session_language(request._request)
        if cached is not None:
            return cached
    stored = UserProfile.objects.filter(user=user).values_list("language", flat=True).first()
    return _supported(stored) if stored else None


def choose_language(accept_language: str, preferred: str | None) -> str:
    """Apply the precedence of this module: header, then ``preferred``, then the default."""
    return requested_language(accept_language) or preferred or settings.LANGUAGE_CODE
