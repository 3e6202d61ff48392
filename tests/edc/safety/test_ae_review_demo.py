"""The demo study records the AE review of every visit that expects one, answered consistently
with its adverse events: no visit misses its review and no review raises a query."""

from __future__ import annotations

import datetime as dt

import pytest

from inodli.edc.demo import generator
from inodli.edc.governance.models import Query
from inodli.edc.safety.models import AdverseEvent, AdverseEventReview
from inodli.edc.subjects.models import Enrolment, Subject
from inodli.edc.visits.calendar import calendars_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def test_the_demo_reviews_every_visit_and_answers_as_its_adverse_events_say(monkeypatch):
    monkeypatch.setattr(generator, "N_PATIENTS", 4)
    generator.build_demo_study(seed=20261124, today=TODAY)
    enrolled = list(Subject.objects.filter(pk__in=Enrolment.objects.values("subject_id")))
    calendars = calendars_for(enrolled, TODAY)
    missing = [
        (str(cal.subject), row.visit.code)
        for cal in calendars
        for row in cal.rows
        if "ae" in row.missing
    ]
    assert missing == []
    assert AdverseEvent.objects.exists()  # the checks below are about something
    assert AdverseEventReview.objects.count() >= 4 * 8  # cycles 1-2 alone have 8 such visits
    assert not Query.objects.filter(check_code="AE_REVIEW_MATCHES_AES").exists()
    # every adverse event falls in the interval of a "Yes" review (or after the last review)
    for event in AdverseEvent.objects.all():
        reviews = AdverseEventReview.objects.filter(subject=event.subject)
        covering = reviews.filter(reviewed_on__gte=event.started_on).order_by("reviewed_on").first()
        assert covering is None or covering.any_events == "yes", event
    assert (
        AdverseEventReview.objects.filter(any_events="yes").count() <= AdverseEvent.objects.count()
    )
