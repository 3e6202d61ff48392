"""Real headless Chromium: a nurse enters an InO administration and a response assessment and
finds the computed dose and the response category on the page.

Expected values: BSA sqrt(170 x 61.2 / 3600) = 1.70 m2, cycle 1 day 1 0.8 mg/m2 -> 1.36 mg
(clinical-facts.md section 1.3); marrow blasts 2%, ANC 1.5, platelets 150 -> CR by the trial
record (blasts <=5%, platelets >100, ANC >1 x 10^9/L).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import require_or_skip
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PASSWORD
from tests.edc.treatment.builders import blood_count, liver_tests

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DAY1 = dt.date(2026, 1, 6)
ASSESSED = dt.date(2026, 1, 27)


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    require_or_skip(
        "browser",
        os.path.exists(CHROMIUM) or bool(shutil.which("chromium")),
        f"{CHROMIUM} not found",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a locked dev dependency
        require_or_skip("browser", False, "playwright is not installed")
        raise
    # Playwright's sync API runs an event loop in this thread; the ORM is used only before it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            browser.close()


def test_it_enters_an_ino_dose_and_a_response_and_shows_the_computed_values(
    live_server, personas, browser_page
):
    nurse = personas.nurse
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, DAY1)
    blood_count(subject, nurse, DAY1, anc=1.2, platelets=60.0)
    from inodli.edc.assessments.services import record_extramedullary, record_marrow

    record_marrow(
        subject,
        nurse,
        sampled_on=ASSESSED,
        blast_pct=2.0,
        mrd_level_pct=0.0,
        mrd_sensitivity_pct=0.01,
    )
    blood_count(subject, nurse, ASSESSED, anc=1.5, platelets=150.0)
    record_extramedullary(subject, nurse, assessed_on=ASSESSED, method="clinical", status="none")
    ino_url = live_server.url + reverse("subjects:form-new", args=[subject.pk, "INO_ADMIN"])
    response_url = live_server.url + reverse("subjects:form-new", args=[subject.pk, "RESPONSE"])

    page = browser_page
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", nurse.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()

    # InO administration: enter the dose, calculate, see 1.36 mg, save
    page.goto(ino_url)
    page.select_option("select[name=day]", "1")
    page.fill("input[name=cycle]", "1")
    page.fill("input[name=administered_on]", DAY1.isoformat())
    page.fill("input[name=height_cm]", "170.0")
    page.fill("input[name=weight_kg]", "61.2")
    page.click("button[name=preview]")
    page.wait_for_selector("#computed-dose")
    assert page.inner_text("#computed-dose") == "1.36 mg"
    assert "1.70" in page.inner_text("#computed-bsa")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "/forms/INO_ADMIN/" not in page.url  # saved: back on the subject page

    # Response assessment: calculate, see CR, save and find it on the saved record
    page.goto(response_url)
    page.fill("input[name=assessed_on]", ASSESSED.isoformat())
    page.fill("input[name=after_cycle]", "1")
    page.click("button[name=preview]")
    page.wait_for_selector("#computed-category")
    assert page.inner_text("#computed-category") == "CR"
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "/forms/RESPONSE/" not in page.url
    from inodli.edc.assessments.models import ResponseAssessment
    from inodli.edc.treatment.models import InoAdministration

    saved = ResponseAssessment.objects.get(subject=subject)
    page.goto(
        live_server.url + reverse("subjects:form-edit", args=[subject.pk, "RESPONSE", saved.pk])
    )
    assert page.inner_text("#recorded-category") == "CR"
    assert str(InoAdministration.objects.get(subject=subject).calculated_mg) == "1.360"
