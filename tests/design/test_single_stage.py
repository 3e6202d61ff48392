"""Exact single-stage designs against clinfun's vignette and plain binomial arithmetic."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from inodli.design import exact_single_stage, power_curve, single_stage_design
from inodli.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data"


def test_it_lists_the_designs_of_the_clinfun_vignette() -> None:
    # Source: tests/data/single_stage_reference.csv = clinfun vignette ph2single(0.4, 0.6, 0.1, 0.1).
    rows = list(csv.DictReader((DATA / "single_stage_reference.csv").open(encoding="utf-8")))
    designs = exact_single_stage(0.4, 0.6, alpha=0.1, power=0.9, n_designs=len(rows))
    for design, row in zip(designs, rows, strict=True):
        assert (design.n, design.r) == (int(row["n"]), int(row["r"]))
        assert design.type1 == pytest.approx(float(row["type1"]), abs=5e-9)
        assert design.type2 == pytest.approx(float(row["type2"]), abs=5e-9)


def test_the_clinical_facts_23_patient_design_is_binomial_arithmetic() -> None:
    # clinical-facts.md section 0: ">= 12/23 responders gives alpha = 0.021, power 0.84 at 0.60".
    # Verified independently: sum of binomial probabilities written out with math.comb.
    from math import comb

    alpha = sum(comb(23, k) * 0.3**k * 0.7 ** (23 - k) for k in range(12, 24))
    power = sum(comb(23, k) * 0.6**k * 0.4 ** (23 - k) for k in range(12, 24))
    assert round(alpha, 3) == 0.021
    assert round(power, 2) == 0.84
    design = single_stage_design(23, 11, 0.30, 0.60)
    assert design.type1 == pytest.approx(alpha, rel=1e-12)
    assert design.power == pytest.approx(power, rel=1e-12)


def test_every_listed_design_meets_both_bounds_and_none_smaller_exists() -> None:
    designs = exact_single_stage(0.3, 0.6, 0.05, 0.8, n_designs=3)
    first = designs[0].n
    for n in range(1, first):
        r = np.arange(n)
        ok = (stats.binom.sf(r, n, 0.3) <= 0.05) & (stats.binom.cdf(r, n, 0.6) <= 0.2)
        assert not ok.any()
    for design in designs:
        assert design.type1 <= 0.05
        assert design.type2 <= 0.2


def test_power_curve_is_the_binomial_upper_tail() -> None:
    grid = [0.0, 0.3, 0.45, 0.6, 1.0]
    curve = power_curve(23, 11, grid)
    assert curve == pytest.approx([stats.binom.sf(11, 23, p) for p in grid], abs=1e-15)
    assert curve[0] == 0.0
    assert curve[-1] == 1.0


def test_it_explains_the_rule() -> None:
    lines = single_stage_design(23, 11, 0.3, 0.6).rule_in_words()
    assert "at least 12 of the 23" in lines[1]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: exact_single_stage(0.6, 0.4), "p1"),
        (lambda: exact_single_stage(0.3, 0.6, n_designs=0), "n_designs"),
        (lambda: exact_single_stage(0.3, 0.6, nmax=5), "nmax"),
        (lambda: single_stage_design(23, 23, 0.3, 0.6), "r"),
        (lambda: power_curve(23, 11, [0.5, 1.5]), "p_grid"),
    ],
)
def test_it_rejects_bad_input(call, field) -> None:
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.field == field
