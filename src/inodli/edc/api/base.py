"""The base of every API view: who may call, JSON in and out, and the response language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from inodli.edc.api.errors import api_exception_handler
from inodli.edc.api.language import choose_language, session_language, user_language
from inodli.edc.api.schema import LocalisedAutoSchema
from inodli.edc.api.serializers import DetailSerializer
from inodli.edc.core.roles import can_read

__all__ = ["DENIED", "IsStudyMember", "PasswordChanged", "StudyAPIView"]

DENIED = {401: DetailSerializer, 403: DetailSerializer, 404: DetailSerializer}


class IsStudyMember(BasePermission):
    """Logged in and holding a study role: the pages' rule for reading."""

    message = gettext_lazy("Only members of the study team may use the API.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_read(request.user))


class PasswordChanged(BasePermission):
    """A password an administrator set (new account, reset) opens nothing until its owner
    replaces it on the password page: the pages redirect there, the API refuses."""

    message = gettext_lazy(
        "Your password was set by an administrator: change it on the password page "
        "(/accounts/password/) before using the API."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        from inodli.edc.accounts.services import must_change_password

        user = request.user
        return not (user and user.is_authenticated and must_change_password(user))


class StudyAPIView(APIView):
    """Base of the API views: authentication, permission, JSON, and the response language.

    The language (``inodli.edc.api.language``) is set twice: before authentication from the
    header and a page login (for refusals of the credentials themselves), and again once DRF
    has authenticated the caller, which for HTTP Basic happens only here, after every Django
    middleware has run. It holds for this response only.
    """

    authentication_classes = (SessionAuthentication, BasicAuthentication)
    permission_classes = (IsStudyMember, PasswordChanged)
    renderer_classes = (JSONRenderer,)
    parser_classes = (JSONParser,)
    schema: LocalisedAutoSchema | None = LocalisedAutoSchema()

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The language chosen below is this response's only: the thread gets its own back.
        with translation.override(translation.get_language()):
            return super().dispatch(request, *args, **kwargs)

    def _use_language(self, request: Request, preferred: str | None) -> None:
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        translation.activate(choose_language(header, preferred))

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Refusals of the credentials themselves are raised before anyone is known.
        self._use_language(request, session_language(request._request))
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        # Before the permission check, so that its refusal is in the caller's language too.
        self._use_language(request, user_language(request))

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        patch_vary_headers(response, ("Accept-Language",))
        return response
