"""What the OpenAPI document says about languages: the description, the ``Accept-Language``
request header and the ``Content-Language`` response header of every operation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

__all__ = ["DESCRIPTION", "LocalisedAutoSchema"]

DESCRIPTION = """\
The data of the inodli EDC (subjects, case report forms, queries), with the permissions and
rules of the web pages: writes go through the same validation, locks, audit trail and edit
checks.

Authentication: the web session (send the CSRF token on writes) or HTTP Basic.

## Languages

Human-readable messages come in English (`en`) or Simplified Chinese (`zh-hans`):
validation messages (which name the field, the values allowed and the value received),
refusals (401, 403), not found (404), stale-version conflicts and locked records (422), and
display labels such as a form's `title`. The language is chosen, first match wins:

1. the `Accept-Language` request header, when it names one of these languages
   (`zh-CN` and `zh` mean `zh-hans`, `en-GB` means `en`; other languages are skipped);
2. the authenticated user's profile language (the one the web pages use);
3. English.

Every response names its language in `Content-Language`.

Only messages are translated. JSON keys, field names (also as keys of `errors`), form codes
and enum values (`status`, `action`, `origin`, `assigned_role`) are the same English
identifiers in every language, and data entered by users are returned as entered.
"""


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class LocalisedAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the language headers on every operation."""

    def get_override_parameters(self) -> list[Any]:
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "Accept-Language",
                str,
                OpenApiParameter.HEADER,
                description=(
                    "The language of the messages, e.g. `zh-Hans`, `en`, `zh-CN;q=0.9, en;q=0.5`."
                    " Wins over the user's profile language when it names a supported language."
                ),
            ),
            OpenApiParameter(
                "Content-Language",
                {"type": "string", "enum": _language_codes()},
                OpenApiParameter.HEADER,
                required=True,
                description="The language of the messages in this response.",
                response=True,
            ),
        ]
