"""The trial's declared design and the monitoring status explained in words."""

from __future__ import annotations

import pytest

from inodli.design import (
    TRIAL_DESIGN,
    candidate_designs,
    simon_design_for_n,
    trial_monitoring_status,
)
from inodli.errors import InputError

VOD = "VOD/SOS"
GVHD = "grade III-IV acute GVHD after DLI"


def test_the_declared_design_is_what_the_simon_search_gives_at_n_23() -> None:
    # The declared numbers (4/10, 10/23) must be the clinfun-rule best design with exactly 23.
    row = simon_design_for_n(23, 0.3, 0.6, 0.05, 0.8)
    assert (row.r1, row.n1, row.r, row.n) == (
        TRIAL_DESIGN.r1,
        TRIAL_DESIGN.n1,
        TRIAL_DESIGN.r,
        TRIAL_DESIGN.n,
    )
    alpha, power, pet, _ = TRIAL_DESIGN.attained()
    assert alpha < 0.05
    assert power > 0.80
    assert pet == pytest.approx(0.8497316674, abs=1e-9)  # P(X1 <= 4 | 10, 0.3), scipy binom.cdf


def test_candidates_include_the_single_stage_rule_of_clinical_facts() -> None:
    labels = {c.label: c for c in candidate_designs()}
    single = labels["single stage >= 12/23"]
    assert round(single.alpha, 3) == 0.021
    assert round(single.power, 2) == 0.84


def test_it_continues_during_stage_one_and_says_what_is_needed() -> None:
    status = trial_monitoring_status(TRIAL_DESIGN, 3, 7, {VOD: (1, 7)})
    assert status.decision == "continue"
    assert not status.boundary_crossed
    text = "\n".join(status.explanation)
    assert "2 more response(s) needed among the next 3" in text
    assert f"{GVHD}: no counts given yet" in text


def test_it_stops_for_futility_after_stage_one() -> None:
    status = trial_monitoring_status(TRIAL_DESIGN, 4, 10)
    assert status.decision == "stop: futility"
    assert status.boundary_crossed
    assert status.explanation[0] == "Decision: stop the trial for futility."


def test_it_foresees_an_unreachable_stage_one_target() -> None:
    status = trial_monitoring_status(TRIAL_DESIGN, 0, 6)
    assert status.decision == "continue"
    assert any("cannot be reached" in line for line in status.explanation)


def test_a_safety_stop_takes_precedence_over_efficacy() -> None:
    status = trial_monitoring_status(TRIAL_DESIGN, 12, 15, {VOD: (6, 15)}, stage1_responses=7)
    assert status.decision == "stop: VOD/SOS"
    assert status.boundary_crossed
    assert "STOP for safety" in "\n".join(status.explanation)


def test_gvhd_is_counted_among_dli_recipients() -> None:
    status = trial_monitoring_status(TRIAL_DESIGN, 2, 4, {GVHD: (3, 3)})
    assert status.decision == f"stop: {GVHD}"


def test_final_decisions() -> None:
    assert trial_monitoring_status(TRIAL_DESIGN, 11, 23, stage1_responses=5).decision == "promising"
    assert (
        trial_monitoring_status(TRIAL_DESIGN, 10, 23, stage1_responses=5).decision
        == "not promising"
    )


def test_stage_one_count_is_required_once_past_stage_one() -> None:
    with pytest.raises(InputError) as caught:
        trial_monitoring_status(TRIAL_DESIGN, 8, 14)
    assert caught.value.field == "stage1_responses"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"responses": 5, "evaluable": 3}, "responses"),
        ({"responses": 0, "evaluable": 30}, "evaluable"),
        ({"responses": 0, "evaluable": 3, "toxicity_events": {VOD: (4, 3)}}, f"{VOD} events"),
    ],
)
def test_it_rejects_impossible_counts(kwargs, field) -> None:
    with pytest.raises(InputError) as caught:
        trial_monitoring_status(TRIAL_DESIGN, **kwargs)
    assert caught.value.field == field


def test_the_justification_names_its_sources() -> None:
    text = " ".join(TRIAL_DESIGN.justification)
    assert "as low as 30%" in text
    assert "INO-VATE" in text
    assert "6/8" in text


def test_simon_design_for_n_equals_the_plain_search_row() -> None:
    # Oracle: tests/design/reference_simon.py best_rows (clinfun's per-n choice, no pruning).
    from tests.design.reference_simon import best_rows

    rows = best_rows(0.2, 0.4, 0.05, 0.2, 45)
    for n in (40, 43, 45):
        ours = simon_design_for_n(n, 0.2, 0.4, 0.05, 0.8)
        assert (ours.r1, ours.n1, ours.r, ours.n) == rows[n][:4]
    with pytest.raises(InputError):
        simon_design_for_n(5, 0.2, 0.4)
