"""Preparation sheet against the BESPONSA label section 2.4 and HOPA's 10% rounding limit.

Label: 0.9 mg vial; "Reconstitute each vial with 4 mL of Sterile Water for Injection ... 0.25
mg/mL ... delivers 3.6 mL (0.9 mg)"; dilute with 0.9% sodium chloride "to a total volume of
50 mL"; "Infuse for 1 hour at a rate of 50 mL/h"; at most 8 h from reconstitution to end of
administration and 4 h from reconstitution to dilution; protect from light; premedicate with a
corticosteroid, an antipyretic and an antihistamine; observe >= 1 h after the infusion.
clinical-facts 1.3 worked example: BSA 1.70 -> 1.36 mg -> 5.44 mL -> 2 vials.
HOPA (Fahrenbruch 2018): a deviation above 10% is outside acceptable rounding.
"""

from __future__ import annotations

import pytest

from inodli.errors import InputError
from inodli.protocol.bsa import body_surface_area
from inodli.protocol.ino import ino_cycle_plan
from inodli.protocol.preparation import preparation_sheet, render_dosing_sheet


def test_it_reproduces_the_clinical_facts_worked_example() -> None:
    sheet = preparation_sheet(1.36)
    assert sheet.concentration_mg_per_ml == 0.25
    assert sheet.volume_exact_ml == 5.44  # 1.36 / 0.25
    assert sheet.vials == 2  # 5.44 mL > 3.6 mL deliverable from one vial
    assert sheet.volume_to_withdraw_ml == 5.4  # 0.1 mL graduation
    assert sheet.dispensed_mg == 1.35  # 5.4 x 0.25
    assert sheet.deviation_percent == -0.74  # (1.35 - 1.36) / 1.36 = -0.735%
    assert sheet.deviation_flag is False


def test_it_dilutes_to_50_ml_and_infuses_over_1_h_at_50_ml_per_h() -> None:
    sheet = preparation_sheet(1.36)
    assert sheet.final_volume_ml == 50
    assert sheet.sodium_chloride_ml == pytest.approx(44.6)  # 50 - 5.4
    assert (
        sheet.dilution == "Add 5.4 mL to 0.9% Sodium Chloride Injection, USP to a total of 50 mL."
    )
    assert sheet.infusion.startswith("Infuse over 1 h at 50 mL/h")
    assert "4 mL" in sheet.reconstitution
    assert "3.6 mL deliverable" in sheet.reconstitution


def test_it_states_premedication_limits_handling_observation_and_rounding() -> None:
    sheet = preparation_sheet(0.85)
    assert sheet.premedication == ("corticosteroid", "antipyretic", "antihistamine")
    assert any("4 h from reconstitution to dilution" in t for t in sheet.time_limits)
    assert any(
        "8 h from reconstitution to the end of administration" in t for t in sheet.time_limits
    )
    assert any("light" in h for h in sheet.handling)
    assert "1 h after" in sheet.observation
    assert "0.01 mg" in sheet.rounding
    assert "0.1 mL" in sheet.rounding
    assert "10%" in sheet.rounding


@pytest.mark.parametrize(
    ("dose", "vials"),
    [(0.9, 1), (0.91, 2), (1.8, 2), (1.81, 3), (0.1, 1)],  # 3.6 mL (0.9 mg) per vial
)
def test_it_counts_vials_at_the_vial_boundaries(dose: float, vials: int) -> None:
    assert preparation_sheet(dose).vials == vials


def test_it_flags_a_dispensed_dose_more_than_10_percent_off() -> None:
    # 0.01 mg = 0.04 mL, which rounds to 0.0 mL: a -100% deviation, flagged for the pharmacist.
    tiny = preparation_sheet(0.01)
    assert tiny.volume_to_withdraw_ml == 0.0
    assert tiny.deviation_flag is True
    # 0.06 mg = 0.24 mL -> 0.2 mL = 0.05 mg: -16.7% > 10% -> flagged.
    small = preparation_sheet(0.06)
    assert small.deviation_percent == -16.67
    assert small.deviation_flag is True
    # 0.1 mg = 0.4 mL exactly: no deviation.
    assert preparation_sheet(0.1).deviation_flag is False


@pytest.mark.parametrize("dose", [0, -1, 10.01, float("nan"), "1.36", None, True])
def test_it_refuses_bad_doses(dose: object) -> None:
    with pytest.raises(InputError, match="dose_mg"):
        preparation_sheet(dose)


def test_it_renders_a_sheet_a_pharmacist_can_read() -> None:
    bsa = body_surface_area(170, 65)
    text = render_dosing_sheet(bsa, ino_cycle_plan(1, bsa.bsa_for_dosing_m2, False))
    assert "BSA (mosteller): 1.7520 m2 -> 1.75 m2 used for dosing" in text
    # Day 1: 0.8 x 1.75 = 1.40 mg = 5.6 mL, 2 vials, 44.4 mL NaCl.
    assert "  1   1-1    0.8        1.40          5.6      2          44.4   0.00" in text
    assert "Premedicate before each dose: corticosteroid, antipyretic, antihistamine." in text
    assert "Rounding:" in text
    assert "INO-REG-C1" in text


def test_it_names_the_allowed_bags_and_filters() -> None:
    # US PI 2.4 (Chinese translation, clinical-facts 1.3 [V]): bags PVC (DEHP or non-DEHP),
    # polyolefin or EVA; filters PES, PVDF or hydrophilic polysulfone, not nylon or MCE; do not
    # mix with other drugs.
    sheet = preparation_sheet(1.36)
    assert sheet.materials == (
        "infusion bag: PVC (DEHP or non-DEHP), polyolefin, EVA",
        "in-line filter if used: PES, PVDF, hydrophilic polysulfone; not nylon or MCE",
        "do not mix with other drugs",
    )
