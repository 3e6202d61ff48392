"""Edit checks: declared rules that run at entry, on import and as a batch, and raise queries.

An edit check is a soft rule: the data are saved (hard rules live in each model's ``clean``),
and a failure opens a query assigned to a role. Every clinical threshold comes from
:mod:`inodli.protocol` (through the EDC's own wrappers that gather its inputs); the plausibility
ranges are the data-management plan's, declared in :data:`RANGE_CHECKS`.

When the data are corrected so that the rule passes, the check's open query is closed with
"resolved by a data correction"; a rule that fails again after that opens a new query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError

from inodli.edc.core.roles import Role
from inodli.edc.governance.models import Query
from inodli.errors import InputError

__all__ = ["CHECKS", "EditCheck", "Finding", "run_batch", "run_checks_on_write", "run_record"]


@dataclass(frozen=True)
class EditCheck:
    """One declared rule on the records of one form."""

    code: str
    form_code: str
    field: str
    description: str
    evaluate: Callable[[Any], str | None]  # the query text when the rule fails, else None
    assigned_role: Role = Role.NURSE


@dataclass(frozen=True)
class Finding:
    check: str
    record: Any
    field: str
    message: str


def _range(field: str, low: str, high: str, unit: str) -> Callable[[Any], str | None]:
    def evaluate(record: Any) -> str | None:
        value = getattr(record, field)
        if value is None or Decimal(low) <= Decimal(str(value)) <= Decimal(high):
            return None
        return (
            f"{field} {value} {unit} is outside the plausible range {low}-{high} {unit}: confirm."
        )

    return evaluate


def _required_when_finished(record: Any) -> str | None:
    finished = {"recovered", "sequelae", "fatal"}
    if record.outcome in finished and record.stopped_on is None:
        return f"The outcome is '{record.get_outcome_display()}' but no stop date is recorded."
    return None


def _ae_dates_in_order(record: Any) -> str | None:
    if record.stopped_on is not None and record.stopped_on < record.started_on:
        return f"The stop date {record.stopped_on} is before the start date {record.started_on}."
    return None


def _dose_matches_bsa(record: Any) -> str | None:
    """InO dose vs BSA: the protocol's BSA from the recorded height and weight, times the
    intended mg/m2, must give the calculated dose (inodli.protocol.bsa.body_surface_area)."""
    from inodli.protocol.bsa import body_surface_area

    try:
        bsa = body_surface_area(
            float(record.height_cm), float(record.weight_kg), record.bsa_formula or "mosteller"
        )
    except InputError as error:
        return f"The BSA cannot be computed from the recorded height and weight: {error}."
    if abs(Decimal(str(bsa.bsa_for_dosing_m2)) - record.bsa_m2) > Decimal("0.005"):
        return f"BSA recorded {record.bsa_m2} m2, but the protocol gives {bsa}."
    expected = Decimal(str(bsa.bsa_for_dosing_m2)) * record.intended_mg_m2
    if abs(expected - record.calculated_mg) > Decimal("0.01"):
        return (
            f"Calculated dose {record.calculated_mg} mg, but {record.intended_mg_m2} mg/m2 x "
            f"{bsa.bsa_for_dosing_m2:.2f} m2 = {expected:.3f} mg."
        )
    return None


def _dli_eligible(record: Any) -> str | None:
    """DLI given while not eligible: eligibility recomputed by inodli.protocol.dli from the
    GVHD history and HLA-loss result recorded now (treatment.dli.eligibility_on)."""
    from inodli.edc.treatment.dli import eligibility_on

    try:
        _inputs, result = eligibility_on(record.subject, record.infused_on)
    except (InputError, ValidationError) as error:
        return f"DLI eligibility cannot be decided from the recorded data: {error}."
    if result.eligible:
        return None
    if record.override and record.override_reason.strip():
        return None
    return "DLI was given although the protocol finds the subject not eligible: " + "; ".join(
        f"{c.criterion}: {c.explanation}" for c in result.failed
    )


def _response_matches_values(record: Any) -> str | None:
    """Response category vs the recorded values, re-classified by inodli.protocol.response
    (assessments.derivations.complete_response on a copy)."""
    from inodli.edc.assessments.derivations import complete_response

    # complete_response writes its derived values (and the ``marrow`` link) onto the record it
    # is given: classify a fresh instance so the checked record is never changed by a check.
    probe = type(record)(
        **{f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    )
    # Re-classify as if confirming the computed category: the investigator's stored choice is
    # compared below, and would otherwise fail the override rule inside complete_response.
    probe.investigator_category = ""
    try:
        result = complete_response(probe)
    except (InputError, ValidationError) as error:
        return f"The response cannot be re-classified from the recorded values: {error}."
    category = result.category.value
    if category != record.computed_category:
        return (
            f"The recorded values now classify as {category}, "
            f"but the form says {record.computed_category}."
        )
    if record.investigator_category != category and not record.override_reason.strip():
        return f"Investigator's category {record.investigator_category} differs with no reason."
    return None


def _ae_grade_matches_labs(record: Any) -> str | None:
    """AE grade vs the CTCAE grade the labs give (inodli.protocol.ctcae via safety)."""
    if record.suggested_grade is None or record.suggested_grade == record.grade:
        return None
    return (
        f"Grade {record.grade} recorded, but the labs give CTCAE grade {record.suggested_grade} "
        f"({record.suggestion_detail}): confirm or correct."
    )


def _ae_review_matches_events(record: Any) -> str | None:
    """AE review answer vs the AEs started or worsened in its interval (safety.ae_review)."""
    from inodli.edc.safety.ae_review import review_inconsistency

    return review_inconsistency(record)


#: Plausibility ranges of the data-management plan (adult B-ALL/LBL after allogeneic HCT).
RANGE_CHECKS: tuple[EditCheck, ...] = (
    EditCheck(
        "BODY_HEIGHT_RANGE",
        "BODY",
        "height_cm",
        "height 130-210 cm",
        _range("height_cm", "130", "210", "cm"),
    ),
    EditCheck(
        "BODY_WEIGHT_RANGE",
        "BODY",
        "weight_kg",
        "weight 30-150 kg",
        _range("weight_kg", "30", "150", "kg"),
    ),
)

CHECKS: tuple[EditCheck, ...] = (
    *RANGE_CHECKS,
    EditCheck(
        "AE_STOP_REQUIRED",
        "AE",
        "stopped_on",
        "a finished adverse event needs a stop date",
        _required_when_finished,
    ),
    EditCheck(
        "AE_DATES_ORDER", "AE", "stopped_on", "stop date on or after start date", _ae_dates_in_order
    ),
    EditCheck(
        "INO_DOSE_BSA",
        "INO_ADMIN",
        "calculated_mg",
        "dose matches BSA x mg/m2",
        _dose_matches_bsa,
        Role.PHARMACIST,
    ),
    EditCheck(
        "DLI_NOT_ELIGIBLE",
        "DLI",
        "override",
        "DLI only when eligible",
        _dli_eligible,
        Role.INVESTIGATOR,
    ),
    EditCheck(
        "RESPONSE_VALUES",
        "RESPONSE",
        "investigator_category",
        "category matches the recorded values",
        _response_matches_values,
        Role.INVESTIGATOR,
    ),
    EditCheck(
        "AE_GRADE_LABS",
        "AE_GRADE",
        "grade",
        "AE grade matches the lab grade",
        _ae_grade_matches_labs,
        Role.INVESTIGATOR,
    ),
    EditCheck(
        "AE_REVIEW_MATCHES_AES",
        "AE_REVIEW",
        "any_events",
        "the AE review's answer matches the AEs started or worsened since the previous review",
        _ae_review_matches_events,
    ),
)


def checks_for(form_code: str) -> list[EditCheck]:
    return [check for check in CHECKS if check.form_code == form_code]


def _unresolved(check: EditCheck, record: Any) -> Any:
    return Query.objects.filter(
        check_code=check.code,
        model_label=record._meta.label_lower,
        object_pk=str(record.pk),
    ).exclude(status=Query.Status.CLOSED)


def run_record(
    record: Any, user: Any, now: dt.datetime | None = None, *, deleted: bool = False
) -> list[Finding]:
    """Run the record's checks; open a query per new failure, close those now resolved."""
    from inodli.edc.governance.queries import close_query, open_query

    findings = []
    for check in checks_for(getattr(record, "form_code", "")):
        message = None if deleted else check.evaluate(record)
        pending = list(_unresolved(check, record))
        if message is None:
            text = "record deleted" if deleted else "resolved by a data correction"
            for query in pending:
                close_query(user, query, text, now=now, system=True)
            continue
        findings.append(Finding(check.code, record, check.field, message))
        if not pending:
            open_query(
                user,
                record.subject,
                message,
                record=record,
                field_name=check.field,
                assigned_role=check.assigned_role,
                check_code=check.code,
                now=now,
            )
    return findings


def run_checks_on_write(record: Any, user: Any, action: str, event: Any, now: Any) -> None:
    """Core write hook: the checks run at entry (and on import, which saves the same way)."""
    if checks_for(getattr(record, "form_code", "")):
        if action == "delete":
            record.pk = event.object_pk  # the deleted row's id, for its queries
        run_record(record, user, now, deleted=action == "delete")


def _records_of(form_codes: Iterable[str]) -> Iterable[Any]:
    codes = set(form_codes)
    for model in apps.get_models():
        if getattr(model, "form_code", "") in codes:
            yield from model._default_manager.order_by("pk")


def run_batch(user: Any, now: dt.datetime | None = None) -> list[Finding]:
    """Run every check over every record (the data manager's batch run)."""
    from inodli.edc.governance.permissions import Action, require

    require(user, Action.RUN_CHECKS)
    findings: list[Finding] = []
    for record in _records_of({check.form_code for check in CHECKS}):
        findings.extend(run_record(record, user, now))
    return findings
