"""DLI eligibility and dose from the subject's records, decided by ``inodli.protocol.dli``.

The four inputs of :func:`inodli.protocol.dli.dli_eligibility` are read from the forms:

* prior grade III-IV acute GVHD: the transplant history's worst prior grade, or any acute GVHD
  assessment on study graded III-IV before the date; unknown without a transplant history;
* the HLA-loss test: the latest result on or before the date; missing without one;
* active acute GVHD: the latest acute GVHD assessment (overall grade above 0); unknown
  without one;
* active chronic GVHD: the latest chronic GVHD assessment (global severity other than none);
  unknown without one.

Unknown inputs make the subject not eligible (the protocol's rule), so the site records the
GVHD assessments and the HLA-loss test before a DLI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError

from inodli.edc.treatment import facts
from inodli.edc.treatment.validators import AfterEnrolmentValidator, DliOverrideValidator
from inodli.errors import InputError
from inodli.protocol.dli import DliDose, DliEligibility, dli_dose, dli_eligibility

if TYPE_CHECKING:
    from inodli.edc.treatment.models import DliInfusion

__all__ = ["DliInputs", "complete_dli_infusion", "dli_inputs", "eligibility_on"]

#: Overall aGVHD grades counted as "grade III-IV" (MAGIC grades stored as 0-4).
SEVERE_AGVHD_GRADES = (3, 4)


@dataclass(frozen=True)
class DliInputs:
    """The recorded facts DLI eligibility is decided from, with their dates."""

    prior_grade_3_4_agvhd: bool | None
    hla_loss_result: str | None
    hla_loss_test_id: int | None
    active_agvhd: bool | None
    agvhd_assessed_on: dt.date | None
    active_cgvhd: bool | None
    cgvhd_assessed_on: dt.date | None


def dli_inputs(subject: Any, on: dt.date) -> DliInputs:
    """Collect the inputs of DLI eligibility as of ``on`` (records dated on or before it)."""
    transplant = (
        apps.get_model("subjects", "TransplantHistory").objects.filter(subject=subject).first()
    )
    acute = apps.get_model("safety", "AcuteGvhdAssessment").objects.filter(
        subject=subject, assessed_on__lte=on
    )
    prior: bool | None = None
    if transplant is not None:
        prior = transplant.worst_prior_acute_gvhd_grade in SEVERE_AGVHD_GRADES
    if acute.filter(overall_grade__in=SEVERE_AGVHD_GRADES).exists():
        prior = True
    latest_acute = acute.order_by("-assessed_on", "-id").first()
    chronic = (
        apps.get_model("safety", "ChronicGvhdAssessment")
        .objects.filter(subject=subject, assessed_on__lte=on)
        .order_by("-assessed_on", "-id")
        .first()
    )
    hla = (
        apps.get_model("treatment", "HlaLossTest")
        .objects.filter(subject=subject, sampled_on__lte=on)
        .order_by("-sampled_on", "-id")
        .first()
    )
    return DliInputs(
        prior_grade_3_4_agvhd=prior,
        hla_loss_result=hla.result if hla is not None else None,
        hla_loss_test_id=hla.pk if hla is not None else None,
        active_agvhd=latest_acute.overall_grade > 0 if latest_acute is not None else None,
        agvhd_assessed_on=latest_acute.assessed_on if latest_acute is not None else None,
        active_cgvhd=chronic.global_severity != "none" if chronic is not None else None,
        cgvhd_assessed_on=chronic.assessed_on if chronic is not None else None,
    )


def eligibility_on(subject: Any, on: dt.date) -> tuple[DliInputs, DliEligibility]:
    """DLI eligibility as of ``on``, with the inputs it was decided from."""
    inputs = dli_inputs(subject, on)
    result = dli_eligibility(
        inputs.prior_grade_3_4_agvhd,
        inputs.hla_loss_result,
        inputs.active_agvhd,
        inputs.active_cgvhd,
    )
    return inputs, result


def complete_dli_infusion(record: DliInfusion) -> tuple[DliInputs, DliEligibility, DliDose]:
    """Fill the computed fields of a DLI infusion and apply its rules.

    Rules: enrolment before the infusion; the dose and product volume from the weight and the
    product's CD3+/mL (protocol 1e7 CD3+/kg unless a target is entered); eligibility from the
    records; not eligible needs the override ticked and a reason (the infusion stays flagged).
    The volume infused defaults to the computed volume.
    """
    AfterEnrolmentValidator("infused_on")(facts.enrolment_date(record.subject), record.infused_on)
    try:
        dose = dli_dose(
            float(record.weight_kg),
            float(record.product_cd3_per_ml),
            None if record.target_cd3_per_kg is None else float(record.target_cd3_per_kg),
        )
    except InputError as error:
        field = {"weight_kg": "weight_kg", "product_cd3_per_ml": "product_cd3_per_ml"}.get(
            error.field, "target_cd3_per_kg"
        )
        raise ValidationError({field: str(error)}) from error
    inputs, eligibility = eligibility_on(record.subject, record.infused_on)
    record.target_cd3_per_kg = dose.cd3_per_kg
    record.computed_cd3_cells = dose.cd3_cells
    record.computed_volume_ml = dose.volume_ml
    if record.volume_infused_ml is None:
        record.volume_infused_ml = dose.volume_ml
    record.hla_loss_test_id = inputs.hla_loss_test_id
    record.eligible = eligibility.eligible
    record.eligibility_reasons = "; ".join(
        f"[{c.rule_id}] {c.explanation}" for c in eligibility.failed
    )
    DliOverrideValidator()(
        eligibility.eligible,
        tuple(c.explanation for c in eligibility.failed),
        record.override,
        record.override_reason,
    )
    if eligibility.eligible:
        record.override = False
    return inputs, eligibility, dose


def weight_default(subject: Any, on: dt.date) -> Decimal | None:
    return facts.latest_body_size(subject, on).weight_kg
