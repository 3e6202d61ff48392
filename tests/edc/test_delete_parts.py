"""Deleting a record deletes the rows that belong to it through the service, one audit event
each (21 CFR 11.10(e): every deletion is in the audit trail), never by a silent cascade."""

from __future__ import annotations

import datetime as dt

from inodli.edc.assessments.models import LabPanel, LabResult
from inodli.edc.assessments.services import record_labs
from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import delete_record
from inodli.edc.safety.models import AdverseEvent, AdverseEventGrade
from inodli.edc.safety.services import record_adverse_event, record_grade_change
from tests.edc.factories import enrolled_subject

ON = dt.date(2026, 1, 10)


def deletions() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(action="delete")
        .order_by("id")
        .values_list("model_label", "object_pk", "reason")
    )


def test_an_adverse_event_goes_with_each_of_its_grade_rows_audited(nurse) -> None:
    subject = enrolled_subject(nurse)
    event = record_adverse_event(
        subject, nurse, term="Diarrhea", started_on=ON, grade=1, relationship_ino="not_related"
    )
    record_grade_change(event, nurse, effective_on=ON + dt.timedelta(days=2), grade=3)
    grades = list(AdverseEventGrade.objects.filter(adverse_event=event).order_by("pk"))
    assert len(grades) == 2
    event.refresh_from_db()
    delete_record(event, nurse, "entered for the wrong patient")
    assert not AdverseEvent.objects.exists()
    assert not AdverseEventGrade.objects.exists()
    reason = "entered for the wrong patient"
    assert deletions() == [
        *[("safety.adverseeventgrade", str(g.pk), reason) for g in grades],
        ("safety.adverseevent", str(event.pk), reason),
    ]
    # every old value of the grade rows is kept
    first = AuditEvent.objects.filter(action="delete").order_by("id").first()
    assert first is not None
    assert first.changes["grade"] == [1, None]


def test_a_lab_panel_goes_with_each_of_its_results_audited(nurse) -> None:
    subject = enrolled_subject(nurse)
    record_labs(
        subject,
        nurse,
        collected_on=ON,
        results={"alt": (50.0, 7.0, 40.0), "ast": (45.0, 8.0, 40.0)},
    )
    panel = LabPanel.objects.get(subject=subject)
    results = list(LabResult.objects.filter(panel=panel).order_by("pk"))
    delete_record(panel, nurse, "duplicate panel")
    assert not LabResult.objects.exists()
    assert [label for label, _pk, _reason in deletions()] == [
        *["assessments.labresult"] * len(results),
        "assessments.labpanel",
    ]
