"""Simon two-stage designs against clinfun's documented output, Simon (1989) and a plain search."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from inodli.design import simon_operating_characteristics, simon_two_stage
from inodli.errors import InputError
from tests.design.reference_simon import optimal_and_minimax

DATA = Path(__file__).resolve().parents[1] / "data"
ROWS = list(csv.DictReader((DATA / "simon_two_stage.csv").open(encoding="utf-8")))


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['p0']}-{r['p1']}-{r['type']}-{r['nmax']}" for r in ROWS]
)
def test_it_equals_every_row_of_simon_two_stage_csv(row: dict[str, str]) -> None:
    # Source: tests/data/simon_two_stage.csv (clinfun ph2simon docs/vignette, PhIIdesign test).
    # EN0 and PET0 there are printed to 2-4 decimals: we compare at the printed precision.
    result = simon_two_stage(
        float(row["p0"]),
        float(row["p1"]),
        float(row["alpha"]),
        1 - float(row["beta"]),
        int(row["nmax"]),
    )
    design = getattr(result, row["type"])
    assert (design.r1, design.n1, design.r, design.n) == (
        int(row["r1"]),
        int(row["n1"]),
        int(row["r"]),
        int(row["n"]),
    )
    for ours, printed in ((design.expected_n0, row["EN0"]), (design.pet0, row["PET0"])):
        places = _decimals(printed)
        assert ours == pytest.approx(float(printed), abs=0.5 * 10**-places + 1e-12)


def test_it_reproduces_the_clinfun_twostage_admissible_example() -> None:
    # clinfun reference page twostage.admissible: oo = ph2simon(0.5, 0.7, 0.05, 0.1)
    #            r1 n1  r  n   EN(p0)   PET(p0)   qLo   qHi
    # Minimax    14 27 32 53 36.11440 0.6494460 0.285 1.000
    # Admissible 12 23 34 57 34.51987 0.6611803 0.112 0.285
    # Optimal    13 24 36 61 34.01324 0.7293719 0.000 0.112
    expected = [
        ("minimax", 14, 27, 32, 53, 36.11440, 0.6494460, 0.285, 1.000),
        ("admissible", 12, 23, 34, 57, 34.51987, 0.6611803, 0.112, 0.285),
        ("optimal", 13, 24, 36, 61, 34.01324, 0.7293719, 0.000, 0.112),
    ]
    _check_admissible(simon_two_stage(0.5, 0.7, 0.05, 0.9), expected)


def test_it_reproduces_the_clinfun_vignette_admissible_tables() -> None:
    # clinfun vignette "Functions For Clinical Trial Design", twostage.admissible(trial):
    lenvatinib = [  # ph2simon(0.05, 0.2, 0.1, 0.1)
        ("minimax", 0, 18, 3, 32, 26.43900, 0.3972143, 0.640, 1.000),
        ("admissible", 0, 15, 3, 33, 24.66076, 0.4632912, 0.323, 0.640),
        ("admissible", 0, 13, 3, 35, 23.70647, 0.5133421, 0.097, 0.323),
        ("optimal", 0, 12, 3, 37, 23.49100, 0.5403601, 0.000, 0.097),
    ]
    _check_admissible(simon_two_stage(0.05, 0.2, 0.1, 0.9), lenvatinib)
    hypothetical = [  # ph2simon(0.25, 0.45, 0.05, 0.1)
        ("minimax", 6, 26, 17, 49, 37.14596, 0.5153932, 0.782, 1.000),
        ("admissible", 7, 26, 17, 50, 33.55630, 0.6851542, 0.129, 0.782),
        ("optimal", 6, 22, 19, 57, 32.52206, 0.6993697, 0.000, 0.129),
    ]
    _check_admissible(simon_two_stage(0.25, 0.45, 0.05, 0.9), hypothetical)


def _check_admissible(result, expected) -> None:
    assert len(result.admissible) == len(expected)
    for design, (kind, r1, n1, r, n, en, pet, q_low, q_high) in zip(result.admissible, expected):
        assert design.kind == kind
        assert (design.r1, design.n1, design.r, design.n) == (r1, n1, r, n)
        assert design.expected_n0 == pytest.approx(en, abs=5e-6)
        assert design.pet0 == pytest.approx(pet, abs=5e-8)
        assert design.q_range is not None
        assert round(design.q_range[0], 3) == pytest.approx(q_low)
        assert round(design.q_range[1], 3) == pytest.approx(q_high)


def test_it_reports_attained_alpha_and_power_of_simons_table_1_row() -> None:
    # p0 = 0.10, p1 = 0.30, alpha = 0.05, beta = 0.20: optimal 1/10, 5/29 (Simon 1989 Table 1;
    # the same row with full-precision alpha/beta in PhIIdesign inst/tinytest/test-simon2stage.R:
    # alpha 0.0470863066438917, beta 0.194937086849675, EN 15.0141203471, PET 0.7360989291).
    design = simon_two_stage(0.1, 0.3, 0.05, 0.8).optimal
    assert (design.r1, design.n1, design.r, design.n) == (1, 10, 5, 29)
    assert design.alpha == pytest.approx(0.0470863066438917, rel=1e-10)
    assert 1 - design.power == pytest.approx(0.194937086849675, rel=1e-10)
    assert design.expected_n0 == pytest.approx(15.0141203471, rel=1e-10)
    assert design.pet0 == pytest.approx(0.7360989291, rel=1e-9)


def test_it_computes_operating_characteristics_from_the_binomial() -> None:
    # Independent arithmetic with scipy: P(X1 > r1, X1 + X2 > r) summed over x1.
    r1, n1, r, n, p = 3, 8, 10, 24, 0.6
    x1 = np.arange(r1 + 1, n1 + 1)
    expected = float(np.sum(stats.binom.pmf(x1, n1, p) * stats.binom.sf(r - x1, n - n1, p)))
    reject, pet, en = simon_operating_characteristics(r1, n1, r, n, p)
    assert reject == pytest.approx(expected, rel=1e-12)
    assert pet == pytest.approx(stats.binom.cdf(r1, n1, p), rel=1e-12)
    assert en == pytest.approx(n1 + (1 - pet) * (n - n1), rel=1e-12)


@pytest.mark.parametrize(
    ("p0", "p1", "alpha", "power", "nmax"),
    [
        (0.3, 0.6, 0.05, 0.8, 45),
        (0.1, 0.25, 0.1, 0.8, 60),
        (0.4, 0.6, 0.1, 0.85, 60),
        (0.6, 0.8, 0.05, 0.8, 50),
        (0.05, 0.25, 0.05, 0.8, 30),
        (0.2, 0.45, 0.025, 0.9, 60),
    ],
)
def test_it_agrees_with_a_plain_unpruned_search(p0, p1, alpha, power, nmax) -> None:
    # Oracle: tests/design/reference_simon.py (full matrices, no pruning).
    optimal, minimax = optimal_and_minimax(p0, p1, alpha, 1 - power, nmax)
    result = simon_two_stage(p0, p1, alpha, power, nmax)
    for ours, theirs in ((result.optimal, optimal), (result.minimax, minimax)):
        assert (ours.r1, ours.n1, ours.r, ours.n) == theirs[:4]
        assert ours.expected_n0 == pytest.approx(theirs[4], rel=1e-12)
        assert ours.pet0 == pytest.approx(theirs[5], rel=1e-12)


def test_every_candidate_meets_the_error_bounds_and_en_falls_with_n() -> None:
    result = simon_two_stage(0.2, 0.4, 0.05, 0.8, 80)
    ens = [d.expected_n0 for d in result.candidates]
    assert all(a > b for a, b in itertools.pairwise(ens))
    for design in result.candidates:
        assert design.alpha < 0.05
        assert design.power > 0.8


def test_it_explains_the_rule_in_words() -> None:
    lines = simon_two_stage(0.3, 0.6).optimal.rule_in_words()
    assert lines[0] == "Stage 1: treat 8 patients."
    assert "3 or fewer" in lines[1]
    assert "at least 11" in lines[3]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"p0": 0.6, "p1": 0.3}, "p1"),
        ({"p0": 0.0, "p1": 0.3}, "p0"),
        ({"p0": 0.2, "p1": 0.4, "alpha": 1.5}, "alpha"),
        ({"p0": 0.2, "p1": 0.4, "nmax": 5000}, "nmax"),
        ({"p0": 0.2, "p1": 0.4, "nmax": 10}, "nmax"),
        ({"p0": 0.2, "p1": 0.4, "power": "high"}, "power"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(kwargs, field) -> None:
    with pytest.raises(InputError) as caught:
        simon_two_stage(**kwargs)
    assert caught.value.field == field


@settings(max_examples=12, deadline=None)
@given(
    p0=st.sampled_from([0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5]),
    gap=st.sampled_from([0.15, 0.2, 0.25, 0.3]),
    alpha=st.sampled_from([0.05, 0.1]),
    power=st.sampled_from([0.8, 0.9]),
)
def test_random_problems_agree_with_the_plain_search(p0, gap, alpha, power) -> None:
    nmax = 35
    try:
        optimal, minimax = optimal_and_minimax(p0, p0 + gap, alpha, 1 - power, nmax)
    except ValueError:  # the plain search found no design at all
        with pytest.raises(InputError):
            simon_two_stage(p0, p0 + gap, alpha, power, nmax)
        return
    result = simon_two_stage(p0, p0 + gap, alpha, power, nmax)
    assert (result.optimal.r1, result.optimal.n1, result.optimal.r, result.optimal.n) == optimal[:4]
    assert (result.minimax.r1, result.minimax.n1, result.minimax.r, result.minimax.n) == minimax[:4]


def test_splitting_large_steps_does_not_change_the_result(monkeypatch) -> None:
    from inodli.design import _simon_search

    whole = simon_two_stage(0.2, 0.35, 0.05, 0.9, 120)
    monkeypatch.setattr(_simon_search, "_BATCH_ELEMENTS", 5_000)
    split = simon_two_stage(0.2, 0.35, 0.05, 0.9, 120)
    assert split.admissible == whole.admissible
    assert split.candidates == whole.candidates


@pytest.mark.parametrize(
    ("p0", "p1", "alpha", "power"), [(0.5, 0.75, 0.05, 0.9), (0.5, 0.8, 0.05, 0.8)]
)
def test_it_keeps_grid_cells_past_nmax_inside_the_tables(p0, p1, alpha, power) -> None:
    # Found by the random comparison above: rows whose r-grid ran past nmax read outside the
    # survival tables (IndexError). The reference is the plain exhaustive search.
    optimal, minimax = optimal_and_minimax(p0, p1, alpha, 1 - power, 35)
    result = simon_two_stage(p0, p1, alpha, power, 35)
    assert (result.optimal.r1, result.optimal.n1, result.optimal.r, result.optimal.n) == optimal[:4]
    assert (result.minimax.r1, result.minimax.n1, result.minimax.r, result.minimax.n) == minimax[:4]
