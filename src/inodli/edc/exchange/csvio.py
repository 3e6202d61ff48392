"""CSV per form: one file per form code, one row per record, the subject's screening number
first. Import is all or nothing, with a line-by-line report (:mod:`.importing`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from inodli.edc.core.services import record_snapshot
from inodli.edc.exchange.fields import encode, form_by_code
from inodli.edc.exchange.importing import ImportReport, ImportRow, apply_rows, log_import

__all__ = ["NULL", "export_form_csv", "import_form_csv"]

#: How a missing value (SQL NULL) is written, so that it differs from an empty text.
NULL = r"\N"


def _subject_key(record: Any) -> str:
    from inodli.edc.subjects.models import Subject

    subject_id = record.audit_subject_id()
    if subject_id is None:
        return ""
    if isinstance(record, Subject):
        return record.screening_number
    return Subject.objects.values_list("screening_number", flat=True).get(pk=subject_id)


def export_form_csv(code: str) -> str:
    """All records of form ``code`` as CSV (header: subject, record_id, then the fields)."""
    form = form_by_code(code)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [f.name for f in form.fields]
    writer.writerow(["subject", "record_id", *names])
    for record in form.model._default_manager.order_by("created", "pk"):
        values = record_snapshot(record)
        cells = [encode(values[name]) for name in names]
        writer.writerow(
            [_subject_key(record), record.pk, *(NULL if c is None else c for c in cells)]
        )
    return out.getvalue()


def import_form_csv(code: str, text: str, user: Any) -> ImportReport:
    """Import a CSV of form ``code`` (as written by :func:`export_form_csv`), all or nothing,
    and keep a row for the import (accepted or rejected)."""
    from inodli.edc.governance.permissions import Action, require

    form_by_code(code)
    require(user, Action.IMPORT)
    report = _import(code, text, user)
    log_import(user, "csv", text, report)
    return report


def _import(code: str, text: str, user: Any) -> ImportReport:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or header[:2] != ["subject", "record_id"]:
        from inodli.edc.exchange.importing import RowError

        error = RowError(1, code, "header", "expected the columns subject, record_id, ...")
        return ImportReport(imported=0, errors=(error,))
    rows = []
    for cells in reader:
        if not any(cells):
            continue
        padded = cells + [""] * (len(header) - len(cells))
        values = {
            name: (None if cell == NULL else cell)
            for name, cell in zip(header[2:], padded[2:], strict=False)
        }
        rows.append(ImportRow(reader.line_num, code, padded[0], values, padded[1]))
    return apply_rows(rows, user)
