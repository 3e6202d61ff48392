"""The treatment forms' cross-field rules, tested without HTTP or a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.treatment.dosing import dose_tolerance
from inodli.edc.treatment.validators import (
    AfterEnrolmentValidator,
    DecisionOverrideValidator,
    DliOverrideValidator,
    DoseDifferenceValidator,
    IntrathecalDoseValidator,
)

TEN_PERCENT = DoseDifferenceValidator(Decimal("0.10"))


def test_it_reads_the_protocol_tolerance_of_10_percent():
    # rules/ino_product.toml [dispensing] max_deviation_percent = 10 (HOPA position statement)
    assert dose_tolerance() == Decimal("0.10")


@pytest.mark.parametrize("dispensed", ["1.36", "1.49", "1.496", "1.224"])
def test_it_accepts_a_dose_within_10_percent_without_a_reason(dispensed):
    # 1.496 = 1.36 x 1.10 and 1.224 = 1.36 x 0.90: exactly 10% is within ("more than" needs one)
    TEN_PERCENT(Decimal("1.36"), Decimal(dispensed), "")


@pytest.mark.parametrize("dispensed", ["1.497", "1.223", "1.80"])
def test_it_asks_a_reason_beyond_10_percent(dispensed):
    with pytest.raises(ValidationError) as caught:
        TEN_PERCENT(Decimal("1.36"), Decimal(dispensed), "  ")
    assert "dose_difference_reason" in caught.value.message_dict


def test_it_accepts_a_dose_beyond_10_percent_with_a_reason():
    TEN_PERCENT(Decimal("1.36"), Decimal("1.80"), "vial rounding")


def test_it_refuses_a_dispensed_dose_of_zero():
    with pytest.raises(ValidationError) as caught:
        TEN_PERCENT(Decimal("1.36"), Decimal("0"), "reason")
    assert "dispensed_mg" in caught.value.message_dict


def test_it_refuses_treatment_before_enrolment():
    check = AfterEnrolmentValidator("administered_on")
    check(dt.date(2026, 1, 10), dt.date(2026, 1, 10))  # the day of enrolment is allowed
    with pytest.raises(ValidationError) as caught:
        check(dt.date(2026, 1, 10), dt.date(2026, 1, 9))
    assert "before enrolment" in caught.value.message_dict["administered_on"][0]
    with pytest.raises(ValidationError):
        check(None, dt.date(2026, 1, 9))


@pytest.mark.parametrize("decision", ["hold", "discontinue"])
def test_it_needs_a_reason_to_give_against_the_decision(decision):
    with pytest.raises(ValidationError) as caught:
        DecisionOverrideValidator()(decision, True, "")
    assert "decision_override_reason" in caught.value.message_dict
    DecisionOverrideValidator()(decision, False, "")  # held: no reason needed
    DecisionOverrideValidator()(decision, True, "investigator's decision")


def test_it_needs_the_override_and_a_reason_for_dli_while_not_eligible():
    failed = ("HLA-loss test missing",)
    with pytest.raises(ValidationError) as caught:
        DliOverrideValidator()(False, failed, False, "")
    assert "HLA-loss test missing" in caught.value.message_dict["override"][0]
    with pytest.raises(ValidationError) as caught:
        DliOverrideValidator()(False, failed, True, "")
    assert "override_reason" in caught.value.message_dict
    DliOverrideValidator()(False, failed, True, "compassionate decision of the steering committee")
    DliOverrideValidator()(True, (), False, "")


def test_it_needs_a_reason_for_intrathecal_doses_other_than_the_protocol():
    check = IntrathecalDoseValidator({"cytarabine": Decimal(50), "methotrexate": Decimal(10)})
    check({"cytarabine": Decimal("50.0"), "methotrexate": Decimal("10")}, "")
    with pytest.raises(ValidationError) as caught:
        check({"cytarabine": Decimal("30"), "methotrexate": Decimal("10")}, "")
    assert "cytarabine" in caught.value.message_dict["dose_difference_reason"][0]
