"""The API's own error messages, written through gettext so that they come out in the language
of the response (``inodli.edc.api.language``), and the exception handler of the API views.

Each message is built when it is raised, with the response's language already active. JSON keys
(``detail``, ``errors`` and the field names under it) are never translated.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from inodli.edc.governance.permissions import Action

__all__ = [
    "ACTION_LABELS",
    "api_exception_handler",
    "bad_value",
    "no_form",
    "no_query",
    "no_record",
    "no_subject",
    "one_of",
    "role_may_not",
]

#: What a role may or may not do, as a sentence fragment ("Your role may not ...").
ACTION_LABELS: dict[str, Promise] = {
    Action.ENTER_DATA: gettext_lazy("enter data"),
    Action.RAISE_QUERY: gettext_lazy("raise queries"),
    "answer": gettext_lazy("answer queries"),
    "close": gettext_lazy("close queries"),
    "reopen": gettext_lazy("reopen queries"),
}


def role_may_not(action: str) -> exceptions.PermissionDenied:
    """403 for a study member whose role lacks ``action`` (a key of :data:`ACTION_LABELS`)."""
    return exceptions.PermissionDenied(
        _("Your role may not %(action)s.") % {"action": ACTION_LABELS[action]}
    )


def one_of(values: list[str]) -> str:
    """The allowed-values part of a message: ``one of a, b, c``."""
    return _("one of %(values)s") % {"values": ", ".join(values)}


def bad_value(field: str, allowed: str, received: Any) -> str:
    """The project's sentence for bad input: it names the field, what is allowed, what came.

    Parameters
    ----------
    field : str
        The JSON key or query parameter (an English identifier, never translated).
    allowed : str
        What is accepted, already in the response language (e.g. from :func:`one_of`).
    received : Any
        The value sent; shown as ``repr`` so that blanks and types are visible.

    Notes
    -----
    The same three parts as ``inodli.errors.InputError``, so pages, importer and API agree.
    """
    return _("%(field)s: expected %(allowed)s, got %(received)s.") % {
        "field": field,
        "allowed": allowed,
        "received": repr(received),
    }


def no_subject(pk: int) -> exceptions.NotFound:
    return exceptions.NotFound(_("There is no subject with id %(id)s.") % {"id": pk})


def no_form(code: str, codes: list[str]) -> exceptions.NotFound:
    return exceptions.NotFound(bad_value("code", one_of(codes), code))


def no_record(code: str, pk: int) -> exceptions.NotFound:
    return exceptions.NotFound(
        _("This subject has no %(form)s record with id %(id)s.") % {"form": code, "id": pk}
    )


def no_query(pk: int) -> exceptions.NotFound:
    return exceptions.NotFound(_("There is no query with id %(id)s.") % {"id": pk})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Django's 404 and 403 given messages in the response language.

    The API raises its own translated errors; this catches the ones raised deeper (a service's
    role check, a ``get_object_or_404``), whose English text is not meant for API callers.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # DRF's own message, from its catalogue
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("Your role may not do this."))
    return exception_handler(exc, context)
