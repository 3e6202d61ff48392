"""The JSON API: the pages' permissions per persona, the pages' rules on writes, OpenAPI."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from inodli.edc.governance.models import Query
from inodli.edc.governance.queries import open_query
from inodli.edc.subjects.baseline import BodyMeasurement
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest

ALL = ["investigator", "nurse", "pharmacist", "data_manager", "monitor", "statistician"]
ENTER = {"investigator", "nurse", "pharmacist", "data_manager"}


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class TestReading(PersonaTest):
    @pytest.mark.parametrize("persona", ALL)
    def test_it_lets_every_study_role_read(self, persona) -> None:
        subject = enrolled_subject(self.nurse)
        client = as_user(getattr(self, persona))
        subjects = client.get("/api/subjects/")
        assert subjects.status_code == 200
        assert subjects.json()[0]["study_id"] == "INODLI-001"
        body = client.get(f"/api/subjects/{subject.pk}/forms/BODY/").json()
        assert body[0]["values"]["weight_kg"] == "65.0"

    def test_it_gives_an_outsider_and_an_anonymous_caller_nothing(self) -> None:
        enrolled_subject(self.nurse)
        assert as_user(self.outsider).get("/api/subjects/").status_code == 403
        assert APIClient().get("/api/subjects/").status_code in (401, 403)
        assert APIClient().get("/api/queries/").status_code in (401, 403)


class TestWriting(PersonaTest):
    @pytest.mark.parametrize("persona", [*ALL, "outsider"])
    def test_it_lets_only_data_entry_roles_enter_a_form(self, persona) -> None:
        subject = enrolled_subject(self.nurse)
        payload = {
            "values": {"measured_on": "2026-02-01", "height_cm": "170.0", "weight_kg": "64.0"}
        }
        response = as_user(getattr(self, persona)).post(
            f"/api/subjects/{subject.pk}/forms/BODY/", payload, format="json"
        )
        assert response.status_code == (201 if persona in ENTER else 403)
        assert BodyMeasurement.objects.count() == (2 if persona in ENTER else 1)

    def test_it_applies_the_form_rules_and_names_the_field(self) -> None:
        subject = enrolled_subject(self.nurse)
        payload = {
            "values": {"measured_on": "2026-01-01", "height_cm": "170.0", "weight_kg": "64.0"}
        }  # before consent (2026-01-05)
        response = as_user(self.nurse).post(
            f"/api/subjects/{subject.pk}/forms/BODY/", payload, format="json"
        )
        assert response.status_code == 422
        assert "before the informed consent" in response.json()["errors"]["measured_on"][0]

    def test_it_needs_a_reason_and_the_current_version_to_change_a_record(self) -> None:
        subject = enrolled_subject(self.nurse)
        body = BodyMeasurement.objects.get(subject=subject)
        url = f"/api/subjects/{subject.pk}/forms/BODY/{body.pk}/"
        values = {"measured_on": "2026-01-05", "height_cm": "170.0", "weight_kg": "66.0"}
        nurse = as_user(self.nurse)
        no_reason = nurse.put(url, {"values": values, "version": 1}, format="json")
        assert no_reason.status_code == 422
        assert "reason" in no_reason.json()["errors"]
        ok = nurse.put(url, {"values": values, "version": 1, "reason": "typo"}, format="json")
        assert ok.status_code == 200
        assert ok.json()["version"] == 2
        stale = nurse.put(url, {"values": values, "version": 1, "reason": "again"}, format="json")
        assert stale.status_code == 422
        assert "changed by nurse" in str(stale.json())

    def test_it_takes_a_query_through_its_life_with_the_roles_of_the_pages(self) -> None:
        subject = enrolled_subject(self.nurse)
        raised = as_user(self.nurse).post(
            "/api/queries/", {"subject_id": subject.pk, "text": "?"}, format="json"
        )
        assert raised.status_code == 403
        created = as_user(self.monitor).post(
            "/api/queries/", {"subject_id": subject.pk, "text": "Check weight"}, format="json"
        )
        assert created.status_code == 201
        pk = created.json()["id"]
        assert (
            as_user(self.monitor)
            .post(f"/api/queries/{pk}/answer/", {"text": "x"}, format="json")
            .status_code
            == 403
        )
        answered = as_user(self.nurse).post(
            f"/api/queries/{pk}/answer/", {"text": "ok"}, format="json"
        )
        assert answered.json()["status"] == "answered"
        closed = as_user(self.monitor).post(f"/api/queries/{pk}/close/", {}, format="json")
        assert closed.json()["status"] == "closed"
        again = as_user(self.nurse).post(
            f"/api/queries/{pk}/answer/", {"text": "late"}, format="json"
        )
        assert again.status_code == 422
        assert [e["action"] for e in closed.json()["events"]] == ["open", "answer", "close"]

    def test_it_escapes_nothing_but_returns_json_for_script_text(self) -> None:
        subject = enrolled_subject(self.nurse)
        open_query(self.monitor, subject, "<script>alert(1)</script>")
        response = as_user(self.nurse).get("/api/queries/")
        assert response["Content-Type"] == "application/json"
        assert response.json()[0]["text"] == "<script>alert(1)</script>"
        assert Query.objects.count() == 1

    def test_it_refuses_a_session_post_without_csrf(self) -> None:
        subject = enrolled_subject(self.nurse)
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(self.monitor)
        response = client.post(
            "/api/queries/", {"subject_id": subject.pk, "text": "x"}, format="json"
        )
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]


def test_it_describes_the_api_in_openapi(client, db) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi" in text
    assert "/api/queries/{id}/answer/" in text
