"""Form, subject and database locks (data manager, with a reason) and the frozen snapshot kept
at a database lock. Locked data cannot change: :func:`refuse_locked_write` runs before every
save and delete of a captured record (a core write hook)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inodli.edc.core.models import CapturedRecord
from inodli.edc.core.services import record_snapshot
from inodli.edc.governance.models import DatabaseSnapshot, Lock
from inodli.edc.governance.permissions import Action, require

__all__ = [
    "LockedError",
    "active_lock_for",
    "lock",
    "refuse_locked_write",
    "study_snapshot",
    "unlock",
]


class LockedError(ValidationError):
    """The data are locked; nothing was saved."""

    def __init__(self, found: Lock) -> None:
        self.lock = found
        message = _(
            "These data are locked (%(what)s, by %(who)s at %(when)s UTC: %(reason)s). "
            "Nothing was saved; ask the data manager to unlock them."
        ) % {
            "what": found.get_level_display(),
            "who": found.locked_by.get_username(),
            "when": f"{found.locked_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
            "reason": found.lock_reason,
        }
        super().__init__({NON_FIELD_ERRORS: [message]})


def _reason(reason: str) -> str:
    if not (reason and reason.strip()):
        raise ValidationError({"reason": [_("Give a reason for the lock or unlock.")]})
    return reason.strip()


def active_lock_for(subject_id: int | None, form_code: str) -> Lock | None:
    """The active lock that covers a record of ``form_code`` of ``subject_id``, if any."""
    active = Lock.objects.filter(unlocked_at__isnull=True).select_related("locked_by")
    found = active.filter(level=Lock.Level.DATABASE).first()
    if found is None and subject_id is not None:
        found = active.filter(level=Lock.Level.SUBJECT, subject_id=subject_id).first()
        if found is None and form_code:
            found = active.filter(
                level=Lock.Level.FORM, subject_id=subject_id, form_code=form_code
            ).first()
    return found


def refuse_locked_write(record: Any, user: Any, action: str, event: Any, now: Any) -> None:
    """Core write hook: raise :class:`LockedError` when ``record`` is covered by a lock."""
    found = active_lock_for(record.audit_subject_id(), _form_code_of(record))
    if found is not None:
        raise LockedError(found)


def _form_code_of(record: Any) -> str:
    """The record's form code, or its parent form's for rows that belong to a form (lab
    results belong to their lab panel)."""
    code = getattr(record, "form_code", "")
    if code:
        return str(code)
    for field in record._meta.concrete_fields:
        related: Any = field.related_model if field.is_relation else None
        parent_code: Any = getattr(related, "form_code", None) if related is not None else None
        if parent_code:
            return str(parent_code)
    return ""


def lock(
    user: Any,
    level: str,
    reason: str,
    *,
    subject: Any = None,
    form_code: str = "",
    now: dt.datetime | None = None,
) -> Lock:
    """Lock a form of a subject, a subject, or the database (which also freezes a snapshot)."""
    require(user, Action.LOCK)
    now = now or timezone.now()
    level = Lock.Level(level)
    if level != Lock.Level.DATABASE and subject is None:
        raise ValidationError({"subject": [_("Choose the subject to lock.")]})
    if level == Lock.Level.FORM and not form_code:
        raise ValidationError({"form_code": [_("Choose the form to lock.")]})
    with transaction.atomic():
        existing = Lock.objects.filter(
            unlocked_at__isnull=True,
            level=level,
            subject=subject if level != Lock.Level.DATABASE else None,
            form_code=form_code if level == Lock.Level.FORM else "",
        ).first()
        if existing is not None:
            raise ValidationError({NON_FIELD_ERRORS: [_("This lock is already in place.")]})
        new = Lock.objects.create(
            level=level,
            subject=subject if level != Lock.Level.DATABASE else None,
            form_code=form_code if level == Lock.Level.FORM else "",
            locked_at=now,
            locked_by=user,
            lock_reason=_reason(reason),
        )
        if level == Lock.Level.DATABASE:
            content = study_snapshot()
            DatabaseSnapshot.objects.create(
                lock=new, taken_at=now, content=content, content_sha256=content_digest(content)
            )
    return new


def unlock(user: Any, found: Lock, reason: str, *, now: dt.datetime | None = None) -> Lock:
    """Release ``found`` with a reason (the lock row keeps who locked and who unlocked)."""
    require(user, Action.LOCK)
    now = now or timezone.now()
    why = _reason(reason)
    with transaction.atomic():
        updated = Lock.objects.filter(pk=found.pk, unlocked_at__isnull=True).update(
            unlocked_at=now, unlocked_by=user, unlock_reason=why
        )
        if updated != 1:
            raise ValidationError({NON_FIELD_ERRORS: [_("This lock was already released.")]})
    found.refresh_from_db()
    return found


def captured_models() -> list[type[CapturedRecord]]:
    """Every concrete captured-record model, in a stable order."""
    return sorted(
        (m for m in apps.get_models() if issubclass(m, CapturedRecord)),
        key=lambda m: m._meta.label_lower,
    )


def study_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every captured record's values with its id and version, keyed by model label."""
    return {
        model._meta.label_lower: [
            {"id": record.pk, "version": record.version, **record_snapshot(record)}
            for record in model._default_manager.order_by("pk")
        ]
        for model in captured_models()
    }


def content_digest(content: Any) -> str:
    """SHA-256 of the canonical JSON of ``content`` (sorted keys, no spaces)."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
