"""The cross-form edit checks that call inodli.protocol: dose vs BSA, AE dates and outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inodli.edc.core.services import save_record
from inodli.edc.governance.editchecks import _dose_matches_bsa
from inodli.edc.governance.models import Query
from inodli.edc.safety.models import AdverseEvent
from inodli.edc.safety.services import record_adverse_event
from inodli.edc.treatment.services import record_ino_administration
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest
from tests.edc.treatment.builders import blood_count, liver_tests

DAY1 = dt.date(2026, 1, 6)


class TestDoseAgainstBsa(PersonaTest):
    def test_it_accepts_the_computed_dose_and_queries_one_that_does_not_match(self) -> None:
        # Mosteller: sqrt(170 cm x 61.2 kg / 3600) = 1.70 m2; cycle 1 day 1 is 0.8 mg/m2
        # (label, Table 1) -> 1.360 mg
        subject = enrolled_subject(self.nurse, height_cm="170.0", weight_kg="61.2")
        liver_tests(subject, self.nurse, DAY1)
        blood_count(subject, self.nurse, DAY1, anc=1.2, platelets=60.0)
        dose = record_ino_administration(subject, self.nurse, cycle=1, day=1, administered_on=DAY1)
        assert not Query.objects.filter(check_code="INO_DOSE_BSA").exists()
        assert _dose_matches_bsa(dose) is None
        dose.calculated_mg = Decimal("1.500")  # e.g. an imported row computed elsewhere
        message = _dose_matches_bsa(dose)
        assert message is not None
        assert "0.80 mg/m2 x 1.70 m2 = 1.360 mg" in message
        dose.bsa_m2 = Decimal("1.80")
        assert "BSA recorded 1.80 m2" in (_dose_matches_bsa(dose) or "")


class TestAdverseEventChecks(PersonaTest):
    def test_it_queries_a_recovered_event_without_a_stop_date_until_one_is_given(self) -> None:
        subject = enrolled_subject(self.nurse)
        record_adverse_event(
            subject,
            self.nurse,
            term="Febrile neutropenia",
            started_on=DAY1,
            grade=3,
            relationship_ino="not_related",
            outcome="recovered",
        )
        query = Query.objects.get(check_code="AE_STOP_REQUIRED")
        assert query.assigned_role == "nurse"
        assert "no stop date" in query.text
        event = AdverseEvent.objects.get(subject=subject)
        event.stopped_on = DAY1 + dt.timedelta(days=5)
        save_record(event, self.nurse, reason="stop date from the discharge letter")
        query.refresh_from_db()
        assert query.status == "closed"


class TestVisitSignature(PersonaTest):
    def test_it_signs_one_visit_from_the_review_page(self, client) -> None:
        from inodli.edc.governance.models import Signature
        from inodli.edc.governance.views import _visits
        from tests.edc.personas import PASSWORD

        subject = enrolled_subject(self.nurse, height_cm="170.0", weight_kg="61.2")
        liver_tests(subject, self.nurse, DAY1)
        blood_count(subject, self.nurse, DAY1, anc=1.2, platelets=60.0)
        record_ino_administration(subject, self.nurse, cycle=1, day=1, administered_on=DAY1)
        visits = _visits(subject)
        code, (label, start, end) = next(v for v in visits if v[1][1] <= DAY1 <= v[1][2])
        client.force_login(self.investigator)
        response = client.post(
            f"/governance/subjects/{subject.pk}/",
            {"action": "sign", "password": PASSWORD, "visit": code},
        )
        assert response.status_code == 302
        signature = Signature.objects.get()
        assert (signature.scope, signature.visit_label) == ("visit", label)
        assert (signature.window_start, signature.window_end) == (start, end)
        assert any(row[0] == "treatment.inoadministration" for row in signature.records)
        page = client.get(f"/governance/subjects/{subject.pk}/").content.decode()
        assert f"[visit {label}]" in page


class TestFormLockCoversItsRows(PersonaTest):
    def test_it_refuses_a_change_to_a_lab_result_of_a_locked_lab_form(self) -> None:
        import pytest

        from inodli.edc.assessments.models import LabResult
        from inodli.edc.governance.locks import LockedError, lock

        subject = enrolled_subject(self.nurse)
        liver_tests(subject, self.nurse, DAY1)
        lock(self.data_manager, "form", "labs verified", subject=subject, form_code="LABS")
        result = LabResult.objects.filter(panel__subject=subject).first()
        result.value = result.value * 2
        with pytest.raises(LockedError):
            save_record(result, self.nurse, reason="typo")
