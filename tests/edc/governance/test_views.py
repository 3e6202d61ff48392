"""Personas over HTTP: each role may do exactly its governance actions through the pages."""

from __future__ import annotations

import pytest

from inodli.edc.governance.models import Lock, Query, SdvMark, Signature
from inodli.edc.governance.queries import open_query
from inodli.edc.subjects.baseline import BodyMeasurement
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PASSWORD, PersonaTest

ALL = ["investigator", "nurse", "pharmacist", "data_manager", "monitor", "statistician"]
# (action, POST data, personas allowed): from the role descriptions.
SUBJECT_ACTIONS = [
    ("raise", {"text": "Please check"}, {"data_manager", "monitor"}),
    ("sign", {"password": PASSWORD}, {"investigator"}),
    ("sdv", {}, {"monitor"}),
    ("lock", {"level": "subject", "reason": "review done"}, {"data_manager"}),
]


class TestPagesByPersona(PersonaTest):
    @pytest.mark.parametrize("persona", [*ALL, "outsider"])
    def test_it_shows_the_governance_pages_to_study_members_only(self, client, persona) -> None:
        subject = enrolled_subject(self.nurse)
        client.force_login(getattr(self, persona))
        expected = 403 if persona == "outsider" else 200
        for url in (
            "/governance/queries/",
            f"/governance/subjects/{subject.pk}/",
            "/governance/database/",
        ):
            assert client.get(url).status_code == expected, url

    def test_it_sends_an_anonymous_visitor_to_the_login_page(self, client) -> None:
        response = client.get("/governance/queries/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    @pytest.mark.parametrize(("action", "data", "allowed"), SUBJECT_ACTIONS)
    @pytest.mark.parametrize("persona", [*ALL, "outsider"])
    def test_it_lets_each_role_do_exactly_its_subject_actions(
        self, client, persona, action, data, allowed
    ) -> None:
        subject = enrolled_subject(self.nurse)
        body = BodyMeasurement.objects.get(subject=subject)
        client.force_login(getattr(self, persona))
        post = {"action": action, "record": f"BODY:{body.pk}", **data}
        response = client.post(f"/governance/subjects/{subject.pk}/", post)
        made = {
            "raise": Query.objects.count(),
            "sign": Signature.objects.count(),
            "sdv": SdvMark.objects.count(),
            "lock": Lock.objects.count(),
        }[action]
        if persona in allowed:
            assert response.status_code == 302
            assert made == 1
        else:
            assert response.status_code == 403
            assert made == 0

    @pytest.mark.parametrize("persona", [*ALL, "outsider"])
    def test_it_lets_the_site_answer_and_the_monitor_close(self, client, persona) -> None:
        query = open_query(self.monitor, enrolled_subject(self.nurse), "?")
        client.force_login(getattr(self, persona))
        answered = client.post(
            f"/governance/queries/{query.pk}/", {"action": "answer", "text": "ok"}
        )
        site = {"investigator", "nurse", "pharmacist", "data_manager"}
        assert answered.status_code == (302 if persona in site else 403)
        closed = client.post(f"/governance/queries/{query.pk}/", {"action": "close", "text": ""})
        assert closed.status_code == (302 if persona in {"monitor", "data_manager"} else 403)


class TestPagesShowState(PersonaTest):
    def test_it_shows_a_void_signature_struck_through(self, client) -> None:
        from decimal import Decimal

        from inodli.edc.core.services import save_record
        from inodli.edc.governance.signatures import sign

        subject = enrolled_subject(self.nurse)
        sign(self.investigator, PASSWORD, subject)
        body = BodyMeasurement.objects.get(subject=subject)
        body.weight_kg = Decimal("66.0")
        save_record(body, self.nurse, reason="typo")
        client.force_login(self.monitor)
        page = client.get(f"/governance/subjects/{subject.pk}/").content.decode()
        assert 'class="signature-void"' in page
        assert "<del>" in page
        assert "VOID" in page

    def test_it_refuses_a_wrong_password_beside_the_form(self, client) -> None:
        subject = enrolled_subject(self.nurse)
        client.force_login(self.investigator)
        response = client.post(
            f"/governance/subjects/{subject.pk}/", {"action": "sign", "password": "nope"}
        )
        assert response.status_code == 422
        assert "password is not correct" in response.content.decode()
        assert Signature.objects.count() == 0

    def test_it_refuses_a_locked_form_on_the_data_entry_page(self, client) -> None:
        subject = enrolled_subject(self.nurse)
        body = BodyMeasurement.objects.get(subject=subject)
        client.force_login(self.data_manager)
        client.post(
            f"/governance/subjects/{subject.pk}/",
            {"action": "lock", "level": "form", "form_code": "BODY", "reason": "SDV done"},
        )
        client.force_login(self.nurse)
        response = client.post(
            f"/subjects/{subject.pk}/forms/BODY/{body.pk}/",
            {
                "measured_on": "2026-01-05",
                "height_cm": "170.0",
                "weight_kg": "70.0",
                "version": body.version,
                "reason": "typo",
            },
        )
        assert response.status_code == 422
        assert "locked" in response.content.decode()
        body.refresh_from_db()
        assert body.weight_kg == 65


class TestQueryDashboardFilters(PersonaTest):
    def test_it_lists_the_queries_assigned_to_my_role(self, client) -> None:
        from inodli.edc.core.roles import Role

        subject = enrolled_subject(self.nurse)
        open_query(self.monitor, subject, "for the nurse", assigned_role=Role.NURSE)
        open_query(self.monitor, subject, "for the pharmacist", assigned_role=Role.PHARMACIST)
        client.force_login(self.pharmacist)
        page = client.get("/governance/queries/", {"mine": "1"}).content.decode()
        assert "for the pharmacist" in page
        assert "for the nurse" not in page
        everything = client.get("/governance/queries/").content.decode()
        assert "for the nurse" in everything


class TestSimplifiedChinese(PersonaTest):
    def test_it_shows_the_governance_pages_in_the_users_language(self, client) -> None:
        from django.utils import translation

        from inodli.edc.core.models import UserProfile

        subject = enrolled_subject(self.nurse)
        UserProfile.objects.filter(user=self.monitor).update(language="zh-hans")
        client.force_login(self.monitor)
        try:
            queries_page = client.get("/governance/queries/").content.decode()
            review = client.get(f"/governance/subjects/{subject.pk}/").content.decode()
        finally:
            translation.activate("en")
        assert "没有质疑。" in queries_page
        assert "提出质疑" in review
        assert "源数据核查" in review
