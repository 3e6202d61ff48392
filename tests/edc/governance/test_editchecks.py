from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from inodli.edc.core.services import save_record
from inodli.edc.governance.editchecks import run_batch
from inodli.edc.governance.models import Query
from inodli.edc.subjects.baseline import BodyMeasurement
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest


class TestEditChecksAtEntry(PersonaTest):
    def test_it_opens_a_query_for_an_implausible_weight_and_closes_it_when_corrected(self) -> None:
        subject = enrolled_subject(self.nurse, weight_kg="160.0")  # DMP range 30-150 kg
        query = Query.objects.get(check_code="BODY_WEIGHT_RANGE")
        assert query.origin == "edit_check"
        assert query.status == "open"
        assert query.field_name == "weight_kg"
        assert "160.0" in query.text
        body = BodyMeasurement.objects.get(subject=subject)
        body.weight_kg = Decimal("60.0")
        save_record(body, self.nurse, reason="typed 160 for 60")
        query.refresh_from_db()
        assert query.status == "closed"
        assert query.events.last().text == "resolved by a data correction"

    def test_it_raises_no_query_for_plausible_data(self) -> None:
        enrolled_subject(self.nurse)
        assert Query.objects.count() == 0


class TestBatch(PersonaTest):
    def test_it_runs_every_check_once_per_failure(self) -> None:
        enrolled_subject(self.nurse, height_cm="250.0")  # outside 130-210 cm
        findings = run_batch(self.data_manager)
        assert [f.check for f in findings] == ["BODY_HEIGHT_RANGE"]
        assert Query.objects.filter(check_code="BODY_HEIGHT_RANGE").count() == 1

    def test_it_is_for_the_data_manager(self) -> None:
        with pytest.raises(PermissionDenied):
            run_batch(self.monitor)
