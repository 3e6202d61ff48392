"""CSRF, XSS and injection on the governance pages (the API has its own tests)."""

from __future__ import annotations

from django.test import Client

from inodli.edc.governance.models import Query
from inodli.edc.governance.queries import open_query
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class TestAttacks(PersonaTest):
    def test_it_refuses_a_post_without_the_csrf_token(self) -> None:
        subject = enrolled_subject(self.nurse)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.monitor)
        response = client.post(
            f"/governance/subjects/{subject.pk}/", {"action": "raise", "text": "forged"}
        )
        assert response.status_code == 403
        assert Query.objects.count() == 0

    def test_it_escapes_script_in_a_query_everywhere_it_is_shown(self, client) -> None:
        subject = enrolled_subject(self.nurse)
        query = open_query(self.monitor, subject, SCRIPT, field_name="<b>f</b>")
        client.force_login(self.nurse)
        for url in (
            "/governance/queries/",
            f"/governance/queries/{query.pk}/",
            f"/governance/subjects/{subject.pk}/",
        ):
            page = client.get(url).content.decode()
            assert "<script>alert" not in page, url
            assert "<img src=x" not in page, url
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url

    def test_it_treats_sql_in_parameters_as_plain_text(self, client) -> None:
        subject = enrolled_subject(self.nurse)
        open_query(self.monitor, subject, "a question")
        client.force_login(self.monitor)
        response = client.get("/governance/queries/", {"status": "open' OR '1'='1"})
        assert response.status_code == 200
        injected = client.post(
            f"/governance/subjects/{subject.pk}/",
            {"action": "raise", "record": "BODY:1 OR 1=1", "text": "x"},
        )
        assert injected.status_code == 404
        stored = open_query(self.monitor, subject, "'); DROP TABLE governance_query; --")
        assert Query.objects.get(pk=stored.pk).text.startswith("'); DROP TABLE")
        assert Query.objects.count() == 2
