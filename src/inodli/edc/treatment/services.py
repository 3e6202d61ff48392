"""Services of the treatment forms: create records the way the forms do (the demo generator,
importers and tests call these).

Every function fills the values computed by ``inodli.protocol`` (never passed in), applies the
form's rules and saves through :func:`inodli.edc.core.services.save_record` (validated,
versioned, audited). A refused entry raises :class:`django.core.exceptions.ValidationError`
whose ``message_dict`` names the form field.

To change a saved record, set its entered fields and call
``inodli.edc.core.services.save_record(record, user, reason="...", expected_version=v)``: the
computed values are recomputed by the model's ``clean``.

Functions
---------
record_ino_administration(subject, user, *, cycle, day, administered_on, status="given",
    height_cm=None, weight_kg=None, bsa_formula="mosteller", dispensed_mg=None, volume_ml=None,
    dose_difference_reason="", decision_override_reason="", schedule_deviation_reason="",
    now=None) -> InoAdministration
    Height and weight default to the latest recorded; the dispensed dose and volume to the
    preparation sheet's. Cycle 2 needs the response after cycle 1 recorded first; a date
    outside the day 8/15 windows (+-2 days, >= 6 days apart) or a cycle 2 day 1 before cycle 1
    has run its 21 days needs ``schedule_deviation_reason``.
record_hla_loss_test(subject, user, *, sampled_on, result, method="qpcr", sample="marrow",
    loci="HLA-A, -B, -C, -DRB1", sorted_blasts=False, now=None) -> HlaLossTest
record_dli_infusion(subject, user, *, infused_on, product_cd3_per_ml, weight_kg=None,
    target_cd3_per_kg=None, volume_infused_ml=None, override=False, override_reason="",
    now=None) -> DliInfusion
    Eligibility from the recorded GVHD and HLA-loss test; not eligible needs ``override=True``
    and a reason. Use :func:`inodli.edc.treatment.dli.eligibility_on` to ask first.
record_intrathecal_course(subject, user, *, given_on, course_number=None, csf_result="negative",
    csf_wbc_per_ul=None, doses_mg=None, dose_difference_reason="", now=None) -> IntrathecalCourse
    Doses default to the protocol's; the course number to the next one.

Examples
--------
>>> dose = record_ino_administration(subject, nurse, cycle=1, day=1,
...     administered_on=dt.date(2026, 1, 6))                      # doctest: +SKIP
>>> dose.calculated_mg                                            # doctest: +SKIP
Decimal('1.360')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from inodli.edc.core.services import save_record
from inodli.edc.treatment import facts
from inodli.edc.treatment.dli import complete_dli_infusion
from inodli.edc.treatment.dosing import complete_ino_administration
from inodli.edc.treatment.intrathecal import protocol_doses_mg
from inodli.edc.treatment.models import (
    DliInfusion,
    HlaLossTest,
    InoAdministration,
    IntrathecalCourse,
)

__all__ = [
    "record_dli_infusion",
    "record_hla_loss_test",
    "record_ino_administration",
    "record_intrathecal_course",
]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _body_size(subject: Any, on: dt.date, height: Any, weight: Any) -> tuple[Any, Any]:
    """The given height and weight, else the latest recorded on or before ``on``."""
    latest = facts.latest_body_size(subject, on)
    height = _decimal(height) if height is not None else latest.height_cm
    weight = _decimal(weight) if weight is not None else latest.weight_kg
    return height, weight


def _require(record: Any, *names: str) -> None:
    missing = [name for name in names if getattr(record, name) is None]
    if missing:
        raise ValidationError(
            {missing[0]: "No height and weight recorded on or before this date: enter them first."}
        )


def record_ino_administration(
    subject: Any,
    user: Any,
    *,
    cycle: int,
    day: int,
    administered_on: dt.date,
    status: str = InoAdministration.Status.GIVEN,
    height_cm: Any = None,
    weight_kg: Any = None,
    bsa_formula: str = "mosteller",
    dispensed_mg: Any = None,
    volume_ml: Any = None,
    dose_difference_reason: str = "",
    decision_override_reason: str = "",
    schedule_deviation_reason: str = "",
    now: dt.datetime | None = None,
) -> InoAdministration:
    """Record one InO dose (see the module docstring)."""
    height, weight = _body_size(subject, administered_on, height_cm, weight_kg)
    record = InoAdministration(
        subject=subject,
        cycle=cycle,
        day=day,
        administered_on=administered_on,
        status=status,
        height_cm=height,
        weight_kg=weight,
        bsa_formula=bsa_formula,
        dispensed_mg=_decimal(dispensed_mg),
        volume_ml=_decimal(volume_ml),
        dose_difference_reason=dose_difference_reason,
        decision_override_reason=decision_override_reason,
        schedule_deviation_reason=schedule_deviation_reason,
    )
    record.clean()  # consent check and the computed values, before field validation
    _require(record, "height_cm", "weight_kg")
    save_record(record, user, now=now)
    return record


def record_hla_loss_test(
    subject: Any,
    user: Any,
    *,
    sampled_on: dt.date,
    result: str,
    method: str = HlaLossTest.Method.QPCR,
    sample: str = HlaLossTest.Sample.MARROW,
    loci: str = "HLA-A, -B, -C, -DRB1",
    sorted_blasts: bool = False,
    now: dt.datetime | None = None,
) -> HlaLossTest:
    """Record an HLA-loss test (result: ``loss``, ``no_loss`` or ``not_informative``)."""
    record = HlaLossTest(
        subject=subject,
        sampled_on=sampled_on,
        method=method,
        sample=sample,
        sorted_blasts=sorted_blasts,
        loci=loci,
        result=result,
    )
    save_record(record, user, now=now)
    return record


def record_dli_infusion(
    subject: Any,
    user: Any,
    *,
    infused_on: dt.date,
    product_cd3_per_ml: float,
    weight_kg: Any = None,
    target_cd3_per_kg: float | None = None,
    volume_infused_ml: float | None = None,
    override: bool = False,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> DliInfusion:
    """Record a DLI (see the module docstring)."""
    _height, weight = _body_size(subject, infused_on, None, weight_kg)
    record = DliInfusion(
        subject=subject,
        infused_on=infused_on,
        weight_kg=weight,
        product_cd3_per_ml=product_cd3_per_ml,
        target_cd3_per_kg=target_cd3_per_kg,
        volume_infused_ml=volume_infused_ml,
        override=override,
        override_reason=override_reason,
    )
    record.clean()  # the computed values, before field validation
    _require(record, "weight_kg")
    save_record(record, user, now=now)
    return record


def record_intrathecal_course(
    subject: Any,
    user: Any,
    *,
    given_on: dt.date,
    course_number: int | None = None,
    csf_result: str = IntrathecalCourse.CsfResult.NEGATIVE,
    csf_wbc_per_ul: float | None = None,
    doses_mg: dict[str, Any] | None = None,
    dose_difference_reason: str = "",
    now: dt.datetime | None = None,
) -> IntrathecalCourse:
    """Record an intrathecal course (see the module docstring)."""
    doses: dict[str, Decimal] = {**protocol_doses_mg()}
    doses.update({name: Decimal(str(dose)) for name, dose in (doses_mg or {}).items()})
    if course_number is None:
        course_number = (
            IntrathecalCourse.objects.filter(subject=subject, given_on__lt=given_on).count() + 1
        )
    record = IntrathecalCourse(
        subject=subject,
        given_on=given_on,
        course_number=course_number,
        cytarabine_mg=doses["cytarabine"],
        dexamethasone_mg=doses["dexamethasone"],
        methotrexate_mg=doses["methotrexate"],
        csf_wbc_per_ul=csf_wbc_per_ul,
        csf_result=csf_result,
        dose_difference_reason=dose_difference_reason,
    )
    save_record(record, user, now=now)
    return record


# The completion functions are also the model's clean(); re-exported for callers that build
# records themselves.
__all__ += ["complete_dli_infusion", "complete_ino_administration"]
