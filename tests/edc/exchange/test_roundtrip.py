"""Exchange round trips.

ODM: an export imported into an empty study reproduces it exactly: every record with its id,
version, timestamps and authors, the audit trail, the signatures (valid and void) and the
governance rows (queries and their steps, SDV marks, locks, snapshots); exporting the copy gives
the same document. CSV: every exchanged value (ids and versions are the new study's own).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from inodli.edc.core.models import BOOKKEEPING_FIELDS, AuditEvent
from inodli.edc.core.roles import Role, roles_of
from inodli.edc.core.services import delete_record, save_record
from inodli.edc.exchange.odm import export_odm, import_odm
from inodli.edc.exchange.odm_history import GOVERNANCE_MODELS
from inodli.edc.governance.locks import captured_models, lock, study_snapshot
from inodli.edc.governance.models import ImportRun, Query, Signature
from inodli.edc.governance.queries import answer_query, close_query, open_query
from inodli.edc.governance.sdv import mark_verified
from inodli.edc.governance.signatures import sign
from inodli.edc.subjects import models as m
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PASSWORD, PersonaTest, make_user

EXPORTED_AT = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class _Rollback(Exception):
    pass


def _row(obj: Any) -> dict[str, Any]:
    """Every column of a row; links to accounts by login name (account ids are each study's)."""
    out = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if f.is_relation and f.related_model._meta.label == settings.AUTH_USER_MODEL:
            value = None if value is None else get_user_model().objects.get(pk=value).username
        out[f.attname] = value
    return out


def full_state() -> dict[str, list[dict[str, Any]]]:
    """Every captured record, audit event, signature and governance row, column by column."""
    tables = [*captured_models(), AuditEvent, Signature, *map(apps.get_model, GOVERNANCE_MODELS)]
    return {
        model._meta.label_lower: [_row(obj) for obj in model._default_manager.order_by("pk")]
        for model in tables
    }


def export_then_empty(build: Any) -> tuple[str, dict[str, Any]]:
    """Build a study inside a savepoint, export it, then roll it back (an empty study)."""
    captured: dict[str, Any] = {}
    try:
        with transaction.atomic():
            build()
            captured["odm"] = export_odm(now=EXPORTED_AT)
            captured["expected"] = full_state()
            raise _Rollback
    except _Rollback:
        pass
    assert not any(full_state().values())
    return captured["odm"], captured["expected"]


def governed_study(personas: PersonaTest) -> None:
    """Two subjects with a changed and a deleted record, a signed and a voided casebook, a manual
    query answered and closed, an edit-check query, an SDV mark, a form lock released and a
    subject lock, entered partly by a sub-investigator whose account exists only here."""
    sub = make_user("subinv", Role.SUB_INVESTIGATOR)
    sub.first_name, sub.last_name = "Lin", "Zhou"
    sub.save()
    first = enrolled_subject(personas.nurse, initials="ABC")
    second = enrolled_subject(sub, initials="XYZ", weight_kg="160.0")  # edit-check query
    body = m.BodyMeasurement.objects.get(subject=first)
    body.weight_kg = body.weight_kg + 1
    save_record(body, personas.nurse, reason="re-weighed on a calibrated scale")
    sign(personas.investigator, PASSWORD, first)
    body.weight_kg = body.weight_kg + 1
    save_record(body, personas.nurse, reason="transcription error")  # voids the signature
    sign(personas.investigator, PASSWORD, first)
    query = open_query(personas.monitor, second, "Please confirm the weight against source.")
    answer_query(personas.nurse, query, "Confirmed: 160 kg in the clinic notes.")
    close_query(personas.monitor, query, "Verified at the visit.")
    mark_verified(personas.monitor, body, "matches the source")
    extra = m.BodyMeasurement.objects.get(subject=second)
    delete_record(extra, sub, "entered for the wrong patient")
    form_lock = lock(
        personas.data_manager, "form", "BODY reviewed", subject=first, form_code="BODY"
    )
    from inodli.edc.governance.locks import unlock

    unlock(personas.data_manager, form_lock, "reopened for a late correction")
    lock(personas.data_manager, "subject", "casebook complete", subject=first)


class TestOdmRoundTrip(PersonaTest):
    def test_it_reproduces_a_governed_study_and_its_history_exactly(self) -> None:
        odm, expected = export_then_empty(lambda: governed_study(self))
        assert expected["core.auditevent"]
        assert any(s["voided_at"] for s in expected["governance.signature"])
        report = import_odm(odm, self.data_manager)
        assert report.ok, str(report)
        assert report.mode == "replicate"
        assert full_state() == expected
        # the sub-investigator's account is back, inactive and without a usable password
        assert report.accounts_created == ("subinv",)
        sub = get_user_model().objects.get(username="subinv")
        assert not sub.is_active
        assert not sub.has_usable_password()
        assert roles_of(sub) == frozenset({Role.SUB_INVESTIGATOR})
        sub.is_active = True  # as the administrator does
        sub.save()
        assert export_odm(now=EXPORTED_AT) == odm
        run = ImportRun.objects.get()
        assert (run.mode, run.accepted, run.user) == ("replicate", True, self.data_manager)
        assert run.history_rows == report.history_rows > 0

    def test_the_copy_goes_on_with_new_ids_after_the_imported_ones(self) -> None:
        odm, expected = export_then_empty(lambda: governed_study(self))
        assert import_odm(odm, self.data_manager).ok
        highest = max(row["id"] for row in expected["subjects.subject"])
        newcomer = enrolled_subject(self.nurse, initials="NEW")
        assert newcomer.pk > highest
        assert AuditEvent.objects.order_by("-pk").first().object_pk == str(
            m.BodyMeasurement.objects.get(subject=newcomer).pk
        )

    def test_a_changed_signed_value_rejects_the_file(self) -> None:
        odm, _expected = export_then_empty(lambda: governed_study(self))
        signed = 'ItemOID="I.BODY.weight_kg" Value="67.0"'
        tampered = odm.replace(signed, signed.replace("67.0", "66.0"))
        assert tampered != odm
        report = import_odm(tampered, self.data_manager)
        assert not report.ok
        assert [(e.form_code, e.field) for e in report.errors] == [
            ("SIGNATURE", "inodli:ContentSHA256")
        ]
        assert not any(full_state().values())
        assert ImportRun.objects.get().accepted is False

    def test_an_author_missing_from_the_users_rejects_the_file_naming_the_line(self) -> None:
        odm, _expected = export_then_empty(lambda: governed_study(self))
        monitor = f"U.{self.monitor.username}"
        stray = odm.replace(f'<User OID="{monitor}"', '<User OID="U.gone"')
        assert stray != odm
        report = import_odm(stray, self.data_manager)
        assert not report.ok
        lines = stray.splitlines()
        # the monitor raised the query and verified the source; the query's steps then point
        # to a refused query
        unknown = [e for e in report.errors if "not among the file's users" in e.message]
        assert {e.field for e in unknown} == {"opened_by_id", "user_id", "verified_by_id"}
        for error in report.errors:
            assert error.form_code == "GOVERNANCE"
            assert "<inodli:Row " in lines[error.line - 1]
        assert unknown[0].message == f"user {monitor!r} is not among the file's users"
        assert not any(full_state().values())

    def test_into_a_study_with_data_it_adds_the_records_and_says_the_history_was_not_replayed(
        self,
    ) -> None:
        odm, expected = export_then_empty(lambda: enrolled_subject(self.nurse, initials="ABC"))
        save_record(
            m.Subject(screening_number="SCR-900", initials="OLD", registered_on=EXPORTED_AT.date()),
            self.nurse,
        )
        report = import_odm(odm, self.data_manager)
        assert report.ok, str(report)
        assert report.mode == "merge"
        assert "not replayed" in report.notes[0]
        creates = AuditEvent.objects.filter(action="create", reason="imported")
        assert (
            creates.count()
            == report.imported
            == sum(len(rows) for label, rows in expected.items() if label in _captured_labels())
        )
        assert set(creates.values_list("username", flat=True)) == {self.data_manager.username}

    @pytest.mark.slow
    def test_it_reproduces_the_demo_study_exactly(self) -> None:
        from inodli.edc.demo.generator import build_demo_study

        odm, expected = export_then_empty(
            lambda: build_demo_study(seed=7, today=dt.date(2026, 11, 1))
        )
        assert len(expected["subjects.subject"]) >= 23
        report = import_odm(odm, self.data_manager)
        assert report.ok, str(report)[:3000]
        assert full_state() == expected
        get_user_model().objects.filter(username__in=report.accounts_created).update(
            is_active=True
        )  # as the administrator does
        assert export_odm(now=EXPORTED_AT) == odm


def _captured_labels() -> set[str]:
    return {model._meta.label_lower for model in captured_models()}


def normalised() -> dict[str, list[dict[str, Any]]]:
    """The study snapshot with ids (and links) replaced by each record's rank in its table."""
    snapshot = study_snapshot()
    rank = {label: {row["id"]: i for i, row in enumerate(rows)} for label, rows in snapshot.items()}
    out = {}
    for label, rows in snapshot.items():
        model = apps.get_model(label)
        links = {
            f.name: f.related_model._meta.label_lower
            for f in model._meta.concrete_fields
            if f.is_relation and f.name not in BOOKKEEPING_FIELDS
        }
        out[label] = [
            {
                name: (rank[links[name]][value] if name in links and value is not None else value)
                for name, value in row.items()
                if name not in ("id", "version")
            }
            for row in rows
        ]
    return out


class TestCsvRoundTrip(PersonaTest):
    def test_every_form_exported_as_csv_imports_back_into_an_empty_study(self) -> None:
        from inodli.edc.exchange.csvio import export_form_csv, import_form_csv
        from inodli.edc.exchange.fields import exchanged_forms

        def build() -> None:
            enrolled_subject(self.nurse, initials="ABC")
            enrolled_subject(self.nurse, initials="XYZ", weight_kg="160.0")

        captured: dict[str, Any] = {}
        try:
            with transaction.atomic():
                build()
                captured["csv"] = {f.code: export_form_csv(f.code) for f in exchanged_forms()}
                captured["expected"] = normalised()
                raise _Rollback
        except _Rollback:
            pass
        # parents before children: the ODM's order of entry is not in a CSV
        for code in ("SUBJECT", "CONSENT"):
            report = import_form_csv(code, captured["csv"].pop(code), self.data_manager)
            assert report.ok, str(report)
        for code, text in captured["csv"].items():
            if text.count("\n") > 1:
                report = import_form_csv(code, text, self.data_manager)
                assert report.ok, f"{code}: {report}"
        assert normalised() == captured["expected"]
        assert list(Query.objects.values_list("check_code", flat=True)) == ["BODY_WEIGHT_RANGE"]
