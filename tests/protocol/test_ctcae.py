"""CTCAE v5.0 grading from lab values, at every boundary of every term.

Each expected grade is read off the CTCAE v5.0 text quoted in the case id (NCI CTEP, 27 Nov
2017, as reproduced in clinical-facts.md section 2.2 and admiral's ncictcaev5.json). CTCAE
ranges read "<LLN - 1.5" as "LLN > x >= 1.5" and ">3.0 - 5.0 x ULN" as "3 x ULN < x <= 5 x ULN".
"""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inodli.errors import InputError
from inodli.protocol import ctcae, ctcae_terms
from inodli.protocol.ctcae import ctcae_grade, list_ctcae_lab_terms, suggest_lab_grades
from inodli.protocol.ctcae_terms import ctcae_term_text, list_ctcae_clinical_terms

# (term, value, kwargs, expected grade); kwargs carry lln/uln/baseline/unit.
LOW_COUNTS = [
    # Neutrophil count decreased: <LLN-1.5; <1.5-1.0; <1.0-0.5; <0.5 (x10e9/L)
    ("ANC", 2.0, {"lln": 2.0}, 0),  # not <LLN
    ("ANC", 1.99, {"lln": 2.0}, 1),
    ("ANC", 1.5, {"lln": 2.0}, 1),  # "<LLN - 1.5": 1.5 is grade 1
    ("ANC", 1.49, {}, 2),
    ("ANC", 1.0, {}, 2),  # "<1.5 - 1.0": 1.0 is grade 2
    ("ANC", 0.99, {}, 3),
    ("ANC", 0.5, {}, 3),  # "<1.0 - 0.5"
    ("ANC", 0.49, {}, 4),  # "<0.5"
    # Platelet count decreased: <LLN-75.0; <75.0-50.0; <50.0-25.0; <25.0
    ("platelets", 150.0, {"lln": 150.0}, 0),
    ("platelets", 75.0, {"lln": 150.0}, 1),
    ("platelets", 74.9, {}, 2),
    ("platelets", 50.0, {}, 2),
    ("platelets", 49.9, {}, 3),
    ("platelets", 25.0, {}, 3),
    ("platelets", 24.9, {}, 4),
    # White blood cell decreased: <LLN-3.0; <3.0-2.0; <2.0-1.0; <1.0
    ("WBC", 3.0, {"lln": 4.0}, 1),
    ("WBC", 2.0, {}, 2),
    ("WBC", 1.0, {}, 3),
    ("WBC", 0.99, {}, 4),
    # Lymphocyte count decreased: <LLN-0.8; <0.8-0.5; <0.5-0.2; <0.2
    ("lymphocytes", 0.8, {"lln": 1.0}, 1),
    ("lymphocytes", 0.5, {}, 2),
    ("lymphocytes", 0.2, {}, 3),
    ("lymphocytes", 0.19, {}, 4),
    # Anemia: Hgb <LLN-100 g/L; <100-80 g/L; <80 g/L
    ("hemoglobin", 120.0, {"lln": 120.0}, 0),
    ("hemoglobin", 100.0, {"lln": 120.0}, 1),
    ("hemoglobin", 99.9, {}, 2),
    ("hemoglobin", 80.0, {}, 2),
    ("hemoglobin", 79.9, {}, 3),
]

LIVER = [
    # ALT/AST: >ULN-3.0xULN; >3.0-5.0xULN; >5.0-20.0xULN; >20.0xULN (baseline normal)
    ("ALT", 40.0, {"uln": 40.0}, 0),
    ("ALT", 40.1, {"uln": 40.0}, 1),
    ("ALT", 120.0, {"uln": 40.0}, 1),  # exactly 3.0 x ULN
    ("ALT", 120.1, {"uln": 40.0}, 2),
    ("ALT", 200.0, {"uln": 40.0}, 2),  # exactly 5.0 x ULN
    ("ALT", 210.0, {"uln": 40.0}, 3),  # the example
    ("ALT", 800.0, {"uln": 40.0}, 3),  # exactly 20 x ULN
    ("ALT", 800.1, {"uln": 40.0}, 4),
    ("AST", 120.1, {"uln": 40.0}, 2),
    # abnormal baseline (60 > ULN 40): 1.5-3.0 x baseline; >3.0-5.0; >5.0-20.0; >20.0
    ("ALT", 89.9, {"uln": 40.0, "baseline": 60.0}, 0),  # <1.5 x baseline is grade 0
    ("ALT", 90.0, {"uln": 40.0, "baseline": 60.0}, 1),  # "1.5 - 3.0 x baseline"
    ("ALT", 180.0, {"uln": 40.0, "baseline": 60.0}, 1),
    ("ALT", 180.1, {"uln": 40.0, "baseline": 60.0}, 2),
    ("ALT", 1200.1, {"uln": 40.0, "baseline": 60.0}, 4),
    ("ALT", 90.0, {"uln": 40.0, "baseline": 40.0}, 1),  # baseline = ULN is normal: x ULN
    # Bilirubin: >ULN-1.5xULN; >1.5-3.0; >3.0-10.0; >10.0 (baseline normal)
    ("bilirubin", 1.8, {"uln": 1.2, "unit": "mg/dL"}, 1),  # exactly 1.5 x ULN
    ("bilirubin", 1.81, {"uln": 1.2, "unit": "mg/dL"}, 2),
    ("bilirubin", 3.6, {"uln": 1.2, "unit": "mg/dL"}, 2),  # exactly 3 x ULN
    ("bilirubin", 12.0, {"uln": 1.2, "unit": "mg/dL"}, 3),  # exactly 10 x ULN
    ("bilirubin", 12.1, {"uln": 1.2, "unit": "mg/dL"}, 4),
    ("bilirubin", 30.78, {"uln": 20.52}, 1),  # umol/L, same 1.5 x ULN
    # abnormal baseline: >1.0-1.5 x baseline
    ("bilirubin", 2.0, {"uln": 1.0, "baseline": 2.0}, 0),
    ("bilirubin", 2.01, {"uln": 1.0, "baseline": 2.0}, 1),
    ("bilirubin", 3.0, {"uln": 1.0, "baseline": 2.0}, 1),
    ("bilirubin", 3.01, {"uln": 1.0, "baseline": 2.0}, 2),
    # ALP/GGT: >ULN-2.5xULN; >2.5-5.0; >5.0-20.0; >20.0; abnormal baseline 2.0-2.5 x baseline
    ("ALP", 250.0, {"uln": 100.0}, 1),
    ("ALP", 250.1, {"uln": 100.0}, 2),
    ("ALP", 500.1, {"uln": 100.0}, 3),
    ("GGT", 2000.1, {"uln": 100.0}, 4),
    ("ALP", 299.0, {"uln": 100.0, "baseline": 150.0}, 0),  # <2.0 x baseline
    ("ALP", 300.0, {"uln": 100.0, "baseline": 150.0}, 1),  # "2.0 - 2.5 x baseline"
    ("GGT", 375.1, {"uln": 100.0, "baseline": 150.0}, 2),
]

CREATININE = [
    # >ULN-1.5xULN; >1.5-3.0 x baseline or xULN; >3.0 x baseline or >3.0-6.0 xULN; >6.0 xULN
    ("creatinine", 150.0, {"uln": 100.0}, 1),
    ("creatinine", 150.1, {"uln": 100.0}, 2),
    ("creatinine", 300.1, {"uln": 100.0}, 3),
    ("creatinine", 600.1, {"uln": 100.0}, 4),
    ("creatinine", 75.0, {"uln": 100.0, "baseline": 50.0}, 0),  # 1.5 x baseline is not >1.5
    ("creatinine", 76.0, {"uln": 100.0, "baseline": 50.0}, 2),  # worse of: x baseline
    ("creatinine", 151.0, {"uln": 100.0, "baseline": 50.0}, 3),  # >3.0 x baseline
    ("creatinine", 1.6, {"uln": 1.2, "baseline": 0.5, "unit": "mg/dL"}, 3),
]

ELECTROLYTES = [
    # Hypokalemia: <LLN-3.0 (G1 or G2 by symptoms); <3.0-2.5; <2.5
    ("hypokalemia", 3.0, {"lln": 3.5}, None),
    ("hypokalemia", 2.99, {}, 3),
    ("hypokalemia", 2.5, {}, 3),
    ("hypokalemia", 2.49, {}, 4),
    # Hyperkalemia: >ULN-5.5; >5.5-6.0; >6.0-7.0; >7.0
    ("hyperkalemia", 5.5, {"uln": 5.0}, 1),
    ("hyperkalemia", 5.51, {}, 2),
    ("hyperkalemia", 6.0, {}, 2),
    ("hyperkalemia", 6.01, {}, 3),
    ("hyperkalemia", 7.0, {}, 3),
    ("hyperkalemia", 7.01, {}, 4),
    ("hyperkalemia", 5.0, {"uln": 5.0}, 0),
    # Hyponatremia: <LLN-130; 125-129 (G2 asymptomatic / G3 symptomatic); 120-124; <120
    ("hyponatremia", 130.0, {"lln": 135.0}, 1),
    ("hyponatremia", 129.0, {}, None),
    ("hyponatremia", 125.0, {}, None),
    ("hyponatremia", 124.0, {}, 3),
    ("hyponatremia", 120.0, {}, 3),
    ("hyponatremia", 119.0, {}, 4),
    # Hypomagnesemia: <LLN-0.5 mmol/L (<LLN-1.2 mg/dL); <0.5-0.4; <0.4-0.3; <0.3
    ("hypomagnesemia", 0.5, {"lln": 0.7}, 1),
    ("hypomagnesemia", 0.4, {}, 2),
    ("hypomagnesemia", 0.3, {}, 3),
    ("hypomagnesemia", 0.29, {}, 4),
    ("hypomagnesemia", 1.2, {"lln": 1.7, "unit": "mg/dL"}, 1),  # CTCAE's own mg/dL numbers
    ("hypomagnesemia", 1.19, {"unit": "mg/dL"}, 2),
    ("hypomagnesemia", 0.9, {"unit": "mg/dL"}, 2),
    ("hypomagnesemia", 0.7, {"unit": "mg/dL"}, 3),
    ("hypomagnesemia", 0.69, {"unit": "mg/dL"}, 4),
    # Hypoglycemia: <LLN-3.0 mmol/L (<LLN-55 mg/dL); <3.0-2.2 (<55-40); <2.2-1.7 (<40-30); <1.7 (<30)
    ("hypoglycemia", 3.0, {"lln": 3.9}, 1),
    ("hypoglycemia", 2.2, {}, 2),
    ("hypoglycemia", 1.7, {}, 3),
    ("hypoglycemia", 1.69, {}, 4),
    ("hypoglycemia", 55.0, {"lln": 70.0, "unit": "mg/dL"}, 1),
    ("hypoglycemia", 54.0, {"unit": "mg/dL"}, 2),
    ("hypoglycemia", 30.0, {"unit": "mg/dL"}, 3),
    ("hypoglycemia", 29.0, {"unit": "mg/dL"}, 4),
    # Hypocalcemia (corrected): <LLN-2.0 mmol/L (<LLN-8.0 mg/dL); <2.0-1.75; <1.75-1.5; <1.5
    ("hypocalcemia", 2.0, {"lln": 2.1}, 1),
    ("hypocalcemia", 1.75, {}, 2),
    ("hypocalcemia", 1.5, {}, 3),
    ("hypocalcemia", 1.49, {}, 4),
    ("hypocalcemia", 7.0, {"unit": "mg/dL"}, 2),
    ("hypocalcemia", 5.9, {"unit": "mg/dL"}, 4),
    # ionized: <LLN-1.0; <1.0-0.9; <0.9-0.8; <0.8
    ("ionized calcium", 1.0, {"lln": 1.1}, 1),
    ("ionized calcium", 0.9, {}, 2),
    ("ionized calcium", 0.8, {}, 3),
    ("ionized calcium", 0.79, {}, 4),
    # Hypoalbuminemia: <LLN-30 g/L; <30-20 g/L; <20 g/L
    ("albumin", 30.0, {"lln": 35.0}, 1),
    ("albumin", 29.9, {}, 2),
    ("albumin", 20.0, {}, 2),
    ("albumin", 19.9, {}, 3),
    ("albumin", 2.9, {"unit": "g/dL"}, 2),
    # QTc: 450-480 ms; 481-500 ms; >=501 ms or >60 ms change from baseline
    ("QTc", 449.0, {}, 0),
    ("QTc", 450.0, {}, 1),
    ("QTc", 480.0, {}, 1),
    ("QTc", 481.0, {}, 2),
    ("QTc", 500.0, {}, 2),
    ("QTc", 501.0, {}, 3),
    ("QTc", 460.1, {"baseline": 400.0}, 3),  # ">60 ms change from baseline"
    ("QTc", 460.0, {"baseline": 400.0}, 1),  # a change of exactly 60 ms is not >60
    ("QTc", 0.47, {"unit": "s"}, 1),
]

ALL_CASES = LOW_COUNTS + LIVER + CREATININE + ELECTROLYTES


@pytest.mark.parametrize(
    ("term", "value", "kwargs", "expected"),
    ALL_CASES,
    ids=[f"{t}-{v}-{k}" for t, v, k, _ in ALL_CASES],
)
def test_it_grades_each_boundary_as_ctcae_reads(term, value, kwargs, expected):
    result = ctcae_grade(term, value, **kwargs)
    assert result.grade == expected, result.reason


@pytest.mark.parametrize(
    ("term", "value", "kwargs"),
    [
        ("ANC", 1500.0, {"unit": "/mm3", "lln": 2000.0}),
        ("ANC", 1500.0, {"unit": "cells/uL", "lln": 2000.0}),
        ("ANC", 1.5, {"unit": "10^3/uL", "lln": 2.0}),
        ("ANC", 1.5, {"unit": "x 10e9/L", "lln": 2.0}),
    ],
)
def test_it_converts_count_units_exactly(term, value, kwargs):
    # "<LLN - 1500/mm3; <LLN - 1.5 x 10e9 /L": 1500/mm3 is exactly the grade-1 floor.
    assert ctcae_grade(term, value, **kwargs).grade == 1


def test_it_converts_bilirubin_mg_dl_to_umol_l_consistently():
    in_mg = ctcae_grade("bilirubin", 3.0, uln=1.0, unit="mg/dL")
    in_umol = ctcae_grade("bilirubin", 51.3, uln=17.1, unit="umol/L")
    assert in_mg.grade == in_umol.grade == 2
    assert "= 51.3 umol/L" in in_mg.reason


def test_it_converts_hemoglobin_g_dl_and_uses_ctcae_mmol_thresholds():
    assert ctcae_grade("Hgb", 9.9, unit="g/dL").grade == 2  # <10.0 - 8.0 g/dL
    assert ctcae_grade("Hgb", 8.0, unit="g/dL").grade == 2
    assert ctcae_grade("Hgb", 7.9, unit="g/dL").grade == 3
    assert ctcae_grade("Hgb", 6.1, unit="mmol/L").grade == 2  # <6.2 - 4.9 mmol/L
    assert ctcae_grade("Hgb", 4.8, unit="mmol/L").grade == 3


def test_it_picks_hyper_or_hypo_kalemia_from_a_potassium_value():
    high = ctcae_grade("potassium", 6.2, lln=3.5, uln=5.1)
    assert (high.term, high.grade, high.direction) == ("Hyperkalemia", 3, "high")
    low = ctcae_grade("K", 2.4, lln=3.5, uln=5.1)
    assert (low.term, low.grade, low.direction) == ("Hypokalemia", 4, "low")
    normal = ctcae_grade("potassium", 4.0, lln=3.5, uln=5.1)
    assert normal.grade == 0


def test_it_grades_a_high_sodium_as_hypernatremia():
    # CTCAE v5.0 Hypernatremia (admiral ncictcaev5.json): >ULN-150; >150-155; >155-160; >160.
    result = ctcae_grade("sodium", 150, lln=135, uln=145)
    assert (result.term, result.grade, result.direction) == ("Hypernatremia", 1, "high")
    assert not result.needs_clinician


def test_it_asks_the_clinician_for_hyponatremia_125_to_129():
    result = ctcae_grade("sodium", 127, lln=135, uln=145)
    assert result.grade is None
    assert result.possible_grades == (2, 3)
    assert result.needs_clinician
    assert "symptoms decide" in result.reason


def test_it_asks_the_clinician_for_hypokalemia_between_lln_and_3():
    result = ctcae_grade("potassium", 3.2, lln=3.5, uln=5.1)
    assert result.possible_grades == (1, 2)
    assert result.needs_clinician


def test_it_never_grades_hyperglycemia_from_glucose():
    # admiral vignette: Hyperglycemia is "not gradable by quantitative lab values in NCICTCAEv5".
    result = ctcae_grade("glucose", 25.0, lln=3.9, uln=6.1)
    assert result.term == "Hyperglycemia"
    assert result.grade is None
    assert result.possible_grades == (1, 2, 3, 4)
    assert result.needs_clinician
    assert "insulin" in result.reason
    assert ctcae_grade("hyperglycemia", 5.0, uln=6.1).grade == 0


def test_it_quotes_ctcae_text_and_says_the_basis():
    result = ctcae_grade("ALT", 130, uln=40, baseline=60)  # 2.17 x baseline
    assert result.grade == 1
    assert result.ctcae_text == "1.5 - 3.0 x baseline if baseline was abnormal"
    assert "graded x baseline" in result.reason
    assert ctcae_grade("ALT", 130, uln=40).grade == 2  # 3.25 x ULN with a normal baseline


def test_it_notes_when_creatinine_baseline_criteria_were_not_applied():
    result = ctcae_grade("creatinine", 120, uln=100)
    assert result.grade == 1
    assert "no baseline given" in result.reason


def test_it_flags_clinical_higher_grades_for_anemia():
    result = ctcae_grade("hemoglobin", 70)
    assert result.grade == 3
    assert "Life-threatening" in result.reason


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"term": "ALT", "value": 100}, "uln"),  # x ULN term without ULN
        ({"term": "ANC", "value": 1.8}, "lln"),  # grade 0 vs 1 needs LLN
        ({"term": "hyponatremia", "value": 131}, "lln"),
        ({"term": "ALT", "value": -1, "uln": 40}, "value"),
        ({"term": "ALT", "value": "high", "uln": 40}, "value"),
        ({"term": "ALT", "value": 50, "uln": 0}, "uln"),
        ({"term": "ALT", "value": True, "uln": 40}, "value"),
        ({"term": "ANC", "value": 1.0, "lln": 5, "uln": 4}, "lln"),
        ({"term": "troponin", "value": 1.0}, "term"),
        ({"term": "bilirubin", "value": 1.0, "uln": 1.2, "unit": "mmol/L"}, "unit"),
        ({"term": "potassium", "value": 4.0}, "lln/uln"),
    ],
)
def test_it_rejects_bad_or_insufficient_input(kwargs, field):
    term = kwargs.pop("term")
    value = kwargs.pop("value")
    with pytest.raises(InputError) as error:
        ctcae_grade(term, value, **kwargs)
    assert error.value.field == field


def test_it_lists_every_lab_term_of_clinical_facts_2_2():
    names = {term.name for term in list_ctcae_lab_terms()}
    # Section 2.2 of clinical-facts.md, plus the high-side electrolyte terms graded from the
    # same admiral ncictcaev5.json copy (hypernatremia, hypermagnesemia, hypercalcemia).
    expected = {
        "Hypernatremia", "Hypermagnesemia", "Hypercalcemia",
        "Neutrophil count decreased", "Platelet count decreased", "White blood cell decreased",
        "Lymphocyte count decreased", "Anemia", "Alanine aminotransferase increased",
        "Aspartate aminotransferase increased", "Blood bilirubin increased",
        "Alkaline phosphatase increased", "GGT increased", "Creatinine increased",
        "Hypokalemia", "Hyperkalemia", "Hyponatremia", "Hypomagnesemia", "Hypoglycemia",
        "Hypocalcemia", "Hypoalbuminemia", "Hyperglycemia",
        "Electrocardiogram QT corrected interval prolonged",
    }  # fmt: skip
    assert expected == names


def test_it_suggests_grades_for_a_panel_worst_first_and_skips_ungradable():
    panel = [
        {"term": "ALT", "value": 210, "uln": 40},
        {"term": "platelets", "value": 20},
        {"term": "sodium", "value": 140, "lln": 135, "uln": 145},
        {"term": "sodium", "value": 127, "lln": 135, "uln": 145},
        {"term": "ANC", "value": 1.8},  # LLN missing: cannot tell grade 0 from 1
    ]
    result = suggest_lab_grades(panel)
    assert [(g.term, g.grade) for g in result.suggested] == [
        ("Platelet count decreased", 4),
        ("Alanine aminotransferase increased", 3),
        ("Hyponatremia", None),
    ]
    assert len(result.skipped) == 1
    assert result.skipped[0][0] == "ANC"


def test_it_gives_clinical_term_texts():
    vod = ctcae_term_text("VOD")
    assert vod.name == "Sinusoidal obstruction syndrome"
    assert vod.grades[3].startswith("Blood bilirubin >5 mg/dL")
    assert 1 not in vod.grades  # CTCAE: grade 1 "-"
    fn = ctcae_term_text("febrile neutropenia")
    assert sorted(fn.grades) == [3, 4, 5]
    assert {t.key for t in list_ctcae_clinical_terms()} >= {
        "infusion_related_reaction",
        "cytokine_release_syndrome",
    }
    with pytest.raises(InputError):
        ctcae_term_text("headache")


# --- properties over every gradable term: no gaps, no overlaps, grades monotone ------------

# Typical adult reference ranges, in each term's own unit (only their order matters here).
RANGES = {
    "neutrophil_count_decreased": (2.0, 7.5),
    "platelet_count_decreased": (150.0, 400.0),
    "white_blood_cell_decreased": (4.0, 10.0),
    "lymphocyte_count_decreased": (1.0, 4.0),
    "anemia": (120.0, 160.0),
    "alanine_aminotransferase_increased": (7.0, 40.0),
    "aspartate_aminotransferase_increased": (8.0, 40.0),
    "blood_bilirubin_increased": (3.0, 21.0),
    "alkaline_phosphatase_increased": (40.0, 120.0),
    "ggt_increased": (8.0, 60.0),
    "creatinine_increased": (50.0, 100.0),
    "hypokalemia": (3.5, 5.1),
    "hyperkalemia": (3.5, 5.1),
    "hyponatremia": (135.0, 145.0),
    "hypomagnesemia": (0.7, 1.0),
    "hypocalcemia": (2.1, 2.6),
    "hypocalcemia_ionized": (1.1, 1.3),
    "hypernatremia": (135.0, 145.0),
    "hypermagnesemia": (0.7, 1.0),
    "hypercalcemia": (2.1, 2.6),
    "hypercalcemia_ionized": (1.1, 1.3),
    "hypoglycemia": (3.9, 6.1),
    "hypoalbuminemia": (35.0, 50.0),
    "electrocardiogram_qt_corrected_interval_prolonged": (350.0, 450.0),
}
GRADABLE = [t for t in list_ctcae_lab_terms() if t.lab_gradable]


# Blood counts above the EDC's plausible range are refused (a per-mm3 value typed as 10^9/L);
# the properties below stay inside plausible_counts.toml's limits.
_COUNT_LIMITS = {"neutrophil_count_decreased": 500.0, "platelet_count_decreased": 3000.0,
                 "white_blood_cell_decreased": 1000.0, "lymphocyte_count_decreased": 1000.0}  # fmt: skip


def plausible(term, value):
    return min(value, _COUNT_LIMITS.get(term.key, value))


def worst(result):
    return result.grade if result.grade is not None else max(result.possible_grades)


def test_it_has_reference_ranges_for_every_gradable_term_in_this_test():
    assert {t.key for t in GRADABLE} == set(RANGES)


@settings(max_examples=300, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=len(GRADABLE) - 1),
    a=st.floats(min_value=0, max_value=3000, allow_nan=False),
    b=st.floats(min_value=0, max_value=3000, allow_nan=False),
)
def test_it_grades_monotonically_with_the_value(index, a, b):
    term = GRADABLE[index]
    lln, uln = RANGES[term.key]
    low, high = sorted((plausible(term, a), plausible(term, b)))
    g_low = worst(ctcae_grade(term.key, low, lln=lln, uln=uln))
    g_high = worst(ctcae_grade(term.key, high, lln=lln, uln=uln))
    if term.direction == "low":
        assert g_low >= g_high
    else:
        assert g_low <= g_high


@settings(max_examples=300, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=len(GRADABLE) - 1),
    value=st.floats(min_value=0, max_value=3000, allow_nan=False),
)
def test_it_leaves_no_gap_between_normal_and_grade_1(index, value):
    term = GRADABLE[index]
    lln, uln = RANGES[term.key]
    value = plausible(term, value)
    result = ctcae_grade(term.key, value, lln=lln, uln=uln)
    if term.key == "electrocardiogram_qt_corrected_interval_prolonged":
        abnormal = value >= 450  # "Average QTc 450 - 480 ms" is grade 1
    elif term.direction == "low":
        abnormal = value < lln
    else:
        abnormal = value > uln
    assert (worst(result) >= 1) == abnormal, result.reason


@pytest.mark.parametrize("module", [ctcae, ctcae_terms])
def test_it_runs_the_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0


@pytest.mark.parametrize(
    ("term", "value", "kwargs"),
    [
        ("ANC", 800, {"lln": 2.0}),  # 800/mm3 typed without its unit: would grade 0, not 3
        ("platelets", 20000, {"lln": 150}),
        ("WBC", 1500, {"lln": 4}),
        ("lymphocytes", 1200, {"lln": 1}),
    ],
)
def test_it_refuses_a_count_typed_per_mm3_without_its_unit(term, value, kwargs):
    with pytest.raises(InputError) as error:
        ctcae_grade(term, value, **kwargs)
    assert error.value.field == "value"
    assert "give the unit /mm3" in error.value.allowed
    # The same number with its unit is graded: 800/mm3 = 0.8 x 10^9/L, "<1.0 - 0.5": grade 3.
    if term == "ANC":
        assert ctcae_grade(term, value, unit="/mm3", **kwargs).grade == 3
