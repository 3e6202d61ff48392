"""The account pages' forms: they only collect and show what was typed. Every rule lives in
:mod:`.validation` and :mod:`.services`, whose refusals the views put beside the fields
(``form.add_error(None, error)``), so a rule is the same from the page, a script or a test."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inodli.edc.accounts.loginlog import LABELS
from inodli.edc.accounts.models import LoginEvent
from inodli.edc.accounts.validation import policy_text
from inodli.edc.core.roles import Role

__all__ = [
    "CreateAccountForm",
    "LoginFilterForm",
    "OwnPasswordForm",
    "ReasonForm",
    "ResetPasswordForm",
    "RolesForm",
]


def _text(label: Any, *, kind: str = "text", maxlength: int = 150, **attrs: Any) -> forms.Field:
    """A field that takes the text as typed (no checks of its own: the services check)."""
    widget: forms.Widget
    if kind == "password":
        widget = forms.PasswordInput(attrs={"autocomplete": "new-password", **attrs})
    elif kind == "textarea":
        widget = forms.Textarea(attrs={"rows": 2, "maxlength": maxlength, **attrs})
    else:
        widget = forms.TextInput(attrs={"maxlength": maxlength, **attrs})
    return forms.Field(label=label, required=False, widget=widget)


def _roles() -> forms.Field:
    choices = [(role.value, role.label) for role in Role]
    return forms.Field(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple(choices=choices)
    )


def _reason() -> forms.Field:
    field = _text(_("Reason"), kind="textarea", maxlength=2000)
    field.help_text = _("Recorded in the account log with your name and the time.")
    return field


class _AccountForm(forms.Form):
    #: The field that gets the password policy as its help text.
    new_password_field = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.new_password_field:
            self.fields[self.new_password_field].help_text = policy_text()

    def apply(self, error: ValidationError) -> None:
        """Show a service's refusal beside its fields (and the rest, like a page number of the
        sign-in log, above the form)."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class CreateAccountForm(_AccountForm):
    new_password_field = "password1"
    username = _text(_("User name"), autocomplete="off")
    first_name = _text(_("First name"))
    last_name = _text(_("Last name"))
    email = _text(_("E-mail"), maxlength=254)
    roles = _roles()
    language = forms.Field(
        label=_("Language"),
        required=False,
        initial=settings.LANGUAGE_CODE,
        widget=forms.Select(choices=settings.LANGUAGES),
    )
    password1 = _text(_("Initial password"), kind="password")
    password2 = _text(_("Initial password again"), kind="password")
    reason = _reason()


class RolesForm(_AccountForm):
    roles = _roles()
    reason = _reason()


class ReasonForm(_AccountForm):
    """Deactivate, reactivate or unlock: only the reason."""

    reason = _reason()


class ResetPasswordForm(_AccountForm):
    new_password_field = "password1"
    password1 = _text(_("Temporary password"), kind="password")
    password2 = _text(_("Temporary password again"), kind="password")
    reason = _reason()


class OwnPasswordForm(_AccountForm):
    new_password_field = "new_password1"
    old_password = _text(_("Current password"), kind="password", autocomplete="current-password")
    new_password1 = _text(_("New password"), kind="password")
    new_password2 = _text(_("New password again"), kind="password")


class LoginFilterForm(_AccountForm):
    user = _text(LABELS["user"])
    outcome = forms.Field(
        label=LABELS["outcome"],
        required=False,
        widget=forms.Select(choices=[("", _("any")), *LoginEvent.Outcome.choices]),
    )
    date_from = _text(LABELS["date_from"], kind="text", maxlength=10, type="date")
    date_to = _text(LABELS["date_to"], kind="text", maxlength=10, type="date")
