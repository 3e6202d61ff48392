"""One synthetic patient through every clinical service, in date order, as the demo generator
and the forms do it: the services compose without hidden order constraints.

Expected values: BSA 1.70 (170 cm, 61.2 kg, Mosteller); cycle 1 0.8/0.5/0.5 mg/m2 -> 1.36,
0.85, 0.85 mg; CR after cycle 1 -> cycle 2 0.5 mg/m2 on day 1 -> 0.85 mg (trial record);
DLI 1e7 CD3+/kg x 61.2 kg = 6.12e8 cells, at 5e7/mL = 12.24 mL -> 12.2 mL (0.1 mL rounding).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inodli.edc.assessments.services import record_death, record_relapse, record_survival
from inodli.edc.safety.services import record_adverse_event, record_grade_change
from inodli.edc.treatment.intrathecal import schedule_for
from inodli.edc.treatment.services import (
    record_dli_infusion,
    record_hla_loss_test,
    record_ino_administration,
    record_intrathecal_course,
)
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import blood_count, liver_tests, remission_after_cycle_1
from tests.edc.treatment.test_dli import no_gvhd_now, transplant

DAY1 = dt.date(2026, 1, 6)


def day(n: int) -> dt.date:
    return DAY1 + dt.timedelta(days=n - 1)


def test_it_follows_a_patient_from_enrolment_to_death(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    transplant(subject, nurse, worst_grade=1)
    blood_count(subject, nurse, DAY1, anc=1.1, platelets=70.0)
    doses = []
    for cycle_day in (1, 8, 15):
        liver_tests(subject, nurse, day(cycle_day))
        doses.append(
            record_ino_administration(
                subject, nurse, cycle=1, day=cycle_day, administered_on=day(cycle_day)
            )
        )
    assert [d.calculated_mg for d in doses] == [
        Decimal("1.360"),
        Decimal("0.850"),
        Decimal("0.850"),
    ]
    event = record_adverse_event(
        subject,
        nurse,
        term="Platelet count decreased",
        started_on=day(9),
        grade=3,
        relationship_ino="probable",
    )
    record_grade_change(event, nurse, effective_on=day(20), grade=1)

    remission_after_cycle_1(subject, nurse, day(21), in_remission=True)
    for cycle_day in (1, 8, 15):
        on = day(28 + cycle_day)
        liver_tests(subject, nurse, on)
        dose = record_ino_administration(subject, nurse, cycle=2, day=cycle_day, administered_on=on)
        assert dose.calculated_mg == Decimal("0.850")  # CR after cycle 1: 0.5 mg/m2

    record_hla_loss_test(subject, nurse, sampled_on=day(60), result="no_loss")
    no_gvhd_now(subject, nurse, on=day(70))
    infusion = record_dli_infusion(subject, nurse, infused_on=day(72), product_cd3_per_ml=5.0e7)
    assert infusion.eligible is True
    assert infusion.computed_volume_ml == pytest.approx(12.2, abs=1e-9)

    for month in range(2):
        record_intrathecal_course(subject, nurse, given_on=day(22 + 30 * month))
    schedule = schedule_for(subject, day(80))
    assert schedule is not None
    assert schedule.courses_given == 2

    record_survival(subject, nurse, last_known_alive_on=day(120))
    record_relapse(subject, nurse, occurred_on=day(150), marrow_blast_pct=40.0)
    death = record_death(
        subject, nurse, died_on=day(200), cause="relapse", primary_cause="Leukaemia"
    )
    assert death.cause == "relapse"
