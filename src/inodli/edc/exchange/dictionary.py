"""The data dictionary: one row per exchanged field (form, field, label, type, choices)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from inodli.edc.exchange.fields import exchanged_forms

__all__ = ["DictionaryEntry", "data_dictionary", "data_dictionary_csv"]


@dataclass(frozen=True)
class DictionaryEntry:
    form: str
    field: str
    label: str
    data_type: str
    required: bool
    max_length: int | None
    choices: str
    links_to: str


def data_dictionary() -> list[DictionaryEntry]:
    rows = []
    for form in exchanged_forms():
        links = form.links()
        for field in form.fields:
            choices = "; ".join(f"{value}={label}" for value, label in field.choices or ())
            rows.append(
                DictionaryEntry(
                    form=form.code,
                    field=field.name,
                    label=str(field.verbose_name),
                    data_type=field.get_internal_type(),
                    required=not (field.blank or field.null or field.has_default()),
                    max_length=field.max_length,
                    choices=choices,
                    links_to=links.get(field.name, ""),
                )
            )
    return rows


def data_dictionary_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(DictionaryEntry.__dataclass_fields__))
    for entry in data_dictionary():
        writer.writerow(list(entry.__dict__.values()))
    return out.getvalue()
