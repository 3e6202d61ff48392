"""Real headless Chromium (EDC-A's ``logged_in_page``/``enter_patient`` fixtures): after entering
a patient, a nurse enters labs, an InO administration, a bone marrow, the extramedullary status
and a response through the forms, and finds the computed dose and the response category.

Expected values: BSA sqrt(170 x 61.2 / 3600) = 1.70 m2, cycle 1 day 1 0.8 mg/m2 -> 1.36 mg
(clinical-facts.md section 1.3); marrow blasts 2%, ANC 1.5, platelets 150 -> CR by the trial
record (blasts <=5%, platelets >100, ANC >1 x 10^9/L).
"""

from __future__ import annotations

from typing import Any

import pytest

from inodli.edc.assessments.models import ResponseAssessment
from inodli.edc.treatment.models import InoAdministration
from tests.edc.browser_support import enter_patient

pytestmark = pytest.mark.browser

DAY1 = "2026-01-06"
ASSESSED = "2026-01-27"


def open_form(page: Any, code: str) -> None:
    page.click(f"#form-{code} a:has-text('Add')")
    page.wait_for_load_state()


def save(page: Any) -> None:
    page.click("button[name=save]")
    page.wait_for_load_state()


def enter_labs(page: Any, on: str, results: dict[str, tuple[str, str, str]]) -> None:
    open_form(page, "LABS")
    page.fill("#id_collected_on", on)
    for code, (value, lln, uln) in results.items():
        page.fill(f"#id_{code}", value)
        page.fill(f"#id_{code}_lln", lln)
        page.fill(f"#id_{code}_uln", uln)
    save(page)


def test_it_enters_an_ino_dose_and_a_response_and_shows_the_computed_values(logged_in_page):
    page = logged_in_page
    patient = enter_patient(page, height_cm="170", weight_kg="61.2")
    enter_labs(
        page,
        DAY1,
        {"bilirubin": ("10", "3", "21"), "ast": ("25", "10", "40"), "alt": ("30", "7", "40"),
         "anc": ("1.2", "1.8", "6.3"), "platelets": ("60", "125", "350")},
    )  # fmt: skip
    assert page.url == patient.subject_url

    # InO administration: calculate, see 1.36 mg and the preparation sheet, save
    open_form(page, "INO_ADMIN")
    page.fill("#id_cycle", "1")
    page.select_option("#id_day", "1")
    page.fill("#id_administered_on", DAY1)
    page.fill("#id_height_cm", "170")
    page.fill("#id_weight_kg", "61.2")
    page.click("button[name=preview]")
    assert page.inner_text("#computed-dose") == "1.36 mg"
    assert "1.70" in page.inner_text("#computed-bsa")
    assert "5.4 mL" in page.inner_text("#preparation-sheet")
    save(page)
    assert page.url == patient.subject_url
    assert "1.360 mg calculated" in page.inner_text("#form-INO_ADMIN")

    # The assessment after cycle 1: marrow, counts, no extramedullary disease
    open_form(page, "MARROW")
    page.fill("#id_sampled_on", ASSESSED)
    page.fill("#id_blast_pct", "2")
    page.select_option("#id_mrd_method", "flow")
    page.fill("#id_mrd_level_pct", "0")
    page.fill("#id_mrd_sensitivity_pct", "0.01")
    save(page)
    enter_labs(page, ASSESSED, {"anc": ("1.5", "1.8", "6.3"), "platelets": ("150", "125", "350"),
                                "pb_blasts_pct": ("0", "", "")})  # fmt: skip
    open_form(page, "EMD")
    page.fill("#id_assessed_on", ASSESSED)
    page.select_option("#id_method", "clinical")
    page.select_option("#id_status", "none")
    save(page)

    # Response: calculate, see CR, save (confirming it), find it on the saved record
    open_form(page, "RESPONSE")
    page.fill("#id_assessed_on", ASSESSED)
    page.fill("#id_after_cycle", "1")
    page.click("button[name=preview]")
    assert page.inner_text("#computed-category") == "CR"
    save(page)
    assert page.url == patient.subject_url
    saved = ResponseAssessment.objects.get()
    page.click(f"#form-RESPONSE a[href$='/{saved.pk}/']")
    page.wait_for_load_state()
    assert page.inner_text("#recorded-category") == "CR"
    assert str(InoAdministration.objects.get().calculated_mg) == "1.360"
