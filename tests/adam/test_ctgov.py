"""The ClinicalTrials.gov-style summary of the literal study, worked out by hand."""

from __future__ import annotations

import json

import pytest
from tests.adam.literal import literal_study

from inodli.adam.ctgov import ctgov_summary, ctgov_text
from inodli.errors import InputError


@pytest.fixture(scope="module")
def summary():  # type: ignore[no-untyped-def]
    return ctgov_summary(literal_study())


def test_it_counts_the_participant_flow(summary) -> None:  # type: ignore[no-untyped-def]
    flow = summary["participant_flow"]
    assert (flow["enrolled"], flow["started_treatment"], flow["never_treated"]) == (7, 6, 1)
    assert flow["not_completed"] == {"DEATH": 2, "LOST TO FOLLOW-UP": 1, "WITHDRAWAL": 1}
    assert summary["baseline_characteristics"]["sex"] == {"F": 4, "M": 2}  # S01,S03,S05,S07


def test_it_reports_the_primary_endpoint_with_exact_ci_and_test(summary) -> None:  # type: ignore[no-untyped-def]
    primary = summary["outcome_measures"]["primary_cr_cri_at_1_month"]
    # S01 and S04 of the 5 evaluable subjects. R: binom.test(2, 5) CI 0.05274495 0.85336720;
    # binom.test(2, 5, p = 0.3, alternative = "greater")$p.value = 1 - 0.7^5 - 5 * 0.3 * 0.7^4
    # = 0.47178.
    assert (primary["count"], primary["n"]) == (2, 5)
    assert primary["ci95"] == pytest.approx([0.0527, 0.8534], abs=1e-4)
    assert primary["test"]["p_value"] == pytest.approx(0.47178, abs=1e-6)


def test_it_reports_survival_and_competing_risks(summary) -> None:  # type: ignore[no-untyped-def]
    out = summary["outcome_measures"]
    # OS times 4+, 47+, 95, 160, 200+, 730+: S = 3/4 at 95, 1/2 at 160, flat after.
    assert out["overall_survival"]["events"] == 2
    assert out["overall_survival"]["rate_1y"] == pytest.approx(0.5)
    # CIR: censored at 0 and 20, NRM at 95 (4 at risk: S = 3/4), relapse at 120 with 3 at
    # risk: F1 = 3/4 * 1/3 = 0.25; NRM: F2 = 1/4 at 95.
    assert out["cumulative_incidence_relapse"]["incidence_1y"] == pytest.approx(0.25)
    assert out["non_relapse_mortality"]["incidence_2y"] == pytest.approx(0.25)


def test_it_tabulates_adverse_events_with_at_risk_counts(summary) -> None:  # type: ignore[no-untyped-def]
    ae = summary["adverse_events"]
    assert (ae["at_risk"], ae["any_teae"], ae["serious"], ae["related"]) == (6, 2, 1, 2)
    assert ae["serious_adverse_events"] == [
        {
            "organ_system": "Hepatobiliary disorders",
            "term": "Sinusoidal obstruction syndrome",
            "subjects_affected": 1,
            "at_risk": 6,
            "events": 1,
        }
    ]


def test_it_renders_json_and_text(summary) -> None:  # type: ignore[no-untyped-def]
    json.dumps(summary)
    text = ctgov_text(summary)
    assert "2/5 = 40.0% (95% CI 5.3% to 85.3%)" in text
    with pytest.raises(InputError, match="p0"):
        ctgov_summary(literal_study(), p0=1.5)
