"""The lossless import: an inodli ODM export into an empty study reproduces that study exactly.

Records keep their ids, versions, timestamps and authors; the audit trail, the signatures and
the governance rows (queries and their steps, SDV marks, locks, snapshots) are replayed as they
were, with their original ids, so that exporting the new study gives the same document. Users
are matched by login name; an unknown login becomes an inactive account with no usable password
(an administrator activates it), so that every author in the history is a real account.

Every record is still validated by its model's rules (a refused row rejects the whole file, with
a line-by-line report), every valid signature is checked against the SHA-256 of the records it
signed, and the edit checks run: a failing check that the source study never queried opens a
query now.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.dateparse import parse_datetime

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import record_snapshot, restore_record
from inodli.edc.exchange.importing import (
    ImportReport,
    ImportRow,
    RowError,
    build_record,
    messages_of,
)
from inodli.edc.exchange.odm_history import GOVERNANCE_MODELS, History, Located, user_fields
from inodli.edc.governance.locks import captured_models, content_digest
from inodli.edc.governance.models import Query, Signature
from inodli.edc.governance.permissions import Action, require

__all__ = ["BOOKKEEPING_ATTRIBUTES", "replicate_study", "study_is_empty"]

#: The FormData attributes (``inodli:``) that carry each record's bookkeeping.
BOOKKEEPING_ATTRIBUTES = ("Created", "CreatedBy", "Modified", "ModifiedBy", "Version")


def _study_tables() -> list[type[models.Model]]:
    governance = [apps.get_model(label) for label in GOVERNANCE_MODELS]
    return [*captured_models(), AuditEvent, Signature, *governance]


def study_is_empty() -> bool:
    """No captured record, audit event, signature or governance row yet."""
    return not any(model._default_manager.exists() for model in _study_tables())


class _RefusedError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _moment(text: str, field: str) -> dt.datetime:
    value = parse_datetime(text or "")
    if value is None or value.tzinfo is None:
        raise _RefusedError(
            field, f"expected an ISO 8601 date-time with a UTC offset, got {text!r}"
        )
    return value


def _accounts(history: History, errors: list[RowError]) -> tuple[dict[str, int], list[str]]:
    """Map each user OID of the file to a local account (by login name), creating inactive
    accounts for unknown logins."""
    from django.contrib.auth import get_user_model

    from inodli.edc.core.roles import Role, assign_role

    user_model = get_user_model()
    mapped: dict[str, int] = {}
    created: list[str] = []
    for oid, found in history.users.items():
        login = found.values["login"]
        existing = user_model.objects.filter(username=login).first()
        if existing is not None:
            mapped[oid] = existing.pk
            continue
        account = user_model(
            username=login,
            first_name=found.values["first_name"],
            last_name=found.values["last_name"],
            email=found.values["email"],
            is_active=False,
        )
        account.set_unusable_password()
        try:
            account.full_clean()
            roles = [Role(name) for name in found.values.get("Roles", "").split()]
        except ValidationError as error:
            errors.extend(RowError(found.line, "USER", n, m) for n, m in messages_of(error))
            continue
        except ValueError:
            allowed = ", ".join(role.value for role in Role)
            message = f"roles must be among {allowed}; got {found.values.get('Roles')!r}"
            errors.append(RowError(found.line, "USER", "Roles", message))
            continue
        account.save()
        for role in roles:
            assign_role(account, role)
        mapped[oid] = account.pk
        created.append(login)
    return mapped, created


def _user(oid: str, accounts: dict[str, int], field: str = "UserRef") -> int:
    if oid not in accounts:
        raise _RefusedError(field, f"user {oid!r} is not among the file's users")
    return accounts[oid]


def _restore(row: ImportRow, accounts: dict[str, int], ids: dict[Any, Any], subjects: Any) -> Any:
    missing = [name for name in BOOKKEEPING_ATTRIBUTES if not row.bookkeeping.get(name)]
    if missing or not row.original_id.isdigit():
        what = ", ".join(f"inodli:{name}" for name in missing) or "FormRepeatKey (an integer id)"
        raise _RefusedError("__all__", f"a lossless import needs {what} on every FormData")
    record = build_record(row, ids, subjects)
    record.pk = int(row.original_id)
    record.created = _moment(row.bookkeeping["Created"], "inodli:Created")
    record.modified = _moment(row.bookkeeping["Modified"], "inodli:Modified")
    record.created_by_id = _user(row.bookkeeping["CreatedBy"], accounts, "inodli:CreatedBy")
    record.modified_by_id = _user(row.bookkeeping["ModifiedBy"], accounts, "inodli:ModifiedBy")
    version = row.bookkeeping["Version"]
    if not version.isdigit() or int(version) < 1:
        raise _RefusedError("inodli:Version", f"expected a whole number >= 1, got {version!r}")
    record.version = int(version)
    restore_record(record)
    return record


def _subject_id(number: str, field: str = "inodli:Subject") -> int:
    from inodli.edc.subjects.models import Subject

    found = Subject.objects.filter(screening_number=number).values_list("pk", flat=True).first()
    if found is None:
        raise _RefusedError(field, f"no subject {number!r} among the file's records")
    return int(found)


def _audit_event(found: Located, accounts: dict[str, int]) -> None:
    values = found.values
    try:
        changes = json.loads(values.get("Changes", ""))
    except json.JSONDecodeError as error:
        raise _RefusedError("inodli:Changes", f"not JSON: {error}") from error
    event = AuditEvent(
        pk=int(values["id"]) if values["id"].isdigit() else None,
        at=_moment(values["at"], "DateTimeStamp"),
        user_id=_user(values["user"], accounts),
        username=values.get("UserName", ""),
        action=values.get("Action", ""),
        model_label=values.get("RecordType", ""),
        object_pk=values.get("RecordID", ""),
        object_repr=values.get("Record", ""),
        subject_id=_subject_id(values["Subject"]) if values.get("Subject") else None,
        changes=changes,
        reason=values["reason"],
    )
    if event.pk is None:
        raise _RefusedError("ID", f"expected AR.<integer>, got AR.{values['id']}")
    event.full_clean()
    event.save(force_insert=True)


def _signature(found: Located, accounts: dict[str, int]) -> None:
    values = found.values
    try:
        records = json.loads(values.get("Records", ""))
    except json.JSONDecodeError as error:
        raise _RefusedError("inodli:Records", f"not JSON: {error}") from error
    voided = values.get("VoidedAt", "")
    signature = Signature(
        pk=int(values["id"]) if values["id"].isdigit() else None,
        subject_id=_subject_id(values.get("Subject", "")),
        scope=values.get("Scope", ""),
        visit_label=values.get("VisitLabel", ""),
        window_start=values.get("WindowStart") or None,
        window_end=values.get("WindowEnd") or None,
        signer_id=_user(values["user"], accounts),
        printed_name=values.get("PrintedName", ""),
        meaning=values.get("Meaning", ""),
        signed_at=_moment(values["at"], "DateTimeStamp"),
        records=records,
        content_sha256=values.get("ContentSHA256", ""),
        voided_at=_moment(voided, "inodli:VoidedAt") if voided else None,
        void_reason=values.get("VoidReason", ""),
    )
    if signature.pk is None:
        raise _RefusedError("ID", f"expected SG.<integer>, got SG.{values['id']}")
    signature.full_clean()
    if signature.voided_at is None and _signed_digest(records) != signature.content_sha256:
        raise _RefusedError(
            "inodli:ContentSHA256",
            "the records this valid signature covers differ from the records in the file",
        )
    signature.save(force_insert=True)


def _signed_digest(keys: list[Any]) -> str:
    content = []
    for label, pk, version in keys:
        record = apps.get_model(label)._default_manager.filter(pk=pk).first()
        if record is None or record.version != version:
            return ""
        content.append([label, pk, version, record_snapshot(record)])
    return content_digest(content)


def _governance_row(found: Located, accounts: dict[str, int]) -> None:
    label = found.values["model"]
    if label not in GOVERNANCE_MODELS:
        raise _RefusedError(
            "Model", f"expected one of {', '.join(GOVERNANCE_MODELS)}; got {label!r}"
        )
    model = apps.get_model(label)
    try:
        values = json.loads(found.values["json"])
    except json.JSONDecodeError as error:
        raise _RefusedError("Row", f"not JSON: {error}") from error
    fields = {f.attname: f for f in model._meta.concrete_fields}
    if not isinstance(values, dict) or set(values) != set(fields):
        expected = ", ".join(sorted(fields))
        raise _RefusedError("Row", f"expected exactly the fields {expected}")
    users = user_fields(model)
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        value = values[name]
        if name in users:
            kwargs[name] = _user(value, accounts, name) if value else None
        elif isinstance(f, models.JSONField) or value is None:
            kwargs[name] = value
        else:
            kwargs[name] = f.to_python(value)
    row = model(**kwargs)
    row.full_clean()
    row.save(force_insert=True)


def _replay(items: list[Located], form: str, step: Any, accounts: dict[str, int]) -> list[RowError]:
    errors: list[RowError] = []
    for found in items:
        try:
            with transaction.atomic():
                step(found, accounts)
        except _RefusedError as refused:
            errors.append(RowError(found.line, form, refused.field, refused.message))
        except ValidationError as error:
            errors.extend(RowError(found.line, form, n, m) for n, m in messages_of(error))
        except (ValueError, TypeError, LookupError) as error:
            errors.append(RowError(found.line, form, "__all__", str(error)))
    return errors


def _open_unqueried_findings(user: Any, now: dt.datetime) -> tuple[str, ...]:
    """Run the edit checks; open a query only where the source study never raised one."""
    from inodli.edc.governance.editchecks import checks_for
    from inodli.edc.governance.queries import open_query

    opened = []
    for model in captured_models():
        checks = checks_for(getattr(model, "form_code", ""))
        if not checks:
            continue
        records: Any = model._default_manager.order_by("pk")
        for record in records:
            for check in checks:
                message = check.evaluate(record)
                queried = Query.objects.filter(
                    check_code=check.code,
                    model_label=record._meta.label_lower,
                    object_pk=str(record.pk),
                ).exists()
                if message is None or queried:
                    continue
                open_query(
                    user,
                    record.subject,
                    message,
                    record=record,
                    field_name=check.field,
                    assigned_role=check.assigned_role,
                    check_code=check.code,
                    now=now,
                )
                opened.append(f"{check.code} {record.subject}: {message}")
    return tuple(opened)


def _reset_id_sequences() -> None:
    # Rows inserted with explicit ids do not advance PostgreSQL's sequences; the next new
    # record would collide with an imported id. (SQLite's AUTOINCREMENT follows by itself.)
    statements = connection.ops.sequence_reset_sql(no_style(), _study_tables())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def replicate_study(
    rows: list[ImportRow], history: History, user: Any, now: dt.datetime
) -> ImportReport:
    """Copy the file's study into this empty study, exactly, or nothing (see the module)."""
    require(user, Action.IMPORT)
    errors: list[RowError] = []
    with transaction.atomic():
        accounts, created = _accounts(history, errors)
        ids: dict[tuple[str, str], Any] = {}
        subjects: dict[str, Any] = {}
        for row in rows:
            try:
                with transaction.atomic():
                    record = _restore(row, accounts, ids, subjects)
            except _RefusedError as refused:
                errors.append(RowError(row.line, row.form_code, refused.field, refused.message))
                continue
            except ValidationError as error:
                errors.extend(
                    RowError(row.line, row.form_code, n, m) for n, m in messages_of(error)
                )
                continue
            except (ValueError, TypeError, LookupError) as error:
                errors.append(RowError(row.line, row.form_code, "__all__", str(error)))
                continue
            ids[(row.form_code, row.original_id)] = record.pk
            if row.form_code == "SUBJECT":
                subjects[record.screening_number] = record
        if not errors:
            errors += _replay(history.audit_records, "AUDIT", _audit_event, accounts)
            errors += _replay(history.signatures, "SIGNATURE", _signature, accounts)
            errors += _replay(history.governance_rows, "GOVERNANCE", _governance_row, accounts)
        if errors:
            transaction.set_rollback(True)
            return ImportReport(imported=0, errors=tuple(errors), mode="replicate")
        _reset_id_sequences()
        queries = _open_unqueried_findings(user, now)
    return ImportReport(
        imported=len(rows),
        queries=queries,
        mode="replicate",
        history_rows=history.rows,
        accounts_created=tuple(created),
    )
