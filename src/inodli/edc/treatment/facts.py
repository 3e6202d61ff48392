"""What the treatment rules need to know about a subject, read from the recorded forms.

Each function answers one question as of a date (records dated on or before it), so that a
decision can be retraced to the records it used. None of them applies a clinical rule: they
collect the inputs that ``inodli.protocol`` decides from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps

from inodli.protocol.dose_modification import DoseDecision, next_dose_decision
from inodli.protocol.response import ResponseCategory

__all__ = [
    "BodySize",
    "LiverTests",
    "enrolment_date",
    "in_remission_before_cycle",
    "latest_body_size",
    "latest_liver_tests",
    "next_dose_decision_for",
]

#: Relationships that make an adverse event a toxicity of the drug.
RELATED = ("possible", "probable", "definite")
REMISSION = (ResponseCategory.CR.value, ResponseCategory.CRI.value)


def enrolment_date(subject: Any) -> dt.date | None:
    enrolment = subject.enrolment_record()
    return enrolment.enrolled_on if enrolment is not None else None


@dataclass(frozen=True)
class BodySize:
    """The latest height and weight on or before a date, and where each came from."""

    height_cm: Decimal | None
    weight_kg: Decimal | None
    height_on: dt.date | None
    weight_on: dt.date | None
    source: str


def latest_body_size(subject: Any, on: dt.date) -> BodySize:
    """Height and weight from the latest record on or before ``on`` that has them: the
    height-and-weight form (``subjects.BodyMeasurement``), InO administrations and DLI
    infusions (weight), each of which records the measurement it used."""
    from inodli.edc.subjects.baseline import latest_body_measurement

    candidates: list[tuple[dt.date, Decimal | None, Decimal | None, str]] = []
    measured = latest_body_measurement(subject, on)
    if measured is not None:
        candidates.append(
            (measured.measured_on, measured.height_cm, measured.weight_kg, "height and weight")
        )
    ino = apps.get_model("treatment", "InoAdministration")
    for dose in ino.objects.filter(subject=subject, administered_on__lte=on).order_by(
        "-administered_on", "-id"
    )[:1]:
        candidates.append(
            (dose.administered_on, dose.height_cm, dose.weight_kg, "InO administration")
        )
    dli = apps.get_model("treatment", "DliInfusion")
    for infusion in dli.objects.filter(subject=subject, infused_on__lte=on).order_by(
        "-infused_on", "-id"
    )[:1]:
        candidates.append((infusion.infused_on, None, infusion.weight_kg, "DLI infusion"))
    height = max((c for c in candidates if c[1] is not None), default=None, key=lambda c: c[0])
    weight = max((c for c in candidates if c[2] is not None), default=None, key=lambda c: c[0])
    return BodySize(
        height_cm=height[1] if height else None,
        weight_kg=weight[2] if weight else None,
        height_on=height[0] if height else None,
        weight_on=weight[0] if weight else None,
        source=", ".join(sorted({c[3] for c in (height, weight) if c is not None})),
    )


def in_remission_before_cycle(subject: Any, cycle: int, on: dt.date) -> bool | None:
    """CR/CRi in the investigator's category of the latest response assessment after cycle
    ``cycle - 1`` dated on or before ``on``; None when none is recorded."""
    response = apps.get_model("assessments", "ResponseAssessment")
    latest = (
        response.objects.filter(subject=subject, after_cycle=cycle - 1, assessed_on__lte=on)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if latest is None:
        return None
    return latest.investigator_category in REMISSION


@dataclass(frozen=True)
class LiverTests:
    """The latest bilirubin, AST and ALT on or before a date, each with its ULN."""

    collected_on: dt.date | None
    bilirubin: float | None
    bilirubin_uln: float | None
    ast: float | None
    ast_uln: float | None
    alt: float | None
    alt_uln: float | None


def latest_lab(subject: Any, analyte: str, on: dt.date) -> Any:
    """The subject's latest result of ``analyte`` collected on or before ``on`` (or None)."""
    result = apps.get_model("assessments", "LabResult")
    return (
        result.objects.filter(panel__subject=subject, analyte=analyte, panel__collected_on__lte=on)
        .select_related("panel")
        .order_by("-panel__collected_on", "-id")
        .first()
    )


def latest_liver_tests(subject: Any, on: dt.date) -> LiverTests | None:
    values = {code: latest_lab(subject, code, on) for code in ("bilirubin", "ast", "alt")}
    dates = [row.panel.collected_on for row in values.values() if row is not None]
    if not dates:
        return None

    def value(code: str) -> float | None:
        row = values[code]
        return row.value if row is not None else None

    def uln(code: str) -> float | None:
        row = values[code]
        return row.uln if row is not None else None

    return LiverTests(
        collected_on=max(dates),
        bilirubin=value("bilirubin"),
        bilirubin_uln=uln("bilirubin"),
        ast=value("ast"),
        ast_uln=uln("ast"),
        alt=value("alt"),
        alt_uln=uln("alt"),
    )


def _ae_grades_on(subject: Any, on: dt.date) -> list[tuple[Any, int]]:
    """(adverse event, its grade on ``on``) for the events started on or before ``on``."""
    grade_model = apps.get_model("safety", "AdverseEventGrade")
    rows = (
        grade_model.objects.filter(adverse_event__subject=subject, effective_on__lte=on)
        .select_related("adverse_event")
        .order_by("adverse_event_id", "effective_on", "id")
    )
    current: dict[int, tuple[Any, int]] = {}
    for row in rows:
        current[row.adverse_event_id] = (row.adverse_event, row.grade)
    return list(current.values())


def next_dose_decision_for(
    subject: Any, on: dt.date, labs: LiverTests | None, *, cycle: int, day: int
) -> DoseDecision:
    """``inodli.protocol.dose_modification.next_dose_decision`` from the recorded data.

    Inputs: the latest liver tests (missing tests hold the dose, as the protocol says); VOD/SOS
    recorded at any time before; the worst grade of an infusion-related reaction; the worst
    current grade of other ongoing non-haematologic adverse events related to InO (the label's
    "toxicity"); at day 1 of cycle >= 2 the latest ANC and platelets and those before the prior
    cycle.
    """
    from inodli.edc.safety.aesi import HAEMATOLOGIC_TERMS, INFUSION_REACTION, VOD_SOS

    vod = False
    infusion_grade: int | None = None
    other_grade = 0
    for event, grade in _ae_grades_on(subject, on):
        if event.special_interest == VOD_SOS:
            vod = True
        elif event.special_interest == INFUSION_REACTION:
            infusion_grade = max(infusion_grade or 0, grade)
        elif (
            event.term not in HAEMATOLOGIC_TERMS
            and event.relationship_ino in RELATED
            and (event.stopped_on is None or event.stopped_on >= on)
        ):
            other_grade = max(other_grade, grade)
    counts: dict[str, Any] = {}
    if day == 1 and cycle >= 2:
        counts = _counts_for_next_cycle(subject, on, cycle)
    return next_dose_decision(
        cycle=cycle,
        dose_day=day,
        total_bilirubin=labs.bilirubin if labs else None,
        bilirubin_uln=labs.bilirubin_uln if labs else None,
        ast=labs.ast if labs else None,
        ast_uln=labs.ast_uln if labs else None,
        alt=labs.alt if labs else None,
        alt_uln=labs.alt_uln if labs else None,
        vod_sos=vod,
        infusion_reaction_grade=infusion_grade,
        other_nonheme_grade=other_grade,
        **counts,
    )


def _counts_for_next_cycle(subject: Any, on: dt.date, cycle: int) -> dict[str, Any]:
    """ANC and platelets now and before day 1 of the previous cycle (label Table 2 rows)."""
    ino = apps.get_model("treatment", "InoAdministration")
    previous_day1 = (
        ino.objects.filter(subject=subject, cycle=cycle - 1, day=1)
        .values_list("administered_on", flat=True)
        .first()
    )
    now_anc, now_plt = latest_lab(subject, "anc", on), latest_lab(subject, "platelets", on)
    before_anc = latest_lab(subject, "anc", previous_day1) if previous_day1 else None
    before_plt = latest_lab(subject, "platelets", previous_day1) if previous_day1 else None
    return {
        "anc": now_anc.value if now_anc else None,
        "platelets": now_plt.value if now_plt else None,
        "pretreatment_anc": before_anc.value if before_anc else None,
        "pretreatment_platelets": before_plt.value if before_plt else None,
    }
