"""Adverse events: CTCAE terms offered, lab-based grade suggestions, and the AE rules.

Lab-based grades are suggested by ``inodli.protocol.ctcae.suggest_lab_grades`` from the latest
results on or before the AE's start (baseline: the latest result on or before the first InO
dose); the AE of special interest is set from the term (:mod:`.aesi`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError

from inodli.edc.assessments.analytes import ANALYTES
from inodli.edc.safety.aesi import GVHD_TERMS, special_interest
from inodli.errors import InputError
from inodli.protocol.ctcae import LabGradeSuggestions, list_ctcae_lab_terms, suggest_lab_grades
from inodli.protocol.ctcae_terms import ctcae_term_text, list_ctcae_clinical_terms

if TYPE_CHECKING:
    from inodli.edc.safety.models import AdverseEvent, AdverseEventGrade

__all__ = [
    "OTHER",
    "complete_adverse_event",
    "complete_grade",
    "lab_grade_suggestions",
    "term_choices",
]

OTHER = "Other, specify"
RELATED = ("possible", "probable", "definite")


def term_choices() -> list[tuple[str, str]]:
    """The CTCAE v5.0 terms offered: the trial's clinical terms, the lab terms, GVHD, other."""
    names = [t.name for t in list_ctcae_clinical_terms()] + [t.name for t in list_ctcae_lab_terms()]
    unique = sorted(set(names))
    return [(name, name) for name in unique] + [(t, t) for t in GVHD_TERMS] + [(OTHER, OTHER)]


def _first_ino_date(subject: Any) -> dt.date | None:
    model = apps.get_model("treatment", "InoAdministration")
    return (
        model.objects.filter(subject=subject, status="given")
        .order_by("administered_on")
        .values_list("administered_on", flat=True)
        .first()
    )


def lab_grade_suggestions(subject: Any, on: dt.date) -> LabGradeSuggestions:
    """CTCAE grades suggested from the latest value of each analyte on or before ``on``."""
    result_model = apps.get_model("assessments", "LabResult")
    first_dose = _first_ino_date(subject)
    results = []
    for item in ANALYTES:
        if not item.ctcae_terms:
            continue
        rows = result_model.objects.filter(panel__subject=subject, analyte=item.code).order_by(
            "-panel__collected_on", "-id"
        )
        latest = rows.filter(panel__collected_on__lte=on).first()
        if latest is None:
            continue
        baseline = rows.filter(panel__collected_on__lte=first_dose).first() if first_dose else None
        results.append(
            {
                "term": item.code,
                "value": latest.value,
                "lln": latest.lln,
                "uln": latest.uln,
                "baseline": baseline.value
                if baseline is not None and baseline.pk != latest.pk
                else None,
                "unit": item.unit,
            }
        )
    return suggest_lab_grades(results)


def _given_on_or_before(subject: Any, model_name: str, date_field: str, on: dt.date) -> bool:
    model = apps.get_model("treatment", model_name)
    filters = {"subject": subject, f"{date_field}__lte": on}
    if model_name == "InoAdministration":
        filters["status"] = "given"
    return bool(model.objects.filter(**filters).exists())


def complete_adverse_event(record: AdverseEvent) -> None:
    """Set the AE of special interest and check the AE's cross-field rules.

    Rules: "Other, specify" needs the verbatim term; the stop date is not before the start;
    a fatal outcome and the "results in death" criterion go together; a relationship to InO or
    DLI (possible or closer) needs that treatment given on or before the start.
    """
    if record.term == OTHER and not record.other_specify.strip():
        raise ValidationError({"other_specify": "Give the verbatim term of the adverse event."})
    if record.term != OTHER:
        record.other_specify = ""
    record.special_interest = special_interest(record.term)
    if record.stopped_on is not None and record.stopped_on < record.started_on:
        raise ValidationError({"stopped_on": "The stop date is before the start date."})
    fatal = record.outcome == record.Outcome.FATAL
    if fatal != record.results_in_death:
        raise ValidationError(
            {
                "results_in_death": "A fatal outcome and the 'results in death' criterion go together."
            }
        )
    for field, model_name, date_field, what in (
        ("relationship_ino", "InoAdministration", "administered_on", "InO"),
        ("relationship_dli", "DliInfusion", "infused_on", "DLI"),
    ):
        if getattr(record, field) in RELATED and not _given_on_or_before(
            record.subject, model_name, date_field, record.started_on
        ):
            raise ValidationError(
                {field: f"No {what} is recorded on or before the start of this event."}
            )


def complete_grade(record: AdverseEventGrade) -> None:
    """Check a grade row: same subject as its AE, within the AE's dates, a grade CTCAE defines
    for the term, and the lab-based suggestion for lab terms kept beside it."""
    event = record.adverse_event
    if event.subject_id != record.subject_id:
        raise ValidationError({"adverse_event": "This adverse event belongs to another subject."})
    if record.effective_on < event.started_on or (
        event.stopped_on is not None and record.effective_on > event.stopped_on
    ):
        raise ValidationError(
            {"effective_on": "The date of a grade lies within the adverse event's start and stop."}
        )
    if not 1 <= record.grade <= 5:
        raise ValidationError({"grade": "A CTCAE grade is 1 to 5."})
    try:
        defined = ctcae_term_text(event.term).grades
    except InputError:
        defined = {}
    if defined and record.grade not in defined:
        allowed = ", ".join(str(g) for g in defined)
        raise ValidationError(
            {"grade": f"CTCAE v5.0 defines grades {allowed} for {event.term}, not {record.grade}."}
        )
    suggestion = next(
        (
            g
            for g in lab_grade_suggestions(record.subject, record.effective_on).suggested
            if g.term == event.term
        ),
        None,
    )
    record.suggested_grade = suggestion.grade if suggestion is not None else None
    record.suggestion_detail = (str(suggestion)[:200]) if suggestion is not None else ""
