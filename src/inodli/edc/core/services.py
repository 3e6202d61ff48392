"""The one way to write a captured record: validated, versioned and audited in one transaction.

Every form, the demo generator, an importer and the API call :func:`save_record` and
:func:`delete_record`; nothing else saves a :class:`~inodli.edc.core.models.CapturedRecord`,
except :func:`restore_record`, which only the lossless import of a whole study into an empty
one uses (its audit trail comes with the file).

* A new record gets ``version = 1``; each saved change adds one. A change whose
  ``expected_version`` is not the stored version (someone else saved after the form was opened)
  is refused with :class:`StaleVersionError`: never a lost update.
* Changing or deleting saved data requires a reason (:class:`ReasonRequiredError`).
* One :class:`~inodli.edc.core.models.AuditEvent` per create, change and delete, with the
  field-level old and new values, written in the same transaction as the change.
* ``now`` is read once per operation (or passed in, e.g. by tests and the demo generator).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inodli.edc.core.models import BOOKKEEPING_FIELDS, AuditEvent, CapturedRecord

__all__ = [
    "ReasonRequiredError",
    "StaleVersionError",
    "delete_record",
    "jsonable",
    "record_snapshot",
    "register_write_hook",
    "restore_record",
    "save_record",
]

#: ``hook(record, user, action, event_or_none, now)`` run inside the write's transaction: once
#: before the write (``event`` None; raise ``ValidationError`` to refuse it, e.g. a locked form)
#: and once after it with the audit event (e.g. voiding a signature, raising edit-check queries).
WriteHook = Any
_WRITE_HOOKS: list[tuple[str, WriteHook]] = []


def register_write_hook(when: str, hook: WriteHook) -> None:
    """Register ``hook`` to run ``"before"`` or ``"after"`` every save and delete (issue 6)."""
    if when not in ("before", "after"):
        raise ValueError(f"when: expected 'before' or 'after', got {when!r}")
    if (when, hook) not in _WRITE_HOOKS:
        _WRITE_HOOKS.append((when, hook))


def _run_hooks(when: str, record: Any, user: Any, action: str, event: Any, now: Any) -> None:
    for hook_when, hook in _WRITE_HOOKS:
        if hook_when == when:
            hook(record, user, action, event, now)


R = TypeVar("R", bound=CapturedRecord)


class StaleVersionError(ValidationError):
    """The record was saved by someone else after this form was opened."""

    def __init__(self, current: CapturedRecord, expected_version: int) -> None:
        self.current_version = current.version
        self.expected_version = expected_version
        who = current.modified_by.get_username() if current.modified_by_id else "?"
        when = current.modified.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        message = _(
            "This form was changed by %(who)s at %(when)s UTC after you opened it "
            "(you opened version %(expected)s; it is now version %(current)s). "
            "Your entries were not saved: reload the form to see the changes."
        ) % {
            "who": who,
            "when": when,
            "expected": expected_version,
            "current": current.version,
        }
        super().__init__({NON_FIELD_ERRORS: [message]})


class ReasonRequiredError(ValidationError):
    """Saved data were changed or deleted without a reason for the change."""

    def __init__(self) -> None:
        super().__init__(
            {"reason": [_("Give a reason for changing data that were already saved.")]}
        )


def jsonable(value: Any) -> Any:
    """A JSON value for the audit trail (dates as ISO 8601 text, decimals as text)."""
    if isinstance(value, dt.datetime):
        return (
            value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def _audited_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in BOOKKEEPING_FIELDS
    ]


def record_snapshot(record: CapturedRecord) -> dict[str, Any]:
    """The record's entered values as JSON values, keyed by field name (foreign keys by id)."""
    return {
        field.name: jsonable(field.value_from_object(record))
        for field in _audited_fields(type(record))
    }


def _audit(
    record: CapturedRecord,
    user: Any,
    action: str,
    changes: dict[str, list[Any]],
    reason: str,
    now: dt.datetime,
) -> AuditEvent:
    event = AuditEvent(
        at=now,
        user=user,
        username=user.get_username(),
        action=action,
        model_label=record._meta.label_lower,
        object_pk=str(record.pk),
        object_repr=str(record)[:200],
        subject_id=record.audit_subject_id(),
        changes=changes,
        reason=reason,
    )
    event.save(force_insert=True)
    return event


def _check_user(user: AbstractBaseUser | AnonymousUser) -> AbstractBaseUser:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionError("an anonymous user cannot write study data")
    return user


def _locked_current(record: R) -> R:
    # No select_related here: on PostgreSQL a row locked FOR UPDATE that a concurrent
    # transaction changed is re-checked against the join, and a changed modified_by would
    # make the row vanish from the result (EvalPlanQual) instead of reporting it as stale.
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def save_record(
    record: R,
    user: AbstractBaseUser | AnonymousUser,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent | None:
    """Validate, save and audit ``record``; return the audit event (None if nothing changed).

    Parameters
    ----------
    record : CapturedRecord
        A new record (no primary key) or a changed one loaded from the database.
    user : User
        Who saves; recorded in the audit trail.
    reason : str, optional
        Required when a saved record changes.
    expected_version : int, optional
        The version the person saw when the form was opened (the form's hidden field);
        defaults to the version the instance was loaded with.
    now : datetime, optional
        The operation's single clock reading (UTC); defaults to :func:`django.utils.timezone.now`.

    Raises
    ------
    django.core.exceptions.ValidationError
        A field or cross-field rule failed (``error_dict`` names the fields).
    StaleVersionError
        Someone else saved the record after ``expected_version``.
    ReasonRequiredError
        Saved data changed without a reason.
    """
    author = _check_user(user)
    now = now or timezone.now()
    with transaction.atomic():
        if record._state.adding:
            record.created = record.modified = now
            record.created_by = record.modified_by = author  # type: ignore[assignment]
            record.version = 1
            record.full_clean()
            _run_hooks("before", record, author, "create", None, now)
            record.save(force_insert=True)
            new = record_snapshot(record)
            event = _audit(
                record, author, "create", {k: [None, v] for k, v in new.items()}, reason or "", now
            )
            _run_hooks("after", record, author, "create", event, now)
            return event

        expected = record.version if expected_version is None else int(expected_version)
        current = _locked_current(record)
        if current.version != expected:
            raise StaleVersionError(current, expected)
        record.full_clean()
        old, new = record_snapshot(current), record_snapshot(record)
        changes = {name: [old[name], new[name]] for name in new if old[name] != new[name]}
        if not changes:
            return None
        if not (reason and reason.strip()):
            raise ReasonRequiredError()
        _run_hooks("before", current, author, "update", None, now)
        values = {
            field.attname: getattr(record, field.attname) for field in _audited_fields(type(record))
        }
        values |= {"version": expected + 1, "modified": now, "modified_by_id": author.pk}
        updated = (
            type(record)._default_manager.filter(pk=record.pk, version=expected).update(**values)
        )
        if (
            updated != 1
        ):  # pragma: no cover - the row lock above makes this a second line of defence
            raise StaleVersionError(_locked_current(record), expected)
        record.version, record.modified, record.modified_by = expected + 1, now, author  # type: ignore[assignment]
        event = _audit(record, author, "update", changes, reason.strip(), now)
        _run_hooks("after", record, author, "update", event, now)
        return event


def _parts_of(record: CapturedRecord) -> list[CapturedRecord]:
    """The captured records that the database would delete with ``record`` (CASCADE)."""
    parts: list[CapturedRecord] = []
    for relation in record._meta.related_objects:
        model = relation.related_model
        cascades = getattr(relation, "on_delete", None) is models.CASCADE
        if cascades and isinstance(model, type) and issubclass(model, CapturedRecord):
            rows = model._default_manager.filter(**{relation.field.name: record}).order_by("pk")
            parts.extend(rows)
    return parts


def delete_record(
    record: CapturedRecord,
    user: AbstractBaseUser | AnonymousUser,
    reason: str,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Delete ``record`` with a reason; the audit event keeps every old value.

    The records that belong to it (rows its deletion would cascade to) are deleted first, each
    with its own audit event and the same reason.

    Raises :class:`ReasonRequiredError` without a reason and :class:`StaleVersionError` when the
    record changed after ``expected_version``.
    """
    author = _check_user(user)
    now = now or timezone.now()
    if not (reason and reason.strip()):
        raise ReasonRequiredError()
    with transaction.atomic():
        expected = record.version if expected_version is None else int(expected_version)
        current = _locked_current(record)
        if current.version != expected:
            raise StaleVersionError(current, expected)
        # Rows that belong to the record (an AE's grades, a lab panel's results) would go with
        # it by the database's cascade, unaudited: delete each one through here first.
        for part in _parts_of(current):
            delete_record(part, author, reason.strip(), now=now)
        _run_hooks("before", current, author, "delete", None, now)
        changes = {name: [value, None] for name, value in record_snapshot(current).items()}
        event = _audit(current, author, "delete", changes, reason.strip(), now)
        current.delete()
        _run_hooks("after", current, author, "delete", event, now)
        return event


def restore_record(record: R) -> None:
    """Insert ``record`` exactly as another copy of the study holds it: id, version, timestamps
    and authors as given, validated, with no audit event.

    Only the lossless import of a whole study into an empty one calls this: it replays the
    exporting study's audit trail verbatim afterwards, so an event written here would be a
    second, false history. The "before" write hooks (locks) still run.

    Raises
    ------
    django.core.exceptions.ValidationError
        A field or cross-field rule failed, or the id is already taken.
    """
    if not record._state.adding or record.pk is None or record.version < 1:
        raise ValueError("restore_record takes a new record with its original id and version")
    with transaction.atomic():
        record.full_clean()
        _run_hooks("before", record, record.created_by, "create", None, record.created)
        record.save(force_insert=True)
