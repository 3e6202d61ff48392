"""Design-adjusted inference after a two-stage design (Koyama & Chen 2008; Jung & Kim 2004).

Expected numbers come from R: ``tests/data/two_stage_inference.R`` computes the stage-wise
p-value and confidence limits by enumerating the design's whole sample space (base R dbinom
and uniroot) and the UMVUE as E[first response | outcome]; ``two_stage_inference.csv`` is its
stored output (``make_two_stage_inference.R``), and the test marked ``r`` runs it live on
fresh random designs. The properties checked by exact enumeration: the interval covers at
its level for every rate, the UMVUE is unbiased, everything is monotone in the stage-wise
order, a design without stage 2 gives the plain exact binomial test.
"""

from __future__ import annotations

import itertools
import re
import secrets
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from inodli.design import (
    TRIAL_DESIGN,
    simon_operating_characteristics,
    stagewise_confidence_interval,
    stagewise_p_value,
    two_stage_inference,
    two_stage_median_unbiased,
    two_stage_umvue,
)
from inodli.errors import InputError
from inodli.stats.binomial import exact_binomial_test
from tests.rbridge import require_r, run_r

DATA = Path(__file__).parent.parent / "data"
TRIAL = {"n1": TRIAL_DESIGN.n1, "r1": TRIAL_DESIGN.r1, "n": TRIAL_DESIGN.n}


def outcomes(n1: int, r1: int, n: int) -> list[tuple[int, int, int]]:
    """Every (stage, x1, x) the design can end with, in stage-wise order (x1 is any valid one)."""
    stop = [(1, x1, x1) for x1 in range(r1 + 1)]
    go_on = [(2, max(r1 + 1, x - (n - n1)), x) for x in range(r1 + 1, n + 1)]
    return stop + go_on


def outcome_probabilities(n1: int, r1: int, n: int, p: float) -> np.ndarray:
    """P_p of each outcome of :func:`outcomes`, in the same order."""
    n2 = n - n1
    first = sps.binom.pmf(np.arange(n1 + 1), n1, p)
    second = sps.binom.pmf(np.arange(n2 + 1), n2, p)
    stop = first[: r1 + 1]
    totals = np.zeros(n + 1)
    for x1 in range(r1 + 1, n1 + 1):
        totals[x1 : x1 + n2 + 1] += first[x1] * second
    return np.concatenate([stop, totals[r1 + 1 :]])


# -- stored R output -------------------------------------------------------------------------


def test_every_outcome_of_the_reference_designs_equals_the_stored_r_output() -> None:
    reference = pd.read_csv(DATA / "two_stage_inference.csv")
    assert len(reference) == 166
    for row in reference.to_dict("records"):
        result = two_stage_inference(
            int(row["stage"]), int(row["x1"]), int(row["x"]), n1=int(row["n1"]),
            r1=int(row["r1"]), n=int(row["n"]), p0=float(row["p0"]),
            confidence_level=float(row["level"]),
        )  # fmt: skip
        label = f"{row['design']} stage {row['stage']} x = {row['x']} level {row['level']}"
        assert result.p_value == pytest.approx(row["p_value"], rel=1e-10, abs=1e-15), label
        assert result.lower == pytest.approx(row["lower"], abs=1e-10), label
        assert result.upper == pytest.approx(row["upper"], abs=1e-10), label
        assert result.umvue == pytest.approx(row["umvue"], rel=1e-12), label
        assert result.median_unbiased == pytest.approx(row["median_unbiased"], abs=1e-10), label


def test_eleven_of_twenty_three_is_promising_under_the_design_but_not_by_the_plain_test() -> None:
    # R (two_stage_inference.csv, design "trial"): p 0.0362331257631445, 95% CI
    # 0.284488191910455 to 0.74451091574708, UMVUE 0.560294951786727;
    # binom.test(11, 23, 0.3, alternative = "greater")$p.value = 0.05479...
    result = two_stage_inference(2, 5, 11, **TRIAL, p0=0.30)
    assert result.p_value == pytest.approx(0.0362331257631445, rel=1e-10)
    assert (result.lower, result.upper) == pytest.approx((0.284488191910455, 0.74451091574708))
    assert result.umvue == pytest.approx(0.560294951786727, rel=1e-12)
    assert result.p_value < 0.05 < exact_binomial_test(11, 23, 0.30).p_value


# -- live R ----------------------------------------------------------------------------------

R_SCRIPT = """
suppressMessages(library(jsonlite))
source("{functions}")
cases <- read.csv("cases.csv")
write_json(ts_table(cases), "out.json", digits = NA, dataframe = "rows")
"""


@pytest.mark.r
def test_random_designs_and_outcomes_equal_a_live_r_enumeration() -> None:
    require_r()
    seed = secrets.randbits(32)
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    for _ in range(25):
        n = int(rng.integers(2, 46))
        n1 = int(rng.integers(1, n + 1))
        r1 = int(rng.integers(0, n1))
        stage, x1, x = outcomes(n1, r1, n)[int(rng.integers(0, r1 + 1 + n - r1))]
        if stage == 2:  # any stage-1 count that can lead to x
            x1 = int(rng.integers(max(r1 + 1, x - (n - n1)), min(n1, x) + 1))
        rows.append(
            {"stage": stage, "x1": x1, "x": x, "n1": n1, "r1": r1, "n": n,
             "p0": round(float(rng.uniform(0.02, 0.95)), 4),
             "level": float(rng.choice([0.8, 0.9, 0.95, 0.99]))}
        )  # fmt: skip
    cases = pd.DataFrame(rows)
    script = R_SCRIPT.format(functions=(DATA / "two_stage_inference.R").as_posix())
    answer = run_r(script, {"cases": cases})
    for case, expected in zip(rows, answer, strict=True):
        result = two_stage_inference(
            case["stage"], case["x1"], case["x"], n1=case["n1"], r1=case["r1"], n=case["n"],
            p0=case["p0"], confidence_level=case["level"],
        )  # fmt: skip
        label = f"seed {seed}: {case}"
        assert result.p_value == pytest.approx(expected["p_value"], rel=1e-9, abs=1e-15), label
        assert result.lower == pytest.approx(expected["lower"], abs=1e-9), label
        assert result.upper == pytest.approx(expected["upper"], abs=1e-9), label
        assert result.umvue == pytest.approx(expected["umvue"], rel=1e-10), label
        assert expected["umvue_other_rate"] == pytest.approx(expected["umvue"], rel=1e-10)
        assert result.median_unbiased == pytest.approx(expected["median_unbiased"], abs=1e-9)


# -- properties by exact enumeration ----------------------------------------------------------

designs = st.integers(2, 30).flatmap(
    lambda n: st.integers(1, n).flatmap(
        lambda n1: st.tuples(st.just(n1), st.integers(0, n1 - 1), st.just(n))
    )
)


def _all(n1: int, r1: int, n: int, level: float = 0.95) -> list:
    return [
        two_stage_inference(s, x1, x, n1=n1, r1=r1, n=n, p0=0.5, confidence_level=level)
        for s, x1, x in outcomes(n1, r1, n)
    ]


def test_the_interval_covers_at_its_level_for_every_rate_of_the_trial_design() -> None:
    results = _all(**TRIAL)
    lower = np.array([r.lower for r in results])
    upper = np.array([r.upper for r in results])
    for p in np.linspace(0.0005, 0.9995, 1999):
        inside = (lower <= p) & (p <= upper)
        coverage = float(np.sum(outcome_probabilities(**TRIAL, p=p)[inside]))
        assert coverage >= 0.95 - 1e-12, p


@settings(max_examples=15, deadline=None)
@given(design=designs, p=st.floats(0.001, 0.999), level=st.sampled_from([0.8, 0.9, 0.95]))
def test_the_interval_covers_at_its_level_for_any_design(
    design: tuple[int, int, int], p: float, level: float
) -> None:
    n1, r1, n = design
    results = _all(n1, r1, n, level)
    inside = np.array([r.lower <= p <= r.upper for r in results])
    assert float(np.sum(outcome_probabilities(n1, r1, n, p)[inside])) >= level - 1e-12


@settings(max_examples=30, deadline=None)
@given(design=designs, p=st.floats(0.0, 1.0))
def test_the_umvue_is_unbiased_at_every_rate(design: tuple[int, int, int], p: float) -> None:
    n1, r1, n = design
    estimates = [two_stage_umvue(s, x1, x, n1=n1, r1=r1, n=n) for s, x1, x in outcomes(n1, r1, n)]
    mean = float(np.dot(outcome_probabilities(n1, r1, n, p), estimates))
    assert mean == pytest.approx(p, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(design=designs)
def test_everything_moves_with_the_stage_wise_order(design: tuple[int, int, int]) -> None:
    results = _all(*design)
    p_values = [r.p_value for r in results]
    assert p_values[0] == pytest.approx(1.0)
    assert all(a >= b for a, b in itertools.pairwise(p_values))
    for name in ("lower", "upper", "median_unbiased"):
        values = [getattr(r, name) for r in results]
        assert all(a <= b + 1e-12 for a, b in itertools.pairwise(values)), name
    assert all(r.lower <= r.median_unbiased <= r.upper for r in results)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), data=st.data())
def test_without_a_stage_2_it_is_the_plain_exact_binomial_test(n: int, data: st.DataObject) -> None:
    r1 = data.draw(st.integers(0, n - 1))
    x = data.draw(st.integers(0, n))
    p0 = data.draw(st.floats(0.01, 0.99))
    stage = 1 if x <= r1 else 2
    plain = exact_binomial_test(x, n, p0, "greater")
    assert stagewise_p_value(stage, x, x, n1=n, r1=r1, n=n, p0=p0) == pytest.approx(
        plain.p_value, rel=1e-9, abs=1e-15
    )
    assert two_stage_umvue(stage, x, x, n1=n, r1=r1, n=n) == pytest.approx(x / n)


def test_the_p_value_at_the_rejection_boundary_is_the_attained_alpha() -> None:
    for n1, r1, r, n, p0 in [(10, 4, 10, 23, 0.3), (12, 0, 3, 37, 0.05), (9, 0, 2, 24, 0.05)]:
        alpha, _, _ = simon_operating_characteristics(r1, n1, r, n, p0)
        assert stagewise_p_value(2, r1 + 1, r + 1, n1=n1, r1=r1, n=n, p0=p0) == pytest.approx(
            alpha, rel=1e-12
        )


def test_the_interval_excludes_p0_exactly_when_the_p_value_is_below_the_tail() -> None:
    for level in (0.90, 0.95):
        for result in _all(**TRIAL, level=level):
            p_value = stagewise_p_value(result.stage, result.x1, result.x, **TRIAL, p0=0.30)
            assert (result.lower > 0.30) == (p_value < (1 - level) / 2)


def test_extreme_outcomes_have_closed_limits() -> None:
    none = two_stage_inference(1, 0, **TRIAL, p0=0.3)
    assert (none.p_value, none.lower, none.umvue, none.median_unbiased) == (1.0, 0.0, 0.0, 0.0)
    # R: ts_inference(1, 0, 0, 10, 4, 23, 0.3)$upper = 0.308497107818763 = 1 - 0.025^(1/10)
    assert none.upper == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-12)
    everyone = two_stage_inference(2, 10, 23, **TRIAL, p0=0.3)
    assert (everyone.upper, everyone.umvue) == (1.0, 1.0)
    # only (10, 23) reaches 23: P_p = p^23, so the lower limit is 0.025^(1/23)
    assert everyone.lower == pytest.approx(0.025 ** (1 / 23), abs=1e-12)
    assert everyone.median_unbiased == pytest.approx(0.5 ** (1 / 23), abs=1e-12)
    assert everyone.p_value == pytest.approx(0.3**23, rel=1e-12)


def test_stage_2_results_depend_on_the_total_only() -> None:
    results = {x1: two_stage_inference(2, x1, 11, **TRIAL, p0=0.3) for x1 in range(5, 11)}
    first = results[5]
    for result in results.values():
        assert (result.p_value, result.lower, result.upper, result.umvue) == (
            first.p_value, first.lower, first.upper, first.umvue,
        )  # fmt: skip


def test_the_functions_agree_with_the_combined_result() -> None:
    result = two_stage_inference(2, 6, 12, **TRIAL, p0=0.3, confidence_level=0.9)
    assert stagewise_confidence_interval(2, 6, 12, **TRIAL, confidence_level=0.9) == (
        result.lower,
        result.upper,
    )
    assert two_stage_median_unbiased(2, 6, 12, **TRIAL) == result.median_unbiased
    assert result.patients == 23
    assert two_stage_inference(1, 3, **TRIAL, p0=0.3).patients == 10
    assert "stage-wise p" in repr(result)
    assert result.rule_in_words()[0].startswith("The trial completed stage 2: 6 of the first 10")


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (lambda: stagewise_p_value(3, 2, 2, **TRIAL, p0=0.3), "stage", "expected 1 (stopped"),
        (lambda: stagewise_p_value(1, 5, 5, **TRIAL, p0=0.3), "x1", "0 to r1 = 4 responses"),
        (lambda: stagewise_p_value(1, 3, 7, **TRIAL, p0=0.3), "x", "the stage-1 count x1 = 3"),
        (lambda: stagewise_p_value(2, 4, 12, **TRIAL, p0=0.3), "x1", "5 to n1 = 10 responses"),
        (lambda: stagewise_p_value(2, 6, 24, **TRIAL, p0=0.3), "x", "from x1 = 6 to 19"),
        (lambda: stagewise_p_value(2, 6, 5, **TRIAL, p0=0.3), "x", "from x1 = 6 to 19"),
        (lambda: stagewise_p_value(2, 6, None, **TRIAL, p0=0.3), "x", "the total responses"),
        (lambda: stagewise_p_value(2, 11, 12, **TRIAL, p0=0.3), "x1", "<= 10"),
        (lambda: stagewise_p_value(1, -1, None, **TRIAL, p0=0.3), "x1", ">= 0"),
        (lambda: stagewise_p_value(1, 2.5, None, **TRIAL, p0=0.3), "x1", "whole number"),  # type: ignore[arg-type]
        (lambda: stagewise_p_value(True, 2, 2, **TRIAL, p0=0.3), "stage", "1 (stopped"),
        (lambda: stagewise_p_value(1, 2, 2, n1=10, r1=10, n=23, p0=0.3), "r1", "<= 9"),
        (lambda: stagewise_p_value(1, 2, 2, n1=24, r1=4, n=23, p0=0.3), "n1", "<= 23"),
        (lambda: stagewise_p_value(1, 2, 2, n1=10, r1=4, n=0, p0=0.3), "n", ">= 1"),
        (lambda: stagewise_p_value(1, 2, 2, **TRIAL, p0=1.0), "p0", "strictly between 0 and 1"),
        (lambda: stagewise_confidence_interval(1, 2, 2, **TRIAL, confidence_level=95),
         "confidence_level", "strictly between 0 and 1"),
        (lambda: two_stage_umvue(2, 3, 9, **TRIAL), "x1", "5 to n1 = 10"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_the_allowed_values_and_the_value(
    call: object, field: str, message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        call()  # type: ignore[operator]
    assert caught.value.field == field
