"""CTCAE v5.0 high-side electrolyte terms, at every boundary.

Expected grades are read off the CTCAE v5.0 text as reproduced in pharmaverse/admiral
``data-raw/adlb_grading/ncictcaev5.json`` (GRADE_1..GRADE_4 of Hypernatremia, Hypermagnesemia,
Hypercalcemia and Hypercalcemia (Ionized)), the same copy clinical-facts.md section 2 was
compiled from. CTCAE ranges ">150 - 155" are read as 150 < x <= 155.
"""

from __future__ import annotations

import pytest

from inodli.errors import InputError
from inodli.protocol import ctcae_grade

CASES = [
    # Hypernatremia: >ULN - 150 mmol/L; >150 - 155; >155 - 160; >160
    ("hypernatremia", 145.0, {"uln": 145}, "Hypernatremia", 0),
    ("sodium", 145.1, {"lln": 135, "uln": 145}, "Hypernatremia", 1),
    ("sodium", 150.0, {"lln": 135, "uln": 145}, "Hypernatremia", 1),
    ("sodium", 150.1, {"lln": 135, "uln": 145}, "Hypernatremia", 2),
    ("sodium", 155.0, {"lln": 135, "uln": 145}, "Hypernatremia", 2),
    ("sodium", 155.1, {"lln": 135, "uln": 145}, "Hypernatremia", 3),
    ("sodium", 160.0, {"lln": 135, "uln": 145}, "Hypernatremia", 3),
    ("sodium", 160.1, {"lln": 135, "uln": 145}, "Hypernatremia", 4),
    ("hypernatremia", 152.0, {"unit": "mEq/L"}, "Hypernatremia", 2),  # 1 mEq/L = 1 mmol/L
    # Hypermagnesemia: >ULN - 1.23 mmol/L; (no grade 2); >1.23 - 3.30; >3.30
    ("magnesium", 1.23, {"lln": 0.7, "uln": 1.0}, "Hypermagnesemia", 1),
    ("magnesium", 1.24, {"lln": 0.7, "uln": 1.0}, "Hypermagnesemia", 3),
    ("magnesium", 3.30, {"lln": 0.7, "uln": 1.0}, "Hypermagnesemia", 3),
    ("magnesium", 3.31, {"lln": 0.7, "uln": 1.0}, "Hypermagnesemia", 4),
    # ... in mg/dL: >ULN - 3.0 mg/dL; >3.0 - 8.0; >8.0
    ("magnesium", 3.0, {"lln": 1.7, "uln": 2.4, "unit": "mg/dL"}, "Hypermagnesemia", 1),
    ("magnesium", 3.1, {"lln": 1.7, "uln": 2.4, "unit": "mg/dL"}, "Hypermagnesemia", 3),
    ("magnesium", 8.0, {"lln": 1.7, "uln": 2.4, "unit": "mg/dL"}, "Hypermagnesemia", 3),
    ("magnesium", 8.1, {"lln": 1.7, "uln": 2.4, "unit": "mg/dL"}, "Hypermagnesemia", 4),
    # Hypercalcemia (corrected): >ULN - 2.9 mmol/L; >2.9 - 3.1; >3.1 - 3.4; >3.4
    ("calcium", 2.9, {"lln": 2.1, "uln": 2.6}, "Hypercalcemia", 1),
    ("calcium", 2.91, {"lln": 2.1, "uln": 2.6}, "Hypercalcemia", 2),
    ("calcium", 3.1, {"lln": 2.1, "uln": 2.6}, "Hypercalcemia", 2),
    ("calcium", 3.11, {"lln": 2.1, "uln": 2.6}, "Hypercalcemia", 3),
    ("calcium", 3.4, {"lln": 2.1, "uln": 2.6}, "Hypercalcemia", 3),
    ("calcium", 3.41, {"lln": 2.1, "uln": 2.6}, "Hypercalcemia", 4),
    # ... in mg/dL: >ULN - 11.5; >11.5 - 12.5; >12.5 - 13.5; >13.5
    ("calcium", 11.5, {"lln": 8.5, "uln": 10.5, "unit": "mg/dL"}, "Hypercalcemia", 1),
    ("calcium", 11.6, {"lln": 8.5, "uln": 10.5, "unit": "mg/dL"}, "Hypercalcemia", 2),
    ("calcium", 12.5, {"lln": 8.5, "uln": 10.5, "unit": "mg/dL"}, "Hypercalcemia", 2),
    ("calcium", 13.5, {"lln": 8.5, "uln": 10.5, "unit": "mg/dL"}, "Hypercalcemia", 3),
    ("calcium", 13.6, {"lln": 8.5, "uln": 10.5, "unit": "mg/dL"}, "Hypercalcemia", 4),
    # Hypercalcemia, ionized: >ULN - 1.5 mmol/L; >1.5 - 1.6; >1.6 - 1.8; >1.8
    ("ionized calcium high", 1.5, {"uln": 1.3}, "Hypercalcemia", 1),
    ("ionized calcium high", 1.51, {"uln": 1.3}, "Hypercalcemia", 2),
    ("ionized calcium high", 1.6, {"uln": 1.3}, "Hypercalcemia", 2),
    ("ionized calcium high", 1.8, {"uln": 1.3}, "Hypercalcemia", 3),
    ("ionized calcium high", 1.81, {"uln": 1.3}, "Hypercalcemia", 4),
]


@pytest.mark.parametrize(("term", "value", "kwargs", "name", "grade"), CASES)
def test_it_grades_high_electrolytes_at_each_ctcae_boundary(term, value, kwargs, name, grade):
    result = ctcae_grade(term, value, **kwargs)
    assert (result.term, result.grade) == (name, grade), result.reason
    assert not result.needs_clinician


def test_it_needs_the_uln_for_grade_1_only():
    # Grade 1 is ">ULN - 150"; grade 2 and above are absolute, so no ULN is needed for them.
    assert ctcae_grade("hypernatremia", 152.0).grade == 2
    with pytest.raises(InputError) as error:
        ctcae_grade("hypernatremia", 148.0)
    assert error.value.field == "uln"


@pytest.mark.parametrize("uln", [0, -40, -0.1])
def test_it_says_a_reference_limit_must_be_positive(uln):
    with pytest.raises(InputError) as error:
        ctcae_grade("ALT", 100, uln=uln)
    assert (error.value.field, error.value.allowed, error.value.received) == (
        "uln",
        "a number > 0",
        uln,
    )
