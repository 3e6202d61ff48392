"""Checks of what an administrator or a user types on the account pages.

Every refusal is a ``ValidationError`` keyed by the form field, whose message names the field,
the values allowed and the value received (a password is never echoed: it is "not shown"), so
the page shows it beside the field and a script or test can read it without HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from inodli.edc.core.roles import Role

__all__ = [
    "MAX_REASON",
    "bad_input",
    "check_email",
    "check_language",
    "check_name",
    "check_new_password",
    "check_reason",
    "check_roles",
    "check_search_text",
    "check_username",
]

MAX_NAME = 150  # the width of auth_user.first_name / last_name / username
MAX_REASON = 2000
_USERNAME = re.compile(r"[\w.@+-]{1,150}\Z")  # Django's own user-name characters


def shown(value: Any) -> str:
    """``value`` as a message may quote it: control characters (a NUL, a newline) made
    visible, and at most 80 characters."""
    text = str(value)
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 80 else text[:79] + "…"


def bad_input(field: str, label: str | Promise, allowed: str, received: Any) -> ValidationError:
    """The refusal of one field: "<label>: expected <allowed>; received “<value>”."."""
    message = _("%(label)s: expected %(allowed)s; received “%(received)s”.") % {
        "label": label,
        "allowed": allowed,
        "received": shown(received),
    }
    return ValidationError({field: [message]})


def check_username(value: Any) -> str:
    """A new user name: Django's characters, 1-150 long, not taken (ignoring case, so that
    "Nurse" and "nurse" are never two people)."""
    text = str(value or "").strip()
    allowed = _("1 to 150 letters, digits or @ . + - _, not already in use")
    if not _USERNAME.match(text):
        raise bad_input("username", _("User name"), allowed, text)
    if get_user_model().objects.filter(username__iexact=text).exists():
        raise bad_input("username", _("User name"), allowed, text)
    return text


def check_name(field: str, label: str | Promise, value: Any) -> str:
    """A first or last name for the printed name (signatures show it): 1-150 printable
    characters."""
    text = str(value or "").strip()
    if not text or len(text) > MAX_NAME or not text.isprintable():
        raise bad_input(field, label, _("1 to 150 printable characters"), text)
    return text


def check_email(value: Any) -> str:
    """An e-mail address, or nothing."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise bad_input(
            "email", _("E-mail"), _("an address such as name@hospital.org, or nothing"), text
        ) from None
    return text


def _role_list() -> str:
    return ", ".join(f"{role.value} ({role.label})" for role in Role)


def check_roles(value: Iterable[Any] | None) -> frozenset[Role]:
    """One or more study roles, by their codes."""
    codes = [str(code) for code in (value or [])]
    allowed = _("one or more of %(roles)s") % {"roles": _role_list()}
    unknown = [code for code in codes if code not in {role.value for role in Role}]
    if not codes or unknown:
        raise bad_input("roles", _("Roles"), allowed, ", ".join(unknown or codes))
    return frozenset(Role(code) for code in codes)


def check_language(value: Any) -> str:
    text = str(value or "")
    codes = [code for code, _name in settings.LANGUAGES]
    if text not in codes:
        raise bad_input("language", _("Language"), _("one of %s") % ", ".join(codes), text)
    return text


def check_reason(value: Any) -> str:
    """The reason an administrator gives for a change: required, like a data change's."""
    text = str(value or "").strip()
    if not text or len(text) > MAX_REASON or "\x00" in text:
        allowed = _("a reason of 1 to %(n)d characters") % {"n": MAX_REASON}
        raise bad_input("reason", _("Reason"), allowed, text)
    return text


def check_search_text(field: str, label: str | Promise, value: Any) -> str:
    """Text to search for: at most 150 printable characters (PostgreSQL refuses a NUL)."""
    text = str(value or "").strip()
    if len(text) > MAX_NAME or not text.isprintable():
        raise bad_input(field, label, _("at most 150 printable characters"), text)
    return text


def policy_text() -> str:
    """The password policy in words (the configured validators' own help texts)."""
    return " ".join(str(text) for text in password_validators_help_texts())


def check_new_password(
    first: Any,
    second: Any,
    user: Any,
    *,
    fields: tuple[str, str] = ("password1", "password2"),
    labels: tuple[str | Promise, str | Promise] | None = None,
) -> str:
    """A new password typed twice, checked by the password policy (``AUTH_PASSWORD_VALIDATORS``)
    against ``user``'s names and e-mail. The password itself never appears in a message."""
    password, again = str(first or ""), str(second or "")
    label, label_again = labels or (_("New password"), _("New password again"))
    allowed = _("a password that meets the policy (%(policy)s)") % {"policy": policy_text()}
    if not password:
        raise bad_input(fields[0], label, allowed, "")
    try:
        validate_password(password, user)
    except ValidationError as error:
        message = _("%(label)s: expected %(allowed)s; received a password (not shown): %(why)s")
        why = " ".join(str(m) for m in error.messages)
        text = message % {"label": label, "allowed": allowed, "why": why}
        raise ValidationError({fields[0]: [text]}) from None
    if password != again:
        raise bad_input(fields[1], label_again, _("the same password as above"), _("(not shown)"))
    return password
