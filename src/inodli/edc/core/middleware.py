"""Activate the logged-in user's preferred language (their profile), after LocaleMiddleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

__all__ = ["SESSION_LANGUAGE_KEY", "UserLanguageMiddleware"]

SESSION_LANGUAGE_KEY = "inodli_language"


class UserLanguageMiddleware:
    """The profile's language wins over the browser's Accept-Language header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from inodli.edc.core.models import UserProfile

        if request.user.is_authenticated:
            # The preference is read from the profile once per login and kept in the session.
            language = request.session.get(SESSION_LANGUAGE_KEY)
            if language is None:
                language = (
                    UserProfile.objects.filter(user=request.user)
                    .values_list("language", flat=True)
                    .first()
                ) or ""
                request.session[SESSION_LANGUAGE_KEY] = language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "en")
        return response
