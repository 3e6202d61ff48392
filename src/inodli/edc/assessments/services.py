"""Services of the assessment forms: create records the way the forms do (the demo generator,
importers and tests call these).

Each function saves through :func:`inodli.edc.core.services.save_record` (validated,
versioned, audited); values a rule derives (MRD status, the response category) are computed
by ``inodli.protocol`` on save, never passed in. A refused entry raises
:class:`django.core.exceptions.ValidationError` whose ``message_dict`` names the form field.
To change a saved record, set its entered fields and call ``save_record(record, user,
reason=..., expected_version=...)``.

Functions
---------
record_labs(subject, user, *, collected_on, results, now=None) -> LabPanel
    ``results`` maps an analyte code (:data:`inodli.edc.assessments.analytes.ANALYTES`) to
    ``(value, lln, uln)`` in the analyte's unit (LLN/ULN may be None).
record_marrow(subject, user, *, sampled_on, blast_pct, cellularity_pct=None, mrd_method="flow",
    mrd_level_pct=None, mrd_sensitivity_pct=None, now=None) -> BoneMarrowAssessment
record_extramedullary(subject, user, *, assessed_on, method, status, deauville_score=None,
    sites="", now=None) -> ExtramedullaryAssessment
record_response(subject, user, *, assessed_on, after_cycle, investigator_category="",
    override_reason="", now=None) -> ResponseAssessment
    Classified from the marrow, blood counts and extramedullary status recorded on or before
    ``assessed_on``; an empty investigator's category confirms the computed one.
record_relapse(subject, user, *, occurred_on, kind="relapse", site="marrow",
    marrow_blast_pct=None, now=None) -> RelapseEvent
record_survival(subject, user, *, last_known_alive_on, method="visit", disease_status="",
    now=None) -> SurvivalFollowUp
record_death(subject, user, *, died_on, cause, primary_cause, now=None) -> Death
    Refused when anything is recorded for the subject after ``died_on``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from inodli.edc.assessments.analytes import analyte
from inodli.edc.assessments.models import (
    BoneMarrowAssessment,
    Death,
    ExtramedullaryAssessment,
    LabPanel,
    LabResult,
    RelapseEvent,
    ResponseAssessment,
    SurvivalFollowUp,
)
from inodli.edc.core.services import save_record

__all__ = [
    "record_death",
    "record_extramedullary",
    "record_labs",
    "record_marrow",
    "record_relapse",
    "record_response",
    "record_survival",
]

LabValues = Mapping[str, tuple[float, float | None, float | None]]


def record_labs(
    subject: Any,
    user: Any,
    *,
    collected_on: dt.date,
    results: LabValues,
    now: dt.datetime | None = None,
) -> LabPanel:
    """Record one blood sample and its results (see the module docstring)."""
    with transaction.atomic():
        panel = LabPanel(subject=subject, collected_on=collected_on)
        save_record(panel, user, now=now)
        for code, (value, lln, uln) in results.items():
            item = analyte(code)
            row = LabResult(
                panel=panel, analyte=code, value=value, unit=item.unit, lln=lln, uln=uln
            )
            save_record(row, user, now=now)
    return panel


def _save(record: Any, user: Any, now: dt.datetime | None) -> Any:
    record.clean()  # the computed values, before field validation
    save_record(record, user, now=now)
    return record


def record_marrow(
    subject: Any,
    user: Any,
    *,
    sampled_on: dt.date,
    blast_pct: float,
    cellularity_pct: float | None = None,
    mrd_method: str = BoneMarrowAssessment.MrdMethod.FLOW,
    mrd_level_pct: float | None = None,
    mrd_sensitivity_pct: float | None = None,
    now: dt.datetime | None = None,
) -> BoneMarrowAssessment:
    """Record a bone marrow assessment; the MRD status is computed."""
    record = BoneMarrowAssessment(
        subject=subject,
        sampled_on=sampled_on,
        blast_pct=blast_pct,
        cellularity_pct=cellularity_pct,
        mrd_method=mrd_method,
        mrd_level_pct=mrd_level_pct,
        mrd_sensitivity_pct=mrd_sensitivity_pct,
    )
    return _save(record, user, now)


def record_extramedullary(
    subject: Any,
    user: Any,
    *,
    assessed_on: dt.date,
    method: str,
    status: str,
    deauville_score: int | None = None,
    sites: str = "",
    now: dt.datetime | None = None,
) -> ExtramedullaryAssessment:
    """Record an extramedullary (imaging or clinical) assessment."""
    record = ExtramedullaryAssessment(
        subject=subject,
        assessed_on=assessed_on,
        method=method,
        status=status,
        deauville_score=deauville_score,
        sites=sites,
    )
    return _save(record, user, now)


def record_response(
    subject: Any,
    user: Any,
    *,
    assessed_on: dt.date,
    after_cycle: int,
    investigator_category: str = "",
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> ResponseAssessment:
    """Record a response assessment classified from the recorded values."""
    record = ResponseAssessment(
        subject=subject,
        assessed_on=assessed_on,
        after_cycle=after_cycle,
        investigator_category=investigator_category,
        override_reason=override_reason,
    )
    return _save(record, user, now)


def record_relapse(
    subject: Any,
    user: Any,
    *,
    occurred_on: dt.date,
    kind: str = RelapseEvent.Kind.RELAPSE,
    site: str = RelapseEvent.Site.MARROW,
    marrow_blast_pct: float | None = None,
    now: dt.datetime | None = None,
) -> RelapseEvent:
    """Record a relapse or progression."""
    record = RelapseEvent(
        subject=subject,
        occurred_on=occurred_on,
        kind=kind,
        site=site,
        marrow_blast_pct=marrow_blast_pct,
    )
    return _save(record, user, now)


def record_survival(
    subject: Any,
    user: Any,
    *,
    last_known_alive_on: dt.date,
    method: str = SurvivalFollowUp.Method.VISIT,
    disease_status: str = "",
    now: dt.datetime | None = None,
) -> SurvivalFollowUp:
    """Record a survival follow-up contact."""
    record = SurvivalFollowUp(
        subject=subject,
        last_known_alive_on=last_known_alive_on,
        method=method,
        disease_status=disease_status,
    )
    return _save(record, user, now)


def record_death(
    subject: Any,
    user: Any,
    *,
    died_on: dt.date,
    cause: str,
    primary_cause: str,
    now: dt.datetime | None = None,
) -> Death:
    """Record the subject's death (refused if anything is recorded after it)."""
    record = Death(subject=subject, died_on=died_on, cause=cause, primary_cause=primary_cause)
    return _save(record, user, now)
