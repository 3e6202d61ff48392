"""Browser-test support: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Fixtures for every browser test of the EDC:

* ``browser_page``: a fresh Playwright page;
* ``logged_in_page``: that page logged in as the nurse persona (``page.base_url`` is the server);
* ``enter_patient(page, ...)``: registration, consent, eligibility, enrolment and baseline
  through the forms, returning the study ID and the subject page's URL.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import require_or_skip
from tests.edc.factories import all_eligible_answers
from tests.edc.personas import PASSWORD

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

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency missing
        require_or_skip("browser", False, "playwright is not installed")
    require_or_skip("browser", shutil.which(CHROMIUM) is not None, f"{CHROMIUM} not found")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium: Any, live_server: Any) -> Iterator[Any]:
    context = _chromium.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{page.base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{page.base_url}/visits/")


@pytest.fixture
def logged_in_page(browser_page: Any, personas: Any) -> Any:
    """A page logged in as the nurse persona, on the dashboard."""
    log_in(browser_page, personas.nurse.username)
    return browser_page


@dataclass(frozen=True)
class EnteredPatient:
    study_id: str
    subject_url: str


def _submit(page: Any) -> None:
    page.click("button[name=save]")
    page.wait_for_load_state()


def _open_form(page: Any, code: str) -> None:
    page.click(f"#form-{code} a:has-text('Add')")
    page.wait_for_load_state()


def enter_patient(
    page: Any,
    *,
    initials: str = "ZWL",
    consent_date: str = "2026-01-05",
    height_cm: str = "170",
    weight_kg: str = "65",
) -> EnteredPatient:
    """Enter a patient through the forms, as a nurse would; returns its study ID and page."""
    page.click("text=Register for screening")
    page.fill("#id_initials", initials)
    page.fill("#id_registered_on", consent_date)
    _submit(page)
    subject_url = page.url
    _open_form(page, "CONSENT")
    page.fill("#id_consent_date", consent_date)
    page.fill("#id_consent_version", "1.0")
    page.fill("#id_obtained_by", "Dr Li")
    _submit(page)
    _open_form(page, "ELIGIBILITY")
    page.fill("#id_assessed_on", consent_date)
    page.fill("#id_assessed_by", "Dr Li")
    for code, answer in all_eligible_answers().items():
        page.check(f'input[name="criterion_{code}"][value="{answer}"]')
    _submit(page)
    _open_form(page, "ENROLMENT")
    study_id = page.input_value("#id_study_id")
    page.fill("#id_enrolled_on", consent_date)
    _submit(page)
    _open_form(page, "BODY")
    page.fill("#id_measured_on", consent_date)
    page.fill("#id_height_cm", height_cm)
    page.fill("#id_weight_kg", weight_kg)
    _submit(page)
    return EnteredPatient(study_id=study_id, subject_url=subject_url)


@pytest.fixture
def patient_entry() -> Callable[..., EnteredPatient]:
    return enter_patient
