"""The visit's AE review: saved through the service layer, one per visit, a clear refusal of a
bad answer, and the adverse events started or worsened in the interval it covers.

Visit windows are the protocol schedule's for Day 1 = 2026-01-06 (see ``builders``). Grades
allowed per term are CTCAE v5.0's: Nausea has grades 1-3.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import save_record
from inodli.edc.safety import ae_review
from inodli.edc.safety.models import AdverseEventReview
from inodli.edc.safety.services import (
    record_adverse_event,
    record_ae_review,
    record_grade_change,
)
from tests.edc.safety.builders import C1D8, DAY1, dosed_subject

pytestmark = pytest.mark.django_db


def review(subject, user, on, answer="no", **kwargs):
    return record_ae_review(
        subject, user, reviewed_on=on, any_events=answer, reviewed_by="Dr Chen", **kwargs
    )


def test_it_saves_a_review_with_its_audit_event(nurse):
    subject = dosed_subject(nurse)
    saved = review(subject, nurse, DAY1, "no")
    event = AuditEvent.objects.get(model_label="safety.adverseeventreview")
    assert event.object_pk == str(saved.pk)
    assert event.subject_id == subject.pk
    assert event.changes["any_events"] == [None, "no"]
    assert event.changes["reviewed_on"] == [None, "2026-01-06"]
    assert event.changes["reviewed_by"] == [None, "Dr Chen"]
    assert saved.version == 1


def test_it_refuses_a_second_review_of_the_same_visit_and_keeps_the_first(nurse):
    subject = dosed_subject(nurse)
    first = review(subject, nurse, C1D8[0] + dt.timedelta(days=1), "no")  # 2026-01-13
    with pytest.raises(ValidationError) as refused:
        review(subject, nurse, C1D8[1], "yes")  # 2026-01-15, the same C1D8 window
    message = refused.value.message_dict["reviewed_on"][0]
    assert "visit C1D8" in message
    assert "window 2026-01-12 to 2026-01-15" in message
    assert "dated 2026-01-13" in message
    assert list(AdverseEventReview.objects.values_list("pk", "any_events")) == [(first.pk, "no")]


def test_it_refuses_a_second_review_of_the_same_day_even_outside_the_visit_windows(nurse):
    subject = dosed_subject(nurse)
    unscheduled = dt.date(2026, 1, 9)  # between the C1D1 and C1D8 windows
    review(subject, nurse, unscheduled)
    with pytest.raises(ValidationError) as refused:
        review(subject, nurse, unscheduled, "yes")
    assert "dated 2026-01-09 is already recorded" in refused.value.message_dict["reviewed_on"][0]
    assert AdverseEventReview.objects.count() == 1


def test_it_accepts_one_review_per_visit_and_an_unscheduled_one_between(nurse):
    subject = dosed_subject(nurse)
    for on in (DAY1, dt.date(2026, 1, 9), C1D8[0], dt.date(2026, 1, 20)):
        review(subject, nurse, on)
    assert AdverseEventReview.objects.filter(subject=subject).count() == 4


def test_it_lets_a_review_be_corrected_without_calling_it_a_duplicate(nurse):
    subject = dosed_subject(nurse)
    saved = review(subject, nurse, C1D8[0])
    saved.any_events = "yes"
    event = save_record(saved, nurse, reason="patient reported nausea on the phone")
    assert event is not None
    assert event.changes == {"any_events": ["no", "yes"]}


@pytest.mark.parametrize("answer", ["maybe", "", "YES"])
def test_it_names_the_field_the_allowed_answers_and_the_value_received(nurse, answer):
    subject = dosed_subject(nurse)
    with pytest.raises(ValidationError) as refused:
        review(subject, nurse, DAY1, answer)
    messages = " ".join(refused.value.message_dict["any_events"])
    if answer:
        assert repr(answer) in messages
        assert "answer yes or no" in messages
    else:
        assert "This field cannot be blank." in messages
    assert not AdverseEventReview.objects.exists()


def test_it_refuses_a_review_before_consent_beside_the_date(nurse):
    subject = dosed_subject(nurse)  # consent 2026-01-05
    with pytest.raises(ValidationError) as refused:
        review(subject, nurse, dt.date(2026, 1, 4))
    assert "before the informed consent" in refused.value.message_dict["reviewed_on"][0]


def test_it_needs_who_reviewed(nurse):
    subject = dosed_subject(nurse)
    with pytest.raises(ValidationError) as refused:
        record_ae_review(subject, nurse, reviewed_on=DAY1, any_events="no", reviewed_by="")
    assert "reviewed_by" in refused.value.message_dict


class TestInterval:
    """Nausea grade 1 from 2026-01-10, grade 3 from 2026-01-16 (worse), grade 2 from
    2026-01-21 (better); reviews on 2026-01-06, 01-13, 01-20 and 01-27."""

    @pytest.fixture
    def subject(self, nurse):
        subject = dosed_subject(nurse)
        nausea = record_adverse_event(subject, nurse, term="Nausea", started_on=dt.date(2026, 1, 10),
                                      grade=1, relationship_ino="possible")  # fmt: skip
        record_grade_change(nausea, nurse, effective_on=dt.date(2026, 1, 16), grade=3)
        record_grade_change(nausea, nurse, effective_on=dt.date(2026, 1, 21), grade=2)
        return subject

    def test_the_first_review_covers_everything_up_to_its_date(self, subject, nurse):
        first = review(subject, nurse, DAY1, "no")
        assert ae_review.review_interval(first) == (None, DAY1)
        assert ae_review.events_in_interval(subject, None, DAY1) == []

    def test_a_later_review_covers_the_days_after_the_previous_one(self, subject, nurse):
        review(subject, nurse, DAY1, "no")
        second = review(subject, nurse, dt.date(2026, 1, 13), "yes")
        assert ae_review.review_interval(second) == (DAY1, dt.date(2026, 1, 13))
        found = ae_review.events_in_interval(subject, DAY1, dt.date(2026, 1, 13))
        assert [(e.change, e.on, e.grade) for e in found] == [("started", dt.date(2026, 1, 10), 1)]
        assert str(found[0]) == "Nausea started 2026-01-10 (grade 1)"

    def test_a_higher_grade_counts_as_worsened_and_a_lower_one_does_not(self, subject, nurse):
        worsened = ae_review.events_in_interval(subject, dt.date(2026, 1, 13), dt.date(2026, 1, 20))
        assert [(e.change, e.on, e.grade) for e in worsened] == [
            ("worsened", dt.date(2026, 1, 16), 3)
        ]
        assert (
            ae_review.events_in_interval(subject, dt.date(2026, 1, 20), dt.date(2026, 1, 27)) == []
        )

    def test_the_answer_the_records_support_follows_the_previous_review(self, subject, nurse):
        assert ae_review.answer_from_records(subject, DAY1) == "no"
        review(subject, nurse, DAY1, "no")
        assert ae_review.answer_from_records(subject, dt.date(2026, 1, 13)) == "yes"
        review(subject, nurse, dt.date(2026, 1, 13), "yes")
        review(subject, nurse, dt.date(2026, 1, 20), "yes")
        assert ae_review.answer_from_records(subject, dt.date(2026, 1, 27)) == "no"
