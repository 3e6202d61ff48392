"""InO administrations: the dose computed from the latest height and weight and the cycle
rules, the preparation sheet, the next-dose decision, and the rules that refuse an entry.

Expected doses are the trial record's mg/m2 (cycle 1: 0.8/0.5/0.5; cycle 2 in CR/CRi
0.5/0.5/0.5, otherwise 0.8/0.5/0.5) times the BSA, worked by hand as in clinical-facts.md
section 1.3 ("BSA 1.70 m2 gives a day-1 dose of 0.8 x 1.70 = 1.36 mg, which is 5.44 mL of
0.25 mg/mL"). BSA by Mosteller, sqrt(H x W / 3600): 170 cm and 61.2 kg give sqrt(2.89) = 1.70.
The hold rule is the label's Table 3 ("total bilirubin >1.5 x ULN and AST/ALT >2.5 x ULN").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import save_record
from inodli.edc.subjects import models as m
from inodli.edc.treatment.models import InoAdministration
from inodli.edc.treatment.services import record_ino_administration
from tests.edc.factories import all_eligible_answers, consented_subject, enrolled_subject
from tests.edc.treatment.builders import blood_count, liver_tests, remission_after_cycle_1

DAY1 = dt.date(2026, 1, 6)


@pytest.fixture
def subject(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, DAY1)
    blood_count(subject, nurse, DAY1, anc=1.2, platelets=60.0)  # before cycle 1 (label Table 2)
    return subject


def test_it_computes_the_cycle_1_day_1_dose_from_bsa_1_70(subject, nurse):
    dose = record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    assert dose.bsa_m2 == Decimal("1.70")
    assert dose.bsa_formula == "mosteller"
    assert dose.intended_mg_m2 == Decimal("0.80")
    assert dose.calculated_mg == Decimal("1.360")
    # 5.44 mL withdrawn to the 0.1 mL syringe mark (ino_product rounding rule): 5.4 mL = 1.35 mg
    assert dose.volume_ml == Decimal("5.40")
    assert dose.dispensed_mg == Decimal("1.350")
    assert dose.decision == "give"
    assert dose.version == 1


def test_it_computes_day_8_at_0_5_mg_per_m2(subject, nurse):
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    dose = record_ino_administration(
        subject, nurse, cycle=1, day=8, administered_on=DAY1 + dt.timedelta(days=7)
    )
    assert dose.intended_mg_m2 == Decimal("0.50")
    assert dose.calculated_mg == Decimal("0.850")  # 0.5 x 1.70


def test_it_uses_the_latest_weight(subject, nurse):
    # 170 cm, 72.25 kg -> sqrt(170 x 72.25 / 3600) = sqrt(3.4118) = 1.8471 -> 1.85 m2
    save_record(
        m.BodyMeasurement(
            subject=subject, measured_on=DAY1, height_cm=Decimal("170.0"), weight_kg=Decimal("72.3")
        ),
        nurse,
    )
    dose = record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    # sqrt(170 x 72.3 / 3600) = sqrt(3.41417) = 1.8477 -> 1.85; 0.8 x 1.85 = 1.48 mg
    assert dose.weight_kg == Decimal("72.3")
    assert dose.bsa_m2 == Decimal("1.85")
    assert dose.calculated_mg == Decimal("1.480")


@pytest.mark.parametrize(
    ("in_remission", "expected_mg_m2", "expected_mg"),
    [(True, "0.50", "0.850"), (False, "0.80", "1.360")],
)
def test_it_takes_the_cycle_2_day_1_dose_from_the_recorded_response(
    subject, nurse, in_remission, expected_mg_m2, expected_mg
):
    for day in (1, 8, 15):
        record_ino_administration(
            subject, nurse, cycle=1, day=day, administered_on=DAY1 + dt.timedelta(days=day - 1)
        )
    assessed = DAY1 + dt.timedelta(days=20)
    remission_after_cycle_1(subject, nurse, assessed, in_remission=in_remission)
    liver_tests(subject, nurse, DAY1 + dt.timedelta(days=27))
    dose = record_ino_administration(
        subject, nurse, cycle=2, day=1, administered_on=DAY1 + dt.timedelta(days=28)
    )
    assert dose.in_remission is in_remission
    assert dose.intended_mg_m2 == Decimal(expected_mg_m2)
    assert dose.calculated_mg == Decimal(expected_mg)


def test_it_needs_the_counts_before_the_previous_cycle_at_cycle_2_day_1(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, DAY1)
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    remission_after_cycle_1(subject, nurse, DAY1 + dt.timedelta(days=20), in_remission=True)
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=2, day=1, administered_on=DAY1 + dt.timedelta(days=28)
        )
    assert "pretreatment_anc" in caught.value.message_dict["administered_on"][0]


def test_it_refuses_cycle_2_before_the_response_after_cycle_1_is_recorded(subject, nurse):
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=2, day=1, administered_on=DAY1 + dt.timedelta(days=28)
        )
    assert "No response assessment after cycle 1" in caught.value.message_dict["cycle"][0]
    assert not InoAdministration.objects.exists()


def test_it_refuses_a_dose_far_from_the_computed_one_without_a_reason(subject, nurse):
    # 1.60 mg vs 1.36 mg: 17.6% > the protocol's 10% (ino_product.toml, HOPA)
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=1, day=1, administered_on=DAY1, dispensed_mg="1.60"
        )
    assert "17.6%" in caught.value.message_dict["dose_difference_reason"][0]
    assert not InoAdministration.objects.exists()


def test_it_accepts_a_dose_far_from_the_computed_one_with_a_reason(subject, nurse):
    dose = record_ino_administration(
        subject, nurse, cycle=1, day=1, administered_on=DAY1, dispensed_mg="1.60",
        dose_difference_reason="Rounded up to the vial per pharmacy policy",
    )  # fmt: skip
    assert dose.dispensed_mg == Decimal("1.600")
    assert dose.calculated_mg == Decimal("1.360")
    assert dose.volume_ml == Decimal("6.40")  # 1.60 mg at 0.25 mg/mL


def test_it_accepts_a_dose_within_the_tolerance_without_a_reason(subject, nurse):
    # 1.49 mg vs 1.36 mg: 9.6%, inside 10%
    dose = record_ino_administration(
        subject, nurse, cycle=1, day=1, administered_on=DAY1, dispensed_mg="1.49"
    )
    assert dose.dispensed_mg == Decimal("1.490")


def test_it_refuses_an_administration_before_consent(nurse):
    subject = enrolled_subject(nurse)
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=1, day=1, administered_on=dt.date(2026, 1, 2)
        )
    assert "before the informed consent" in caught.value.message_dict["administered_on"][0]


def test_it_refuses_an_administration_without_enrolment(nurse):
    subject = consented_subject(nurse)
    save_record(
        m.BodyMeasurement(
            subject=subject, measured_on=DAY1, height_cm=Decimal("170"), weight_kg=Decimal("65")
        ),
        nurse,
    )
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    assert "not enrolled" in caught.value.message_dict["administered_on"][0]


def test_it_refuses_an_administration_before_enrolment(nurse):
    subject = consented_subject(nurse)  # consent 2026-01-05
    save_record(
        m.EligibilityAssessment(
            subject=subject,
            assessed_on=dt.date(2026, 1, 9),
            answers=all_eligible_answers(),
            assessed_by="Dr Chen",
        ),
        nurse,
    )
    save_record(
        m.Enrolment(subject=subject, study_id=m.next_study_id(), enrolled_on=dt.date(2026, 1, 10)),
        nurse,
    )
    save_record(
        m.BodyMeasurement(
            subject=subject,
            measured_on=dt.date(2026, 1, 6),
            height_cm=Decimal("170"),
            weight_kg=Decimal("65"),
        ),
        nurse,
    )
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=1, day=1, administered_on=dt.date(2026, 1, 7)
        )
    assert "before enrolment (2026-01-10)" in caught.value.message_dict["administered_on"][0]


def test_it_refuses_a_height_out_of_range(subject, nurse):
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=1, day=1, administered_on=DAY1, height_cm="300"
        )
    assert "30-250" in caught.value.message_dict["height_cm"][0]


def test_it_refuses_a_day_that_is_not_a_dose_day(subject, nurse):
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(subject, nurse, cycle=1, day=3, administered_on=DAY1)
    assert "days 1, 8, 15" in caught.value.message_dict["day"][0]


def test_it_holds_while_bilirubin_and_ast_exceed_the_label_limits(subject, nurse):
    # bilirubin 40 umol/L = 1.9 x ULN 21 (> 1.5) and AST 110 U/L = 2.75 x ULN 40 (> 2.5)
    liver_tests(subject, nurse, DAY1, bilirubin=(40.0, 3.0, 21.0), ast=(110.0, 10.0, 40.0))
    held = record_ino_administration(
        subject, nurse, cycle=1, day=1, administered_on=DAY1, status="held"
    )
    assert held.decision == "hold"
    assert "INO-MOD" in held.decision_reasons or "bilirubin" in held.decision_reasons
    assert held.dispensed_mg is None
    assert held.decision_labs_on == DAY1


def test_it_gives_when_only_bilirubin_exceeds_its_limit(subject, nurse):
    # the label's trigger is bilirubin AND AST/ALT: bilirubin alone does not hold
    liver_tests(subject, nurse, DAY1, bilirubin=(40.0, 3.0, 21.0))
    dose = record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    assert dose.decision == "give"


def test_it_needs_a_reason_to_give_a_dose_the_protocol_holds(subject, nurse):
    liver_tests(subject, nurse, DAY1, bilirubin=(40.0, 3.0, 21.0), ast=(110.0, 10.0, 40.0))
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    assert "'hold'" in caught.value.message_dict["decision_override_reason"][0]
    dose = record_ino_administration(
        subject, nurse, cycle=1, day=1, administered_on=DAY1,
        decision_override_reason="Gilbert's syndrome confirmed by the investigator",
    )  # fmt: skip
    assert dose.decision == "hold"
    assert dose.status == "given"


def test_it_holds_without_any_liver_tests(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    held = record_ino_administration(
        subject, nurse, cycle=1, day=1, administered_on=DAY1, status="held"
    )
    assert held.decision == "hold"


def test_it_discontinues_after_vod_sos(subject, nurse):
    from inodli.edc.safety.services import record_adverse_event

    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    record_adverse_event(
        subject, nurse, term="Sinusoidal obstruction syndrome", started_on=DAY1 + dt.timedelta(days=5),
        grade=3, relationship_ino="probable", serious=("hospitalisation",),
    )  # fmt: skip
    stopped = record_ino_administration(
        subject,
        nurse,
        cycle=1,
        day=8,
        administered_on=DAY1 + dt.timedelta(days=7),
        status="discontinued",
    )
    assert stopped.decision == "discontinue"


def test_it_writes_an_audit_event_with_the_computed_dose(subject, nurse):
    dose = record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    event = AuditEvent.objects.get(
        model_label="treatment.inoadministration", object_pk=str(dose.pk)
    )
    assert event.action == "create"
    assert event.changes["calculated_mg"] == [None, "1.360"]
    assert event.subject_id == subject.pk


def test_it_recomputes_a_typed_calculated_dose_on_change(subject, nurse):
    dose = record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    dose.calculated_mg = Decimal("9.999")  # never typed by hand: recomputed on save
    dose.weight_kg = Decimal("72.3")
    save_record(dose, nurse, reason="Weight re-measured on the day")
    dose.refresh_from_db()
    assert dose.calculated_mg == Decimal("1.480")
    assert dose.version == 2


# Windows (label Table 1 footnote): "Doses on days 8 and 15 may be varied by plus or minus 2
# days (maintain a minimum of 6 days between doses)"; cycle 1 is 21 days.


def on_cycle_day(n: int) -> dt.date:
    return DAY1 + dt.timedelta(days=n - 1)


def test_it_accepts_day_8_two_days_late(subject, nurse):
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    dose = record_ino_administration(
        subject, nurse, cycle=1, day=8, administered_on=on_cycle_day(10)
    )
    assert dose.schedule_deviations == ""


def test_it_needs_a_reason_for_day_8_outside_its_window(subject, nurse):
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(subject, nurse, cycle=1, day=8, administered_on=on_cycle_day(11))
    assert (
        "outside the day-8 window 6-10" in caught.value.message_dict["schedule_deviation_reason"][0]
    )
    dose = record_ino_administration(
        subject, nurse, cycle=1, day=8, administered_on=on_cycle_day(11),
        schedule_deviation_reason="Patient admitted elsewhere on day 10",
    )  # fmt: skip
    assert "day-8 window" in dose.schedule_deviations


def test_it_needs_a_reason_for_doses_less_than_6_days_apart(subject, nurse):
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    record_ino_administration(subject, nurse, cycle=1, day=8, administered_on=on_cycle_day(10))
    with pytest.raises(ValidationError) as caught:
        # day 14 is inside the day-15 window 13-17 but only 4 days after day 10
        record_ino_administration(subject, nurse, cycle=1, day=15, administered_on=on_cycle_day(14))
    assert "minimum 6" in caught.value.message_dict["schedule_deviation_reason"][0]


def test_it_needs_a_reason_for_cycle_2_before_cycle_1_has_run_21_days(subject, nurse):
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=DAY1)
    remission_after_cycle_1(subject, nurse, on_cycle_day(15), in_remission=True)
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(subject, nurse, cycle=2, day=1, administered_on=on_cycle_day(21))
    assert "2026-01-27" in caught.value.message_dict["schedule_deviation_reason"][0]  # DAY1 + 21
