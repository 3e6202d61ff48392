from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inodli.edc.core.services import save_record
from inodli.edc.governance.locks import LockedError, content_digest, lock, unlock
from inodli.edc.governance.models import DatabaseSnapshot, NeverDeletedError, Signature
from inodli.edc.governance.sdv import mark_verified, sdv_state
from inodli.edc.governance.signatures import CASEBOOK_MEANING, sign
from inodli.edc.subjects.baseline import BodyMeasurement
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PASSWORD, PersonaTest

T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def _body(subject):
    return BodyMeasurement.objects.get(subject=subject)


class TestSignatures(PersonaTest):
    def test_it_signs_with_the_password_and_shows_name_time_and_meaning(self) -> None:
        self.investigator.first_name, self.investigator.last_name = "Li", "Chen"
        self.investigator.save()
        subject = enrolled_subject(self.nurse)
        signature = sign(self.investigator, PASSWORD, subject, now=T0)
        assert signature.valid
        assert str(signature) == f"Signed by Li Chen at 2026-03-01 09:30:00 UTC: {CASEBOOK_MEANING}"
        labels = {row[0] for row in signature.records}
        assert "subjects.bodymeasurement" in labels
        assert "subjects.consent" in labels

    def test_it_refuses_a_wrong_password_and_a_role_that_may_not_sign(self) -> None:
        subject = enrolled_subject(self.nurse)
        with pytest.raises(ValidationError) as error:
            sign(self.investigator, "wrong", subject)
        assert "password" in error.value.message_dict
        for user in (self.nurse, self.monitor, self.outsider):
            with pytest.raises(PermissionDenied):
                sign(user, PASSWORD, subject)
        assert Signature.objects.count() == 0

    def test_it_voids_the_signature_visibly_when_signed_data_change(self) -> None:
        subject = enrolled_subject(self.nurse)
        signature = sign(self.investigator, PASSWORD, subject, now=T0)
        body = _body(subject)
        body.weight_kg = Decimal("66.0")
        later = T0 + dt.timedelta(hours=1)
        save_record(body, self.nurse, reason="transcription error", now=later)
        signature.refresh_from_db()
        assert not signature.valid
        assert signature.voided_at == later
        assert "update" in signature.void_reason
        assert "nurse" in signature.void_reason
        assert "VOID since 2026-03-01 10:30 UTC" in str(signature)

    def test_it_keeps_a_visit_signature_when_data_outside_the_visit_change(self) -> None:
        subject = enrolled_subject(self.nurse)  # body measured 2026-01-05
        window = ("Cycle 2 day 1", dt.date(2026, 2, 1), dt.date(2026, 2, 7))
        signature = sign(self.investigator, PASSWORD, subject, window=window)
        body = _body(subject)
        body.weight_kg = Decimal("66.0")
        save_record(body, self.nurse, reason="typo")
        signature.refresh_from_db()
        assert signature.valid
        assert signature.records == []


class TestLocks(PersonaTest):
    def test_it_refuses_changes_to_a_locked_subject_until_unlocked(self) -> None:
        subject = enrolled_subject(self.nurse)
        found = lock(self.data_manager, "subject", "casebook review done", subject=subject)
        body = _body(subject)
        body.weight_kg = Decimal("70.0")
        with pytest.raises(LockedError) as error:
            save_record(body, self.nurse, reason="typo")
        assert "locked" in str(error.value)
        assert _body(subject).weight_kg == Decimal("65.0")
        unlock(self.data_manager, found, "query on weight")
        save_record(body, self.nurse, reason="typo")
        assert _body(subject).weight_kg == Decimal("70.0")

    def test_it_locks_one_form_only(self) -> None:
        subject = enrolled_subject(self.nurse)
        lock(self.data_manager, "form", "verified", subject=subject, form_code="BODY")
        body = _body(subject)
        body.weight_kg = Decimal("70.0")
        with pytest.raises(LockedError):
            save_record(body, self.nurse, reason="typo")
        enrolled_subject(self.nurse, initials="XYZ")  # other subjects and forms stay open

    def test_it_needs_a_reason_and_the_data_manager(self) -> None:
        subject = enrolled_subject(self.nurse)
        with pytest.raises(ValidationError):
            lock(self.data_manager, "subject", " ", subject=subject)
        for user in (self.nurse, self.monitor, self.investigator, self.statistician):
            with pytest.raises(PermissionDenied):
                lock(user, "subject", "x", subject=subject)

    def test_it_freezes_a_snapshot_at_database_lock(self) -> None:
        subject = enrolled_subject(self.nurse)
        found = lock(self.data_manager, "database", "final analysis cut-off")
        snapshot = DatabaseSnapshot.objects.get(lock=found)
        rows = snapshot.content["subjects.bodymeasurement"]
        assert rows[0]["weight_kg"] == "65.0"
        assert rows[0]["subject"] == subject.pk
        assert snapshot.content_sha256 == content_digest(snapshot.content)
        with pytest.raises(LockedError):
            enrolled_subject(self.nurse, initials="NEW")
        snapshot.content = {}
        with pytest.raises(NeverDeletedError):
            snapshot.save()


class TestSourceDataVerification(PersonaTest):
    def test_it_marks_a_form_verified_and_stale_after_a_change(self) -> None:
        subject = enrolled_subject(self.nurse)
        body = _body(subject)
        assert sdv_state(body) == "not verified"
        mark_verified(self.monitor, body, "matches the ward chart")
        assert sdv_state(body) == "verified"
        body.weight_kg = Decimal("64.0")
        save_record(body, self.nurse, reason="typo")
        assert sdv_state(body) == "stale"

    def test_it_lets_only_monitors_verify(self) -> None:
        body = _body(enrolled_subject(self.nurse))
        for user in (self.nurse, self.data_manager, self.investigator, self.statistician):
            with pytest.raises(PermissionDenied):
                mark_verified(user, body)
