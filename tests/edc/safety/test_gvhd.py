"""Acute GVHD (MAGIC stages and overall grade) and chronic GVHD (NIH 2014 global severity)
computed on save. Expected grades: clinical-facts.md section 3 (MAGIC, Harris 2016 Table 2:
"stage-3 skin alone is grade II, but stage-2 lower GI alone is grade III"; NIH 2014, Jagasia
2015: mild, moderate, severe)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.safety.services import record_acute_gvhd, record_chronic_gvhd
from tests.edc.factories import enrolled_subject

ON = dt.date(2026, 2, 1)


def acute(subject, user, **findings):
    values = {
        "skin_erythema_bsa_pct": 0.0,
        "bilirubin": 10.0,
        "weight_kg": "60",
        "stool_ml_per_day": 0.0,
    }
    return record_acute_gvhd(subject, user, assessed_on=ON, **{**values, **findings})


@pytest.mark.parametrize(
    ("findings", "stages", "grade"),
    [
        ({}, (0, 0, 0, 0), 0),
        ({"skin_erythema_bsa_pct": 30.0}, (2, 0, 0, 0), 1),  # rash 25-50% BSA
        ({"skin_erythema_bsa_pct": 60.0}, (3, 0, 0, 0), 2),  # stage 3 skin alone: grade II
        ({"upper_gi_persistent": True}, (0, 0, 1, 0), 2),
        ({"stool_ml_per_day": 1200.0}, (0, 0, 0, 2), 3),  # adult 1000-1500 mL/day: grade III
        ({"bilirubin": 4.0, "bilirubin_unit": "mg/dL"}, (0, 2, 0, 0), 3),  # 3.1-6 mg/dL
        ({"bilirubin": 68.4}, (0, 2, 0, 0), 3),  # 68.4 umol/L = 4 mg/dL at 17.1 umol/L per mg/dL
        ({"skin_erythema_bsa_pct": 60.0, "skin_bullae_bsa_pct": 6.0}, (4, 0, 0, 0), 4),
        ({"severe_abdominal_pain": True}, (0, 0, 0, 4), 4),
        ({"weight_kg": "20", "stool_ml_per_day": 400.0}, (0, 0, 0, 2), 3),  # child: 20 mL/kg/day
    ],
)
def test_it_stages_and_grades_acute_gvhd(nurse, findings, stages, grade):
    record = acute(enrolled_subject(nurse), nurse, **findings)
    assert (
        record.skin_stage,
        record.liver_stage,
        record.upper_gi_stage,
        record.lower_gi_stage,
    ) == stages
    assert record.overall_grade == grade
    assert record.grade_detail


def test_it_needs_a_lower_gi_finding(nurse):
    with pytest.raises(ValidationError) as caught:
        acute(enrolled_subject(nurse), nurse, stool_ml_per_day=None)
    assert "stool_ml_per_day" in caught.value.message_dict


def test_it_refuses_a_rash_over_100_percent(nurse):
    with pytest.raises(ValidationError) as caught:
        acute(enrolled_subject(nurse), nurse, skin_erythema_bsa_pct=120.0)
    assert "skin_erythema_bsa_pct" in caught.value.message_dict


@pytest.mark.parametrize(
    ("scores", "severity"),
    [
        ({}, "none"),
        ({"skin": 1, "mouth": 1}, "mild"),
        ({"skin": 1, "mouth": 1, "eyes": 1}, "moderate"),  # 3 organs with score 1
        ({"skin": 2}, "moderate"),  # an organ (not lung) with score 2
        ({"lungs": 1}, "moderate"),
        ({"lungs": 2}, "severe"),
        ({"joints_fascia": 3}, "severe"),
    ],
)
def test_it_computes_the_nih_global_severity(nurse, scores, severity):
    record = record_chronic_gvhd(enrolled_subject(nurse), nurse, assessed_on=ON, scores=scores)
    assert record.global_severity == severity


def test_it_refuses_an_organ_score_above_3(nurse):
    with pytest.raises(ValidationError) as caught:
        record_chronic_gvhd(enrolled_subject(nurse), nurse, assessed_on=ON, scores={"gi_tract": 4})
    assert "gi_tract" in caught.value.message_dict
