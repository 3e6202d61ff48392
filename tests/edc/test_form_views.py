"""The generic form views over HTTP: messages beside fields, stale saves, read-only roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inodli.edc.core.models import AuditEvent
from inodli.edc.subjects.models import Consent
from tests.edc.factories import consented_subject, registered_subject
from tests.edc.personas import PersonaTest

pytestmark = pytest.mark.django_db


def _edit_url(subject, consent):
    return reverse("subjects:form-edit", args=[subject.pk, "CONSENT", consent.pk])


class TestConsentFormOverHttp(PersonaTest):
    def test_it_records_consent_entered_by_the_nurse(self, client):
        subject = registered_subject(self.nurse)
        client.force_login(self.nurse)
        response = client.post(
            reverse("subjects:form-new", args=[subject.pk, "CONSENT"]),
            {"consent_date": "2026-01-05", "consent_version": "1.0", "obtained_by": "Dr Li"},
        )
        assert response.status_code == 302
        assert Consent.objects.get(subject=subject).consent_version == "1.0"

    def test_it_shows_the_message_beside_the_field_and_keeps_the_input(self, client):
        subject = registered_subject(self.nurse)
        client.force_login(self.nurse)
        response = client.post(
            reverse("subjects:form-new", args=[subject.pk, "CONSENT"]),
            {"consent_date": "not a date", "consent_version": "1.0", "obtained_by": "Dr Li"},
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert 'id="errors-consent_date"' in html
        assert 'value="Dr Li"' in html
        assert not Consent.objects.exists()

    def test_it_refuses_the_later_of_two_browser_sessions_and_keeps_both_inputs(self, client):
        subject = consented_subject(self.nurse)
        consent = Consent.objects.get(subject=subject)
        url = _edit_url(subject, consent)
        client.force_login(self.nurse)
        first = {
            "consent_date": "2026-01-05",
            "consent_version": "1.0",
            "obtained_by": "Dr Wang",
            "version": "1",
            "reason": "name",
        }
        assert client.post(url, first).status_code == 302
        client.force_login(self.investigator)
        second = {
            "consent_date": "2026-01-05",
            "consent_version": "2.0",
            "obtained_by": "Dr Li",
            "version": "1",
            "reason": "version",
        }
        response = client.post(url, second)
        assert response.status_code == 422
        html = response.content.decode()
        assert "changed by nurse" in html
        assert 'value="2.0"' in html  # the refused input is still on the page
        stored = Consent.objects.get(pk=consent.pk)
        assert (stored.obtained_by, stored.consent_version, stored.version) == ("Dr Wang", "1.0", 2)

    def test_it_asks_for_a_reason_beside_the_reason_field(self, client):
        subject = consented_subject(self.nurse)
        consent = Consent.objects.get(subject=subject)
        client.force_login(self.nurse)
        data = {
            "consent_date": "2026-01-05",
            "consent_version": "1.1",
            "obtained_by": "Dr Chen",
            "version": "1",
            "reason": "",
        }
        response = client.post(_edit_url(subject, consent), data)
        assert response.status_code == 422
        assert 'id="errors-reason"' in response.content.decode()
        assert Consent.objects.get(pk=consent.pk).consent_version == "1.0"

    @pytest.mark.parametrize("persona", ["monitor", "statistician"])
    def test_it_lets_read_only_roles_read_but_not_save(self, client, persona):
        subject = consented_subject(self.nurse)
        consent = Consent.objects.get(subject=subject)
        client.force_login(getattr(self, persona))
        assert client.get(_edit_url(subject, consent)).status_code == 200
        before = AuditEvent.objects.count()
        data = {
            "consent_date": "2026-01-05",
            "consent_version": "7",
            "obtained_by": "x",
            "version": "1",
            "reason": "r",
        }
        assert client.post(_edit_url(subject, consent), data).status_code == 403
        assert AuditEvent.objects.count() == before

    def test_it_shows_an_outsider_nothing(self, client):
        subject = consented_subject(self.nurse)
        client.force_login(self.outsider)
        assert client.get(reverse("subjects:detail", args=[subject.pk])).status_code == 403
        assert client.get(reverse("audit:subject", args=[subject.pk])).status_code == 403

    def test_it_sends_anonymous_visitors_to_the_login_page(self, client):
        response = client.get(reverse("subjects:list"))
        assert response.status_code == 302
        assert "/login/" in response["Location"]

    def test_it_deletes_with_a_reason_and_lists_it_in_the_subject_audit_view(self, client):
        subject = consented_subject(self.nurse)
        consent = Consent.objects.get(subject=subject)
        client.force_login(self.data_manager)
        url = reverse("subjects:form-delete", args=[subject.pk, "CONSENT", consent.pk])
        assert client.post(url, {"version": "1", "reason": ""}).status_code == 422
        assert client.post(url, {"version": "1", "reason": "duplicate entry"}).status_code == 302
        page = client.get(reverse("audit:subject", args=[subject.pk])).content.decode()
        assert "duplicate entry" in page
        assert "data_manager" in page


class TestSubjectAuditView(PersonaTest):
    def test_it_lists_who_when_field_old_new_and_reason(self, client):
        subject = consented_subject(self.nurse)
        consent = Consent.objects.get(subject=subject)
        client.force_login(self.investigator)
        data = {
            "consent_date": "2026-01-05",
            "consent_version": "1.1",
            "obtained_by": "Dr Chen",
            "version": "1",
            "reason": "version misread",
        }
        assert client.post(_edit_url(subject, consent), data).status_code == 302
        client.force_login(self.monitor)
        response = client.get(reverse("audit:subject", args=[subject.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        row = html[html.index("<td>consent_version</td>") :][:200]
        assert "<td>1.0</td><td>1.1</td>" in row.replace("\n", "")
        assert "version misread" in html
        assert "investigator" in html

    def test_it_is_read_only(self, client):
        subject = consented_subject(self.nurse)
        client.force_login(self.data_manager)
        assert client.post(reverse("audit:subject", args=[subject.pk])).status_code == 405
