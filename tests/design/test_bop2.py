"""BOP2 boundaries against the BOP2FE README example, and the optimiser against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from inodli.design import (
    MonitoringPlan,
    bop2_boundaries,
    bop2_design,
    exact_operating_characteristics,
)
from inodli.errors import InputError

LOOKS = [10, 15, 20, 25, 30, 35, 40]


def test_boundaries_equal_the_bop2fe_readme_futility_row() -> None:
    # belayb/BOP2FE README: BOP2FE_binary(H0 = 0.2, H1 = 0.4, n = c(10,5,5,5,5,5,5),
    # lambda = 0.909, gamma = 1, ...) prints "Futility boundary 1 2 3 5 7 9 11" - the BOP2 rule
    # Pr(p > 0.2 | data) < 0.909 (n/40)^1 with the Beta(0.2, 0.8) prior.
    assert bop2_boundaries(0.2, LOOKS, 0.909, 1.0) == (1, 2, 3, 5, 7, 9, 11)


def test_a_boundary_is_the_largest_count_below_the_cutoff() -> None:
    bounds = bop2_boundaries(0.3, [10, 23], 0.9, 0.5)
    for n, bound in zip([10, 23], bounds):
        cutoff = 0.9 * (n / 23) ** 0.5
        post = stats.beta(0.3 + np.arange(n + 1), 0.7 + n - np.arange(n + 1)).sf(0.3)
        assert post[bound] < cutoff <= post[bound + 1]


def test_the_optimiser_maximises_power_under_the_type_one_bound() -> None:
    lambdas, gammas = np.arange(0.6, 0.99, 0.02), np.arange(0.0, 2.01, 0.25)
    design = bop2_design(0.3, 0.6, [10, 16, 23], alpha=0.05, lambdas=lambdas, gammas=gammas)
    assert design.type1 <= 0.05
    best = 0.0
    for lam in lambdas:  # brute force over the same grid
        for gam in gammas:
            bounds = bop2_boundaries(0.3, [10, 16, 23], lam, gam)
            plan = MonitoringPlan("grid", (10, 16, 23), bounds)
            if exact_operating_characteristics(plan, 0.3).promising <= 0.05:
                best = max(best, exact_operating_characteristics(plan, 0.6).promising)
    assert design.power == pytest.approx(best, abs=1e-12)
    assert "After 10 patients" in design.rule_in_words()[0]


def test_it_rejects_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        bop2_boundaries(0.2, [10, 5], 0.9, 1.0)
    assert caught.value.field == "looks"
    with pytest.raises(InputError) as caught:
        bop2_boundaries(0.2, [10, 20], 1.5, 1.0)
    assert caught.value.field == "lambda_"
    with pytest.raises(InputError) as caught:
        bop2_design(0.2, 0.4, [10, 20], alpha=1e-9, lambdas=[0.5], gammas=[0.0])
    assert caught.value.field == "alpha"
