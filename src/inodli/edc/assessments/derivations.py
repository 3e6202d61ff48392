"""Computed values of the assessment forms, from the subject's records via ``inodli.protocol``.

:func:`complete_marrow` classifies MRD (``inodli.protocol.mrd``); :func:`complete_response`
gathers the marrow, blood count and extramedullary findings on or before the assessment date
and classifies them (``inodli.protocol.response``); :func:`complete_death` refuses a death
dated before anything recorded for the subject alive. Each runs on every save (the model's
``clean``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError

from inodli.edc.assessments.validators import (
    DeathDateValidator,
    MarrowValidator,
    ResponseOverrideValidator,
)
from inodli.edc.core.models import SubjectRecord
from inodli.errors import InputError
from inodli.protocol.mrd import classify_mrd
from inodli.protocol.response import ResponseAssessment as Classification
from inodli.protocol.response import ResponseCategory, classify_response

if TYPE_CHECKING:
    from inodli.edc.assessments.models import BoneMarrowAssessment, Death, ResponseAssessment

__all__ = [
    "ResponseInputs",
    "check_not_after_death",
    "complete_death",
    "complete_marrow",
    "complete_response",
    "last_known_alive",
    "later_records",
    "response_inputs",
]

REMISSION = (ResponseCategory.CR.value, ResponseCategory.CRI.value)


def complete_marrow(record: BoneMarrowAssessment) -> None:
    """Check the marrow values and set the MRD status computed by the protocol."""
    MarrowValidator()(
        record.blast_pct,
        record.cellularity_pct,
        record.mrd_method,
        record.mrd_level_pct,
        record.mrd_sensitivity_pct,
    )
    if record.mrd_method == record.MrdMethod.NOT_DONE:
        record.mrd_status, record.mrd_detail = "", ""
        return
    try:
        mrd = classify_mrd(record.mrd_level_pct, sensitivity_pct=record.mrd_sensitivity_pct)
    except InputError as error:
        field = "mrd_sensitivity_pct" if "sensitivity" in error.field else "mrd_level_pct"
        raise ValidationError({field: str(error)}) from error
    record.mrd_status = mrd.status.value
    record.mrd_detail = mrd.reason[:300]


@dataclass(frozen=True)
class ResponseInputs:
    """What a response assessment is classified from, and where each value came from."""

    marrow: Any
    anc: float | None
    platelets: float | None
    blood_blasts_present: bool | None
    labs_on: dt.date | None
    extramedullary_status: str | None
    imaging_deauville: int | None
    prior_remission: bool
    reference_marrow_blasts_pct: float | None


def _latest_value(subject: Any, analyte: str, on: dt.date) -> tuple[float | None, dt.date | None]:
    row = (
        apps.get_model("assessments", "LabResult")
        .objects.filter(panel__subject=subject, analyte=analyte, panel__collected_on__lte=on)
        .select_related("panel")
        .order_by("-panel__collected_on", "-id")
        .first()
    )
    return (row.value, row.panel.collected_on) if row is not None else (None, None)


def response_inputs(subject: Any, on: dt.date, exclude_pk: int | None = None) -> ResponseInputs:
    """Collect the inputs of a response assessment dated ``on``.

    * marrow: the latest bone marrow assessment on or before ``on``;
    * ANC, platelets, blood blasts: the latest blood count values on or before ``on``
      (blasts present when the blood blast percentage is above 0);
    * extramedullary disease: the latest extramedullary assessment on or before ``on``; without
      one, "none" if the qualifying relapse had no extramedullary disease, else unknown;
    * prior remission: an earlier response assessment recorded as CR or CRi;
    * reference marrow blasts (for progression): the qualifying relapse's marrow blasts.
    """
    marrow = (
        apps.get_model("assessments", "BoneMarrowAssessment")
        .objects.filter(subject=subject, sampled_on__lte=on)
        .order_by("-sampled_on", "-id")
        .first()
    )
    anc, anc_on = _latest_value(subject, "anc", on)
    platelets, plt_on = _latest_value(subject, "platelets", on)
    pb_blasts, pb_on = _latest_value(subject, "pb_blasts_pct", on)
    dates = [d for d in (anc_on, plt_on, pb_on) if d is not None]
    emd = (
        apps.get_model("assessments", "ExtramedullaryAssessment")
        .objects.filter(subject=subject, assessed_on__lte=on)
        .order_by("-assessed_on", "-id")
        .first()
    )
    relapse = (
        apps.get_model("subjects", "PostTransplantRelapse").objects.filter(subject=subject).first()
    )
    status: str | None
    if emd is not None:
        status = emd.status
    elif relapse is not None and not relapse.extramedullary:
        status = "none"
    else:
        status = None
    earlier = apps.get_model("assessments", "ResponseAssessment").objects.filter(
        subject=subject, assessed_on__lt=on, investigator_category__in=REMISSION
    )
    if exclude_pk is not None:
        earlier = earlier.exclude(pk=exclude_pk)
    reference = relapse.marrow_blasts_percent if relapse is not None else None
    return ResponseInputs(
        marrow=marrow,
        anc=anc,
        platelets=platelets,
        blood_blasts_present=None if pb_blasts is None else pb_blasts > 0,
        labs_on=max(dates) if dates else None,
        extramedullary_status=status,
        imaging_deauville=emd.deauville_score if emd is not None else None,
        prior_remission=earlier.exists(),
        reference_marrow_blasts_pct=float(reference) if reference is not None else None,
    )


def complete_response(record: ResponseAssessment) -> Classification:
    """Classify the recorded values and keep the investigator's category beside the result.

    An empty investigator's category confirms the computed one; a different one needs a
    reason (:class:`~inodli.edc.assessments.validators.ResponseOverrideValidator`).
    """
    inputs = response_inputs(record.subject, record.assessed_on, exclude_pk=record.pk)
    marrow = inputs.marrow
    result = classify_response(
        marrow_blasts_pct=marrow.blast_pct if marrow is not None else None,
        anc=inputs.anc,
        platelets=inputs.platelets,
        blood_blasts_present=inputs.blood_blasts_present,
        extramedullary_disease=inputs.extramedullary_status,
        prior_remission=inputs.prior_remission,
        reference_marrow_blasts_pct=inputs.reference_marrow_blasts_pct,
        imaging_deauville=inputs.imaging_deauville,
    )
    record.marrow = marrow
    record.marrow_blast_pct = marrow.blast_pct if marrow is not None else None
    record.anc, record.platelets, record.labs_on = inputs.anc, inputs.platelets, inputs.labs_on
    record.blood_blasts_present = inputs.blood_blasts_present
    record.extramedullary_status = inputs.extramedullary_status or ""
    record.imaging_deauville = inputs.imaging_deauville
    record.prior_remission = inputs.prior_remission
    record.computed_category = result.category.value
    detail = list(result.reasons) + [f"missing: {item}" for item in result.missing]
    record.computed_detail = "; ".join(detail)
    if not record.investigator_category:
        record.investigator_category = record.computed_category
    if record.investigator_category not in {c.value for c in ResponseCategory}:
        raise ValidationError({"investigator_category": "Choose one of the response categories."})
    ResponseOverrideValidator()(
        record.computed_category, record.investigator_category, record.override_reason
    )
    return result


#: Records that may be dated after a death (an administrative status change, not a sign of life).
NOT_SIGNS_OF_LIFE = frozenset({"subjects.studystatuschange"})


def check_not_after_death(subject_id: int | None, on: dt.date | None, field: str) -> None:
    """Refuse a record dated after the subject's recorded death, beside ``field``."""
    if subject_id is None or on is None:
        return
    died_on = (
        apps.get_model("assessments", "Death")
        .objects.filter(subject_id=subject_id)
        .values_list("died_on", flat=True)
        .first()
    )
    if died_on is not None and on > died_on:
        raise ValidationError(
            {
                field: (
                    f"The subject died on {died_on.isoformat()}: nothing can be recorded for a "
                    "later date. Correct the date, or the date of death first."
                )
            }
        )


def later_records(
    subject: Any, after: dt.date, exclude: type[Any] | None = None
) -> list[tuple[str, dt.date]]:
    """(record type, date) of the subject's latest record of each form dated after ``after``."""
    found: list[tuple[str, dt.date]] = []
    for model in apps.get_models():
        if (
            not issubclass(model, SubjectRecord)
            or model is exclude
            or model.event_date_field is None
        ):
            continue
        if getattr(model, "history", False) or model._meta.label_lower in NOT_SIGNS_OF_LIFE:
            continue
        field = model.event_date_field
        latest = (
            model._default_manager.filter(subject=subject, **{f"{field}__gt": after})
            .order_by(f"-{field}")
            .values_list(field, flat=True)
            .first()
        )
        if isinstance(latest, dt.datetime):
            latest = latest.date()
        if latest is not None:
            found.append((str(model._meta.verbose_name), latest))
    return found


def last_known_alive(subject: Any) -> dt.date | None:
    """The latest date the subject is known to have been alive: the latest clinical date of any
    record (a survival contact, a visit, a dose, a lab), or None when nothing is recorded.

    A subject who died is not "alive" on the date of death; use the death record for them.
    """
    from inodli.edc.assessments.models import Death as DeathModel

    dates = [when for _what, when in later_records(subject, dt.date.min, DeathModel)]
    return max(dates, default=None)


def complete_death(record: Death) -> None:
    """Refuse a death dated before any record of the subject alive (a visit, a dose, a lab)."""
    from inodli.edc.assessments.models import Death as DeathModel

    DeathDateValidator()(record.died_on, later_records(record.subject, record.died_on, DeathModel))
