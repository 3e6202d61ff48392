"""Source-data verification marks, per form record, by monitors. A mark names the record
version verified: a later change makes it stale (shown as "re-verify"), never silently valid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from inodli.edc.governance.models import SdvMark
from inodli.edc.governance.permissions import Action, require

__all__ = ["mark_verified", "sdv_state"]


def mark_verified(
    user: Any, record: Any, note: str = "", *, now: dt.datetime | None = None
) -> SdvMark:
    """Record that ``user`` (a monitor) verified ``record`` at its current version."""
    require(user, Action.VERIFY_SOURCE)
    return SdvMark.objects.create(
        subject_id=record.subject_id,
        form_code=record.form_code,
        model_label=record._meta.label_lower,
        object_pk=str(record.pk),
        record_version=record.version,
        verified_by=user,
        verified_at=now or timezone.now(),
        note=note.strip(),
    )


def sdv_state(record: Any) -> str:
    """``"verified"`` (latest mark is of the current version), ``"stale"`` or ``"not verified"``."""
    mark = SdvMark.objects.filter(
        model_label=record._meta.label_lower, object_pk=str(record.pk)
    ).first()
    if mark is None:
        return "not verified"
    return "verified" if mark.record_version == record.version else "stale"
