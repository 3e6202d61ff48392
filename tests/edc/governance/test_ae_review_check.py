"""Edit check AE_REVIEW_MATCHES_AES: a "Yes" with no adverse event started or worsened since the
previous review, or a "No" with one, opens a query; correcting either side closes it, whatever
the order of entry. Day 1 = 2026-01-06 (see tests/edc/safety/builders.py)."""

from __future__ import annotations

import datetime as dt

from inodli.edc.core.services import delete_record, save_record
from inodli.edc.governance.editchecks import CHECKS, run_batch
from inodli.edc.governance.models import Query
from inodli.edc.safety.services import record_adverse_event, record_ae_review
from tests.edc.personas import PersonaTest
from tests.edc.safety.builders import DAY1, dosed_subject

CODE = "AE_REVIEW_MATCHES_AES"
C1D8 = dt.date(2026, 1, 13)


def _queries(status=None):
    rows = Query.objects.filter(check_code=CODE)
    return rows.filter(status=status) if status else rows


class TestAeReviewCheck(PersonaTest):
    def _review(self, subject, on, answer):
        return record_ae_review(subject, self.nurse, reviewed_on=on, any_events=answer,
                                reviewed_by="Dr Chen")  # fmt: skip

    def _nausea(self, subject, on):
        return record_adverse_event(subject, self.nurse, term="Nausea", started_on=on, grade=2,
                                    relationship_ino="possible")  # fmt: skip

    def test_it_is_declared_on_the_review_answer(self) -> None:
        check = next(c for c in CHECKS if c.code == CODE)
        assert (check.form_code, check.field) == ("AE_REVIEW", "any_events")

    def test_it_queries_a_yes_without_an_adverse_event_until_one_is_recorded(self) -> None:
        subject = dosed_subject(self.nurse)
        self._review(subject, DAY1, "no")
        review = self._review(subject, C1D8, "yes")
        query = _queries().get()
        assert (query.object_pk, query.field_name, query.assigned_role) == (
            str(review.pk),
            "any_events",
            "nurse",
        )
        assert "answers Yes" in query.text
        assert "after the previous AE review of 2026-01-06 up to 2026-01-13" in query.text
        self._nausea(subject, dt.date(2026, 1, 11))  # entered after the review: still closes it
        query.refresh_from_db()
        assert query.status == Query.Status.CLOSED
        assert not _queries().exclude(status=Query.Status.CLOSED).exists()

    def test_it_queries_a_no_while_an_adverse_event_started_in_the_interval(self) -> None:
        subject = dosed_subject(self.nurse)
        self._nausea(subject, dt.date(2026, 1, 11))
        review = self._review(subject, C1D8, "no")
        query = _queries().get()
        assert "answers No" in query.text
        assert "Nausea started 2026-01-11 (grade 2)" in query.text
        assert "on or before 2026-01-13 (no earlier AE review)" in query.text
        review.any_events = "yes"
        save_record(review, self.nurse, reason="the patient had nausea on day 6")
        query.refresh_from_db()
        assert query.status == Query.Status.CLOSED

    def test_it_queries_a_no_when_the_adverse_event_is_entered_after_the_review(self) -> None:
        subject = dosed_subject(self.nurse)
        self._review(subject, DAY1, "no")
        self._review(subject, C1D8, "no")
        assert not _queries().exists()
        event = self._nausea(subject, dt.date(2026, 1, 10))
        query = _queries().get()
        assert "Nausea started 2026-01-10" in query.text
        # the AE belongs to the C1D8 review's interval only: the C1D1 review stays unqueried
        assert query.object_pk == str(
            subject.safety_adverseeventreview_set.get(reviewed_on=C1D8).pk
        )
        delete_record(event, self.nurse, "entered for the wrong patient")
        query.refresh_from_db()
        assert query.status == Query.Status.CLOSED

    def test_it_leaves_an_adverse_event_before_the_previous_review_to_that_review(self) -> None:
        subject = dosed_subject(self.nurse)
        self._nausea(subject, DAY1)
        self._review(subject, DAY1, "yes")
        self._review(subject, C1D8, "no")
        assert not _queries().exists()

    def test_the_batch_run_finds_the_same_mismatch(self) -> None:
        subject = dosed_subject(self.nurse)
        self._review(subject, C1D8, "yes")
        findings = [f for f in run_batch(self.data_manager) if f.check == CODE]
        assert [(f.field, f.record.reviewed_on) for f in findings] == [("any_events", C1D8)]
