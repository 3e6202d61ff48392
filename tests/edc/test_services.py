"""The service layer: versioning, reasons, stale saves and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from inodli.edc.core.models import AuditEvent, AuditTrailAppendOnlyError
from inodli.edc.core.services import (
    ReasonRequiredError,
    StaleVersionError,
    delete_record,
    save_record,
)
from inodli.edc.subjects.models import Consent, Subject
from tests.edc.factories import consented_subject, registered_subject

NOW = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def test_it_creates_a_record_at_version_1_with_a_create_audit_row(nurse):
    subject = registered_subject(nurse)
    consent = Consent(
        subject=subject,
        consent_date=dt.date(2026, 1, 5),
        consent_version="1.0",
        obtained_by="Dr Li",
    )
    event = save_record(consent, nurse, now=NOW)
    assert consent.version == 1
    assert consent.created == consent.modified == NOW
    assert event is not None
    assert event.action == "create"
    assert event.subject_id == subject.pk
    assert event.changes["consent_version"] == [None, "1.0"]
    assert event.changes["consent_date"] == [None, "2026-01-05"]
    assert event.username == "nurse"


def test_it_refuses_a_change_without_a_reason_and_keeps_the_stored_value(nurse):
    subject = consented_subject(nurse)
    consent = Consent.objects.get(subject=subject)
    consent.consent_version = "2.0"
    with pytest.raises(ReasonRequiredError):
        save_record(consent, nurse)
    assert Consent.objects.get(pk=consent.pk).consent_version == "1.0"


def test_it_audits_a_change_with_old_new_and_reason(nurse, personas):
    subject = consented_subject(nurse)
    consent = Consent.objects.get(subject=subject)
    consent.consent_version = "1.1"
    event = save_record(consent, personas.investigator, reason="typo in version", now=NOW)
    assert event is not None
    assert event.action == "update"
    assert event.changes == {"consent_version": ["1.0", "1.1"]}
    assert event.reason == "typo in version"
    stored = Consent.objects.get(pk=consent.pk)
    assert (stored.version, stored.modified, stored.modified_by) == (2, NOW, personas.investigator)


def test_it_writes_nothing_when_nothing_changed(nurse):
    subject = consented_subject(nurse)
    consent = Consent.objects.get(subject=subject)
    before = AuditEvent.objects.count()
    assert save_record(consent, nurse) is None
    assert AuditEvent.objects.count() == before
    assert Consent.objects.get(pk=consent.pk).version == 1


def test_it_refuses_the_later_of_two_edits_opened_at_the_same_version(nurse, personas):
    subject = consented_subject(nurse)
    first = Consent.objects.get(subject=subject)
    second = Consent.objects.get(subject=subject)
    first.obtained_by = "Dr Wang"
    save_record(first, nurse, reason="wrong name", now=NOW)
    second.consent_version = "9.9"
    with pytest.raises(StaleVersionError) as caught:
        save_record(second, personas.investigator, reason="other fix")
    message = caught.value.messages[0]
    assert "changed by nurse at 2026-03-01 08:30:00 UTC after you opened it" in message
    assert "reload" in message
    stored = Consent.objects.get(pk=first.pk)
    assert (stored.obtained_by, stored.consent_version, stored.version) == ("Dr Wang", "1.0", 2)


def test_it_honours_the_version_the_form_was_opened_at(nurse):
    subject = consented_subject(nurse)
    consent = Consent.objects.get(subject=subject)
    consent.obtained_by = "Dr Zhao"
    with pytest.raises(StaleVersionError):
        save_record(consent, nurse, reason="fix", expected_version=0)


def test_it_deletes_only_with_a_reason_and_keeps_the_old_values(nurse):
    subject = consented_subject(nurse)
    consent = Consent.objects.get(subject=subject)
    with pytest.raises(ReasonRequiredError):
        delete_record(consent, nurse, "  ")
    event = delete_record(consent, nurse, "entered for the wrong patient", now=NOW)
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert event.action == "delete"
    assert event.changes["consent_version"] == ["1.0", None]
    assert (
        AuditEvent.objects.filter(model_label="subjects.consent", object_pk=str(consent.pk)).count()
        == 2
    )


def test_it_refuses_a_stale_delete(nurse):
    subject = consented_subject(nurse)
    stale = Consent.objects.get(subject=subject)
    fresh = Consent.objects.get(subject=subject)
    fresh.obtained_by = "Dr Sun"
    save_record(fresh, nurse, reason="name")
    with pytest.raises(StaleVersionError):
        delete_record(stale, nurse, "duplicate")
    assert Consent.objects.filter(pk=stale.pk).exists()


def test_it_runs_model_validation_before_saving(nurse):
    subject = Subject(
        screening_number="SCR-001", initials="toolong", registered_on=dt.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        save_record(subject, nurse)
    assert "initials" in caught.value.message_dict
    assert not Subject.objects.exists()


def test_it_refuses_anonymous_writers(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionError):
        save_record(
            Subject(screening_number="SCR-001", initials="AB", registered_on=dt.date(2026, 1, 1)),
            AnonymousUser(),
        )


def test_it_forbids_changing_or_deleting_audit_events_through_the_orm(nurse):
    registered_subject(nurse)
    event = AuditEvent.objects.first()
    assert event is not None
    event.reason = "rewritten history"
    with pytest.raises(AuditTrailAppendOnlyError):
        event.save()
    with pytest.raises(AuditTrailAppendOnlyError):
        event.delete()
    with pytest.raises(AuditTrailAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AuditTrailAppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET reason = 'forged'", "DELETE FROM core_auditevent"]
)
def test_it_forbids_changing_audit_events_in_raw_sql(nurse, statement):
    registered_subject(nurse)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(reason="forged").count() == 0
    assert AuditEvent.objects.count() == 1
