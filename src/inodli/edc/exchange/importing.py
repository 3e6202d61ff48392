"""Import rows (from CSV or ODM) through :func:`save_record`, all or nothing.

Each row is validated and saved exactly as a form would save it (model rules, locks, audit
trail, edit checks). Any refused row is reported with its line and the whole file is rolled
back: never half a file. Edit-check findings do not refuse a row; they open queries, listed
in the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from inodli.edc.core.services import save_record
from inodli.edc.exchange.fields import decode, form_by_code
from inodli.edc.governance.models import Query
from inodli.edc.governance.permissions import Action, require
from inodli.errors import InputError

__all__ = [
    "ImportReport",
    "ImportRow",
    "RowError",
    "apply_rows",
    "build_record",
    "log_import",
    "messages_of",
]


@dataclass(frozen=True)
class ImportRow:
    line: int
    form_code: str
    subject_key: str  # the screening number
    values: dict[str, str | None]
    original_id: str = ""  # the id in the exporting study (for links between records)
    #: created, created_by, modified, modified_by and version in the exporting study (ODM only)
    bookkeeping: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    line: int
    form_code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.form_code}) {self.field}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    imported: int
    errors: tuple[RowError, ...] = ()
    queries: tuple[str, ...] = field(default=())
    #: "replicate" (a lossless copy into an empty study) or "merge" (records added as new)
    mode: str = "merge"
    #: audit records, signatures and governance rows replicated from the file
    history_rows: int = 0
    #: accounts the import created (inactive, no usable password) for the file's users
    accounts_created: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        if self.errors:
            head = f"REJECTED: {len(self.errors)} error(s); nothing was imported."
            return "\n".join([head, *(str(e) for e in self.errors)])
        lines = [f"Imported {self.imported} record(s); {len(self.queries)} edit-check queries."]
        if self.mode == "replicate":
            lines.append(
                f"Lossless copy: {self.history_rows} audit, signature and governance row(s) "
                "replicated with their original ids, times and authors."
            )
        if self.accounts_created:
            lines.append(
                "Accounts created inactive, without a usable password (an administrator "
                "activates them): " + ", ".join(self.accounts_created)
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines + [f"  query: {q}" for q in self.queries])


def messages_of(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(name, str(m)) for name, items in error.message_dict.items() for m in items]
    return [("__all__", str(m)) for m in error.messages]


def build_record(row: ImportRow, ids: dict[tuple[str, str], Any], subjects: dict[str, Any]) -> Any:
    from inodli.edc.subjects.models import Subject

    form = form_by_code(row.form_code)
    unknown = set(row.values) - {f.name for f in form.fields}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "not a field of this form"))
    record = form.model()
    links = form.links()
    problems: dict[str, str] = {}
    for f in form.fields:
        text = row.values.get(f.name)
        try:
            if f.name in links:
                if text is not None:
                    target = ids.get((links[f.name], text))
                    if target is None:
                        raise ValidationError(f"links to {links[f.name]} {text}, not in this file")
                    setattr(record, f.attname, target)
            elif f.name in row.values:
                setattr(record, f.attname, decode(f, text))
        except ValidationError as error:
            problems[f.name] = "; ".join(str(m) for m in error.messages)
    if problems:
        raise ValidationError(problems)
    if any(f.name == "subject" for f in form.model._meta.concrete_fields):
        subject = (
            subjects.get(row.subject_key)
            or Subject.objects.filter(screening_number=row.subject_key).first()
        )
        if subject is None:
            raise ValidationError({"subject": f"no subject {row.subject_key!r}"})
        record.subject = subject
    return record


def apply_rows(rows: list[ImportRow], user: Any, *, now: dt.datetime | None = None) -> ImportReport:
    """Save every row in order, or nothing when any row is refused."""
    require(user, Action.IMPORT)
    now = now or timezone.now()
    errors: list[RowError] = []
    ids: dict[tuple[str, str], Any] = {}
    subjects: dict[str, Any] = {}
    last_query = Query.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        for row in rows:
            try:
                record = build_record(row, ids, subjects)
                save_record(record, user, reason="imported", now=now)
            except ValidationError as error:
                errors.extend(
                    RowError(row.line, row.form_code, n, m) for n, m in messages_of(error)
                )
                continue
            except (InputError, ValueError, TypeError, IntegrityError) as error:
                errors.append(RowError(row.line, row.form_code, "__all__", str(error)))
                continue
            if row.original_id:
                ids[(row.form_code, row.original_id)] = record.pk
            if row.form_code == "SUBJECT":
                subjects[record.screening_number] = record
        queries = tuple(
            f"{q.check_code} {q.subject}: {q.text}"
            for q in Query.objects.filter(pk__gt=last_query).select_related("subject")
        )
        if errors:
            transaction.set_rollback(True)
            return ImportReport(imported=0, errors=tuple(errors))
    return ImportReport(imported=len(rows), queries=queries)


def log_import(
    user: Any, file_format: str, text: str, report: ImportReport, now: dt.datetime | None = None
) -> None:
    """Keep a row for this import (accepted or rejected) in the governance history."""
    import hashlib

    from inodli.edc.governance.models import ImportRun

    ImportRun.objects.create(
        at=now or timezone.now(),
        user=user,
        file_format=file_format,
        file_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        mode=report.mode,
        accepted=report.ok,
        records=report.imported,
        history_rows=report.history_rows,
        errors=len(report.errors),
        accounts_created=list(report.accounts_created),
        report=str(report),
    )
