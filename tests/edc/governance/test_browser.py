"""In a real browser: a monitor raises a query, the nurse answers it, the investigator signs."""

from __future__ import annotations

import pytest

from inodli.edc.governance.models import Query, Signature
from inodli.edc.subjects.models import Enrolment
from tests.edc.browser_support import enter_patient, log_in
from tests.edc.personas import PASSWORD

pytestmark = pytest.mark.browser


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_it_takes_a_query_from_monitor_to_nurse_and_a_casebook_to_signature(logged_in_page):
    page = logged_in_page
    patient = enter_patient(page, initials="QRY")
    subject = Enrolment.objects.get(study_id=patient.study_id).subject
    review = f"{page.base_url}/governance/subjects/{subject.pk}/"

    _switch_user(page, "monitor")
    page.goto(patient.subject_url)
    page.click("#review-link")
    assert page.url == review
    assert page.locator("#sign-form").count() == 0  # a monitor cannot sign
    page.select_option(
        "#raise-record",
        label=page.locator("#raise-record option", has_text="Height").first.inner_text(),
    )
    page.fill("#raise-field", "weight_kg")
    page.fill("#raise-text", "Weight differs from the ward chart (64 kg)?")
    page.click("#raise-form button[type=submit]")
    assert "Weight differs from the ward chart" in page.inner_text("#subject-queries")

    _switch_user(page, "nurse")
    page.click("nav >> text=Queries")
    page.click("#query-list a:text-matches('^Q[0-9]+$')")
    page.fill("#answer-text", "Ward chart says 65 kg; the entry is right.")
    page.click("#answer-form button[type=submit]")
    assert page.inner_text("#query-status") == "answered"
    assert "Ward chart says 65 kg" in page.inner_text("#query-events")

    _switch_user(page, "investigator")
    page.goto(review)
    page.fill("#sign-password", PASSWORD)
    page.click("#sign-form button[type=submit]")
    signed = page.inner_text("#signatures")
    assert "Signed by investigator at" in signed
    assert "UTC" in signed
    assert "approve its data as complete and accurate" in signed

    query = Query.objects.get()
    assert (query.status, query.opened_by.username) == ("answered", "monitor")
    assert Signature.objects.get().signer.username == "investigator"
