"""A nurse enters a patient in a real browser and finds it on the dashboard."""

from __future__ import annotations

import pytest

from inodli.edc.subjects.models import BodyMeasurement, Enrolment
from tests.edc.browser_support import enter_patient

pytestmark = pytest.mark.browser


def test_it_enters_a_patient_and_finds_it_on_the_dashboard(logged_in_page):
    page = logged_in_page
    patient = enter_patient(page, initials="ZWL")
    assert patient.study_id == "INODLI-001"
    assert page.url == patient.subject_url
    assert "INODLI-001" in page.inner_text("#subject-title")
    page.click("nav >> text=Dashboard")
    row = page.locator("#subjects tr", has_text="INODLI-001")
    assert row.count() == 1
    assert "ZWL" in row.inner_text()
    enrolment = Enrolment.objects.get()
    assert enrolment.study_id == "INODLI-001"
    assert BodyMeasurement.objects.get(subject=enrolment.subject).height_cm == 170


def test_it_shows_a_message_beside_the_field_and_keeps_what_was_typed(logged_in_page):
    page = logged_in_page
    enter_patient(page, consent_date="2026-01-05")
    page.click("#form-BODY a:has-text('Add')")
    page.fill("#id_measured_on", "2026-01-04")  # before consent
    page.fill("#id_height_cm", "171")
    page.fill("#id_weight_kg", "66")
    page.click("button[name=save]")
    message = page.inner_text("#errors-measured_on")
    assert "before the informed consent (2026-01-05)" in message
    assert page.input_value("#id_height_cm") == "171"
    assert BodyMeasurement.objects.count() == 1
