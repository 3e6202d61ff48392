"""InO administrations: the dose computed from the latest height and weight and the cycle
rules, the preparation sheet, the next-dose decision, and the rules that refuse an entry.

Expected doses are the trial record's mg/m2 times the BSA, worked by hand in
clinical-facts.md section 1.3 ("BSA 1.70 m2 gives a day-1 dose of 0.8 x 1.70 = 1.36 mg, which is
5.44 mL of 0.25 mg/mL"); BSA by Mosteller, sqrt(H x W / 3600).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inodli.edc.treatment.services import record_ino_administration
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import liver_tests

DAY1 = dt.date(2026, 1, 6)


def test_it_computes_the_cycle_1_day_1_dose_from_bsa_1_70(nurse):
    # Mosteller: sqrt(170 x 61.2 / 3600) = sqrt(2.89) = 1.70 m2 exactly.
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, DAY1)
    dose = record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    assert dose.bsa_m2 == Decimal("1.70")
    assert dose.intended_mg_m2 == Decimal("0.80")
    assert dose.calculated_mg == Decimal("1.360")
    assert dose.volume_ml == Decimal("5.40")  # 5.44 mL rounded to the 0.1 mL syringe mark
    assert dose.bsa_formula == "mosteller"
    assert dose.version == 1
