"""Kaplan-Meier against every KM number in the R reference files, plus conventions and errors.

Expected values: tests/data/{aml,lung,freireich_6mp,kmsurv_bmt_competing_risks}.json, produced
by R 4.2.2 / survival 3.5.3 (make_reference.R): survfit tables for conf.type log, log-log,
plain, logit and arcsin; summary(fit)$table medians, limits, rmean and se(rmean);
summary(fit, times=, extend=TRUE). Tolerance 1e-10 relative (R wrote 15 significant digits).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.stats._kernels import tie_counts
from inodli.stats.groups import kaplan_meier_by_group, restricted_means_by_group
from inodli.stats.kaplan_meier import kaplan_meier
from tests.stats._reference import DATASETS, Dataset, arrays, assert_close, label_of, reference
from tests.stats.naive_km import naive_km, naive_restricted_mean, naive_survival_at

CONF_TYPES = {
    "log": "log",
    "loglog": "log-log",
    "plain": "plain",
    "logit": "logit",
    "arcsin": "arcsin",
}
IDS = [d.name for d in DATASETS]


def curves(dataset: Dataset, conf_type: str = "log") -> dict[str, object]:
    time, event, group = arrays(dataset)
    fits = kaplan_meier_by_group(time, event, group, conf_type=conf_type)
    strata = reference(dataset.name)[dataset.km_key]
    assert len(strata) == len(fits)
    return {name: fits[label_of(name, group)] for name in strata}


@pytest.mark.parametrize("dataset", DATASETS, ids=IDS)
@pytest.mark.parametrize("suffix", list(CONF_TYPES))
def test_it_reproduces_r_survfit_tables(dataset: Dataset, suffix: str) -> None:
    expected_by_stratum = reference(dataset.name)[dataset.km_key]
    for name, fit in curves(dataset, CONF_TYPES[suffix]).items():
        want = expected_by_stratum[name]
        table = fit.table  # type: ignore[attr-defined]
        assert table["time"].tolist() == want["time"]
        assert table["n_risk"].tolist() == want["n_risk"]
        assert table["n_event"].tolist() == want["n_event"]
        assert table["n_censor"].tolist() == want["n_censor"]
        assert_close(table["survival"], want["surv"])
        assert_close(table["std_err"], want["se_surv"])
        se_log = fit.std_err_log  # type: ignore[attr-defined]
        assert np.isinf(se_log[table["survival"].to_numpy() == 0]).all()  # R: Inf, JSON: null
        assert_close(np.where(np.isinf(se_log), np.nan, se_log), want["greenwood_se_logS"])
        assert_close(table["lower"], want[f"lower_{suffix}"])
        assert_close(table["upper"], want[f"upper_{suffix}"])


def test_it_reproduces_the_overall_aml_curve() -> None:
    time, event, _ = arrays(DATASETS[0])
    want = reference("aml")["km_overall"]
    for suffix, conf_type in CONF_TYPES.items():
        fit = kaplan_meier(time, event, conf_type=conf_type)
        assert fit.table["n_risk"].tolist() == want["n_risk"]
        assert_close(fit.survival, want["surv"])
        assert_close(fit.std_err, want["se_surv"])
        assert_close(fit.lower, want[f"lower_{suffix}"])
        assert_close(fit.upper, want[f"upper_{suffix}"])


@pytest.mark.parametrize("dataset", DATASETS, ids=IDS)
@pytest.mark.parametrize("suffix", ["log", "loglog", "plain"])
def test_it_reproduces_r_medians_limits_and_restricted_means(dataset: Dataset, suffix: str) -> None:
    want = reference(dataset.name)[dataset.medians_key][suffix]
    fits = list(curves(dataset, CONF_TYPES[suffix]).values())
    assert_close([f.median for f in fits], want["median"])  # type: ignore[attr-defined]
    assert_close([f.median_ci[0] for f in fits], want["lcl"])  # type: ignore[attr-defined]
    assert_close([f.median_ci[1] for f in fits], want["ucl"])  # type: ignore[attr-defined]
    # print.survfit restricts every group's mean at the largest time of all groups ("common")
    means = list(restricted_means_by_group(dict(enumerate(fits))).values())  # type: ignore[arg-type]
    assert_close([m.estimate for m in means], want["rmean"])
    assert_close([m.std_err for m in means], want["se_rmean"])


@pytest.mark.parametrize(("name", "csv", "code"), [("aml", "aml.csv", 1), ("lung", "lung.csv", 2)])
@pytest.mark.parametrize("suffix", ["log", "loglog", "plain"])
def test_it_reproduces_r_overall_medians(name: str, csv: str, code: int, suffix: str) -> None:
    from tests.stats._reference import frame

    data = frame(csv)
    fit = kaplan_meier(data["time"], data["status"] == code, conf_type=CONF_TYPES[suffix])
    want = reference(name)["medians_overall"][suffix]
    assert_close([fit.median, *fit.median_ci], [want["median"], want["lcl"], want["ucl"]])
    mean = fit.restricted_mean()
    assert_close([mean.estimate, mean.std_err], [want["rmean"], want["se_rmean"]])


@pytest.mark.parametrize("dataset", [d for d in DATASETS if d.at_times_key], ids=lambda d: d.name)
@pytest.mark.parametrize("suffix", ["log", "loglog"])
def test_it_reads_the_curve_at_times_like_summary_survfit(dataset: Dataset, suffix: str) -> None:
    want = reference(dataset.name)[f"{dataset.at_times_key}_{suffix}"]
    fits = curves(dataset, CONF_TYPES[suffix])
    strata = np.array(want["strata"])
    for name, fit in fits.items():
        rows = strata == name
        times = np.array(want["time"])[rows]
        got = fit.survival_at(times)  # type: ignore[attr-defined]
        assert got["n_risk"].tolist() == np.array(want["n_risk"])[rows].tolist()
        assert fit.at_risk(times).tolist() == got["n_risk"].tolist()  # type: ignore[attr-defined]
        for column, key in [("survival", "surv"), ("std_err", "se_surv"), ("lower", "lower"), ("upper", "upper")]:  # fmt: skip
            assert_close(got[column], np.array(want[key], dtype=float)[rows])


def test_it_handles_the_edges_like_r() -> None:
    # R 4.2.2 survfit(Surv(t, s) ~ 1, conf.type = "log-log") on t = 1,2,2,3,4,4,5,
    # s = 0,1,0,1,1,1,1 (printed with this project's R): S = 1, 5/6, 5/8, 5/24, 0.
    fit = kaplan_meier([1, 2, 2, 3, 4, 4, 5], [0, 1, 0, 1, 1, 1, 1])
    assert_close(fit.survival, [1, 0.8333333333333334, 0.625, 0.20833333333333334, 0])
    assert_close(
        fit.std_err_log[:4],
        [0, 0.18257418583505536, 0.34156502553198664, 0.88506120576003],
        rel=1e-8,
    )
    assert np.isinf(fit.std_err_log[-1])
    # log-log limits are NA at S = 1 and S = 0; R: 0.273122850 0.9747124 at t = 2
    assert np.isnan(fit.lower[[0, 4]]).all()
    assert_close(fit.lower[1:2], [0.273122850], rel=1e-8)
    at = fit.survival_at([0, 0.5, 1, 2, 6])
    assert at["n_risk"].tolist() == [7, 7, 7, 6, 0]
    assert at["lower"].tolist()[:2] == [1.0, 1.0]
    assert np.isnan(at["lower"][2])  # R: NA at the censoring-only row with S = 1
    assert at["survival"].tolist()[-1] == 0.0
    for conf_type, lower_at_one in [("log", 1.0), ("plain", 1.0)]:
        assert kaplan_meier([1, 2], [0, 1], conf_type=conf_type).lower[0] == lower_at_one
    for conf_type in ["logit", "arcsin"]:
        assert np.isnan(kaplan_meier([1, 2], [0, 1], conf_type=conf_type).lower[0])


def test_it_gives_nan_median_when_survival_stays_above_half() -> None:
    fit = kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0])
    assert np.isnan(fit.median)
    assert "median=nan" in repr(fit)


def test_it_takes_the_midpoint_when_survival_is_exactly_half_over_a_stretch() -> None:
    # S = 0.75, 0.5, 0.5, 0 at 1..4: S = 0.5 on [2, 4), so print.survfit's median is
    # (2 + 4) / 2 = 3 (survival's survmean rule)
    fit = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1])
    assert fit.median == 3.0


def test_it_reports_quantiles_with_limits() -> None:
    time, event, _ = arrays(DATASETS[0])
    fit = kaplan_meier(time, event, conf_type="log")
    # median row of print(survfit(Surv(time, status) ~ 1, aml)): 27, 18, 45
    assert fit.quantile(0.5) == (27.0, 18.0, 45.0)
    with pytest.raises(InputError):
        fit.quantile(1.5)


def test_it_restricts_the_mean_at_a_chosen_time() -> None:
    # By hand: S = 1 on [0, 2), 0.5 on [2, 5): area to tau = 5 is 2 + 1.5 = 3.5.
    fit = kaplan_meier([2, 2, 5, 7], [1, 1, 0, 0])
    assert fit.restricted_mean(5).estimate == pytest.approx(3.5, rel=1e-15)
    # beyond the last time the curve stays flat: 3.5 + 0.5 * 5
    assert fit.restricted_mean(10).estimate == pytest.approx(6.0, rel=1e-15)
    assert fit.restricted_mean(1).estimate == pytest.approx(1.0, rel=1e-15)
    assert fit.restricted_mean(1).std_err == 0.0


def test_the_counting_and_sorting_paths_agree() -> None:
    rng = np.random.default_rng(7)
    time = rng.integers(0, 40, 500).astype(float)
    event = rng.random(500) < 0.6
    whole = tie_counts(time, event)  # counting path (whole numbers)
    scaled = tie_counts(time / 1024 + 1e-3, event)  # sorting path, same ties and order
    np.testing.assert_array_equal(whole.n_risk, scaled.n_risk)
    np.testing.assert_array_equal(whole.n_event, scaled.n_event)
    np.testing.assert_array_equal(whole.n_censor, scaled.n_censor)
    spread = time.copy()
    spread[0] = 1e12  # huge range forces the sorting path on whole numbers
    a, b = kaplan_meier(spread, event), kaplan_meier(spread + 0.0, event)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_it_accepts_all_censored_data() -> None:
    fit = kaplan_meier([3, 1, 2], [0, 0, 0])
    assert fit.survival.tolist() == [1.0, 1.0, 1.0]
    assert fit.n_risk.tolist() == [3, 2, 1]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"time": [1, -2], "event": [1, 1]}, "time"),
        ({"time": [1, float("nan")], "event": [1, 1]}, "time"),
        ({"time": [1, 2], "event": [1, 2]}, "event"),
        ({"time": [1, 2], "event": [1]}, "lengths"),
        ({"time": [], "event": []}, "time"),
        ({"time": [1, 2], "event": [1, 0], "conf_type": "log_log"}, "conf_type"),
        ({"time": [1, 2], "event": [1, 0], "conf_level": 95}, "conf_level"),
    ],
)
def test_it_rejects_bad_input(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as raised:
        kaplan_meier(**kwargs)
    assert raised.value.field == field


def test_by_group_keeps_r_factor_order_and_allows_one_level() -> None:
    fits = kaplan_meier_by_group([5, 1, 2], [1, 1, 0], ["b", "a", "b"])
    assert list(fits) == ["a", "b"]
    assert list(kaplan_meier_by_group([1, 2], [1, 1], [3, 3])) == [3]


# ---- property-based comparison with the naive loop implementation (tests/stats/naive_km.py)


# few distinct times -> many ties, including events and censorings at the same time; the
# scale makes some draws non-integer (sorting path) and others whole numbers (counting path)
samples = st.integers(1, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 12), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.sampled_from([1.0, 0.5, 0.1, 7.0]),
    )
)


@settings(max_examples=200, deadline=None)
@given(samples)
def test_it_equals_the_naive_estimator_on_tied_data(sample: tuple) -> None:
    ticks, event, scale = sample
    time = [tick * scale for tick in ticks]
    fit = kaplan_meier(time, event)
    rows = naive_km(time, event)
    assert fit.time.tolist() == [r["time"] for r in rows]
    assert fit.n_risk.tolist() == [r["n_risk"] for r in rows]
    assert fit.n_event.tolist() == [r["n_event"] for r in rows]
    assert fit.n_censor.tolist() == [r["n_censor"] for r in rows]
    np.testing.assert_allclose(fit.survival, [r["survival"] for r in rows], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fit.std_err_log**2, [r["var_log"] for r in rows], rtol=1e-12)
    probes = sorted({*time, 0.0, max(time) + 1.0, min(time) / 2})
    at = fit.survival_at(probes)
    expected = [naive_survival_at(rows, t) for t in probes]
    np.testing.assert_allclose(at["survival"], expected, rtol=1e-12, atol=1e-15)
    assert at["n_risk"].tolist() == [sum(1 for x in time if x >= t) for t in probes]
    tau = max(time) * 0.7 + 0.3
    assert fit.restricted_mean(tau).estimate == pytest.approx(
        naive_restricted_mean(rows, tau), rel=1e-12, abs=1e-12
    )


@pytest.mark.parametrize(
    "module_name",
    ["binomial", "kaplan_meier", "logrank", "groups"],
)
def test_the_docstring_examples_run(module_name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"inodli.stats.{module_name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_timefix_snaps_near_ties_onto_the_smaller_time() -> None:
    from inodli.stats._kernels import merge_near_ties

    # R survival's aeqSurv rule: gaps <= sqrt(machine eps) (about 1.5e-8) are ties
    merged = merge_near_ties(np.array([2.0, 1.0 + 1e-12, 1.0, 3.0, 3.0 + 1e-6]))
    assert merged.tolist() == [2.0, 1.0, 1.0, 3.0, 3.0 + 1e-6]
    fit = kaplan_meier([1.0, 1.0 + 1e-12, 2.0], [1, 1, 0], timefix=True)
    assert fit.time.tolist() == [1.0, 2.0]
    assert fit.n_event.tolist() == [2, 0]
    assert kaplan_meier([1.0, 1.0 + 1e-12, 2.0], [1, 1, 0]).time.size == 3


def test_a_single_time_may_be_a_number() -> None:
    fit = kaplan_meier([1, 2, 3], [1, 0, 1])
    assert fit.at_risk(2).tolist() == [2]
    assert fit.survival_at(2.5)["survival"].tolist() == [pytest.approx(2 / 3)]


def test_the_sorting_path_orders_zero_tiny_and_huge_times_exactly() -> None:
    # -0.0 equals 0.0; subnormal and huge values keep their order (bit-pattern sort)
    time = np.array([0.5, -0.0, 0.0, 0.5, 1e300, 5e-324, 0.25])
    event = np.array([1, 1, 0, 0, 1, 1, 1], dtype=bool)
    counts = tie_counts(time, event)
    assert counts.time.tolist() == [0.0, 5e-324, 0.25, 0.5, 1e300]
    assert counts.n_risk.tolist() == [7, 5, 4, 3, 1]
    assert counts.n_event.tolist() == [1, 1, 1, 1, 1]
    assert counts.n_censor.tolist() == [1, 0, 0, 1, 0]
