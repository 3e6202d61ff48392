"""Bayesian monitoring rules against documented R outputs and the Lee & Liu worked example."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats

from inodli.design import (
    posterior_probability,
    posterior_stopping_boundaries,
    predictive_probability,
    predictive_stopping_boundaries,
    toxicity_stopping_boundaries,
)
from inodli.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data"


def test_predictive_probability_equals_both_reference_rows() -> None:
    # Source: tests/data/bayes_predictive_probability.csv (ph2bayes::predprob Rd example
    # "p. 97, PP = 0.5656", Lee & Liu 2008; ph2bye::PredP example output 0.8871897).
    rows = list(csv.DictReader((DATA / "bayes_predictive_probability.csv").open(encoding="utf-8")))
    cases = {
        "y=16,n=23,Nmax=40,prior Beta(0.6,0.4),p0=0.6,thetaT=0.9": (
            16,
            23,
            40,
            0.6,
            0.9,
            (0.6, 0.4),
        ),
        "y=16,n=23,Nmax=40,prior Beta(1,1),p0=0.5,thetaT=0.9": (16, 23, 40, 0.5, 0.9, (1, 1)),
    }
    for row in rows:
        y, n, n_max, p0, theta, prior = cases[row["inputs"]]
        ours = predictive_probability(y, n, n_max, p0, theta, prior)
        places = len(row["reference_value"].split(".")[1])
        assert ours == pytest.approx(float(row["reference_value"]), abs=0.5 * 10**-places)


def test_posterior_probability_with_a_fixed_standard_equals_ph2bye() -> None:
    # ph2bye PostP(8, 15, 1, 1, 0.8) example output on rdrr.io: 0.007003561.
    assert posterior_probability(8, 15, (1, 1), 0.8) == pytest.approx(0.007003561, abs=5e-10)


def test_posterior_probability_with_a_beta_standard_equals_phase1b() -> None:
    # Genentech/phase1b tests/testthat/test-postprobDist.R:
    # postprobDist(x = 16, n = 23, parE = c(0.6, 0.4), parS = c(0.6, 0.4), delta = 0.1) = 0.4431067
    assert posterior_probability(16, 23, (0.6, 0.4), (0.6, 0.4), 0.1) == pytest.approx(
        0.4431067, abs=1e-6
    )


def test_posterior_probability_with_a_beta_standard_by_monte_carlo() -> None:
    rng = np.random.default_rng(7)
    pe = rng.beta(1 + 9, 1 + 14, 400_000)
    ps = rng.beta(15, 35, 400_000)
    estimate = np.mean(pe > ps + 0.05)
    sd = np.sqrt(estimate * (1 - estimate) / pe.size)
    assert posterior_probability(9, 23, (1, 1), (15, 35), 0.05) == pytest.approx(
        estimate, abs=6 * sd
    )


def test_toxicity_boundaries_equal_the_boin_elimination_row() -> None:
    # ruitaolin/IntervalDesign README, get.boundary(target=0.3, ncohort=12, cohortsize=3,
    # cutoff.eli=0.95): "Eliminate if # of DLT >= 3 4 5 7 8 9 10 11 12 14 15 16" at
    # n = 3, 6, ..., 36 - the rule Pr(p > 0.3 | data) > 0.95 with a Beta(1, 1) prior.
    boundary = toxicity_stopping_boundaries(0.3, (1, 1), 0.95, 36, cohort_size=3)
    assert boundary.n == tuple(range(3, 37, 3))
    assert boundary.bound == (3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15, 16)


def test_toxicity_boundary_is_the_smallest_count_over_the_threshold() -> None:
    boundary = toxicity_stopping_boundaries(0.2, (1, 4), 0.9, 23)
    for n, k in zip(boundary.n, boundary.bound):
        post = stats.beta(1 + np.arange(n + 1), 4 + n - np.arange(n + 1)).sf(0.2)
        if k is None:  # even n events of n do not make it 90% likely (n = 1 here)
            assert post[n] <= 0.9
            continue
        assert post[k] > 0.9
        assert k == 0 or post[k - 1] <= 0.9
    assert boundary.crossed(2, 2)
    assert not boundary.crossed(1, 2)
    assert boundary.rule_in_words()[1] == "Stop if 2 or more of the first 2 patients have it."


def test_posterior_futility_boundaries_follow_the_definition() -> None:
    boundary = posterior_stopping_boundaries("futility", 12, 0.05, (0.6, 1.4), (15, 35))
    for n, bound in zip(boundary.n, boundary.bound):
        probs = [posterior_probability(y, n, (0.6, 1.4), (15, 35)) for y in range(n + 1)]
        below = [y for y, p in enumerate(probs) if p < 0.05]
        assert bound == (max(below) if below else None)
    efficacy = posterior_stopping_boundaries("efficacy", 20, 0.95, (0.6, 1.4), 0.3)
    assert efficacy.direction == "at_least"
    assert efficacy.crossed(efficacy.bound[-1], 20)


def test_predictive_futility_boundary_matches_direct_evaluation() -> None:
    boundary = predictive_stopping_boundaries(40, 0.6, 0.9, 0.05, (0.6, 0.4), first_n=10)
    n, bound = boundary.n[13], boundary.bound[13]  # n = 23
    assert n == 23
    assert predictive_probability(bound, 23, 40, 0.6, 0.9, (0.6, 0.4)) < 0.05
    assert predictive_probability(bound + 1, 23, 40, 0.6, 0.9, (0.6, 0.4)) >= 0.05


def test_the_integral_form_agrees_with_scipy_quad_directly() -> None:
    value, _ = integrate.quad(lambda s: stats.beta(2, 3).pdf(s) * stats.beta(7, 5).sf(s), 0, 1)
    assert posterior_probability(6, 10, (1, 1), (2, 3)) == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: toxicity_stopping_boundaries(1.2, (1, 1), 0.9, 20), "p_max"),
        (lambda: toxicity_stopping_boundaries(0.2, (0, 1), 0.9, 20), "prior"),
        (lambda: toxicity_stopping_boundaries(0.2, (1, 1), 0.9, 20, cohort_size=30), "cohort_size"),
        (lambda: posterior_probability(5, 3), "responses"),
        (lambda: posterior_stopping_boundaries("both", 10, 0.1), "kind"),
        (lambda: predictive_probability(1, 30, 20, 0.5, 0.9), "n"),
    ],
)
def test_it_rejects_bad_input(call, field) -> None:
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.field == field
