"""Acute GVHD staging and overall grade (MAGIC).

Staging expectations are the rows of the NCI PDQ table "Staging of Acute GVHD, adapted from
Harris et al." (NBK577669, Table 4) and its footnotes; the unquantified-episode rule is from
the MAGIC data-collection abstract (Blood 2015;126:3154). Grade expectations are the MAGIC
pattern rules (Harris 2016 Table 2 as in clinical-facts.md 3.1), written out case by case.
"""

from __future__ import annotations

import doctest
import itertools
from decimal import Decimal

import pytest

from inodli.errors import InputError
from inodli.protocol import gvhd_acute
from inodli.protocol.gvhd_acute import (
    agvhd_overall_grade,
    assess_agvhd,
    stage_liver,
    stage_lower_gi,
    stage_skin,
    stage_upper_gi,
)

# --- skin: "Maculopapular rash <25% BSA / 25%-50% / >50% / generalized erythroderma plus
# bullous formation and desquamation >5% BSA"


@pytest.mark.parametrize(
    ("erythema", "bullae", "stage"),
    [
        (0.0, 0.0, 0),
        (1.0, 0.0, 1),
        (24.9, 0.0, 1),
        (25.0, 0.0, 2),
        (50.0, 0.0, 2),
        (50.1, 0.0, 3),
        (100.0, 5.0, 3),  # bullae must exceed 5% BSA
        (51.0, 5.1, 4),
        (50.0, 10.0, 2),  # erythroderma must exceed 50% BSA for stage 4
    ],
)
def test_it_stages_skin_by_bsa(erythema, bullae, stage):
    assert stage_skin(erythema, bullae).stage == stage


# --- liver: "<2 mg/dL; 2-3; 3.1-6; 6.1-15; >15"


@pytest.mark.parametrize(
    ("bilirubin", "stage"),
    [(1.99, 0), (2.0, 1), (3.0, 1), (3.05, 2), (3.1, 2), (6.0, 2), (6.1, 3), (15.0, 3), (15.1, 4)],
)
def test_it_stages_liver_by_bilirubin_mg_dl(bilirubin, stage):
    assert stage_liver(bilirubin).stage == stage


@pytest.mark.parametrize(
    ("umol", "stage"),
    [(34.1, 0), (34.2, 1), (51.3, 1), (51.4, 2), (102.6, 2), (256.5, 3), (256.6, 4)],
)
def test_it_converts_bilirubin_umol_l_at_17_1(umol, stage):
    # 2 mg/dL = 34.2 umol/L, 3 = 51.3, 6 = 102.6, 15 = 256.5 (x 17.1)
    assert stage_liver(umol, unit="umol/L").stage == stage


def test_it_stages_upper_gi_0_or_1():
    assert stage_upper_gi(True).stage == 1
    assert stage_upper_gi(False).stage == 0


# --- lower GI, adult (>50 kg): "<500 mL/day or <3 episodes; 500-999 or 3-4; 1000-1500 or 5-7;
# >1500 or >7"; child: "<10 mL/kg/day or <4 episodes; 10-19.9 or 4-6; 20-30 or 7-10; >30 or >10"


@pytest.mark.parametrize(
    ("ml", "stage"),
    [(499.0, 0), (500.0, 1), (999.0, 1), (1000.0, 2), (1500.0, 2), (1501.0, 3)],
)
def test_it_stages_adult_stool_volume(ml, stage):
    assert stage_lower_gi(weight_kg=70, stool_ml_per_day=ml).stage == stage


@pytest.mark.parametrize(("episodes", "stage"), [(2, 0), (3, 1), (4, 1), (5, 2), (7, 2), (8, 3)])
def test_it_stages_adult_stool_episodes(episodes, stage):
    assert stage_lower_gi(weight_kg=70, episodes_per_day=episodes).stage == stage


@pytest.mark.parametrize(
    ("ml", "stage"),
    [(199.0, 0), (200.0, 1), (399.0, 1), (400.0, 2), (600.0, 2), (601.0, 3)],
)
def test_it_stages_child_stool_volume_per_kg(ml, stage):
    # weight 20 kg: 10 mL/kg = 200 mL, 20 mL/kg = 400 mL, 30 mL/kg = 600 mL
    assert stage_lower_gi(weight_kg=20, stool_ml_per_day=ml).stage == stage


@pytest.mark.parametrize(("episodes", "stage"), [(3, 0), (4, 1), (6, 1), (7, 2), (10, 2), (11, 3)])
def test_it_stages_child_stool_episodes(episodes, stage):
    assert stage_lower_gi(weight_kg=20, episodes_per_day=episodes).stage == stage


def test_it_uses_adult_values_only_above_50_kg():
    # PDQ footnote: "adult stool output values should be used for patients weighing >50 kg"
    # 50 kg exactly is a child: 500 mL = 10 mL/kg is stage 1 either way; 1000 mL = 20 mL/kg
    assert stage_lower_gi(weight_kg=50, stool_ml_per_day=1600).stage == 3  # 32 mL/kg
    assert stage_lower_gi(weight_kg=50, stool_ml_per_day=1000).stage == 2  # 20 mL/kg
    assert stage_lower_gi(weight_kg=50.1, stool_ml_per_day=999).stage == 1  # adult


def test_it_counts_an_unquantified_episode_as_200_ml_or_3_ml_per_kg():
    # Blood 2015;126:3154: unquantified episode = 200 mL (3 mL/kg for children <50 kg)
    assert stage_lower_gi(weight_kg=70, unquantified_episodes=2).stage == 0  # 400 mL
    assert stage_lower_gi(weight_kg=70, unquantified_episodes=3).stage == 1  # 600 mL
    assert stage_lower_gi(weight_kg=70, stool_ml_per_day=900, unquantified_episodes=1).stage == 2
    assert stage_lower_gi(weight_kg=20, unquantified_episodes=4).stage == 1  # 12 mL/kg


def test_it_makes_severe_pain_or_bloody_stool_stage_4():
    # "Severe abdominal pain with or without ileus, or grossly bloody stool (regardless of volume)"
    assert stage_lower_gi(weight_kg=70, stool_ml_per_day=0, severe_abdominal_pain=True).stage == 4
    assert stage_lower_gi(weight_kg=20, episodes_per_day=1, grossly_bloody_stool=True).stage == 4


def test_it_takes_the_higher_of_volume_and_episode_stages():
    result = stage_lower_gi(weight_kg=70, stool_ml_per_day=600, episodes_per_day=6)
    assert result.stage == 2
    assert "higher" in result.reason


# --- overall grade: the pattern rules, each with its boundaries


@pytest.mark.parametrize(
    ("skin", "liver", "upper", "lower", "grade"),
    [
        # 0: "no stage 1-4 of any organ"
        (0, 0, 0, 0, 0),
        # I: "stage 1-2 skin without liver, upper GI or lower GI involvement"
        (1, 0, 0, 0, 1),
        (2, 0, 0, 0, 1),
        # II: "stage 3 rash and/or stage 1 liver and/or stage 1 upper GI and/or stage 1 lower GI"
        (3, 0, 0, 0, 2),  # stage-3 skin alone is II, not III (not the maximum stage)
        (0, 1, 0, 0, 2),
        (0, 0, 1, 0, 2),
        (0, 0, 0, 1, 2),
        (2, 1, 0, 0, 2),
        (1, 0, 1, 0, 2),
        (3, 1, 1, 1, 2),
        # III: "stage 2-3 liver and/or stage 2-3 lower GI, with stage 0-3 skin and/or 0-1 upper GI"
        (0, 0, 0, 2, 3),  # stage-2 lower GI alone is III
        (0, 2, 0, 0, 3),
        (0, 3, 0, 0, 3),
        (0, 0, 0, 3, 3),
        (3, 3, 1, 3, 3),
        (1, 1, 1, 2, 3),
        # IV: "stage 4 skin, liver or lower-GI involvement, with stage 0-1 upper GI"
        (4, 0, 0, 0, 4),
        (0, 4, 0, 0, 4),
        (0, 0, 0, 4, 4),
        (4, 3, 1, 3, 4),
        (1, 0, 1, 4, 4),
    ],
)
def test_it_grades_by_the_magic_pattern_rules(skin, liver, upper, lower, grade):
    result = agvhd_overall_grade(skin=skin, liver=liver, upper_gi=upper, lower_gi=lower)
    assert result.grade == grade, result.rule


def test_it_assigns_exactly_one_grade_to_every_stage_combination():
    combos = itertools.product(range(5), range(5), range(2), range(5))
    grades = {agvhd_overall_grade(*combo).grade for combo in combos}
    assert grades == {0, 1, 2, 3, 4}


def test_it_quotes_the_rule_and_gives_a_roman_numeral():
    result = agvhd_overall_grade(skin=3, liver=0, upper_gi=0, lower_gi=0)
    assert result.roman == "II"
    assert "stage 3 rash" in result.rule


@pytest.mark.parametrize(
    "kwargs",
    [
        {"skin": 5, "liver": 0, "upper_gi": 0, "lower_gi": 0},
        {"skin": 0, "liver": -1, "upper_gi": 0, "lower_gi": 0},
        {"skin": 0, "liver": 0, "upper_gi": 2, "lower_gi": 0},
        {"skin": 0, "liver": 0, "upper_gi": 0, "lower_gi": 1.5},
        {"skin": True, "liver": 0, "upper_gi": 0, "lower_gi": 0},
    ],
)
def test_it_rejects_impossible_stages(kwargs):
    with pytest.raises(InputError):
        agvhd_overall_grade(**kwargs)


def test_it_rejects_bad_findings():
    with pytest.raises(InputError) as error:
        stage_skin(120)
    assert error.value.field == "erythema_bsa_pct"
    with pytest.raises(InputError) as error:
        stage_liver(2.0, unit="mmol/L")
    assert error.value.field == "unit"
    with pytest.raises(InputError) as error:
        stage_lower_gi(weight_kg=70)
    assert error.value.field == "stool_ml_per_day"
    with pytest.raises(InputError):
        stage_lower_gi(weight_kg=70, episodes_per_day=2.5)
    with pytest.raises(InputError):
        stage_upper_gi("yes")


def test_it_assesses_all_organs_from_findings():
    # skin 30% (stage 2), bilirubin 2.5 mg/dL (stage 1), no upper GI, 800 mL (stage 1) -> II
    result = assess_agvhd(
        skin_erythema_bsa_pct=30,
        bilirubin=2.5,
        upper_gi_persistent=False,
        weight_kg=70,
        stool_ml_per_day=800,
    )
    assert [s.stage for s in result.organ_stages] == [2, 1, 0, 1]
    assert result.overall.roman == "II"


@pytest.mark.parametrize("module", [gvhd_acute])
def test_it_runs_the_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0


# --- audit 2026-11-25 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mix_ml", "stage"),
    [
        # NCI PDQ footnote: "If stool and urine are mixed, stool output is presumed to be 50%
        # of total stool/urine mix"; then the adult rows 500-999 / 1000-1500 / >1500 mL/day.
        (999, 0),  # 499.5 mL/day stool
        (1000, 1),  # 500
        (1999, 1),  # 999.5 (< 1000)
        (2000, 2),  # 1000
        (3000, 2),  # 1500
        (3001, 3),  # 1500.5
    ],
)
def test_it_takes_stool_as_half_of_a_stool_urine_mix(mix_ml, stage):
    result = stage_lower_gi(weight_kg=70, stool_ml_per_day=mix_ml, stool_mixed_with_urine=True)
    assert result.stage == stage
    assert "stool/urine mix" in result.reason


def test_it_needs_the_mix_volume_and_a_real_flag():
    with pytest.raises(InputError) as error:
        stage_lower_gi(weight_kg=70, episodes_per_day=4, stool_mixed_with_urine=True)
    assert error.value.field == "stool_ml_per_day"
    with pytest.raises(InputError) as error:
        stage_lower_gi(weight_kg=70, stool_ml_per_day=800, stool_mixed_with_urine="yes")
    assert error.value.field == "stool_mixed_with_urine"


def test_it_marks_the_overall_grade_as_corroborated_not_verified():
    # clinical-facts 3.1: the overall-grade pattern rules are [C] (Harris 2016 Table 2 not
    # retrieved); every grade says so instead of presenting the rule as certain.
    grade = agvhd_overall_grade(skin=3, liver=0, upper_gi=0, lower_gi=0)
    assert grade.verification.startswith("[C]")
    assert "Harris 2016 Table 2" in grade.verification
    assert grade.verification in str(grade)


@pytest.mark.parametrize(
    ("value", "unit", "stage"),
    [
        # PDQ liver rows in mg/dL; 1 mg/dL = 17.1 umol/L: 2 -> 34.2, 3 -> 51.3, 6 -> 102.6,
        # 15 -> 256.5 umol/L.
        (34.19, "umol/L", 0),
        (34.2, "umol/L", 1),
        (51.3, "umol/L", 1),
        (51.31, "umol/L", 2),
        (102.6, "umol/L", 2),
        (102.61, "umol/L", 3),
        (256.5, "umol/L", 3),
        (256.51, "umol/L", 4),
        (34.2, "µmol/L", 1),
        (2.0, "MG/DL", 1),
    ],
)
def test_it_stages_the_liver_from_si_bilirubin_at_each_boundary(value, unit, stage):
    assert stage_liver(value, unit=unit).stage == stage


@pytest.mark.parametrize("unit", ["mg/L", "mmol/L", "", "g/dL"])
def test_it_names_the_allowed_bilirubin_units(unit):
    with pytest.raises(InputError) as error:
        stage_liver(2.0, unit=unit)
    assert (error.value.field, error.value.allowed, error.value.received) == (
        "unit",
        "mg/dL or umol/L",
        unit,
    )


@pytest.mark.parametrize(
    ("weight", "per_kg", "stage"),
    [
        # PDQ child rows: 10-19.9 mL/kg/day stage 1, 20-30 stage 2. A volume of exactly
        # 10 (20) mL/kg must not fall to the stage below through binary division.
        (1.07, 10, 1),
        (1.07, 20, 2),
        (1.03, 30, 2),
        (23.45, 10, 1),
        (47.9, 20, 2),
    ],
)
def test_it_stages_a_child_exactly_on_a_per_kg_boundary(weight, per_kg, stage):
    volume = float(Decimal(repr(weight)) * per_kg)
    assert stage_lower_gi(weight_kg=weight, stool_ml_per_day=volume).stage == stage


def test_it_counts_unquantified_child_episodes_exactly():
    # MAGIC abstract: an unquantified episode counts as 3 mL/kg for children: 7 episodes of a
    # 1.07 kg child = 21 mL/kg/day, stage 2 (20-30 mL/kg/day).
    assert stage_lower_gi(weight_kg=1.07, unquantified_episodes=7).stage == 2


def test_it_states_the_magic_upper_gi_threshold_as_the_abstract_does():
    # MAGIC abstract (Blood 2015;126:3154): "anorexia with associated weight loss, nausea
    # and/or 2+ vomiting episodes/day lasting 3+ days" (clinical-facts 3.1).
    reason = stage_upper_gi(True).reason
    assert "lasting 3+ days" in reason
    assert "2 days" not in reason
