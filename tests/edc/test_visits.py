"""The visit calendar: statuses derived from the protocol schedule and the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from inodli.edc.core.services import save_record
from inodli.edc.subjects import models as m
from inodli.edc.visits import calendar as cal
from inodli.protocol.schedule import visit_schedule
from tests.edc.factories import enrolled_subject

pytestmark = pytest.mark.django_db

DAY1 = dt.date(2026, 1, 12)


@pytest.fixture
def first_dose_on_day1(monkeypatch):
    # The InO administration form belongs to another app; the anchor hook stands in for it.
    monkeypatch.setitem(cal._ANCHORS, "first_dose", lambda subject: DAY1)


def _vitals(subject, row):
    return next(f for f in row.forms if f.group == "vitals")


def _measure(subject, user, on):
    save_record(
        m.BodyMeasurement(
            subject=subject, measured_on=on, height_cm=Decimal(170), weight_kg=Decimal(64)
        ),
        user,
    )


def test_it_shows_no_calendar_before_the_first_dose(nurse):
    subject = enrolled_subject(nurse)
    assert not cal.subject_calendar(subject, today=DAY1)


def test_it_takes_visits_and_windows_from_the_protocol_schedule(nurse, first_dose_on_day1):
    subject = enrolled_subject(nurse)
    calendar = cal.subject_calendar(subject, today=DAY1)
    expected = visit_schedule(DAY1).visits
    assert [r.visit.code for r in calendar.rows] == [v.code for v in expected]
    assert [(r.visit.window_start, r.visit.window_end) for r in calendar.rows] == [
        (v.window_start, v.window_end) for v in expected
    ]
    c1d8 = next(r for r in calendar.rows if r.visit.code == "C1D8")
    # label Table 1: day 8 may move by +-2 days, so the window ends on day 10 (2026-01-21)
    assert c1d8.visit.window_end == dt.date(2026, 1, 21)


def test_it_derives_entered_missed_and_required(nurse, first_dose_on_day1):
    subject = enrolled_subject(nurse)  # height and weight on 2026-01-05 (screening window)
    _measure(subject, nurse, DAY1)
    today = dt.date(2026, 1, 25)
    rows = {r.visit.code: r for r in cal.subject_calendar(subject, today=today).rows}
    assert _vitals(subject, rows["screening"]).status == "entered"
    assert _vitals(subject, rows["C1D1"]).status == "entered"
    assert _vitals(subject, rows["C1D8"]).status == "missed"  # window closed on 2026-01-21
    assert _vitals(subject, rows["C1D15"]).status == "required"  # window 2026-01-24..28 open
    assert rows["C1D8"].overdue
    assert "vitals" in rows["C1D8"].missing


def test_it_marks_conditional_visits_not_required(nurse, first_dose_on_day1):
    subject = enrolled_subject(nurse)
    rows = {r.visit.code: r for r in cal.subject_calendar(subject, today=dt.date(2027, 6, 1)).rows}
    assert {f.status for f in rows["DLI"].forms} == {"not_required"}


def test_it_stops_requiring_visits_after_going_off_study(nurse, first_dose_on_day1):
    subject = enrolled_subject(nurse)
    save_record(
        m.StudyStatusChange(
            subject=subject, effective_on=dt.date(2026, 1, 14), status="consent_withdrawn"
        ),
        nurse,
    )
    rows = {r.visit.code: r for r in cal.subject_calendar(subject, today=dt.date(2026, 3, 1)).rows}
    assert _vitals(subject, rows["C1D8"]).status == "not_required"


def test_it_lists_overdue_visits_on_the_dashboard_and_the_calendar_on_the_subject_page(
    client, personas, first_dose_on_day1
):
    subject = enrolled_subject(personas.nurse)
    client.force_login(personas.monitor)
    dashboard = client.get(reverse("visits:dashboard")).content.decode()
    assert 'class="overdue"' in dashboard
    assert "Cycle 1 day 8" in dashboard
    page = client.get(reverse("subjects:detail", args=[subject.pk])).content.decode()
    assert 'id="visit-C1D8"' in page


def test_it_reads_record_dates_once_per_form_for_the_dashboard(
    nurse, first_dose_on_day1, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setitem(cal._ANCHORS, "remission_date", lambda subject: None)
    subjects = [enrolled_subject(nurse) for _ in range(5)]
    forms = len(cal.all_forms())
    # one query per form for all subjects, and one for all their study statuses
    with django_assert_max_num_queries(forms + 1):
        cal.calendars_for(subjects, today=DAY1)


# The AE review (AE_REVIEW) fills the schedule's "ae" group: with Day 1 = 2026-01-12 the
# protocol schedule puts C1D1 on 2026-01-12, C1D8 in 2026-01-18..21 and C1D15 in 2026-01-24..28.


def _ae(row):
    return next(f for f in row.forms if f.group == "ae")


def _ae_review(subject, user, on, answer="no"):
    from inodli.edc.safety.services import record_ae_review

    return record_ae_review(subject, user, reviewed_on=on, any_events=answer, reviewed_by="Dr Chen")


def test_it_expects_the_ae_review_at_every_visit_whose_schedule_lists_adverse_events(
    nurse, first_dose_on_day1
):
    subject = enrolled_subject(nurse)
    rows = cal.subject_calendar(subject, today=DAY1).rows
    expecting = {r.visit.code for r in rows if any(f.group == "ae" for f in r.forms)}
    listed = {v.code for v in visit_schedule(DAY1).visits if "ae" in v.forms}
    assert expecting == listed
    assert "screening" not in expecting
    assert {"C1D1", "C1D8", "C2D15", "PRIMARY", "FU-M03", "FU-M24"} <= expecting
    assert {_ae(r).codes for r in rows if r.visit.code in expecting} == {("AE_REVIEW",)}
    assert [v.code for v in cal.visits_expecting(subject, "AE_REVIEW")] == [
        r.visit.code for r in rows if r.visit.code in expecting
    ]


def test_it_counts_the_ae_review_and_not_an_adverse_event_as_the_visits_safety_review(
    nurse, first_dose_on_day1
):
    from inodli.edc.safety.services import record_adverse_event

    subject = enrolled_subject(nurse)
    _ae_review(subject, nurse, DAY1)
    record_adverse_event(subject, nurse, term="Nausea", started_on=dt.date(2026, 1, 19), grade=1,
                         relationship_ino="not_related")  # fmt: skip
    rows = {r.visit.code: r for r in cal.subject_calendar(subject, today=dt.date(2026, 1, 25)).rows}
    assert (_ae(rows["C1D1"]).status, _ae(rows["C1D1"]).records) == ("entered", 1)
    assert _ae(rows["C1D8"]).status == "missed"  # an AE in the window, but nobody reviewed
    assert "ae" in rows["C1D8"].missing
    assert _ae(rows["C1D15"]).status == "required"  # window 2026-01-24..28 open
    assert _ae(rows["DLI"]).status == "not_required"  # conditional visit


def test_it_stops_expecting_ae_reviews_after_death(nurse, first_dose_on_day1):
    from inodli.edc.assessments.services import record_death

    subject = enrolled_subject(nurse)
    record_death(subject, nurse, died_on=dt.date(2026, 1, 14), cause="non_relapse",
                 primary_cause="Infection")  # fmt: skip
    rows = {r.visit.code: r for r in cal.subject_calendar(subject, today=dt.date(2026, 3, 1)).rows}
    assert _ae(rows["C1D8"]).status == "not_required"
    assert _ae(rows["C1D1"]).status == "missed"  # before the death, nobody reviewed


def _overdue_c1d8(page):
    import re

    row = re.search(r'<tr class="overdue">(?:(?!</tr>).)*Cycle 1 day 8(?:(?!</tr>).)*</tr>', page)
    return row.group(0) if row else ""


def test_it_lists_a_missing_ae_review_on_the_dashboard_until_it_is_entered(
    client, personas, first_dose_on_day1
):
    subject = enrolled_subject(personas.nurse)
    client.force_login(personas.monitor)
    page = client.get(reverse("visits:dashboard")).content.decode()
    assert _overdue_c1d8(page).endswith("ino_admin, ae</td></tr>")
    _ae_review(subject, personas.nurse, dt.date(2026, 1, 19))
    page = client.get(reverse("visits:dashboard")).content.decode()
    assert _overdue_c1d8(page).endswith("labs, ino_admin</td></tr>")
