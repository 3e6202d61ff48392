"""The base form of every captured record.

:class:`RecordForm` adds a hidden ``version`` (the version the person opened) and, on edits, a
"reason for change" field; :meth:`RecordForm.commit` saves through
:func:`inodli.edc.core.services.save_record` and puts any refusal (validation, stale version,
missing reason) beside the field it concerns, keeping everything the person typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.models import AuditEvent, CapturedRecord
from inodli.edc.core.services import delete_record, save_record

__all__ = ["DeleteRecordForm", "RecordForm"]


class DateInput(forms.DateInput):
    """The browser's own date picker (no JavaScript of ours)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RecordForm(forms.ModelForm):  # type: ignore[type-arg,unused-ignore]
    """Base ``ModelForm`` for a :class:`~inodli.edc.core.models.CapturedRecord`.

    Subclasses declare ``Meta.model`` and ``Meta.fields`` as usual. Pass ``subject=`` for a
    per-subject record so that model validation (consent, date order) sees the subject.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    reason = forms.CharField(
        label=_("Reason for change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you change data that were already saved."),
    )

    instance: Any

    def __init__(self, *args: Any, subject: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if subject is not None:
            self.instance.subject = subject
        self.is_edit = not self.instance._state.adding
        if self.is_edit:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reason"]
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
                field.widget = DateInput(attrs=field.widget.attrs)

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("save captured records with RecordForm.commit(user)")

    def commit(
        self, user: AbstractBaseUser | AnonymousUser, *, now: dt.datetime | None = None
    ) -> bool:
        """Validate and save through the service layer; False (errors on the form) if refused."""
        if not self.is_valid():
            return False
        try:
            self.audit_event: AuditEvent | None = save_record(
                self.instance,
                user,
                reason=self.cleaned_data.get("reason"),
                expected_version=self.cleaned_data.get("version") if self.is_edit else None,
                now=now,
            )
        except ValidationError as error:
            self._add_service_error(error)
            return False
        self._save_m2m()  # type: ignore[attr-defined]  # many-to-many fields (not audited)
        return True

    def _add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            self.add_error(None, error)


class DeleteRecordForm(forms.Form):
    """Confirm a deletion: a reason and the version that was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Reason for deleting"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, record: CapturedRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["version"].initial = record.version

    def commit(
        self, user: AbstractBaseUser | AnonymousUser, *, now: dt.datetime | None = None
    ) -> bool:
        if not self.is_valid():
            return False
        try:
            delete_record(
                self.record,
                user,
                self.cleaned_data["reason"],
                expected_version=self.cleaned_data["version"],
                now=now,
            )
        except ValidationError as error:
            for field, messages in getattr(
                error, "message_dict", {"__all__": error.messages}
            ).items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return False
        return True
