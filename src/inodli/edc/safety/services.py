"""Services of the safety forms: create records the way the forms do (the demo generator,
importers and tests call these).

Each function saves through :func:`inodli.edc.core.services.save_record` (validated,
versioned, audited). The AE of special interest, the lab-based grade suggestion, the MAGIC
stages and grade and the NIH global severity are computed on save by ``inodli.protocol``,
never passed in. A refused entry raises :class:`django.core.exceptions.ValidationError` whose
``message_dict`` names the form field. To change a saved record, set its entered fields and call
``save_record(record, user, reason=..., expected_version=...)``; a change of an AE's grade is a
new row (:func:`record_grade_change`), never an edit of the old one.

Functions
---------
record_adverse_event(subject, user, *, term, started_on, grade, relationship_ino,
    relationship_dli="not_applicable", outcome="ongoing", stopped_on=None, other_specify="",
    serious=(), now=None) -> AdverseEvent
    ``term`` is a CTCAE v5.0 term (see ``adverse_events.term_choices()``) or "Other, specify";
    ``serious`` names seriousness criteria among ``SERIOUSNESS_CRITERIA``. The onset grade
    becomes the first :class:`AdverseEventGrade` row.
record_grade_change(adverse_event, user, *, effective_on, grade, now=None) -> AdverseEventGrade
record_ae_review(subject, user, *, reviewed_on, any_events, reviewed_by, now=None)
    -> AdverseEventReview
    The visit's AE review: ``any_events`` is "yes" or "no" (adverse events, new or worsened,
    since the last assessment); one review per visit (see :mod:`.ae_review`).
record_acute_gvhd(subject, user, *, assessed_on, skin_erythema_bsa_pct, bilirubin, weight_kg,
    bilirubin_unit="umol/L", skin_bullae_bsa_pct=0, upper_gi_persistent=False,
    stool_ml_per_day=None, stool_episodes_per_day=None, unquantified_episodes=0,
    severe_abdominal_pain=False, grossly_bloody_stool=False, now=None) -> AcuteGvhdAssessment
record_chronic_gvhd(subject, user, *, assessed_on, scores, now=None) -> ChronicGvhdAssessment
    ``scores`` maps the form's organ fields (``gvhd.CGVHD_ORGANS``) to 0-3; missing organs are 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from inodli.edc.core.services import save_record
from inodli.edc.safety.gvhd import CGVHD_ORGANS
from inodli.edc.safety.models import (
    AcuteGvhdAssessment,
    AdverseEvent,
    AdverseEventGrade,
    AdverseEventReview,
    ChronicGvhdAssessment,
)

__all__ = [
    "SERIOUSNESS_CRITERIA",
    "record_acute_gvhd",
    "record_adverse_event",
    "record_ae_review",
    "record_chronic_gvhd",
    "record_grade_change",
]

SERIOUSNESS_CRITERIA = (
    "results_in_death",
    "life_threatening",
    "hospitalisation",
    "disability",
    "congenital_anomaly",
    "important_medical_event",
)


def record_adverse_event(
    subject: Any,
    user: Any,
    *,
    term: str,
    started_on: dt.date,
    grade: int,
    relationship_ino: str,
    relationship_dli: str = "not_applicable",
    outcome: str = AdverseEvent.Outcome.ONGOING,
    stopped_on: dt.date | None = None,
    other_specify: str = "",
    serious: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> AdverseEvent:
    """Record an adverse event with its onset grade (see the module docstring)."""
    criteria = set(serious)
    unknown = criteria - set(SERIOUSNESS_CRITERIA)
    if unknown:
        raise ValueError(f"unknown seriousness criteria: {sorted(unknown)}")
    event = AdverseEvent(
        subject=subject,
        term=term,
        other_specify=other_specify,
        started_on=started_on,
        stopped_on=stopped_on,
        relationship_ino=relationship_ino,
        relationship_dli=relationship_dli,
        outcome=outcome,
        **{name: name in criteria for name in SERIOUSNESS_CRITERIA},
    )
    with transaction.atomic():
        save_record(event, user, now=now)
        record_grade_change(event, user, effective_on=started_on, grade=grade, now=now)
    return event


def record_grade_change(
    adverse_event: AdverseEvent,
    user: Any,
    *,
    effective_on: dt.date,
    grade: int,
    now: dt.datetime | None = None,
) -> AdverseEventGrade:
    """Record the AE's grade from ``effective_on`` on, as a new row."""
    row = AdverseEventGrade(
        subject=adverse_event.subject,
        adverse_event=adverse_event,
        effective_on=effective_on,
        grade=grade,
    )
    save_record(row, user, now=now)
    return row


def record_ae_review(
    subject: Any,
    user: Any,
    *,
    reviewed_on: dt.date,
    any_events: str,
    reviewed_by: str,
    now: dt.datetime | None = None,
) -> AdverseEventReview:
    """Record the visit's AE review (see the module docstring).

    Parameters
    ----------
    reviewed_on : datetime.date
        The date of the review; it places the review in the visit whose window holds it.
    any_events : {"yes", "no"}
        Were any adverse events (new or worsened) experienced since the last assessment?
    reviewed_by : str
        Who reviewed (the investigator or nurse who asked).

    Raises
    ------
    django.core.exceptions.ValidationError
        ``any_events`` is not yes or no (the message names the value received), the date is
        before consent or after death, or the visit (or the day) already has a review.
    """
    review = AdverseEventReview(
        subject=subject, reviewed_on=reviewed_on, any_events=any_events, reviewed_by=reviewed_by
    )
    save_record(review, user, now=now)
    return review


def record_acute_gvhd(
    subject: Any,
    user: Any,
    *,
    assessed_on: dt.date,
    skin_erythema_bsa_pct: float,
    bilirubin: float,
    weight_kg: Any,
    bilirubin_unit: str = AcuteGvhdAssessment.BilirubinUnit.UMOL_L,
    skin_bullae_bsa_pct: float = 0.0,
    upper_gi_persistent: bool = False,
    stool_ml_per_day: float | None = None,
    stool_episodes_per_day: int | None = None,
    unquantified_episodes: int = 0,
    severe_abdominal_pain: bool = False,
    grossly_bloody_stool: bool = False,
    now: dt.datetime | None = None,
) -> AcuteGvhdAssessment:
    """Record an acute GVHD assessment; stages and overall grade are computed (MAGIC)."""
    record = AcuteGvhdAssessment(
        subject=subject,
        assessed_on=assessed_on,
        skin_erythema_bsa_pct=skin_erythema_bsa_pct,
        skin_bullae_bsa_pct=skin_bullae_bsa_pct,
        bilirubin=bilirubin,
        bilirubin_unit=bilirubin_unit,
        upper_gi_persistent=upper_gi_persistent,
        weight_kg=Decimal(str(weight_kg)),
        stool_ml_per_day=stool_ml_per_day,
        stool_episodes_per_day=stool_episodes_per_day,
        unquantified_episodes=unquantified_episodes,
        severe_abdominal_pain=severe_abdominal_pain,
        grossly_bloody_stool=grossly_bloody_stool,
    )
    record.clean()  # the computed values, before field validation
    save_record(record, user, now=now)
    return record


def record_chronic_gvhd(
    subject: Any,
    user: Any,
    *,
    assessed_on: dt.date,
    scores: Mapping[str, int],
    now: dt.datetime | None = None,
) -> ChronicGvhdAssessment:
    """Record NIH organ scores; the global severity is computed."""
    unknown = set(scores) - set(CGVHD_ORGANS)
    if unknown:
        raise ValueError(f"unknown organs: {sorted(unknown)}; use {sorted(CGVHD_ORGANS)}")
    record = ChronicGvhdAssessment(
        subject=subject,
        assessed_on=assessed_on,
        **{field: scores.get(field, 0) for field in CGVHD_ORGANS},
    )
    record.clean()
    save_record(record, user, now=now)
    return record
