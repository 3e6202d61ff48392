"""cox_ph against R's coxph (tests/data), against a naive implementation, and its errors.

Reference numbers: tests/data/{aml,lung,freireich_6mp}.json, produced by R 4.2.2 Patched with
survival 3.5.3 (tests/data/make_reference.R, function ``cox``). The fit repeats coxph's
Newton-Raphson iterate for iterate, so the numbers agree to rounding: relative tolerance 1e-10
(1e-9 for the likelihood-ratio statistic, a difference of two log-likelihoods). R's
``summary()`` rounds the global Wald statistic to 2 decimals, so that one is compared to 0.005.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.stats import _cox_concordance as cox_concordance
from inodli.stats import _cox_engine as engine
from inodli.stats.cox import CoxConvergenceWarning, cox_ph
from tests.stats.naive_cox import naive_concordance, naive_partial_likelihood

DATA = Path(__file__).resolve().parents[1] / "data"
RTOL = 1e-10


def _load(stem: str) -> tuple[pd.DataFrame, dict]:
    frame = pd.read_csv(DATA / f"{stem}.csv")
    return frame, json.loads((DATA / f"{stem}.json").read_text())


def _case(stem: str, key: str):
    frame, reference = _load(stem)
    expected = reference[key]
    if stem == "aml":
        fit = cox_ph(frame["time"], frame["status"], frame[["x"]], ties=expected["ties"])
    elif stem == "lung":
        columns = ["age", "sex"] if "age" in key else ["sex"]
        fit = cox_ph(frame["time"], frame["status"] == 2, frame[columns], ties=expected["ties"])
    else:
        fit = cox_ph(frame["time"], frame["status"], frame[["arm"]], ties=expected["ties"])
    return fit, expected


CASES = [
    ("aml", "cox_x_efron"),
    ("aml", "cox_x_breslow"),
    ("lung", "cox_sex_efron"),
    ("lung", "cox_sex_breslow"),
    ("lung", "cox_age_sex_efron"),
    ("freireich_6mp", "cox_arm_efron"),
    ("freireich_6mp", "cox_arm_breslow"),
]


@pytest.mark.parametrize(("stem", "key"), CASES)
def test_it_reproduces_r_coxph(stem: str, key: str) -> None:
    fit, r = _case(stem, key)
    vector = np.atleast_1d
    assert list(fit.terms) == list(vector(r["terms"]))
    np.testing.assert_allclose(fit.coef, vector(r["coef"]), rtol=RTOL)
    np.testing.assert_allclose(fit.se, vector(r["se"]), rtol=RTOL)
    np.testing.assert_allclose(fit.hazard_ratio, vector(r["hr"]), rtol=RTOL)
    np.testing.assert_allclose(fit.hr_lower, vector(r["hr_lower95"]), rtol=RTOL)
    np.testing.assert_allclose(fit.hr_upper, vector(r["hr_upper95"]), rtol=RTOL)
    np.testing.assert_allclose(fit.z, vector(r["z"]), rtol=RTOL)
    np.testing.assert_allclose(fit.p_value, vector(r["wald_p"]), rtol=RTOL)
    np.testing.assert_allclose(fit.loglik, r["loglik"], rtol=RTOL)
    lrt = fit.likelihood_ratio_test
    np.testing.assert_allclose(lrt.statistic, r["lrt"], rtol=1e-9)
    np.testing.assert_allclose(lrt.p_value, r["lrt_p"], rtol=1e-9)
    assert lrt.df == len(fit.terms)
    np.testing.assert_allclose(fit.score_test.statistic, r["score"], rtol=RTOL)
    np.testing.assert_allclose(fit.score_test.p_value, r["score_p"], rtol=RTOL)
    assert fit.wald_test.statistic == pytest.approx(r["wald"], abs=0.005)  # R rounds to 0.01
    np.testing.assert_allclose(fit.concordance, r["concordance"], rtol=RTOL)
    assert fit.iterations == r["iter"]
    assert (fit.n, fit.n_events) == (r["n"], r["nevent"])
    assert fit.converged
    assert fit.possibly_infinite == ()


def test_it_does_not_offer_exact_ties() -> None:
    # lung.json cox_sex_exact (R ties="exact", the discrete partial likelihood) is not
    # reproduced: only Efron and Breslow are implemented.
    frame, _ = _load("lung")
    with pytest.raises(InputError, match="ties: expected one of 'efron', 'breslow'"):
        cox_ph(frame["time"], frame["status"] == 2, frame[["sex"]], ties="exact")


def test_it_names_factor_terms_like_r_and_keeps_categorical_order() -> None:
    frame, reference = _load("freireich_6mp")
    arm = pd.Categorical(frame["arm"], categories=["placebo", "6-MP"])
    fit = cox_ph(frame["time"], frame["status"], pd.DataFrame({"arm": arm}))
    # Reference level placebo now: the coefficient changes sign (R: relevel(arm, "placebo")).
    assert fit.terms == ("arm6-MP",)
    np.testing.assert_allclose(fit.coef, -reference["cox_arm_efron"]["coef"], rtol=RTOL)
    np.testing.assert_allclose(fit.se, reference["cox_arm_efron"]["se"], rtol=RTOL)


def test_it_accepts_arrays_series_and_bools_with_the_same_numbers() -> None:
    frame, reference = _load("lung")
    r = reference["cox_sex_efron"]
    female = frame["sex"].to_numpy() == 2
    from_array = cox_ph(frame["time"], frame["status"] == 2, frame["sex"].to_numpy())
    from_series = cox_ph(frame["time"], frame["status"] == 2, frame["sex"])
    from_bool = cox_ph(frame["time"], frame["status"] == 2, pd.DataFrame({"female": female}))
    assert (from_array.terms, from_series.terms, from_bool.terms) == (
        ("x",),
        ("sex",),
        ("femaleTRUE",),
    )
    for fit in (from_array, from_series, from_bool):
        np.testing.assert_allclose(fit.coef, r["coef"], rtol=RTOL)


def test_it_gives_a_summary_frame_and_a_readable_repr() -> None:
    fit, r = _case("lung", "cox_age_sex_efron")
    table = fit.summary()
    assert list(table.index) == ["age", "sex"]
    assert list(table.columns) == [
        "coef", "hazard_ratio", "se", "z", "p_value", "hr_lower_0.95", "hr_upper_0.95"
    ]  # fmt: skip
    np.testing.assert_allclose(table["hr_upper_0.95"], r["hr_upper95"], rtol=RTOL)
    text = repr(fit)
    assert "n=228, n_events=165" in text
    assert "likelihood ratio 14.12 on 2 df" in text
    np.testing.assert_allclose(np.linalg.inv(fit.variance), engine_information(fit), rtol=1e-8)


def engine_information(fit) -> np.ndarray:
    frame, _ = _load("lung")
    data = engine.prepare(
        frame["time"].to_numpy(float),
        (frame["status"] == 2).to_numpy(),
        frame[["age", "sex"]].to_numpy(float),
        np.zeros(len(frame), dtype=np.int64),
    )
    return engine.evaluate_original_scale(data, fit.coef, True)[2]


def test_it_does_not_depend_on_row_order() -> None:
    frame, _ = _load("lung")
    shuffled = frame.sample(frac=1.0, random_state=7)
    a = cox_ph(frame["time"], frame["status"] == 2, frame[["age", "sex"]])
    b = cox_ph(shuffled["time"], shuffled["status"] == 2, shuffled[["age", "sex"]])
    np.testing.assert_allclose(b.coef, a.coef, rtol=1e-12)
    np.testing.assert_allclose(b.variance, a.variance, rtol=1e-11)
    assert b.concordance == a.concordance


def test_it_uses_conf_level() -> None:
    _fit, r = _case("aml", "cox_x_efron")
    narrow = cox_ph(*_aml_inputs(), conf_level=0.90)
    half_width = 1.6448536269514722 * r["se"]  # qnorm(0.95)
    np.testing.assert_allclose(narrow.hr_lower, np.exp(r["coef"] - half_width), rtol=1e-12)
    assert "hr_lower_0.9" in narrow.summary().columns


def _aml_inputs():
    frame, _ = _load("aml")
    return frame["time"], frame["status"], frame[["x"]]


# ---- the fast likelihood against the naive one ---------------------------------------------


@st.composite
def tied_data(draw):
    n = draw(st.integers(3, 40))
    p = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    time = rng.integers(1, draw(st.integers(2, 8)), n).astype(float)  # many ties
    event = rng.random(n) < draw(st.floats(0.2, 1.0))
    event[0] = True
    x = np.round(rng.normal(size=(n, p)), draw(st.integers(0, 2)))  # ties in x too
    strata = rng.integers(0, draw(st.integers(1, 3)), n)
    beta = rng.normal(scale=0.7, size=p)
    return time, event, x, strata, beta


@settings(max_examples=150, deadline=None)
@given(data=tied_data(), ties=st.sampled_from(["efron", "breslow"]))
def test_it_matches_the_naive_partial_likelihood(data, ties: str) -> None:
    time, event, x, strata, beta = data
    prepared = engine.prepare(time, event, x, strata)
    loglik, score, information = engine.evaluate_original_scale(prepared, beta, ties == "efron")
    expected = naive_partial_likelihood(time, event, x, beta, ties, strata)
    scale = 1 + np.abs(expected[0])
    assert loglik == pytest.approx(expected[0], rel=1e-11, abs=1e-11 * scale)
    np.testing.assert_allclose(score, expected[1], rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(information, expected[2], rtol=1e-9, atol=1e-9 * scale)


@settings(max_examples=150, deadline=None)
@given(data=tied_data(), packed_key=st.booleans())
def test_it_counts_concordance_like_the_naive_pair_loop(data, packed_key: bool) -> None:
    time, event, x, strata, beta = data
    prepared = engine.prepare(time, event, x, strata)
    predictor = np.round(x @ beta, 1)  # rounded: many ties in the predictor
    with pytest.MonkeyPatch.context() as patch:
        if not packed_key:  # the lexsort path, taken when the packed key would overflow
            patch.setattr(cox_concordance, "_key_fits", lambda *_: False)
        counts = cox_concordance.concordance_counts(
            prepared.code, prepared.codes_per_stratum, predictor[prepared.order]
        )
    expected = naive_concordance(time, event, predictor, strata)
    assert (counts.concordant, counts.discordant, counts.tied_risk) == expected


def test_the_naive_code_reproduces_r_on_aml() -> None:
    # The naive reference is itself checked against R (aml.json cox_x_efron: loglik at the
    # estimate) before it is trusted to judge the fast code.
    frame, reference = _load("aml")
    r = reference["cox_x_efron"]
    x = (frame["x"] == "Nonmaintained").to_numpy(float)
    loglik, score, information = naive_partial_likelihood(
        frame["time"].to_numpy(float),
        frame["status"].to_numpy(bool),
        x,
        np.array([r["coef"]]),
        "efron",
    )
    assert loglik == pytest.approx(r["loglik"][1], rel=1e-12)
    assert abs(score[0]) < 1e-6
    assert 1 / np.sqrt(information[0, 0]) == pytest.approx(r["se"], rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(data=tied_data(), ties=st.sampled_from(["efron", "breslow"]))
def test_its_estimate_zeroes_the_naive_score(data, ties: str) -> None:
    time, event, x, strata, _ = data
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", CoxConvergenceWarning)
            fit = cox_ph(time, event, x, ties=ties, strata=strata, tol=1e-12)
    except (InputError, CoxConvergenceWarning):
        return  # degenerate draw (constant/collinear column, infinite estimate)
    _, score, information = naive_partial_likelihood(time, event, x, fit.coef, ties, strata)
    step = np.linalg.solve(information, score)  # the Newton step left: ~0 at the maximum
    assert np.all(np.abs(step) <= 1e-5 * (1 + np.abs(fit.coef)))


# ---- convergence problems -------------------------------------------------------------------


def test_it_warns_when_a_coefficient_is_infinite() -> None:
    # Every subject with x = 1 fails before every subject with x = 0: the likelihood keeps
    # rising as beta -> infinity (monotone likelihood). R warns "Loglik converged before
    # variable 1; coefficient may be infinite."
    time = np.arange(1, 11, dtype=float)
    x = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], dtype=float)
    with pytest.warns(
        CoxConvergenceWarning,
        match="Loglik converged before variable x; coefficient may be infinite",
    ):
        fit = cox_ph(time, np.ones(10), x)
    assert fit.possibly_infinite == ("x",)
    assert fit.coef[0] > 5


def test_it_warns_when_out_of_iterations() -> None:
    frame, _ = _load("lung")  # R needs 3 iterations for age + sex
    with pytest.warns(CoxConvergenceWarning, match="Ran out of iterations"):
        fit = cox_ph(frame["time"], frame["status"] == 2, frame[["age", "sex"]], max_iter=2)
    assert not fit.converged
    # R: coxph(Surv(time, status) ~ age + sex, lung, iter.max = 2)$iter is 3 (coxfit6's
    # loop counter ends one past the limit)
    assert fit.iterations == 3


# ---- input errors ---------------------------------------------------------------------------


def _simple():
    time = np.array([5.0, 3, 8, 2, 9, 4])
    event = np.array([1, 0, 1, 1, 0, 1])
    x = np.array([[1.0, 2], [0, 1], [1, 5], [0, 3], [1, 1], [0, 4]])
    return time, event, x


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t, e, x: (t, e, np.where(x == 5, np.nan, x)), "X: expected finite numbers .* First at row 2, column 'x2'"),
        (lambda t, e, x: (t, e, x[:, :, None]), r"X: expected a 1-D or 2-D array"),
        (lambda t, e, x: (t, e, x[:4]), "lengths: expected arrays of equal length, got 'time=6, X=4'"),
        (lambda t, e, x: (t, e[:5], x), "lengths"),
        (lambda t, e, x: (t, e, np.column_stack([x, np.full(6, 2.0)])), "column 'x3' is constant"),
        (lambda t, e, x: (t, e, np.column_stack([x, x[:, 0] + 2 * x[:, 1]])), "column 'x3' is a linear combination of 'x1', 'x2'"),
        (lambda t, e, x: (t, np.zeros(6), x), "event: expected at least one event"),
        (lambda t, e, x: (-t, e, x), "time: expected finite non-negative"),
        (lambda t, e, x: (t, e, np.empty((6, 0))), "X: expected at least one covariate column"),
    ],
)  # fmt: skip
def test_it_rejects_bad_input(change, message: str) -> None:
    with pytest.raises(InputError, match=message):
        cox_ph(*change(*_simple()))


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        ({"ties": "exact"}, "ties: expected one of 'efron', 'breslow', got 'exact'"),
        ({"conf_level": 1.5}, "conf_level"),
        ({"tol": 0}, "tol"),
        ({"max_iter": -1}, "max_iter"),
        ({"strata": [1, 2, None, 1, 2, 1]}, "strata"),
    ],
)
def test_it_rejects_bad_options(keyword: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        cox_ph(*_simple(), **keyword)


def test_it_names_the_factor_with_one_level_and_missing_values() -> None:
    time, event, _ = _simple()
    with pytest.raises(InputError, match="column 'arm' has one level"):
        cox_ph(time, event, pd.DataFrame({"arm": ["a"] * 6}))
    with pytest.raises(InputError, match=r"missing in column 'arm'.*First at row 1"):
        cox_ph(time, event, pd.DataFrame({"arm": ["a", None, "b", "a", "b", "a"]}))


def test_it_rejects_a_covariate_without_information_at_event_times() -> None:
    # x differs only for a subject censored before the first event: every risk set at an
    # event time has constant x, so its coefficient is not estimable (R reports NA).
    time = np.array([1.0, 2, 3, 4, 5])
    event = np.array([0, 1, 1, 0, 1])
    x = np.array([1.0, 0, 0, 0, 0])
    with pytest.raises(InputError, match="no information on 'x'"):
        cox_ph(time, event, x)


def test_it_merges_floating_point_near_ties_like_r_timefix() -> None:
    # R's coxph (timefix = TRUE, aeqSurv) treats times within sqrt(machine eps) as tied:
    # moving aml's censored 13-week time down by one ulp must not take that subject out of
    # the risk set of the relapse at 13 weeks.
    frame, reference = _load("aml")
    noisy = frame["time"].to_numpy(float)
    noisy[2] = np.nextafter(13.0, 12.0)  # row 1: relapse at 13, row 2: censored at 13
    assert noisy[2] < noisy[1]
    fit = cox_ph(noisy, frame["status"], frame[["x"]])
    np.testing.assert_allclose(fit.coef, reference["cox_x_efron"]["coef"], rtol=RTOL)
    np.testing.assert_allclose(fit.loglik, reference["cox_x_efron"]["loglik"], rtol=RTOL)
    times = np.array([1.0, 1.0 + 1e-12, 1.0 + 2e-12, 2.0, 2.0 + 1e-3])  # a chain merges
    prepared = engine.prepare(times, np.ones(5, bool), np.arange(5.0)[:, None], np.zeros(5, int))
    assert prepared.codes_per_stratum == 2 * 3  # three distinct times: 1, 2, 2.001
