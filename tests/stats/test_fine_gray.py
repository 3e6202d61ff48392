"""Fine-Gray regression: a frozen cmprsk::crr case, the naive estimating equations, bad input.

Live comparisons with crr on the BMT data and on fresh random data are in
test_cr_against_r.py (marker ``r``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.stats.fine_gray import fine_gray
from tests.stats.naive_cr import naive_fine_gray

# Source: R 4.2.2 Patched (2022-11-10 r83330), cmprsk 2.2.11, run for this test:
#   time   <- c(1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12, 12, 13, 15, 16, 18)
#   status <- c(1, 2, 0, 1, 1, 2, 0, 1, 0, 2, 1, 0, 2, 1, 0, 1, 2, 0, 1, 0)
#   x1 <- c(0.5, -1.2, 0.3, 1.1, 0.0, -0.4, 0.9, 1.6, -0.7, 0.2, 0.8, -1.5, 0.4, 1.3, -0.2,
#           0.6, -0.9, 0.1, 1.0, -0.3)
#   x2 <- c(1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0)
#   fit <- crr(time, status, cbind(x1, x2)); summary(fit)
# printed with format(..., digits = 17):
#   coef 1.1754265304549649 1.2461828690665755
#   se 0.76492642650574683 1.26051564484804679
#   var  0.58511243796685164 -0.83239702761654810 -0.83239702761654810  1.58889969090668748
#   loglik -14.820108721101354 null -20.037603992563
# summary(fit)$conf.int (digits = 15):
#   x1 3.23952440501773 0.308687287075563 0.723393665318768 14.5073407106502
#   x2 3.47704525706857 0.287600513098607 0.293939182059803 41.1304258077555
TIME = [1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12, 12, 13, 15, 16, 18]
STATUS = [1, 2, 0, 1, 1, 2, 0, 1, 0, 2, 1, 0, 2, 1, 0, 1, 2, 0, 1, 0]
X = pd.DataFrame(
    {
        "x1": [
            0.5,
            -1.2,
            0.3,
            1.1,
            0.0,
            -0.4,
            0.9,
            1.6,
            -0.7,
            0.2,
            0.8,
            -1.5,
            0.4,
            1.3,
            -0.2,
            0.6,
            -0.9,
            0.1,
            1.0,
            -0.3,
        ],
        "x2": [1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0],
    }
)
# crr stops at gtol = 1e-6 on the gradient; inodli takes the same Newton steps, so the two
# agree to rounding, far inside 1e-9
REL = 1e-9


def test_it_reproduces_the_frozen_crr_fit() -> None:
    fit = fine_gray(TIME, STATUS, X)
    assert fit.converged
    np.testing.assert_allclose(fit.coef, [1.1754265304549649, 1.2461828690665755], rtol=REL)
    np.testing.assert_allclose(fit.std_err, [0.76492642650574683, 1.26051564484804679], rtol=REL)
    np.testing.assert_allclose(
        fit.variance.ravel(),
        [0.58511243796685164, -0.83239702761654810, -0.83239702761654810, 1.58889969090668748],
        rtol=REL,
    )
    assert fit.loglik == pytest.approx(-14.820108721101354, rel=1e-12)
    assert fit.loglik_null == pytest.approx(-20.037603992563, rel=1e-12)
    table = fit.table.set_index("term")
    np.testing.assert_allclose(
        table["hazard_ratio"], [3.23952440501773, 3.47704525706857], rtol=REL
    )
    np.testing.assert_allclose(table["lower"], [0.723393665318768, 0.293939182059803], rtol=REL)
    np.testing.assert_allclose(table["upper"], [14.5073407106502, 41.1304258077555], rtol=REL)
    np.testing.assert_allclose(table["z"], [1.536653055411381, 0.988629434438159], rtol=REL)
    assert fit.lr_statistic == pytest.approx(2 * (-14.820108721101354 + 20.037603992563), rel=1e-11)


def test_it_does_not_depend_on_the_row_order() -> None:
    order = np.random.default_rng(7).permutation(len(TIME))
    fit = fine_gray(np.array(TIME)[order], np.array(STATUS)[order], X.iloc[order])
    np.testing.assert_allclose(fit.coef, [1.1754265304549649, 1.2461828690665755], rtol=REL)


def test_it_treats_another_cause_as_the_event_when_asked() -> None:
    swapped = [{1: 2, 2: 1}.get(s, 0) for s in STATUS]
    assert np.allclose(fine_gray(TIME, swapped, X, cause=2).coef, fine_gray(TIME, STATUS, X).coef)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 6), st.integers(0, 2), st.floats(-2, 2), st.integers(0, 1)),
        min_size=8,
        max_size=30,
    )
)
def test_it_matches_the_naive_estimating_equations_on_tied_data(rows: list) -> None:
    time = np.array([float(r[0]) for r in rows])
    status = np.array([r[1] for r in rows])
    x = np.column_stack([[round(r[2], 2) for r in rows], [r[3] for r in rows]]).astype(float)
    assume((status == 1).sum() >= 2)
    beta = np.array([0.3, -0.2])  # evaluate at a fixed point: no iteration involved
    naive = naive_fine_gray(time, status, x, beta)
    from inodli.stats._cr_finegray import prepare, sandwich_middle, score_information

    kind = np.where(status == 1, 1, np.where(status > 0, 2, 0))
    data = prepare(time, kind, x)
    loglik, score, information, sums = score_information(data, beta)
    assert loglik == pytest.approx(naive["loglik"], rel=1e-11)
    np.testing.assert_allclose(score, naive["score"], rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(information, naive["information"], rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(sandwich_middle(data, sums), naive["omega"], rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"X": [[1.0], [2.0]]}, "lengths"),
        ({"X": [1.0, np.nan, 0.0, 1.0]}, "X"),
        ({"X": [["a"], ["b"], ["c"], ["d"]]}, "X"),
        ({"status": [0, 2, 0, 2]}, "cause"),
        ({"status": [0, 0, 0, 0]}, "status"),
        ({"time": [1, 2, np.inf, 4]}, "time"),
        ({"max_iter": -1}, "max_iter"),
        ({"conf_level": 1.0}, "conf_level"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(kwargs: dict, field: str) -> None:
    arguments = {"time": [1, 2, 3, 4], "status": [1, 2, 0, 1], "X": [0.0, 1.0, 0.0, 1.0]}
    arguments.update(kwargs)
    with pytest.raises(InputError) as caught:
        fine_gray(arguments.pop("time"), arguments.pop("status"), arguments.pop("X"), **arguments)
    assert caught.value.field == field


def test_it_names_the_design_matrix_when_the_information_is_singular() -> None:
    collinear = pd.DataFrame({"a": X["x1"], "b": 2 * X["x1"]})
    with pytest.raises(InputError, match="singular information matrix") as caught:
        fine_gray(TIME, STATUS, collinear)
    assert caught.value.field == "X"
