"""The InO dose of one administration, computed from the subject's records by ``inodli.protocol``.

:func:`propose_ino_dose` gathers the inputs the protocol needs (the latest height and weight,
the response recorded before this cycle, the latest liver tests and the adverse events that
stop or hold InO) and returns what the protocol computes from them: BSA, the cycle plan, the
preparation sheet and the give/hold/discontinue decision. :func:`complete_ino_administration`
writes those values onto the record and applies the cross-field rules; it runs on every save
(the model's ``clean``), so a computed value is never typed by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from inodli.edc.treatment import facts
from inodli.edc.treatment.validators import (
    AfterEnrolmentValidator,
    DecisionOverrideValidator,
    DoseDifferenceValidator,
)
from inodli.edc.treatment.windows import schedule_deviations
from inodli.errors import InputError
from inodli.protocol._ruletable import load_rule_table
from inodli.protocol.bsa import BodySurfaceArea, body_surface_area
from inodli.protocol.dose_modification import DoseDecision
from inodli.protocol.ino import CyclePlan, PlannedDose, ino_cycle_plan
from inodli.protocol.preparation import PreparationSheet, preparation_sheet

if TYPE_CHECKING:
    from inodli.edc.treatment.models import InoAdministration

__all__ = [
    "DoseProposal",
    "complete_ino_administration",
    "dose_tolerance",
    "propose_ino_dose",
]


@cache
def dose_tolerance() -> Decimal:
    """The largest relative difference of the dispensed from the calculated dose accepted
    without a reason: the protocol's dispensing rule (``rules/ino_product.toml``, HOPA 10%)."""
    percent = load_rule_table("ino_product")["dispensing"]["max_deviation_percent"]
    return Decimal(str(percent)) / 100


@dataclass(frozen=True)
class DoseProposal:
    """Everything the protocol computes for one InO dose, with the records it used."""

    cycle: int
    day: int
    on: dt.date
    bsa: BodySurfaceArea
    plan: CyclePlan
    planned: PlannedDose
    sheet: PreparationSheet
    decision: DoseDecision
    labs_on: dt.date | None
    in_remission: bool | None

    @property
    def calculated_mg(self) -> Decimal:
        return Decimal(str(self.planned.dose_mg))

    @property
    def intended_mg_m2(self) -> Decimal:
        return Decimal(str(self.planned.mg_per_m2))


def _places(value: float | Decimal, step: str) -> Decimal:
    """``value`` with the decimal places of its database column (exact: the protocol's values
    are already rounded to at most these places)."""
    return Decimal(str(value)).quantize(Decimal(step))


def _field_error(error: InputError, mapping: dict[str, str]) -> ValidationError:
    """Put a protocol :class:`InputError` beside the form field it concerns."""
    return ValidationError({mapping.get(error.field, "__all__"): str(error)})


def propose_ino_dose(
    subject: Any,
    *,
    cycle: int,
    day: int,
    on: dt.date,
    height_cm: Decimal | float,
    weight_kg: Decimal | float,
    formula: str = "mosteller",
) -> DoseProposal:
    """Compute the dose of cycle ``cycle``, day ``day`` given on ``on``.

    Cycle 1 is the same for everyone; later cycles take CR/CRi from the response assessment
    recorded after the previous cycle (``facts.in_remission_before_cycle``); without one the
    dose cannot be computed and a :class:`ValidationError` says so beside ``cycle``.

    Raises
    ------
    django.core.exceptions.ValidationError
        Keyed by the form field of the bad input (height, weight, cycle, day).
    """
    field_of = {
        "height_cm": "height_cm",
        "weight_kg": "weight_kg",
        "formula": "bsa_formula",
        "cycle": "cycle",
        "in_remission": "cycle",
        "max_cycles": "cycle",
    }
    in_remission: bool | None = None
    if cycle > 1:
        in_remission = facts.in_remission_before_cycle(subject, cycle, on)
        if in_remission is None:
            raise ValidationError(
                {
                    "cycle": (
                        f"No response assessment after cycle {cycle - 1} is recorded: the cycle "
                        f"{cycle} dose depends on CR/CRi after cycle {cycle - 1}. Record the "
                        "response first."
                    )
                }
            )
    try:
        bsa = body_surface_area(float(height_cm), float(weight_kg), formula)
        plan = ino_cycle_plan(cycle, bsa.bsa_for_dosing_m2, bool(in_remission))
    except InputError as error:
        raise _field_error(error, field_of) from error
    planned = next((dose for dose in plan.doses if dose.day == day), None)
    if planned is None:
        days = ", ".join(str(dose.day) for dose in plan.doses)
        raise ValidationError({"day": f"Cycle {cycle} has doses on days {days}, not day {day}."})
    sheet = preparation_sheet(planned.dose_mg)
    labs = facts.latest_liver_tests(subject, on)
    try:
        decision = facts.next_dose_decision_for(subject, on, labs, cycle=cycle, day=day)
    except InputError as error:  # a result the decision needs is not recorded
        raise ValidationError(
            {"administered_on": f"{error} Record the missing results first."}
        ) from error
    return DoseProposal(
        cycle=cycle,
        day=day,
        on=on,
        bsa=bsa,
        plan=plan,
        planned=planned,
        sheet=sheet,
        decision=decision,
        labs_on=labs.collected_on if labs is not None else None,
        in_remission=in_remission,
    )


def complete_ino_administration(record: InoAdministration) -> DoseProposal:
    """Fill the computed fields of ``record`` and apply the administration's rules.

    Rules, in order: enrolment before the date (consent is checked by the base record); the
    dose computed by the protocol; a date outside the protocol's windows needs a reason
    (:func:`inodli.edc.treatment.windows.schedule_deviations`); a dispensed dose further than
    :func:`dose_tolerance` from the calculated one needs a reason; giving a dose the protocol
    says to hold or stop needs a reason. The dispensed dose and volume default to the
    preparation sheet's.
    """
    subject = record.subject
    AfterEnrolmentValidator("administered_on")(
        facts.enrolment_date(subject), record.administered_on
    )
    proposal = propose_ino_dose(
        subject,
        cycle=record.cycle,
        day=record.day,
        on=record.administered_on,
        height_cm=record.height_cm,
        weight_kg=record.weight_kg,
        formula=record.bsa_formula or "mosteller",
    )
    record.bsa_formula = proposal.bsa.formula
    record.bsa_m2 = _places(proposal.bsa.bsa_for_dosing_m2, "0.01")
    record.in_remission = proposal.in_remission
    record.intended_mg_m2 = _places(proposal.intended_mg_m2, "0.01")
    record.calculated_mg = _places(proposal.calculated_mg, "0.001")
    record.decision = proposal.decision.action
    record.decision_reasons = "; ".join(
        [f"[{reason.rule_id}] {reason.explanation}" for reason in proposal.decision.reasons]
        # kept with the record: the decision rested on label wording not verified in full
        + [f"UNVERIFIED label wording: {clause}" for clause in proposal.decision.unverified]
    )
    record.decision_labs_on = proposal.labs_on
    given = record.status == record.Status.GIVEN
    if given:
        if record.dispensed_mg is None:
            record.dispensed_mg = _places(proposal.sheet.dispensed_mg, "0.001")
        if record.volume_ml is None:
            sheet = preparation_sheet(float(record.dispensed_mg))
            record.volume_ml = _places(sheet.volume_to_withdraw_ml, "0.01")
    else:
        record.dispensed_mg = None
        record.volume_ml = None
    deviations = schedule_deviations(record, proposal.bsa.bsa_for_dosing_m2)
    record.schedule_deviations = "; ".join(deviations)
    if deviations and not record.schedule_deviation_reason.strip():
        raise ValidationError(
            {
                "schedule_deviation_reason": (
                    f"The date is outside the protocol's window ({record.schedule_deviations}): "
                    "give the reason, or correct the date."
                )
            }
        )
    DoseDifferenceValidator(dose_tolerance())(
        record.calculated_mg, record.dispensed_mg, record.dose_difference_reason
    )
    DecisionOverrideValidator()(record.decision, given, record.decision_override_reason)
    return proposal
