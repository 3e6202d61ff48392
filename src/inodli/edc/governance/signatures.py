"""Electronic signatures (21 CFR Part 11): the investigator signs a visit or the whole casebook
by entering the password again.

* 11.50: the signature shows the signer's printed name, the date and time (UTC) and its meaning.
* 11.70: it is linked to the exact records signed (label, id and version, and a SHA-256 of their
  values), so it cannot be moved to other data.
* 11.200(a)(1)(i): two components, the user name (the session) and the password re-entered.

A later create, change or delete of signed data voids the signature visibly
(:func:`void_signatures_on_change`, a core write hook): the page shows it struck through with
the time and the change that voided it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inodli.edc.core.services import record_snapshot
from inodli.edc.governance.locks import captured_models, content_digest
from inodli.edc.governance.models import Signature
from inodli.edc.governance.permissions import Action, require

__all__ = [
    "CASEBOOK_MEANING",
    "VISIT_MEANING",
    "sign",
    "signed_records",
    "void_signatures_on_change",
]

CASEBOOK_MEANING = (
    "I have reviewed this casebook and approve its data as complete and accurate (investigator)."
)
VISIT_MEANING = (
    "I have reviewed the data of this visit and approve them as complete and accurate "
    "(investigator)."
)


def _in_window(record: Any, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None or end is None:
        return True
    on = record.event_date() if hasattr(record, "event_date") else None
    return on is not None and start <= on <= end


def signed_records(
    subject: Any, start: dt.date | None = None, end: dt.date | None = None
) -> list[Any]:
    """The subject's captured records a signature covers (all of them, or a visit window)."""
    found: list[Any] = []
    for model in captured_models():
        if not any(f.name == "subject" for f in model._meta.concrete_fields):
            continue
        manager: Any = model._default_manager
        for record in manager.filter(subject=subject).order_by("pk"):
            if _in_window(record, start, end):
                found.append(record)
    return found


def sign(
    user: Any,
    password: str,
    subject: Any,
    *,
    window: tuple[str, dt.date, dt.date] | None = None,
    now: dt.datetime | None = None,
) -> Signature:
    """Sign the subject's casebook (``window`` None) or one visit ``(label, start, end)``.

    Raises ``PermissionDenied`` for a role that may not sign and ``ValidationError`` on
    ``password`` when the password is wrong.
    """
    require(user, Action.SIGN)
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("The password is not correct: nothing was signed.")]})
    now = now or timezone.now()
    label, start, end = window if window is not None else ("", None, None)
    records = signed_records(subject, start, end)
    keys = [[r._meta.label_lower, r.pk, r.version] for r in records]
    content = [[*key, record_snapshot(r)] for key, r in zip(keys, records, strict=True)]
    printed = user.get_full_name() or user.get_username()
    return Signature.objects.create(
        subject=subject,
        scope=Signature.Scope.VISIT if window else Signature.Scope.CASEBOOK,
        visit_label=label,
        window_start=start,
        window_end=end,
        signer=user,
        printed_name=printed,
        meaning=VISIT_MEANING if window else CASEBOOK_MEANING,
        signed_at=now,
        records=keys,
        content_sha256=content_digest(content),
    )


def void_signatures_on_change(record: Any, user: Any, action: str, event: Any, now: Any) -> None:
    """Core write hook: void every valid signature that covers the changed record."""
    subject_id = record.audit_subject_id()
    if subject_id is None:
        return
    key = [record._meta.label_lower, event.object_pk]
    for signature in Signature.objects.filter(subject_id=subject_id, voided_at__isnull=True):
        signed = any([k[0], str(k[1])] == key for k in signature.records)
        if not (signed or _in_window(record, signature.window_start, signature.window_end)):
            continue
        why = _("%(action)s of %(record)s by %(user)s (audit event %(event)s)") % {
            "action": action,
            "record": event.object_repr,
            "user": user.get_username(),
            "event": event.pk,
        }
        Signature.objects.filter(pk=signature.pk, voided_at__isnull=True).update(
            voided_at=now, void_reason=why
        )
