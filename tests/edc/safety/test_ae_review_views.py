"""The AE review page: the nurse enters it, the monitor reads it but cannot, the page shows the
visit and the adverse events of the interval, refusals stand beside their field, and a user who
prefers Chinese reads it in Chinese. Day 1 = 2026-01-06 (see ``builders``)."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

import inodli.edc.safety
from inodli.edc.core.roles import Role, assign_role
from inodli.edc.safety.models import AdverseEventReview
from inodli.edc.safety.services import record_adverse_event, record_ae_review
from tests.edc.personas import PersonaTest, make_user
from tests.edc.safety.builders import DAY1, dosed_subject

C1D8 = dt.date(2026, 1, 13)
QUESTION = "Were any adverse events (new or worsened) experienced since the last assessment?"


def new_url(subject):
    return reverse("subjects:form-new", args=[subject.pk, "AE_REVIEW"])


def data(on=C1D8, answer="no", **extra):
    return {"reviewed_on": on.isoformat(), "any_events": answer, "reviewed_by": "Dr Chen",
            "save": "1", **extra}  # fmt: skip


class TestAeReviewPage(PersonaTest):
    def test_the_nurse_enters_a_review(self, client) -> None:
        subject = dosed_subject(self.nurse)
        client.force_login(self.nurse)
        page = client.get(new_url(subject)).content.decode()
        assert QUESTION in page
        assert 'type="radio" name="any_events" value="yes"' in page
        response = client.post(new_url(subject), data())
        assert response.status_code == 302
        saved = AdverseEventReview.objects.get()
        assert (saved.reviewed_on, saved.any_events, saved.reviewed_by) == (C1D8, "no", "Dr Chen")
        assert saved.created_by == self.nurse
        subject_page = client.get(reverse("subjects:detail", args=[subject.pk])).content.decode()
        assert "Adverse event review" in subject_page

    def test_the_monitor_reads_but_cannot_enter_a_review(self, client) -> None:
        subject = dosed_subject(self.nurse)
        client.force_login(self.monitor)
        page = client.get(new_url(subject))
        assert page.status_code == 200
        assert "Your role may read but not enter study data." in page.content.decode()
        assert client.post(new_url(subject), data()).status_code == 403
        assert not AdverseEventReview.objects.exists()

    def test_the_page_shows_the_visit_and_the_adverse_events_of_the_interval(self, client) -> None:
        subject = dosed_subject(self.nurse)
        record_ae_review(
            subject, self.nurse, reviewed_on=DAY1, any_events="no", reviewed_by="Dr Chen"
        )
        record_adverse_event(subject, self.nurse, term="Nausea", started_on=dt.date(2026, 1, 10),
                             grade=2, relationship_ino="possible")  # fmt: skip
        client.force_login(self.nurse)
        preview = client.post(new_url(subject), {**data(), "save": "", "preview": "1"})
        page = preview.content.decode()
        assert re.search(
            r'id="review-visits">[^<]*C1D8 Cycle 1 day 8 \(2026-01-12 – 2026-01-15\)', page
        )
        assert "after the previous AE review (2026-01-06) up to 2026-01-13" in page
        assert re.search(r"<td>Nausea</td><td>started</td><td>2026-01-10</td><td>2</td>", page)
        assert not AdverseEventReview.objects.filter(reviewed_on=C1D8).exists()  # preview only

    def test_it_puts_a_duplicate_beside_the_date_and_keeps_the_entries(self, client) -> None:
        subject = dosed_subject(self.nurse)
        record_ae_review(
            subject, self.nurse, reviewed_on=C1D8, any_events="no", reviewed_by="Dr Chen"
        )
        client.force_login(self.nurse)
        response = client.post(new_url(subject), data(on=dt.date(2026, 1, 14), answer="yes"))
        assert response.status_code == 422
        page = response.content.decode()
        errors = re.search(r'id="errors-reviewed_on"[^>]*>(.*?)</', page, flags=re.S)
        assert errors is not None
        assert "visit C1D8" in errors.group(1)
        assert 'value="2026-01-14"' in page
        assert AdverseEventReview.objects.count() == 1

    def test_it_refuses_an_answer_that_is_not_offered(self, client) -> None:
        subject = dosed_subject(self.nurse)
        client.force_login(self.nurse)
        response = client.post(new_url(subject), data(answer="maybe"))
        assert response.status_code == 422
        assert 'id="errors-any_events"' in response.content.decode()
        assert not AdverseEventReview.objects.exists()


@pytest.mark.django_db
def test_it_shows_the_review_in_chinese_to_a_user_who_prefers_chinese(client):
    user = make_user("hushi", role=None, language="zh-hans")
    assign_role(user, Role.NURSE)
    subject = dosed_subject(user)
    client.force_login(user)
    page = client.get(new_url(subject), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "自上次评估以来，是否发生了任何不良事件（新发或加重）？" in page
    assert "评估人" in page  # "reviewed by"
    assert "这是首次不良事件评估" in page  # "This is the first AE review"
    assert QUESTION not in page


def test_the_safety_catalogue_is_compiled_and_translates_every_new_message():
    po = Path(inodli.edc.safety.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for english in (
        QUESTION,
        "Adverse event review",
        "%(value)r is not an answer: answer yes or no.",
        "Adverse events recorded as started or worsened in this interval",
    ):
        assert compiled.gettext(english) != english, english
    text = po.read_text(encoding="utf-8")
    entries = re.findall(r'msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text)
    empty = [msgid for msgid, msgstr in entries if msgstr.strip() == '""' and msgid.strip() != '""']
    assert empty == []
