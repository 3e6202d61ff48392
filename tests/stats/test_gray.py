"""Gray's test: cmprsk reference values, the naive loops on tied random data, bad input.

Reference numbers: tests/data/kmsurv_bmt_competing_risks.json, ``cif_by_group.gray_test``
(R 4.2.2, cmprsk 2.2.11: cuminc(t2, cr_status, group, cencode = 0)$Tests, rho = 0).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.stats.gray import gray_test
from tests.stats.cr_blocks import (
    BLOCK_SIZES,
    block_size,
    continuous_competing_risks,
    continuous_times,
)
from tests.stats.naive_cr import naive_gray_test

DATA = Path(__file__).resolve().parents[1] / "data"
REF = json.loads((DATA / "kmsurv_bmt_competing_risks.json").read_text())["cif_by_group"][
    "gray_test"
]
BMT = pd.read_csv(DATA / "kmsurv_bmt.csv")


@pytest.mark.parametrize("row", [0, 1])
def test_it_reproduces_cmprsk_tests_for_each_cause_in_three_groups(row: int) -> None:
    cause = int(REF["rows"][row])
    result = gray_test(BMT.t2, BMT.cr_status, BMT.group, cause=cause)
    assert result.statistic == pytest.approx(REF["stat"][row], rel=1e-10)
    assert result.p_value == pytest.approx(REF["pv"][row], rel=1e-9)
    assert result.df == REF["df"][row]
    assert result.groups == [1, 2, 3]


def test_it_does_not_depend_on_group_labels_or_order_of_rows() -> None:
    rng = np.random.default_rng(3)
    order = rng.permutation(len(BMT))
    names = BMT.group.map({1: "ALL", 2: "AML low", 3: "AML high"})
    shuffled = gray_test(BMT.t2[order], BMT.cr_status[order], names[order])
    assert shuffled.statistic == pytest.approx(REF["stat"][0], rel=1e-10)


tied_rows = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 2), st.integers(0, 2), st.integers(0, 1)),
    min_size=6,
    max_size=45,
)


@settings(max_examples=60, deadline=None)
@given(tied_rows, st.sampled_from([0.0, 1.0, 0.5]))
def test_it_matches_the_naive_loops_with_ties_strata_and_rho(rows: list, rho: float) -> None:
    time = np.array([float(r[0]) for r in rows])
    status = np.array([r[1] for r in rows])
    group = np.array([r[2] for r in rows])
    strata = np.array([r[3] for r in rows])
    assume(len(set(group.tolist())) >= 2 and (status == 1).any())
    groups = sorted(set(group.tolist()))
    codes = np.searchsorted(groups, group)
    score = np.zeros(len(groups) - 1)
    var = np.zeros((len(groups) - 1,) * 2)
    for s in (0, 1):
        mine = strata == s
        if not (status[mine] > 0).any():
            continue
        part_score, part_var = naive_gray_test(
            time[mine], status[mine], codes[mine], 1, rho, groups=len(groups)
        )
        score += part_score
        var += part_var
    assume(np.isfinite(var).all() and np.isfinite(score).all())
    result = gray_test(time, status, group, strata=strata, rho=rho)
    np.testing.assert_allclose(result.score, score, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(result.variance, var, rtol=1e-9, atol=1e-12)


def _naive_stratified(
    time: np.ndarray, status: np.ndarray, group: np.ndarray, strata: np.ndarray, rho: float
) -> tuple[np.ndarray, np.ndarray]:
    groups = sorted(set(group.tolist()))
    codes = np.searchsorted(groups, group)
    score = np.zeros(len(groups) - 1)
    var = np.zeros((len(groups) - 1,) * 2)
    for s in sorted(set(strata.tolist())):
        mine = strata == s
        if not (status[mine] > 0).any():
            continue
        part_score, part_var = naive_gray_test(
            time[mine], status[mine], codes[mine], 1, rho, groups=len(groups)
        )
        score += part_score
        var += part_var
    return score, var


continuous_rows = st.lists(
    st.tuples(continuous_times, st.integers(0, 2), st.integers(0, 2), st.integers(0, 1)),
    min_size=6,
    max_size=45,
)


@settings(max_examples=80, deadline=None)
@given(continuous_rows, st.sampled_from([0.0, 1.0, 0.5]), st.sampled_from(BLOCK_SIZES))
def test_it_matches_the_naive_loops_on_continuous_times_in_any_block_size(
    rows: list, rho: float, size: int | None
) -> None:
    time = np.array([r[0] for r in rows])
    status = np.array([r[1] for r in rows])
    group = np.array([r[2] for r in rows])
    strata = np.array([r[3] for r in rows])
    assume(len(set(group.tolist())) >= 2 and (status == 1).any())
    score, var = _naive_stratified(time, status, group, strata, rho)
    assume(np.isfinite(var).all() and np.isfinite(score).all())
    with block_size(size):
        result = gray_test(time, status, group, strata=strata, rho=rho)
    np.testing.assert_allclose(result.score, score, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(result.variance, var, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("groups", "rho"), [(2, 0.0), (3, 0.5), (4, 1.0)])
def test_the_block_size_changes_the_test_only_by_rounding(groups: int, rho: float) -> None:
    data = continuous_competing_risks(11, 3000, groups)
    data["time"][::40] = data["time"][1::40]  # some tied pairs
    with block_size(None):
        default = gray_test(data["time"], data["status"], data["group"], rho=rho)
    for size in (1, 7, 64):
        with block_size(size):
            result = gray_test(data["time"], data["status"], data["group"], rho=rho)
        np.testing.assert_allclose(result.score, default.score, rtol=1e-12)
        np.testing.assert_allclose(result.variance, default.variance, rtol=1e-12)


def test_it_does_not_raise_where_the_pooled_incidence_reaches_one() -> None:
    # tiny samples can push Gray's pooled F^0 to 1 before a later event: undefined, not an error
    result = gray_test([1, 1, 2, 3], [1, 1, 2, 1], ["a", "b", "b", "a"], rho=0.5)
    assert np.isnan(result.statistic) or np.isfinite(result.statistic)


def test_it_reports_nan_when_the_variance_is_singular() -> None:
    # group "b" leaves before the first event of the cause: no comparison is possible
    result = gray_test([1, 2, 3, 4], [2, 0, 1, 1], ["b", "b", "a", "a"])
    assert np.isnan(result.statistic)
    assert np.isnan(result.p_value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"group": [1, 1, 1, 1]}, "group"),
        ({"group": [1, 2, 1]}, "lengths"),
        ({"status": [0, 0, 0, 0]}, "status"),
        ({"cause": 3}, "cause"),
        ({"status": [1, 7.5, 0, 1]}, "status"),
        ({"time": [1, 2, -3, 4]}, "time"),
        ({"strata": [1, 2, None, 1]}, "strata"),
        ({"rho": float("nan")}, "rho"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(kwargs: dict, field: str) -> None:
    arguments = {"time": [1, 2, 3, 4], "status": [1, 2, 0, 1], "group": ["a", "b", "a", "b"]}
    arguments.update(kwargs)
    with pytest.raises(InputError) as caught:
        gray_test(
            arguments.pop("time"), arguments.pop("status"), arguments.pop("group"), **arguments
        )
    assert caught.value.field == field
