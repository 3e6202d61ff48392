"""Log-rank and G-rho tests against R survdiff (tests/data/*.json, R 4.2.2 / survival 3.5.3).

Tolerance 1e-10 relative: R wrote 15 significant digits.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.stats.logrank import logrank_test
from tests.stats._reference import assert_close, frame, reference
from tests.stats.naive_km import naive_logrank

# (json, key, csv, time column, event column, event code, group column)
CASES = [
    ("aml", "logrank_by_x", "aml.csv", "time", "status", 1, "x"),
    ("aml", "peto_peto_by_x_rho1", "aml.csv", "time", "status", 1, "x"),
    ("lung", "logrank_by_sex", "lung.csv", "time", "status", 2, "sex"),
    ("freireich_6mp", "logrank_by_arm", "freireich_6mp.csv", "time", "status", 1, "arm"),
    ("kmsurv_bmt_competing_risks", "dfs_logrank_by_group", "kmsurv_bmt.csv", "t2", "d3", 1, "group"),
    ("kmsurv_bmt_competing_risks", "os_logrank_by_group", "kmsurv_bmt.csv", "t1", "d1", 1, "group"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c[1] + "-" + c[0] for c in CASES])
def test_it_equals_r_survdiff(case: tuple) -> None:
    name, key, csv, time, event, code, group = case
    data = frame(csv)
    want = reference(name)[key]
    test = logrank_test(data[time], data[event] == code, data[group], rho=want["rho"])
    assert [f"{group}={label}" for label in test.groups] == want["groups"]
    assert test.n.tolist() == want["n"]
    assert test.df == want["df"]
    assert_close(test.observed, want["observed"])
    assert_close(test.expected, want["expected"])
    assert_close(test.variance, np.array(want["var"], dtype=float), abs_=1e-12)
    assert_close(test.statistic, want["chisq"])
    assert_close(test.p_value, want["p"])


def test_it_equals_r_survdiff_stratified_by_pair() -> None:
    data = frame("freireich_6mp.csv")
    want = reference("freireich_6mp")["logrank_stratified_by_pair"]
    test = logrank_test(data["time"], data["status"], data["arm"], strata=data["pair"])
    assert_close(test.statistic, want["chisq"])
    assert_close(test.p_value, want["p"])
    assert test.observed_by_stratum is not None
    assert test.expected_by_stratum is not None
    # R's obs/exp are (groups x strata) matrices, written column by column
    assert_close(test.observed_by_stratum.ravel(order="F"), want["observed"])
    assert_close(test.expected_by_stratum.ravel(order="F"), want["expected"])
    assert test.strata == list(range(1, 22))


def test_it_matches_a_small_survdiff_example() -> None:
    # R 4.2.2: survdiff(Surv(c(6,6,7,9,10,1,1,2,2,3), c(1,0,1,0,1,1,1,1,1,0)) ~
    #   rep(c("a","b"), each = 5))$chisq = 5.98241500586166
    test = logrank_test(
        [6, 6, 7, 9, 10, 1, 1, 2, 2, 3], [1, 0, 1, 0, 1, 1, 1, 1, 1, 0], ["a"] * 5 + ["b"] * 5
    )
    assert test.statistic == pytest.approx(5.98241500586166, rel=1e-12)
    assert "chi2 = 5.9824 on 1 df" in repr(test)


def test_the_float_path_equals_the_counting_path() -> None:
    data = frame("kmsurv_bmt.csv")
    whole = logrank_test(data["t2"], data["d3"], data["group"], rho=1)
    scaled = logrank_test(data["t2"] / 1024 + 0.001, data["d3"], data["group"], rho=1)
    assert scaled.statistic == pytest.approx(whole.statistic, rel=1e-13)
    np.testing.assert_allclose(scaled.variance, whole.variance, rtol=1e-13)


def test_a_stratum_with_one_group_contributes_nothing() -> None:
    base = logrank_test([1, 2, 3, 4], [1, 1, 1, 0], ["a", "b", "a", "b"])
    extra = logrank_test(
        [1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1], ["a", "b", "a", "b", "a", "a"],
        strata=[0, 0, 0, 0, 1, 1],
    )  # fmt: skip
    assert extra.statistic == pytest.approx(base.statistic, rel=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"group": ["a", "a", "a"]}, "group"),
        # all censored is not an error: survdiff gives chisq 0, p NaN (test_edge_cases_reference)
        ({"rho": -1}, "rho"),
        ({"strata": [1, 2]}, "lengths"),
        ({"group": ["a", None, "b"]}, "group"),
    ],
)
def test_it_rejects_bad_input(kwargs: dict, field: str) -> None:
    arguments = {"time": [1, 2, 3], "event": [1, 0, 1], "group": ["a", "b", "a"], **kwargs}
    with pytest.raises(InputError) as raised:
        logrank_test(**arguments)
    assert raised.value.field == field


# ---- property-based comparison with the naive loop implementation (tests/stats/naive_km.py)


samples = st.integers(4, 50).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 8), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.integers(0, 2), min_size=n, max_size=n),
        st.sampled_from([1.0, 0.25]),
        st.sampled_from([0.0, 1.0, 0.5]),
    )
)


@settings(max_examples=150, deadline=None)
@given(samples)
def test_it_equals_the_naive_test_on_tied_data(sample: tuple) -> None:
    ticks, event, group, scale, rho = sample
    assume(len(set(group)) >= 2 and any(event))
    time = [tick * scale for tick in ticks]
    labels = sorted(set(group))
    codes = [labels.index(g) for g in group]
    test = logrank_test(time, event, group, rho=rho)
    observed, expected, variance = naive_logrank(time, event, codes, rho)
    np.testing.assert_allclose(test.observed, observed, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(test.expected, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(test.variance, variance, rtol=1e-10, atol=1e-12)


def test_integer_group_labels_are_coded_like_np_unique() -> None:
    from inodli.stats._validation import as_groups

    raw = np.array([5, -2, 5, 7, 70000])
    codes, labels = as_groups(raw, raw.size)
    want_labels, want_codes = np.unique(raw, return_inverse=True)
    assert labels == want_labels.tolist() == [-2, 5, 7, 70000]
    assert codes.tolist() == want_codes.tolist()
    assert isinstance(labels[0], int)
