"""The exchanged forms and fields, and the text form of each value (shared by CSV and ODM).

Every concrete captured record is exchanged: the registered forms by their form code, the
subject itself as ``SUBJECT`` and rows that belong to a form (lab results) by their model name.
The subject link is the screening number; other links name the linked record's original id,
mapped to the new id on import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import models

from inodli.edc.core.models import BOOKKEEPING_FIELDS
from inodli.edc.governance.locks import captured_models

__all__ = ["ExchangedForm", "decode", "encode", "exchanged_forms", "form_by_code"]


@dataclass(frozen=True)
class ExchangedForm:
    code: str
    model: type[Any]  # a CapturedRecord subclass
    fields: tuple[Any, ...]  # concrete fields, without id, bookkeeping and the subject link

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def links(self) -> dict[str, str]:
        """Field name -> form code of the linked record (links other than the subject)."""
        return {f.name: form_code_of(f.related_model) for f in self.fields if f.is_relation}


def form_code_of(model: Any) -> str:
    if model._meta.label_lower == "subjects.subject":
        return "SUBJECT"
    return getattr(model, "form_code", "") or model.__name__.upper()


def exchanged_forms() -> list[ExchangedForm]:
    forms = []
    for model in captured_models():
        fields = tuple(
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in BOOKKEEPING_FIELDS and f.name != "subject"
        )
        forms.append(ExchangedForm(form_code_of(model), model, fields))
    return forms


def form_by_code(code: str) -> ExchangedForm:
    for form in exchanged_forms():
        if form.code == code:
            return form
    from inodli.errors import InputError

    raise InputError("form", "a form code", code)


def encode(value: Any) -> str | None:
    """A JSON-ready value (from ``record_snapshot``) as text; None stays None (null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def decode(field: Any, text: str | None) -> Any:
    """The Python value of ``text`` for ``field`` (raises ``ValidationError`` when malformed)."""
    if text is None:
        return None
    if isinstance(field, models.JSONField):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            from django.core.exceptions import ValidationError

            raise ValidationError(f"not JSON: {error}") from error
    if text == "" and field.null and not isinstance(field, models.CharField | models.TextField):
        return None
    return field.to_python(text)
