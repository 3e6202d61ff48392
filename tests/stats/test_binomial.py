"""Binomial intervals and the exact test against R.

Sources: tests/data/binomial_exact_ci.json (R 4.2.2 ``binom.test``; Clopper-Pearson 95%/90%,
two-sided p-values vs 0.5); values below marked "R" were printed with ``%.17g`` by R 4.2.2 on
this project's machine: ``prop.test(x, n, correct = FALSE)$conf.int`` (Wilson score interval),
``qbeta(c(.025, .975), x + .5, n - x + .5)`` (Jeffreys) and ``binom.test(...)`` one-sided.
Newcombe (1998, Stat Med 17:857-872, Table I, method 3) prints the same Wilson limits to 4 dp.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inodli.errors import InputError
from inodli.stats.binomial import binomial_ci, exact_binomial_test

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = json.loads((DATA / "binomial_exact_ci.json").read_text())["cases"]
REL = 1e-10

# (x, n, wilson95 lower, upper, wilson90 lower, upper, jeffreys95 lower, upper) - from R
R_WILSON_JEFFREYS = [
    (0, 20, 0, 0.1611251580528193, 0, 0.11915783736096437, 2.4246478459242726e-05, 0.1166389829048754),
    (1, 29, 0.006113214292762661, 0.17175521879320282, 0.0077308079727380153, 0.14068309513251201, 0.0037461736490570752, 0.1500776860022317),
    (15, 148, 0.062386399530736283, 0.160487241723308, 0.067443262246871472, 0.14957293174640027, 0.060448517009296432, 0.1576431434787412),
    (81, 263, 0.25528851987827428, 0.36620957698280016, 0.26331361718848145, 0.35656634960848815, 0.25452193499102344, 0.36564749917408246),
    (12, 30, 0.24590628116801863, 0.57679639746677525, 0.26712616957413499, 0.54941869205088478, 0.24048591561453858, 0.57779973096629367),
    (23, 23, 0.85688338154957322, 1, 0.89474863821000594, 1, 0.89760617190839209, 0.99997888167798266),
    (7, 23, 0.15604024453214027, 0.50865756268759199, 0.17424907814592944, 0.47563188951102481, 0.14771654380218574, 0.50684213592403271),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['x']}/{c['n']}")
def test_it_reproduces_r_clopper_pearson_intervals(case: dict) -> None:
    ci95 = binomial_ci(case["x"], case["n"])
    ci90 = binomial_ci(case["x"], case["n"], confidence_level=0.90)
    assert ci95.estimate == pytest.approx(case["p_hat"], rel=REL)
    assert (ci95.lower, ci95.upper) == pytest.approx((case["lower95"], case["upper95"]), rel=REL)
    assert (ci90.lower, ci90.upper) == pytest.approx((case["lower90"], case["upper90"]), rel=REL)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['x']}/{c['n']}")
def test_it_reproduces_r_two_sided_exact_p_values(case: dict) -> None:
    test = exact_binomial_test(case["x"], case["n"], 0.5, "two-sided")
    assert test.p_value == pytest.approx(case["p_value_vs_0.5"], rel=REL)
    assert (test.ci.lower, test.ci.upper) == pytest.approx(
        (case["lower95"], case["upper95"]), rel=REL
    )


@pytest.mark.parametrize("row", R_WILSON_JEFFREYS, ids=lambda r: f"{r[0]}/{r[1]}")
def test_it_matches_r_wilson_and_jeffreys(row: tuple) -> None:
    x, n, w_lo, w_hi, w90_lo, w90_hi, j_lo, j_hi = row
    wilson = binomial_ci(x, n, method="wilson")
    wilson90 = binomial_ci(x, n, method="wilson", confidence_level=0.9)
    jeffreys = binomial_ci(x, n, method="jeffreys")
    assert (wilson.lower, wilson.upper) == pytest.approx((w_lo, w_hi), rel=REL, abs=1e-15)
    assert (wilson90.lower, wilson90.upper) == pytest.approx((w90_lo, w90_hi), rel=REL, abs=1e-15)
    # Brown, Cai & DasGupta (2001, sec. 4.1.2): lower bound 0 when x = 0, upper 1 when x = n.
    expected_j = (0.0 if x == 0 else j_lo, 1.0 if x == n else j_hi)
    assert (jeffreys.lower, jeffreys.upper) == pytest.approx(expected_j, rel=REL)


def test_it_matches_newcombe_table_i_to_four_decimals() -> None:
    ci = binomial_ci(81, 263, method="wilson")
    assert (round(ci.lower, 4), round(ci.upper, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(
    ("x", "n", "p0", "alternative", "p_value", "lower", "upper"),
    [
        (7, 23, 0.1, "greater", 0.0057726354772268612, 0.15247968742967724, 1.0),
        (2, 23, 0.3, "less", 0.015689553322099436, 0.0, 0.24924874982025957),
        (7, 23, 0.2, "two-sided", 0.19967792029894582, 0.13210287969809992, 0.52919166600850653),
    ],
)
def test_it_matches_r_binom_test_for_each_alternative(
    x: int, n: int, p0: float, alternative: str, p_value: float, lower: float, upper: float
) -> None:
    test = exact_binomial_test(x, n, p0, alternative)  # type: ignore[arg-type]
    assert test.statistic == x
    assert test.p_value == pytest.approx(p_value, rel=REL)
    assert (test.ci.lower, test.ci.upper) == pytest.approx((lower, upper), rel=REL)


def test_it_has_a_readable_repr() -> None:
    assert "12/30" in repr(binomial_ci(12, 30))
    assert "clopper-pearson" in repr(binomial_ci(12, 30))
    assert "greater" in repr(exact_binomial_test(7, 23, 0.1))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: binomial_ci(5, 3), "successes"),
        (lambda: binomial_ci(-1, 3), "successes"),
        (lambda: binomial_ci(1.5, 3), "successes"),  # type: ignore[arg-type]
        (lambda: binomial_ci(1, 3.5), "n"),  # type: ignore[arg-type]
        (lambda: binomial_ci(1, 0), "n"),
        (lambda: binomial_ci(1, 3, confidence_level=1.0), "confidence_level"),
        (lambda: binomial_ci(1, 3, method="wald"), "method"),  # type: ignore[arg-type]
        (lambda: exact_binomial_test(1, 3, 1.2), "p0"),
        (lambda: exact_binomial_test(1, 3, 0.2, "bigger"), "alternative"),  # type: ignore[arg-type]
    ],
)
def test_it_rejects_bad_input(call: object, field: str) -> None:
    with pytest.raises(InputError) as raised:
        call()  # type: ignore[operator]
    assert raised.value.field == field
