"""The public API exactly as issues 2, 3, 4 and 7 name it.

Each function named in an issue is imported from where a user would look for it, its
signature is checked for the named parameters and defaults (``inspect.signature``), and one
small behaviour is checked against a named source: the trial record (NCT06861348), the
BESPONSA label and clinical-facts.md, CTCAE v5.0, MAGIC (Harris 2016), R reference output in
tests/data (see PROVENANCE.md) and the Simon/clinfun reference CSVs.

Imports marked ``# SUBMODULE`` use the submodule because ``inodli.stats`` does not re-export
yet; switch them to ``from inodli.stats import ...`` once it does.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from inodli import design, protocol
from inodli.cli import main as cli_main

DATA = Path(__file__).parent / "data"
EMPTY = inspect.Parameter.empty
KW = inspect.Parameter.KEYWORD_ONLY


def _params(func: Any) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(func).parameters)


def _assert_signature(
    func: Any, expected: dict[str, Any], keyword_only: tuple[str, ...] = ()
) -> None:
    """Every named parameter exists with the named default (EMPTY = required), in order."""
    params = _params(func)
    missing = [name for name in expected if name not in params]
    assert not missing, f"{func.__name__}: missing parameters {missing}"
    positions = [list(params).index(name) for name in expected]
    assert positions == sorted(positions), f"{func.__name__}: parameters out of order"
    for name, default in expected.items():
        assert params[name].default == default, (
            f"{func.__name__}({name}=...): default {params[name].default!r}, issue says {default!r}"
        )
    for name in keyword_only:
        assert params[name].kind is KW, f"{func.__name__}: {name} should be keyword-only"
    # Any extra parameter must be optional, so calls written from the issue still work.
    extra = [n for n, p in params.items() if n not in expected and p.default is EMPTY]
    extra = [
        n for n in extra if params[n].kind not in (params[n].VAR_KEYWORD, params[n].VAR_POSITIONAL)
    ]
    assert not extra, f"{func.__name__}: extra required parameters {extra}"


# --------------------------------------------------------------------------------------------
# Issue 2: inodli.protocol
# --------------------------------------------------------------------------------------------

PROTOCOL_NAMES = (
    "body_surface_area",
    "ino_cycle_plan",
    "next_dose_decision",
    "dli_eligibility",
    "dli_dose",
    "classify_response",
    "ctcae_grade",
    "agvhd_overall_grade",
    "cgvhd_global_severity",
)


@pytest.mark.parametrize("name", PROTOCOL_NAMES)
def test_it_exports_each_protocol_function_from_the_package(name: str) -> None:
    assert callable(getattr(protocol, name))
    assert name in protocol.__all__


def test_it_names_the_protocol_parameters_as_issue_2() -> None:
    _assert_signature(
        protocol.body_surface_area, {"height_cm": EMPTY, "weight_kg": EMPTY, "formula": "mosteller"}
    )
    _assert_signature(
        protocol.ino_cycle_plan, {"cycle": EMPTY, "bsa_m2": EMPTY, "in_remission": EMPTY}
    )
    _assert_signature(
        protocol.dli_eligibility,
        {
            "prior_grade_3_4_agvhd": EMPTY,
            "hla_loss_test": EMPTY,
            "active_agvhd": EMPTY,
            "active_cgvhd": EMPTY,
        },
    )
    _assert_signature(
        protocol.dli_dose, {"weight_kg": EMPTY, "product_cd3_per_ml": EMPTY, "cd3_per_kg": 1e7}
    )
    _assert_signature(
        protocol.ctcae_grade,
        {"term": EMPTY, "value": EMPTY, "lln": None, "uln": None, "baseline": None, "unit": None},
        keyword_only=("lln", "uln", "baseline", "unit"),
    )
    _assert_signature(
        protocol.agvhd_overall_grade,
        {"skin": EMPTY, "liver": EMPTY, "upper_gi": EMPTY, "lower_gi": EMPTY},
    )
    _assert_signature(protocol.cgvhd_global_severity, {"organ_scores": EMPTY})


def test_it_keeps_the_dli_default_equal_to_the_rule_table() -> None:
    # The signature default (issue 2: cd3_per_kg=1e7) must be the trial record's dose.
    table = protocol._ruletable.load_rule_table("dli")
    assert float(table["dose"]["cd3_per_kg"]) == _params(protocol.dli_dose)["cd3_per_kg"].default


def test_it_computes_bsa_by_mosteller_dubois_and_haycock() -> None:
    # Mosteller: sqrt(170 * 65 / 3600) = 1.75198...; DuBois 0.007184 H^0.725 W^0.425;
    # Haycock 0.024265 H^0.3964 W^0.5378 (formulas in clinical-facts.md 1.3).
    assert protocol.body_surface_area(170, 65).bsa_m2 == pytest.approx(
        (170 * 65 / 3600) ** 0.5, rel=1e-12
    )
    dubois = 0.007184 * 170**0.725 * 65**0.425
    haycock = 0.024265 * 170**0.3964 * 65**0.5378
    assert protocol.body_surface_area(170, 65, "dubois").bsa_m2 == pytest.approx(dubois, rel=1e-9)
    assert protocol.body_surface_area(170, 65, formula="haycock").bsa_m2 == pytest.approx(
        haycock, rel=1e-9
    )


def test_it_gives_the_worked_example_dose_for_bsa_1_70() -> None:
    # clinical-facts.md 1.3 worked example: 0.8 x 1.70 = 1.36 mg, 5.44 mL at 0.25 mg/mL, 2 vials.
    plan = protocol.ino_cycle_plan(1, 1.70, False)
    day1 = plan.doses[0]
    assert (day1.day, day1.mg_per_m2, day1.dose_mg) == (1, 0.8, pytest.approx(1.36, abs=1e-12))
    assert [d.day for d in plan.doses] == [1, 8, 15]
    assert plan.cycle_length_days == 21
    assert plan.may_extend_to_days == 28
    sheet = protocol.preparation_sheet(day1.dose_mg)
    assert sheet.volume_exact_ml == pytest.approx(5.44, abs=1e-12)
    assert sheet.vials == 2


@pytest.mark.parametrize(
    ("in_remission", "expected"),
    [(True, [0.5, 0.5, 0.5]), (False, [0.8, 0.5, 0.5])],
)
def test_it_plans_cycle_2_as_the_trial_record(in_remission: bool, expected: list[float]) -> None:
    # Trial record: CR/CRi -> cycle 2 0.5 mg/m2 d1, d8, d15; otherwise 0.8 d1, 0.5 d8, d15.
    plan = protocol.ino_cycle_plan(2, 1.70, in_remission)
    assert [d.mg_per_m2 for d in plan.doses] == expected
    assert plan.cycle_length_days == 28


def _decision(bilirubin: float, ast: float, alt: float) -> Any:
    return protocol.next_dose_decision(
        cycle=1, dose_day=8, total_bilirubin=bilirubin, bilirubin_uln=1.0,
        ast=ast, ast_uln=40.0, alt=alt, alt_uln=40.0,
    )  # fmt: skip


def test_it_holds_only_when_bilirubin_and_transaminases_are_both_high() -> None:
    # BESPONSA label 2.3: hold while total bilirubin >1.5 x ULN AND AST/ALT >2.5 x ULN.
    assert _decision(1.51, 101.0, 20.0).action == "hold"  # both above
    assert _decision(1.5, 101.0, 101.0).action == "give"  # bilirubin exactly 1.5 x ULN
    assert _decision(1.51, 100.0, 100.0).action == "give"  # AST/ALT exactly 2.5 x ULN
    assert _decision(3.0, 20.0, 20.0).action == "give"  # bilirubin alone ("and", not "or")
    assert _decision(1.0, 400.0, 400.0).action == "give"  # transaminases alone


def test_it_discontinues_for_vod_and_names_the_reason() -> None:
    decision = protocol.next_dose_decision(
        cycle=1, dose_day=8, total_bilirubin=0.5, bilirubin_uln=1.0, vod_sos=True
    )
    assert decision.action == "discontinue"
    assert decision.reasons
    assert all(r.explanation for r in decision.reasons)
    assert {"give", "hold", "discontinue"} >= {decision.action}


def test_it_makes_a_missing_hla_loss_test_not_eligible() -> None:
    # Issue 2: a missing or unknown result makes the patient not eligible ("HLA-loss test missing").
    result = protocol.dli_eligibility(False, None, False, False)
    assert result.eligible is False
    hla = [c for c in result.criteria if not c.met]
    assert len(hla) == 1
    assert hla[0].explanation == "HLA-loss test missing"


def test_it_names_every_failed_dli_criterion() -> None:
    result = protocol.dli_eligibility(True, "loss", True, True)
    assert result.eligible is False
    assert len(result.failed) == 4
    assert protocol.dli_eligibility(False, "no_loss", False, False).eligible is True


def test_it_gives_the_dli_dose_and_volume() -> None:
    # Trial record: 1e7 CD3+/kg; 60 kg -> 6e8 cells; at 5e7 cells/mL -> 12 mL.
    dose = protocol.dli_dose(60, 5e7)
    assert dose.cd3_cells == pytest.approx(6e8, rel=1e-12)
    assert dose.volume_ml == pytest.approx(12.0, abs=1e-12)
    assert protocol.dli_dose(60, 5e7, cd3_per_kg=None).volume_ml == pytest.approx(12.0)
    assert protocol.dli_dose(60, 5e7, cd3_per_kg=5e6).volume_ml == pytest.approx(6.0)


def _response(**overrides: Any) -> str:
    values: dict[str, Any] = {
        "marrow_blasts_pct": 5.0,
        "anc": 1.1,
        "platelets": 101.0,
        "blood_blasts_present": False,
        "extramedullary_disease": "none",
    }
    values.update(overrides)
    return str(protocol.classify_response(**values).category.value)


def test_it_classifies_response_at_the_trial_record_boundaries() -> None:
    # Trial record: blasts <=5%; CR platelets >100 and ANC >1; CRi platelets >50 and ANC >0.5.
    assert _response() == "CR"  # blasts exactly 5%
    assert _response(platelets=100.0) == "CRi"  # platelets exactly 100: not CR
    assert _response(anc=1.0) == "CRi"  # ANC exactly 1: not CR
    assert _response(platelets=100.0, anc=0.51) == "CRi"
    assert _response(platelets=50.0, anc=0.6) not in ("CR", "CRi")  # platelets exactly 50
    assert _response(platelets=60.0, anc=0.5) not in ("CR", "CRi")  # ANC exactly 0.5
    assert _response(marrow_blasts_pct=5.01) not in ("CR", "CRi")
    assert _response(extramedullary_disease="present") not in ("CR", "CRi")
    assert _response(blood_blasts_present=True) not in ("CR", "CRi")


def test_it_calls_low_blasts_without_cri_counts_not_a_response() -> None:
    result = protocol.classify_response(
        marrow_blasts_pct=2.0, anc=0.3, platelets=20.0, blood_blasts_present=False,
        extramedullary_disease="none",
    )  # fmt: skip
    assert result.is_response is False
    assert result.category.value not in ("CR", "CRi", "refractory")


def test_it_calls_relapse_after_cr_at_5_percent_blasts() -> None:
    # Issue 2: relapse after CR at >=5% marrow blasts by default.
    assert _response(prior_remission=True, marrow_blasts_pct=5.0) == "relapse"
    assert _response(prior_remission=True, marrow_blasts_pct=4.9) == "CR"


@pytest.mark.parametrize(
    ("value", "grade"),
    # CTCAE v5.0 ALT increased (baseline normal): G1 >ULN-3, G2 >3-5, G3 >5-20, G4 >20 x ULN.
    [(41.0, 1), (120.0, 1), (121.0, 2), (200.0, 2), (210.0, 3), (800.0, 3), (801.0, 4)],
)
def test_it_grades_alt_by_ctcae(value: float, grade: int) -> None:
    assert protocol.ctcae_grade("ALT", value, uln=40.0).grade == grade


def test_it_asks_the_clinician_when_a_lab_value_cannot_grade_alone() -> None:
    # CTCAE v5.0 hyponatremia: 125-129 mmol/L is G2 or G3 (G3 needs symptoms).
    result = protocol.ctcae_grade("hyponatremia", 127.0, lln=135.0)
    assert result.needs_clinician is True
    assert set(result.possible_grades) == {2, 3}


@pytest.mark.parametrize(
    ("stages", "grade"),
    # MAGIC (Harris 2016) overall grade by pattern, not the maximum stage.
    [
        ((3, 0, 0, 0), 2),  # stage-3 skin alone: grade II
        ((0, 0, 0, 2), 3),  # stage-2 lower GI alone: grade III
        ((2, 0, 0, 0), 1),
        ((0, 1, 0, 0), 2),
        ((0, 0, 1, 0), 2),
        ((4, 0, 0, 0), 4),
        ((0, 4, 0, 0), 4),
        ((0, 0, 0, 4), 4),
    ],
)
def test_it_grades_acute_gvhd_by_magic(stages: tuple[int, int, int, int], grade: int) -> None:
    assert protocol.agvhd_overall_grade(*stages).grade == grade


def test_it_calls_one_moderate_organ_moderate_chronic_gvhd() -> None:
    # NIH 2014 (Jagasia 2015): moderate = at least one organ (not lung) with score 2.
    # Severe: any organ score 3, or lung score 2. Every organ must be scored.
    organs = ("skin", "mouth", "eyes", "gi", "liver", "lungs", "joints_fascia", "genital")
    zero = dict.fromkeys(organs, 0)

    def severity(**scores: int) -> str:
        result = protocol.cgvhd_global_severity({**zero, **scores})
        return str(getattr(result.severity, "value", result.severity)).lower()

    assert severity(skin=2) == "moderate"
    assert severity(lungs=1) == "moderate"
    assert severity(lungs=2) == "severe"
    assert severity(skin=3) == "severe"
    assert severity(skin=1) == "mild"


# --------------------------------------------------------------------------------------------
# Issue 3: inodli.stats
# --------------------------------------------------------------------------------------------

STATS_NAMES = {
    "binomial_ci": "inodli.stats.binomial",
    "exact_binomial_test": "inodli.stats.binomial",
    "kaplan_meier": "inodli.stats.kaplan_meier",
    "logrank_test": "inodli.stats.logrank",
    "cumulative_incidence": "inodli.stats.cumulative_incidence",
    "gray_test": "inodli.stats.gray",
    "cox_ph": "inodli.stats.cox",
    "fine_gray": "inodli.stats.fine_gray",
    "add_at_risk_table": "inodli.stats.plotting",
}


def _stats(name: str) -> Any:
    """The function as the package ``inodli.stats`` exports it."""
    import inodli.stats as stats

    return getattr(stats, name)


@pytest.mark.parametrize("name", sorted(STATS_NAMES))
def test_it_finds_each_stats_function(name: str) -> None:
    assert callable(_stats(name))


@pytest.mark.parametrize("name", sorted(STATS_NAMES))
def test_it_exports_each_stats_function_from_the_package(name: str) -> None:
    import inodli.stats as stats

    assert callable(getattr(stats, name, None)), f"inodli.stats.{name} is not a function"


def test_it_names_the_stats_parameters_as_issue_3() -> None:
    _assert_signature(
        _stats("binomial_ci"),
        {"successes": EMPTY, "n": EMPTY, "confidence_level": 0.95, "method": "clopper-pearson"},
        keyword_only=("confidence_level", "method"),
    )
    _assert_signature(
        _stats("exact_binomial_test"),
        {"successes": EMPTY, "n": EMPTY, "p0": EMPTY, "alternative": "greater"},
    )
    _assert_signature(
        _stats("kaplan_meier"),
        {"time": EMPTY, "event": EMPTY, "conf_level": 0.95, "conf_type": "log-log"},
        keyword_only=("conf_level", "conf_type"),
    )
    _assert_signature(
        _stats("logrank_test"),
        {"time": EMPTY, "event": EMPTY, "group": EMPTY, "strata": None, "rho": 0},
        keyword_only=("strata", "rho"),
    )
    _assert_signature(
        _stats("cumulative_incidence"),
        {"time": EMPTY, "status": EMPTY, "cause": 1, "conf_level": 0.95, "conf_type": "log-log"},
        keyword_only=("cause", "conf_level", "conf_type"),
    )
    _assert_signature(
        _stats("gray_test"),
        {"time": EMPTY, "status": EMPTY, "group": EMPTY, "cause": 1, "strata": None, "rho": 0},
        keyword_only=("cause", "strata", "rho"),
    )
    _assert_signature(
        _stats("cox_ph"), {"time": EMPTY, "event": EMPTY, "X": EMPTY, "ties": "efron"},
        keyword_only=("ties",),
    )  # fmt: skip
    _assert_signature(
        _stats("fine_gray"), {"time": EMPTY, "status": EMPTY, "X": EMPTY, "cause": 1},
        keyword_only=("cause",),
    )  # fmt: skip
    _assert_signature(_stats("add_at_risk_table"), {"ax": EMPTY, "results": EMPTY, "times": EMPTY})


BINOMIAL = json.loads((DATA / "binomial_exact_ci.json").read_text())["cases"]


@pytest.mark.parametrize("case", BINOMIAL, ids=lambda c: f"{c['x']}of{c['n']}")
def test_it_equals_binom_test(case: dict[str, Any]) -> None:
    # R stats::binom.test, tests/data/binomial_exact_ci.json; R prints 15 digits.
    ci = _stats("binomial_ci")(case["x"], case["n"])
    assert (ci.lower, ci.upper) == (
        pytest.approx(case["lower95"], rel=1e-9, abs=1e-14),
        pytest.approx(case["upper95"], rel=1e-9, abs=1e-14),
    )
    ci90 = _stats("binomial_ci")(case["x"], case["n"], confidence_level=0.90)
    assert ci90.upper == pytest.approx(case["upper90"], rel=1e-9, abs=1e-14)
    test = _stats("exact_binomial_test")(case["x"], case["n"], 0.5, alternative="two-sided")
    assert test.p_value == pytest.approx(case["p_value_vs_0.5"], rel=1e-9)


def test_it_gives_wilson_and_jeffreys_intervals() -> None:
    # Brown, Cai & DasGupta (2001) Stat Sci 16:101, eqs. (4) and (5): Wilson score interval
    # (p + z^2/2n +- z sqrt(p q / n + z^2 / 4n^2)) / (1 + z^2/n); Jeffreys = Beta(x + 1/2,
    # n - x + 1/2) quantiles, lower 0 at x = 0 and upper 1 at x = n.
    from scipy.stats import beta, norm

    x, n = 5, 20
    z = norm.ppf(0.975)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    wilson = _stats("binomial_ci")(x, n, method="wilson")
    assert (wilson.lower, wilson.upper) == (
        pytest.approx(centre - half, rel=1e-12),
        pytest.approx(centre + half, rel=1e-12),
    )
    jeffreys = _stats("binomial_ci")(x, n, method="jeffreys")
    assert jeffreys.lower == pytest.approx(beta.ppf(0.025, x + 0.5, n - x + 0.5), rel=1e-10)
    assert jeffreys.upper == pytest.approx(beta.ppf(0.975, x + 0.5, n - x + 0.5), rel=1e-10)
    assert _stats("binomial_ci")(0, 10, method="jeffreys").lower == 0.0


def test_it_tests_one_sided_greater_by_default() -> None:
    # P(X >= 11 | n=21, p=0.3) = 1 - pbinom(10, 21, 0.3): R binom.test(11, 21, 0.3, "greater")
    # gives 0.02638994 (scipy.stats.binom.sf(10, 21, 0.3) agrees).
    assert _stats("exact_binomial_test")(11, 21, 0.3).p_value == pytest.approx(0.02638994, rel=1e-6)


AML = json.loads((DATA / "aml.json").read_text())
AML_DATA = pd.read_csv(DATA / "aml.csv")


def test_it_equals_survfit_on_aml() -> None:
    km = _stats("kaplan_meier")(AML_DATA["time"], AML_DATA["status"])
    ref = AML["km_overall"]
    assert list(km.table.columns) == [
        "time", "n_risk", "n_event", "n_censor", "survival", "std_err", "lower", "upper",
    ]  # fmt: skip
    assert km.table["time"].tolist() == ref["time"]
    assert km.table["n_risk"].tolist() == ref["n_risk"]
    np.testing.assert_allclose(km.table["survival"], ref["surv"], rtol=1e-10)
    # medians_overall, conf.type "log-log": 27 (13, 34); rmean 36.364 (se 9.854) to tau 161.
    med = AML["medians_overall"]["loglog"]
    assert km.median == med["median"]
    assert tuple(km.median_ci) == (med["lcl"], med["ucl"])
    assert km.quantile(0.5)[0] == med["median"]
    rmean = km.restricted_mean(161)
    assert rmean.estimate == pytest.approx(med["rmean"], rel=1e-10)
    assert rmean.std_err == pytest.approx(med["se_rmean"], rel=1e-10)
    assert list(km.at_risk([10, 20])) == [18, 13]  # km_overall n_risk at 12 and 23
    at = km.survival_at([10, 20])
    assert at["survival"].tolist() == pytest.approx([ref["surv"][2], ref["surv"][6]], rel=1e-10)


def test_it_gives_greenwood_se_of_s_on_aml_maintained() -> None:
    # km_by_x stores R's std.err (SE of log S); SE of S = S x that.
    ref = AML["km_by_x"]["x=Maintained"]
    keep = AML_DATA["x"] == "Maintained"
    km = _stats("kaplan_meier")(AML_DATA["time"][keep], AML_DATA["status"][keep])
    expected = np.array(ref["surv"]) * np.array(ref["greenwood_se_logS"])
    np.testing.assert_allclose(km.table["std_err"], expected, rtol=1e-9)


def test_it_equals_survdiff_on_aml() -> None:
    ref = AML["logrank_by_x"]
    result = _stats("logrank_test")(AML_DATA["time"], AML_DATA["status"], AML_DATA["x"])
    assert result.statistic == pytest.approx(ref["chisq"], rel=1e-10)
    assert result.df == ref["df"]
    assert result.p_value == pytest.approx(ref["p"], rel=1e-9)
    np.testing.assert_allclose(result.observed, ref["observed"], rtol=1e-12)
    np.testing.assert_allclose(result.expected, ref["expected"], rtol=1e-10)
    np.testing.assert_allclose(result.variance, ref["var"], rtol=1e-10)
    peto = _stats("logrank_test")(AML_DATA["time"], AML_DATA["status"], AML_DATA["x"], rho=1)
    assert peto.statistic == pytest.approx(AML["peto_peto_by_x_rho1"]["chisq"], rel=1e-10)


def test_it_equals_coxph_on_aml() -> None:
    X = pd.DataFrame({"xNonmaintained": (AML_DATA["x"] == "Nonmaintained").astype(float)})
    for ties, key in (("efron", "cox_x_efron"), ("breslow", "cox_x_breslow")):
        ref = AML[key]
        fit = _stats("cox_ph")(AML_DATA["time"], AML_DATA["status"], X, ties=ties)
        assert float(np.ravel(fit.coef)[0]) == pytest.approx(ref["coef"], rel=1e-8)
        assert float(np.ravel(fit.se)[0]) == pytest.approx(ref["se"], rel=1e-8)


def test_it_fits_fine_gray_as_cox_breslow_without_competing_events() -> None:
    # Without competing events the subdistribution hazard is the cause-specific hazard
    # (Fine & Gray 1999, sec. 2), so crr equals coxph(ties="breslow"): aml.json cox_x_breslow.
    X = pd.DataFrame({"xNonmaintained": (AML_DATA["x"] == "Nonmaintained").astype(float)})
    fit = _stats("fine_gray")(AML_DATA["time"], AML_DATA["status"], X)
    assert float(np.ravel(fit.coef)[0]) == pytest.approx(AML["cox_x_breslow"]["coef"], rel=1e-5)


BMT = json.loads((DATA / "kmsurv_bmt_competing_risks.json").read_text())
BMT_DATA = pd.read_csv(DATA / "kmsurv_bmt.csv")


def test_it_equals_cuminc_on_bmt() -> None:
    ci = _stats("cumulative_incidence")(BMT_DATA["t2"], BMT_DATA["cr_status"])
    for column in ("time", "n_risk", "n_event", "estimate", "variance", "lower", "upper"):
        assert column in ci.table.columns
    ref = BMT["cif_overall"]["timepoints"]
    at = ci.at(ref["times"])
    np.testing.assert_allclose(at["estimate"], ref["est"][0], rtol=1e-10)
    np.testing.assert_allclose(at["variance"], ref["var"][0], rtol=1e-8)
    death = _stats("cumulative_incidence")(BMT_DATA["t2"], BMT_DATA["cr_status"], cause=2)
    np.testing.assert_allclose(death.at(ref["times"])["estimate"], ref["est"][1], rtol=1e-10)


def test_it_equals_cuminc_tests_on_bmt() -> None:
    ref = BMT["cif_by_group"]["gray_test"]
    for cause in (1, 2):
        result = _stats("gray_test")(
            BMT_DATA["t2"], BMT_DATA["cr_status"], BMT_DATA["group"], cause=cause
        )
        assert result.statistic == pytest.approx(ref["stat"][cause - 1], rel=1e-8)
        assert result.df == ref["df"][cause - 1]
        assert result.p_value == pytest.approx(ref["pv"][cause - 1], rel=1e-7)


def test_it_plots_curves_with_an_at_risk_table() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keep = AML_DATA["x"] == "Maintained"
    km = _stats("kaplan_meier")(AML_DATA["time"][keep], AML_DATA["status"][keep])
    other = _stats("kaplan_meier")(AML_DATA["time"][~keep], AML_DATA["status"][~keep])
    fig, ax = plt.subplots()
    try:
        assert km.plot(ax=ax) is ax
        assert _params(km.plot)["ax"].default is None
        ci = _stats("cumulative_incidence")(BMT_DATA["t2"], BMT_DATA["cr_status"])
        assert _params(ci.plot)["ax"].default is None
        _stats("add_at_risk_table")(ax, {"Maintained": km, "Nonmaintained": other}, [0, 20, 40])
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        # km_by_x: Maintained 11 at risk at 0, 7 at 20 (at_times_by_x_log), 3 at 40.
        assert {"11", "7", "3"} <= set(texts)
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------------------------
# Issue 4: inodli.design
# --------------------------------------------------------------------------------------------


def test_it_names_the_design_parameters_as_issue_4() -> None:
    _assert_signature(
        design.simon_two_stage,
        {"p0": EMPTY, "p1": EMPTY, "alpha": 0.05, "power": 0.80, "nmax": 100},
    )
    expected_single = {"p0": EMPTY, "p1": EMPTY, "alpha": 0.05, "power": 0.80}
    assert list(_params(design.exact_single_stage))[:4] == list(expected_single)
    _assert_signature(
        design.toxicity_stopping_boundaries,
        {"p_max": EMPTY, "prior": EMPTY, "threshold": EMPTY, "n_max": EMPTY, "cohort_size": 1},
    )


SIMON = pd.read_csv(DATA / "simon_two_stage.csv")


def test_it_equals_clinfun_ph2simon() -> None:
    # simon_two_stage.csv rows 1-2: clinfun ph2simon(0.2, 0.4, 0.1, 0.1).
    result = design.simon_two_stage(0.2, 0.4, alpha=0.1, power=0.9)
    for row in SIMON.iloc[:2].itertuples():
        found = getattr(result, str(row.type))
        assert (found.r1, found.n1, found.r, found.n) == (row.r1, row.n1, row.r, row.n)
        assert found.en_p0 == pytest.approx(row.EN0, abs=0.005)
        assert found.expected_n0 == found.EN0
        assert found.pet_p0 == pytest.approx(row.PET0, abs=5e-5)
        assert found.pet0 == found.PET0
        assert 0 < found.alpha <= 0.1
        assert found.power >= 0.9
    assert result.optimal in result.admissible
    assert result.minimax in result.admissible


SINGLE = pd.read_csv(DATA / "single_stage_reference.csv")


def test_it_equals_clinfun_ph2single() -> None:
    designs = design.exact_single_stage(0.4, 0.6, 0.1, 0.9)
    first = designs[0]
    row = SINGLE.iloc[0]
    assert (first.n, first.r) == (row.n, row.r)
    assert first.alpha == pytest.approx(row.type1, abs=5e-9)
    assert first.power == pytest.approx(1 - row.type2, abs=5e-9)


def test_it_stops_for_toxicity_at_the_posterior_boundary() -> None:
    # Beta(1, 1) prior, stop when P(p > 0.3 | data) > 0.9: after 1 patient the posterior is
    # Beta(2, 1), P(p > 0.3) = 1 - 0.3^2 = 0.91 > 0.9, so 1 of 1 stops (closed form).
    rule = design.toxicity_stopping_boundaries(0.3, (1, 1), 0.9, 23)
    assert rule.bound_at(1) == 1
    # After 2 patients, 1 event: Beta(2, 2), P(p > 0.3) = 1 - (3 x 0.09 - 2 x 0.027) = 0.784.
    assert rule.bound_at(2) == 2


# --------------------------------------------------------------------------------------------
# Issues 2 and 7: the command line
# --------------------------------------------------------------------------------------------


def _run(*args: str) -> Any:
    result = CliRunner().invoke(cli_main, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_it_prints_the_dosing_sheet() -> None:
    # 170 cm, 65 kg: Mosteller 1.752 -> 1.75 m2; day 1 0.8 x 1.75 = 1.40 mg.
    out = _run("dose", "--height", "170", "--weight", "65", "--cycle", "1").output
    assert "1.40" in out
    data = json.loads(
        _run("dose", "--height", "170", "--weight", "65", "--cycle", "1", "--json").output
    )
    assert data["bsa"]["bsa_for_dosing_m2"] == pytest.approx(1.75)


def test_it_checks_dli_on_the_command_line() -> None:
    args = ["dli", "--weight", "60", "--cd3-per-ml", "5e7", "--prior-grade34-agvhd", "no",
            "--active-agvhd", "no", "--active-cgvhd", "no"]  # fmt: skip
    ok = json.loads(_run(*args, "--hla-loss", "no_loss", "--json").output)
    assert ok["eligible"] is True
    missing = json.loads(_run(*args, "--hla-loss", "missing", "--json").output)
    assert missing["eligible"] is False
    assert "HLA-loss test missing" in json.dumps(missing)
    assert "12.0 mL" in _run(*args, "--hla-loss", "no_loss").output


def test_it_grades_on_the_command_line() -> None:
    assert "grade 3" in _run("grade", "ALT", "210", "--uln", "40").output
    assert json.loads(_run("grade", "ALT", "210", "--uln", "40", "--json").output)["grade"] == 3


def test_it_grades_acute_gvhd_on_the_command_line() -> None:
    stages = ["agvhd", "--skin", "3", "--liver", "0", "--upper-gi", "0", "--lower-gi", "0"]
    data = json.loads(_run(*stages, "--json").output)
    assert data["overall"]["grade"] == 2


def test_it_prints_the_visit_schedule() -> None:
    out = _run("schedule", "--first-dose", "2026-01-05").output
    assert "2026-01-05" in out
    assert "C1D8" in out
    data = json.loads(_run("schedule", "--first-dose", "2026-01-05", "--json").output)
    assert data["schedule"]["first_dose"] == "2026-01-05"


def test_it_offers_examples_and_json_on_each_named_command() -> None:
    for command in ("dose", "dli", "grade", "agvhd", "schedule", "report"):
        help_text = _run(command, "--help").output
        assert "Examples:" in help_text, command
        assert "--json" in help_text, command
    assert "--out" in _run("report", "--help").output


@pytest.mark.slow
def test_it_writes_the_report(tmp_path: Path) -> None:
    _run("report", "--out", str(tmp_path), "--no-pdf")
    assert (tmp_path / "report.html").stat().st_size > 0
