"""Adversarial inputs against stored R answers (tests/data/edge_cases.json).

The data are tests/data/edge_cases.csv (n = 1, everything censored or tied, zero times, flat
stretches at S = 0.5, a stratum without events, separated covariates, no competing events);
the answers come from R 4.2.2, survival 3.5.3 and cmprsk 2.2.11 via
tests/data/make_edge_cases.R. Several of these cases crashed or disagreed with R before the
fixes they guard (named in each test).
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from inodli.errors import InputError
from inodli.stats import (
    CoxConvergenceWarning,
    binomial_ci,
    cox_ph,
    exact_binomial_test,
    fine_gray,
    kaplan_meier,
    logrank_test,
)
from tests.stats._reference import DATA, assert_close

CONF_TYPES = ["log", "log-log", "plain", "logit", "arcsin"]
PROBS = [0.25, 0.5, 0.75]
TIMES = [0, 0.5, 1, 2, 2.5, 3, 4, 5, 10]


R_SPECIAL = {"NA": float("nan"), "NaN": float("nan"), "Inf": float("inf"), "-Inf": float("-inf")}


def _r_values(value: Any) -> Any:
    """R's NA, NaN, Inf and -Inf (stored as strings) as floats; everything else unchanged."""
    if isinstance(value, dict):
        return {key: _r_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_r_values(item) for item in value]
    return R_SPECIAL.get(value, value) if isinstance(value, str) else value


@cache
def _reference() -> dict[str, Any]:
    return _r_values(json.loads((DATA / "edge_cases.json").read_text()))  # type: ignore[no-any-return]


@cache
def _data() -> pd.DataFrame:
    return pd.read_csv(DATA / "edge_cases.csv")


def _case(kind: str, case: str) -> pd.DataFrame:
    frame = _data()
    return frame[(frame["kind"] == kind) & (frame["case"] == case)].reset_index(drop=True)


def _cases(kind: str) -> list[str]:
    return list(_reference()[kind])


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("case", _cases("km"))
def test_kaplan_meier_edge_cases_equal_survfit(case: str, conf_type: str) -> None:
    data = _case("km", case)
    want = _reference()["km"][case][conf_type]
    fit = kaplan_meier(data["time"], data["event"], conf_type=conf_type)
    assert_close(fit.time, want["time"])
    assert_close(fit.n_risk, want["n_risk"])
    assert_close(fit.n_event, want["n_event"])
    assert_close(fit.n_censor, want["n_censor"])
    assert_close(fit.survival, want["surv"])
    assert_close(fit.std_err_log, want["std_err_log"])
    assert_close(fit.lower, want["lower"])
    assert_close(fit.upper, want["upper"])
    # print.survfit's median and its limits
    assert_close(
        [fit.median, *fit.median_ci], [want[k] for k in ("median", "median_lower", "median_upper")]
    )
    rmean = fit.restricted_mean()
    assert_close([rmean.estimate, rmean.std_err], [want["rmean"], want["se_rmean"]])
    # quantile(fit, probs): the flat-to-the-end cases differ from print.survfit's rule
    got = np.array([fit.quantile(p, rule="quantile.survfit") for p in PROBS])
    assert_close(got[:, 0], want["quantile"])
    assert_close(got[:, 1], want["quantile_lower"])
    assert_close(got[:, 2], want["quantile_upper"])
    at = fit.survival_at(TIMES)
    for ours, theirs in [("time", "time"), ("n_risk", "n_risk"), ("survival", "surv"),
                         ("std_err", "std_err"), ("lower", "lower"), ("upper", "upper")]:  # fmt: skip
        assert_close(at[ours], want["at_times"][theirs])


def test_quantile_rules_differ_where_r_itself_differs() -> None:
    # S = 0.5 from t = 2 to the last follow-up at 4: print(fit) says 2, quantile(fit, .5) 3
    data = _case("km", "flat_at_half_to_end")
    want = _reference()["km"]["flat_at_half_to_end"]["log"]
    fit = kaplan_meier(data["time"], data["event"], conf_type="log")
    assert fit.quantile(0.5)[0] == want["median"] == 2
    assert fit.quantile(0.5, rule="quantile.survfit")[0] == want["quantile"][1] == 3


@pytest.mark.parametrize("rho", [0, 0.5, 1, 2])
@pytest.mark.parametrize("case", _cases("logrank"))
def test_logrank_edge_cases_equal_survdiff(case: str, rho: float) -> None:
    # stratum_without_events with rho > 0 raised a numpy shape error before the fix
    data = _case("logrank", case)
    want = _reference()["logrank"][case][f"rho_{rho:g}"]
    strata = None if data["strata"].isna().all() else data["strata"].astype(int)
    test = logrank_test(data["time"], data["event"], data["group"], strata=strata, rho=rho)
    assert_close(test.statistic, want["chisq"])
    assert_close(test.p_value, want["p_value"])
    assert_close(test.observed, want["observed"])
    assert_close(test.expected, want["expected"])
    assert_close(test.variance.ravel(), want["variance"])


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("case", _cases("cox"))
def test_cox_edge_cases_equal_coxph(case: str, ties: str) -> None:
    data = _case("cox", case)
    want = _reference()["cox"][case][ties]
    strata = None if data["strata"].isna().all() else data["strata"].astype(int)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = cox_ph(data["time"], data["event"], data[["x1"]], strata=strata, ties=ties)
    ours = [str(w.message) for w in caught if issubclass(w.category, CoxConvergenceWarning)]
    theirs = want["warnings"] if isinstance(want["warnings"], list) else [want["warnings"]]
    # the same warning as R (ours names the term where R gives its position)
    assert [m.split()[0] for m in ours] == [m.split()[0] for m in theirs]
    # coxph's fit$iter is iter.max + 1 when it ran out of iterations (ours was iter.max)
    assert fit.iterations == want["iter"]
    assert_close(fit.coef, want["coef"], rel=1e-8)
    assert_close(fit.loglik, want["loglik"], rel=1e-8, abs_=1e-10)
    assert_close(fit.score_test.statistic, want["score"], rel=1e-8)
    assert_close(fit.concordance, want["concordance"])
    # an (almost) infinite coefficient has a variance of ~1e8 built from an information of
    # ~1e-8 that loses digits to cancellation in R and here alike
    assert_close(fit.variance.ravel(), want["variance"], rel=1e-6)


@pytest.mark.parametrize("case", _cases("finegray"))
def test_fine_gray_edge_cases_equal_crr(case: str) -> None:
    data = _case("finegray", case)
    want = _reference()["finegray"][case]
    fit = fine_gray(data["time"], data["event"], data[["x1"]])
    assert fit.converged == want["converged"]
    assert_close(fit.coef, want["coef"], rel=1e-6)
    assert_close(fit.variance.ravel(), want["variance"], rel=1e-6)
    assert_close(fit.loglik, want["loglik"], rel=1e-8)
    assert_close(fit.loglik_null, want["loglik_null"], rel=1e-10)


@pytest.mark.parametrize("row", _reference()["binomial"], ids=lambda r: "{x}/{n} p0={p0} {alternative} {conf_level}".format(**r))  # fmt: skip
def test_exact_binomial_edges_equal_binom_test(row: dict[str, Any]) -> None:
    alternative = {"two.sided": "two-sided"}.get(row["alternative"], row["alternative"])
    # numpy integers, as a sum over a column gives them, are whole numbers too
    x, n = np.int64(row["x"]), np.int64(row["n"])
    test = exact_binomial_test(x, n, row["p0"], alternative, confidence_level=row["conf_level"])
    assert_close(test.p_value, row["p_value"])
    assert_close([test.ci.lower, test.ci.upper], [row["lower"], row["upper"]])
    wilson = binomial_ci(x, n, confidence_level=row["conf_level"], method="wilson")
    assert_close([wilson.lower, wilson.upper], [row["wilson_lower"], row["wilson_upper"]])


@pytest.mark.parametrize("case", list(_reference()["errors"]["logrank"]))
def test_logrank_refuses_where_survdiff_stops(case: str) -> None:
    # R: "system is exactly singular"; this escaped as numpy's LinAlgError before the fix
    assert "singular" in _reference()["errors"]["logrank"][case]
    data = _case("logrank_error", case)
    with pytest.raises(InputError) as caught:
        logrank_test(data["time"], data["event"], data["group"])
    assert caught.value.received == "a singular variance matrix"


@pytest.mark.parametrize("case", list(_reference()["errors"]["finegray"]))
def test_fine_gray_refuses_where_crr_stops(case: str) -> None:
    # R: "system is exactly singular"; this escaped as numpy's LinAlgError before the fix
    assert "singular" in _reference()["errors"]["finegray"][case]
    data = _case("finegray_error", case)
    with pytest.raises(InputError) as caught:
        fine_gray(data["time"], data["event"], data[["x1"]])
    assert caught.value.field == "X"


def test_cox_out_of_iterations_reports_what_coxph_reports() -> None:
    # survival::lung, age + sex, iter.max = 2 (R needs 3): coxph gives fit$iter 3 and, as
    # variance, 1 / diag(information) with zero covariances (its chinv2 gets an unfactored
    # matrix); ours gave 2 and the full inverse before
    want = _reference()["cox_lung_iter_max_2"]
    lung = pd.read_csv(DATA / "lung.csv")
    with pytest.warns(CoxConvergenceWarning, match="Ran out of iterations"):
        fit = cox_ph(lung["time"], lung["status"] == 2, lung[["age", "sex"]], max_iter=2)
    assert not fit.converged
    assert fit.iterations == want["iter"] == 3
    assert_close(fit.coef, want["coef"], rel=1e-9)
    assert_close(fit.loglik, want["loglik"], rel=1e-12)
    assert_close(fit.variance.ravel(), want["variance"], rel=1e-9)


def test_text_labels_are_ordered_as_r_orders_factor_levels() -> None:
    # R (ICU collation): small before capital letters, "control" before "Treatment"; numpy's
    # code-point order put every capital first
    want = _reference()["collation"]
    labels = want["labels"]
    test = logrank_test(np.arange(1.0, len(labels) + 1), np.ones(len(labels)), labels)
    assert test.groups == want["levels"]


def test_cox_reference_level_of_a_text_covariate_is_rs() -> None:
    data = _case("cox_factor", "mixed_case_levels")
    want = _reference()["cox_factor"]
    fit = cox_ph(data["time"], data["event"], data[["group"]])
    assert list(fit.terms) == want["terms"] == ["groupplacebo", "groupTreatment"]
    assert_close(fit.coef, want["coef"], rel=1e-9)
    assert_close(fit.variance.ravel(), want["variance"], rel=1e-9)


def test_nearly_collinear_covariates_are_fitted_where_coxph_fits_them() -> None:
    # x2 = x1 + 5e-6 noise: coxph fits both (its singularity tolerance is eps^0.75 on the
    # information); a stricter 1e-10 pre-check refused the data before
    data = _case("cox_two", "near_collinear")
    want = _reference()["cox_two"]["near_collinear"]
    fit = cox_ph(data["time"], data["event"], data[["x1", "x2"]])
    # an ill-conditioned fit (coefficients ~1e4 of opposite sign): digits are lost in R too
    assert_close(fit.coef, want["coef"], rel=1e-5)
    assert_close(fit.variance.ravel(), want["variance"], rel=1e-4)


def test_collinear_covariates_are_refused_where_coxph_gives_na() -> None:
    data = _case("cox_two", "collinear")
    assert np.isnan(_reference()["cox_two"]["collinear"]["coef"][1])  # R: NA for x2
    with pytest.raises(InputError, match="'x2' is a linear combination of 'x1'"):
        cox_ph(data["time"], data["event"], data[["x1", "x2"]])


def test_an_infinite_hazard_ratio_limit_is_inf_without_numpy_warnings() -> None:
    # separated_continuous: coef 19.7 with se ~8600 (R), so exp(coef + 1.96 se) is Inf in R;
    # numpy's overflow warning escaped before (an error under -W error)
    data = _case("cox", "separated_continuous")
    want = _reference()["cox"]["separated_continuous"]["efron"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", CoxConvergenceWarning)
        fit = cox_ph(data["time"], data["event"], data[["x1"]])
        table = fit.summary()
    assert np.sqrt(want["variance"]) * 1.96 + want["coef"] > 709.8  # past exp's float range
    assert np.isinf(table["hr_upper_0.95"].iloc[0])
