"""DLI: eligibility from the recorded GVHD history and HLA-loss test, dose and volume.

Expected values: the trial record's indication ("no previous grade III-IV aGVHD, negative
HLALOSS test and no present aGVHD and cGVHD") and dose ("CD3 positive cells 1x10^7/kg");
volume = cells / (CD3+ per mL), clinical-facts.md section 6: 1e7 x 60 kg = 6.0e8 cells, at
5.0e7 per mL = 12 mL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.core.services import save_record
from inodli.edc.safety.services import record_acute_gvhd, record_chronic_gvhd
from inodli.edc.subjects import models as m
from inodli.edc.treatment.dli import eligibility_on
from inodli.edc.treatment.models import DliInfusion
from inodli.edc.treatment.services import record_dli_infusion, record_hla_loss_test
from tests.edc.factories import enrolled_subject

ON = dt.date(2026, 3, 2)


def transplant(subject, user, worst_grade: int) -> None:
    save_record(
        m.TransplantHistory(
            subject=subject, transplant_date=dt.date(2025, 3, 1), donor_type="HAPLO", hla_matched=5,
            hla_typed=10, conditioning_intensity="MAC", conditioning_regimen="BuCy",
            worst_prior_acute_gvhd_grade=worst_grade, prior_chronic_gvhd="none",
        ),
        user,
    )  # fmt: skip


def no_gvhd_now(subject, user, on=ON) -> None:
    record_acute_gvhd(
        subject,
        user,
        assessed_on=on,
        skin_erythema_bsa_pct=0,
        bilirubin=10,
        weight_kg="60",
        stool_ml_per_day=0,
    )
    record_chronic_gvhd(subject, user, assessed_on=on, scores={})


@pytest.fixture
def eligible_subject(nurse):
    subject = enrolled_subject(nurse, height_cm="165.0", weight_kg="60.0")
    transplant(subject, nurse, worst_grade=2)
    record_hla_loss_test(subject, nurse, sampled_on=dt.date(2026, 2, 20), result="no_loss")
    no_gvhd_now(subject, nurse)
    return subject


def test_it_gives_the_protocol_dose_and_volume_when_eligible(eligible_subject, nurse):
    infusion = record_dli_infusion(eligible_subject, nurse, infused_on=ON, product_cd3_per_ml=5.0e7)
    assert infusion.eligible is True
    assert infusion.flagged is False
    assert infusion.weight_kg == Decimal("60.0")
    assert infusion.target_cd3_per_kg == pytest.approx(1.0e7, rel=0, abs=0)
    assert infusion.computed_cd3_cells == pytest.approx(6.0e8, rel=1e-12)
    assert infusion.computed_volume_ml == pytest.approx(12.0, abs=1e-9)
    assert infusion.volume_infused_ml == pytest.approx(12.0, abs=1e-9)
    assert infusion.hla_loss_test is not None


def test_it_refuses_dli_after_hla_loss_without_an_override(eligible_subject, nurse):
    record_hla_loss_test(eligible_subject, nurse, sampled_on=dt.date(2026, 2, 25), result="loss")
    with pytest.raises(ValidationError) as caught:
        record_dli_infusion(eligible_subject, nurse, infused_on=ON, product_cd3_per_ml=5.0e7)
    assert "HLA loss detected" in caught.value.message_dict["override"][0]
    with pytest.raises(ValidationError) as caught:
        record_dli_infusion(
            eligible_subject, nurse, infused_on=ON, product_cd3_per_ml=5.0e7, override=True
        )
    assert "override_reason" in caught.value.message_dict
    assert not DliInfusion.objects.exists()


def test_it_records_and_flags_an_override_with_a_reason(eligible_subject, nurse):
    record_hla_loss_test(eligible_subject, nurse, sampled_on=dt.date(2026, 2, 25), result="loss")
    infusion = record_dli_infusion(
        eligible_subject, nurse, infused_on=ON, product_cd3_per_ml=5.0e7, override=True,
        override_reason="Steering committee decision 2026-02-28",
    )  # fmt: skip
    assert infusion.eligible is False
    assert infusion.flagged is True
    assert "HLA loss detected" in infusion.eligibility_reasons


def test_it_is_not_eligible_without_an_hla_loss_test(nurse):
    subject = enrolled_subject(nurse)
    transplant(subject, nurse, worst_grade=0)
    no_gvhd_now(subject, nurse)
    _inputs, result = eligibility_on(subject, ON)
    assert result.eligible is False
    assert [c.explanation for c in result.failed] == ["HLA-loss test missing"]


def test_it_is_not_eligible_after_prior_grade_3_acute_gvhd(nurse):
    subject = enrolled_subject(nurse)
    transplant(subject, nurse, worst_grade=3)
    record_hla_loss_test(subject, nurse, sampled_on=ON, result="no_loss")
    no_gvhd_now(subject, nurse)
    _inputs, result = eligibility_on(subject, ON)
    assert result.eligible is False
    assert "prior grade III-IV acute GVHD present" in [c.explanation for c in result.failed]


def test_it_counts_grade_3_acute_gvhd_on_study_as_prior(eligible_subject, nurse):
    # lower GI 1200 mL/day in an adult: MAGIC stage 2 -> overall grade III (Harris 2016)
    record_acute_gvhd(
        eligible_subject, nurse, assessed_on=dt.date(2026, 2, 10), skin_erythema_bsa_pct=0,
        bilirubin=10, weight_kg="60", stool_ml_per_day=1200,
    )  # fmt: skip
    inputs, result = eligibility_on(eligible_subject, ON)
    assert inputs.prior_grade_3_4_agvhd is True
    assert inputs.active_agvhd is False  # resolved at the latest assessment (ON)
    assert result.eligible is False


def test_it_is_not_eligible_with_active_chronic_gvhd(eligible_subject, nurse):
    record_chronic_gvhd(eligible_subject, nurse, assessed_on=ON, scores={"skin": 1, "mouth": 1})
    inputs, result = eligibility_on(eligible_subject, ON)
    assert inputs.active_cgvhd is True
    assert result.eligible is False


def test_it_is_not_eligible_while_gvhd_was_never_assessed(nurse):
    subject = enrolled_subject(nurse)
    transplant(subject, nurse, worst_grade=0)
    record_hla_loss_test(subject, nurse, sampled_on=ON, result="no_loss")
    _inputs, result = eligibility_on(subject, ON)
    assert result.eligible is False
    assert len(result.failed) == 2  # active aGVHD and cGVHD unknown


def test_it_refuses_an_implausible_product_concentration(eligible_subject, nurse):
    with pytest.raises(ValidationError) as caught:
        record_dli_infusion(eligible_subject, nurse, infused_on=ON, product_cd3_per_ml=5.0)
    assert "product_cd3_per_ml" in caught.value.message_dict


def test_it_refuses_dli_before_enrolment(eligible_subject, nurse):
    with pytest.raises(ValidationError) as caught:
        record_dli_infusion(
            eligible_subject, nurse, infused_on=dt.date(2026, 1, 1), product_cd3_per_ml=5.0e7
        )
    assert "infused_on" in caught.value.message_dict
