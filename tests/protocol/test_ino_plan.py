"""InO cycle plan against the trial record and the BESPONSA label (Table 1 and footnotes).

Trial record NCT06861348: "the first cycle: 0.8mg/m2 ... d1; 0.5 mg/m2 ... d8, d15"; "If CR/CRi
was reached after induction, the second cycle: 0.5mg/m2 ... d1, d8, d15; If CR/CRi is not
reached, Cycle 2: 0.8mg/m2 ... d1; 0.5 mg/m2 ... d8, d15".
Label (Drugs.com mirror of Table 1): cycle 1 21 days, may be extended to 28; subsequent cycles
28 days; "Doses on days 8 and 15 may be varied by plus or minus 2 days (maintain a minimum of
6 days between doses)"; up to 6 cycles; discontinue without CR/CRi within 3 cycles; "If the
dose is reduced due to BESPONSA-related toxicity, the dose must not be re-escalated."
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.protocol.ino import check_dose_day, ino_cycle_plan


def _doses(plan) -> list[tuple[int, float, float]]:  # type: ignore[no-untyped-def]
    return [(d.day, d.mg_per_m2, d.dose_mg) for d in plan.doses]


def test_it_gives_cycle_1_as_the_trial_record_with_the_clinical_facts_example() -> None:
    # clinical-facts 1.3 worked example: BSA 1.70 -> day-1 dose 0.8 x 1.70 = 1.36 mg;
    # days 8/15: 0.5 x 1.70 = 0.85 mg.
    plan = ino_cycle_plan(1, 1.70, False)
    assert _doses(plan) == [(1, 0.8, 1.36), (8, 0.5, 0.85), (15, 0.5, 0.85)]
    assert plan.total_mg_per_m2 == 1.8  # label: "total dose is 1.8 mg/m2/cycle"
    assert plan.total_mg == 3.06
    assert plan.cycle_length_days == 21
    assert plan.may_extend_to_days == 28
    assert plan.rule_ids[0] == "INO-REG-C1"


def test_it_ignores_remission_in_cycle_1() -> None:
    assert _doses(ino_cycle_plan(1, 1.70, True)) == _doses(ino_cycle_plan(1, 1.70, False))


def test_it_gives_cycle_2_in_cr_cri_as_0_5_0_5_0_5() -> None:
    plan = ino_cycle_plan(2, 1.70, True)
    assert _doses(plan) == [(1, 0.5, 0.85), (8, 0.5, 0.85), (15, 0.5, 0.85)]
    assert plan.total_mg_per_m2 == 1.5  # label: "total dose is 1.5 mg/m2/cycle"
    assert plan.cycle_length_days == 28
    assert plan.may_extend_to_days is None
    assert plan.rule_ids[0] == "INO-REG-C2-CR"


def test_it_gives_cycle_2_without_cr_cri_as_0_8_0_5_0_5() -> None:
    plan = ino_cycle_plan(2, 1.70, False)
    assert _doses(plan) == [(1, 0.8, 1.36), (8, 0.5, 0.85), (15, 0.5, 0.85)]
    assert plan.cycle_length_days == 28
    assert plan.rule_ids[0] == "INO-REG-C2-NR"


def test_it_extends_cycle_1_to_28_days_on_request() -> None:
    plan = ino_cycle_plan(1, 1.70, True, cycle1_extended=True)
    assert plan.cycle_length_days == 28
    assert plan.may_extend_to_days is None


def test_it_rounds_each_dose_half_up_to_0_01_mg() -> None:
    # 0.5 x 1.75 = 0.875 -> 0.88 (half up; binary rounding of 0.875 could give 0.87).
    plan = ino_cycle_plan(1, 1.75, False)
    assert [d.dose_mg for d in plan.doses] == [1.40, 0.88, 0.88]
    assert "0.01 mg" in plan.rounding


def test_it_states_the_day_8_and_15_windows() -> None:
    # +-2 days gives day 8 in 6-10, but day 6 is only 5 days after day 1: the 6-day minimum
    # narrows it to 7-10. Day 15: 13-17 (13 is 6 days after the earliest day 8, day 7).
    plan = ino_cycle_plan(1, 1.70, False)
    windows = [(d.day, d.window_first_day, d.window_last_day) for d in plan.doses]
    assert windows == [(1, 1, 1), (8, 7, 10), (15, 13, 17)]
    assert plan.minimum_days_between_doses == 6


def test_it_limits_cycles_to_the_protocols_two_by_default() -> None:
    with pytest.raises(InputError, match=r"cycle: expected an integer in 1-2, got 3"):
        ino_cycle_plan(3, 1.70, True)


def test_it_allows_up_to_the_labels_six_cycles_as_a_parameter() -> None:
    assert ino_cycle_plan(6, 1.70, True, max_cycles=6).cycle == 6
    with pytest.raises(InputError, match="max_cycles: expected an integer in 1-6"):
        ino_cycle_plan(1, 1.70, True, max_cycles=7)


def test_it_refuses_a_fourth_cycle_without_cr_cri() -> None:
    # Label: patients who do not achieve a CR or CRi within 3 cycles should discontinue.
    assert ino_cycle_plan(3, 1.70, False, max_cycles=6).cycle == 3
    with pytest.raises(InputError, match="in_remission"):
        ino_cycle_plan(4, 1.70, False, max_cycles=6)


def test_it_applies_a_prescribed_reduction_and_omitted_day() -> None:
    # A prescriber's 25% reduction (the recalled Table 4 example) on cycle 2 not in CR:
    # 0.8 x 0.75 = 0.6 mg/m2; 0.5 x 0.75 = 0.375 mg/m2; x 1.70 m2 -> 1.02 and 0.6375 -> 0.64 mg.
    plan = ino_cycle_plan(2, 1.70, False, dose_reduction_fraction=0.25, omitted_days=(15,))
    assert _doses(plan) == [(1, 0.6, 1.02), (8, 0.375, 0.64)]
    assert plan.omitted_days == (15,)
    assert plan.doses[0].label_mg_per_m2 == 0.8
    assert any("no re-escalation" in note for note in plan.notes)


def test_it_refuses_re_escalation_after_a_reduction() -> None:
    with pytest.raises(InputError, match="must not be re-escalated"):
        ino_cycle_plan(2, 1.70, True, dose_reduction_fraction=0.0, prior_reduction_fraction=0.25)
    assert ino_cycle_plan(
        2, 1.70, True, dose_reduction_fraction=0.25, prior_reduction_fraction=0.25
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cycle": 0}, "cycle"),
        ({"cycle": True}, "cycle"),
        ({"cycle": 1.0}, "cycle"),
        ({"bsa_m2": 0}, "bsa_m2"),
        ({"bsa_m2": 5.01}, "bsa_m2"),
        ({"bsa_m2": float("nan")}, "bsa_m2"),
        ({"bsa_m2": "1.7"}, "bsa_m2"),
        ({"in_remission": 1}, "in_remission"),
        ({"in_remission": None}, "in_remission"),
        ({"dose_reduction_fraction": 1.0}, "dose_reduction_fraction"),
        ({"dose_reduction_fraction": -0.1}, "dose_reduction_fraction"),
        ({"omitted_days": (1,)}, "omitted_days"),
        ({"omitted_days": (8, 8)}, "omitted_days"),
        ({"omitted_days": 8}, "omitted_days"),
        ({"cycle1_extended": "yes"}, "cycle1_extended"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"cycle": 1, "bsa_m2": 1.7, "in_remission": False, **kwargs}
    with pytest.raises(InputError) as caught:
        ino_cycle_plan(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


# --- dose-day windows: +-2 days and at least 6 days between doses (label Table 1 footnote) ---


@pytest.mark.parametrize(
    ("day", "within", "allowed"),
    [(5, False, False), (6, True, False), (7, True, True), (8, True, True), (10, True, True),
     (11, False, False)],
)  # fmt: skip
def test_it_checks_the_day_8_window_edges(day: int, within: bool, allowed: bool) -> None:
    # Day 6 is inside +-2 days but only 5 days after day 1: refused by the 6-day minimum.
    check = check_dose_day(8, day, previous_dose_day=1)
    assert check.within_window is within
    assert check.allowed is allowed


@pytest.mark.parametrize(("day", "allowed"), [(12, False), (13, True), (17, True), (18, False)])
def test_it_checks_the_day_15_window_edges(day: int, allowed: bool) -> None:
    assert check_dose_day(15, day, previous_dose_day=7).allowed is allowed


def test_it_needs_six_days_between_doses_even_inside_the_window() -> None:
    # Day 8 given on day 10; day 15 on day 15 is 5 days later -> not allowed; day 16 -> 6 days.
    too_soon = check_dose_day(15, 15, previous_dose_day=10)
    assert too_soon.within_window is True
    assert too_soon.spacing_ok is False
    assert too_soon.allowed is False
    assert too_soon.earliest_allowed_day == 16
    assert "minimum 6" in too_soon.reasons[0]
    assert check_dose_day(15, 16, previous_dose_day=10).allowed is True


def test_it_gives_day_1_no_window() -> None:
    assert check_dose_day(1, 1).allowed is True
    assert check_dose_day(1, 2).allowed is False


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((9, 9, 1), "scheduled_day"),
        ((8, 0, 1), "actual_day"),
        ((8, 8, None), "previous_dose_day"),
        ((8, 8, 8), "previous_dose_day"),
        ((1, 1, 1), "previous_dose_day"),
    ],
)
def test_it_refuses_bad_dose_day_input(args: tuple[object, object, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        check_dose_day(*args)
    assert caught.value.field == field


# --- property: every dose is the trial record's mg/m2 x BSA, rounded half-up to 0.01 mg ---

TRIAL_RECORD_MG_PER_M2 = {
    (1, False): ("0.8", "0.5", "0.5"),
    (1, True): ("0.8", "0.5", "0.5"),
    (2, True): ("0.5", "0.5", "0.5"),
    (2, False): ("0.8", "0.5", "0.5"),
}


@given(
    bsa_hundredths=st.integers(min_value=13, max_value=500),
    cycle=st.sampled_from([1, 2]),
    in_remission=st.booleans(),
)
def test_it_matches_a_naive_decimal_calculation(
    bsa_hundredths: int, cycle: int, in_remission: bool
) -> None:
    bsa = Decimal(bsa_hundredths) / 100
    plan = ino_cycle_plan(cycle, float(bsa), in_remission)
    expected = [
        float((Decimal(per_m2) * bsa).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for per_m2 in TRIAL_RECORD_MG_PER_M2[(cycle, in_remission)]
    ]
    assert [d.dose_mg for d in plan.doses] == expected
    assert plan.total_mg == pytest.approx(sum(expected), abs=1e-9)
