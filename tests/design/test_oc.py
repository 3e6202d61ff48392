"""Operating characteristics: exact enumeration vs closed forms and vs simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from inodli.design import (
    MonitoringPlan,
    exact_operating_characteristics,
    operating_characteristics,
    simon_operating_characteristics,
    simulate_operating_characteristics,
    toxicity_stopping_boundaries,
)
from inodli.errors import InputError

SIMON_23 = MonitoringPlan("two-stage", (10, 23), (4, 10))
VOD = toxicity_stopping_boundaries(0.2, (1, 4), 0.9, 23, name="VOD/SOS")


@pytest.mark.parametrize("p", [0.1, 0.3, 0.45, 0.6, 0.8])
def test_exact_equals_simons_formula_without_toxicity(p) -> None:
    reject, pet, en = simon_operating_characteristics(4, 10, 10, 23, p)
    oc = exact_operating_characteristics(SIMON_23, p)
    assert oc.promising == pytest.approx(reject, abs=1e-13)
    assert oc.early_futility == pytest.approx(pet, abs=1e-13)
    assert oc.expected_n == pytest.approx(en, abs=1e-12)
    assert oc.toxicity_stop == 0.0
    total = oc.promising + oc.early_futility + oc.toxicity_stop + oc.not_promising_at_end
    assert total == pytest.approx(1.0, abs=1e-13)


def test_toxicity_only_plan_equals_a_first_passage_computed_by_hand() -> None:
    # Continuous monitoring to 3 patients, stop if >= 2 events at n = 2 or 3:
    # P(stop) = P(both of the first two) + P(exactly one of two, then an event).
    q = 0.3
    plan = MonitoringPlan("tox", (3,), (-1,), (None, 2, 2))
    oc = exact_operating_characteristics(plan, 0.5, q)
    assert oc.toxicity_stop == pytest.approx(q * q + 2 * q * (1 - q) * q, abs=1e-14)
    expected_n = 1 + 1 + (1 - q * q)  # patients 1 and 2 always, patient 3 unless stopped at 2
    assert oc.expected_n == pytest.approx(expected_n, abs=1e-14)


@pytest.mark.parametrize(
    ("response", "toxicity"), [(0.3, 0.1), (0.6, 0.14), (0.6, 0.3), (0.45, 0.2)]
)
def test_simulation_agrees_with_exact_within_monte_carlo_error(response, toxicity) -> None:
    # 200,000 trials, seed fixed: each probability within 5 binomial standard errors (a generous
    # bound: a false alarm has probability ~ 6e-7 per comparison).
    plan = SIMON_23.with_toxicity(VOD)
    exact = exact_operating_characteristics(plan, response, toxicity)
    sim = simulate_operating_characteristics(plan, response, toxicity, n_trials=200_000, seed=11)
    for name in ("early_futility", "toxicity_stop", "promising", "not_promising_at_end"):
        p = getattr(exact, name)
        sd = np.sqrt(max(p * (1 - p), 1e-12) / 200_000)
        assert getattr(sim, name) == pytest.approx(p, abs=5 * sd + 1e-12), name
    assert sim.expected_n == pytest.approx(exact.expected_n, abs=5 * 7 / np.sqrt(200_000))


def test_simulation_is_reproducible_with_a_seed() -> None:
    a = simulate_operating_characteristics(SIMON_23.with_toxicity(VOD), 0.5, 0.2, 10_000, seed=3)
    b = simulate_operating_characteristics(SIMON_23.with_toxicity(VOD), 0.5, 0.2, 10_000, seed=3)
    c = simulate_operating_characteristics(SIMON_23.with_toxicity(VOD), 0.5, 0.2, 10_000, seed=4)
    assert a == b
    assert a != c


def test_scenarios_and_single_stage_plan() -> None:
    plan = MonitoringPlan("single", (23,), (11,))
    rows = operating_characteristics(plan, [(0.3, 0.0), (0.6, 0.0)])
    assert rows[0].promising == pytest.approx(stats.binom.sf(11, 23, 0.3), abs=1e-14)
    assert rows[1].promising == pytest.approx(stats.binom.sf(11, 23, 0.6), abs=1e-14)
    assert rows[0].expected_n == 23


def test_bad_plans_are_rejected() -> None:
    with pytest.raises(InputError):
        MonitoringPlan("bad", (10, 5), (1, 2))
    with pytest.raises(InputError):
        MonitoringPlan("bad", (10,), (1, 2))
    with pytest.raises(InputError):
        SIMON_23.with_toxicity(VOD).with_toxicity(VOD)
    with pytest.raises(InputError):
        operating_characteristics(SIMON_23, [(0.3, 0.1)], method="guess")
