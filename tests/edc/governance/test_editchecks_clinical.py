"""The edit checks that re-decide a clinical rule from the recorded data: DLI eligibility,
response category and AE grade vs the labs. Each opens a query when the data disagree with the
protocol's rule and stays quiet when they agree.

Expected outcomes:
- DLI (trial record, indication): "no previous grade III-IV aGVHD, negative HLALOSS test and no
  present aGVHD and cGVHD"; an HLA-loss result makes the subject not eligible.
- Response (trial record): CR is marrow blasts <=5%, platelets >100 and ANC >1 x 10^9/L; marrow
  blasts of 30% are not CR.
- AE grade (CTCAE v5.0, clinical-facts.md section 2): ALT >5.0-20.0 x ULN is grade 3; 210 U/L
  with ULN 40 U/L is 5.25 x ULN.
"""

from __future__ import annotations

import datetime as dt

from inodli.edc.assessments.models import BoneMarrowAssessment
from inodli.edc.assessments.services import record_labs
from inodli.edc.core.services import save_record
from inodli.edc.governance.editchecks import run_batch
from inodli.edc.governance.models import Query
from inodli.edc.safety.services import (
    record_acute_gvhd,
    record_adverse_event,
    record_chronic_gvhd,
)
from inodli.edc.subjects import models as m
from inodli.edc.treatment.services import record_dli_infusion, record_hla_loss_test
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest
from tests.edc.treatment.builders import remission_after_cycle_1

DLI_ON = dt.date(2026, 3, 2)
ALT_TERM = "Alanine aminotransferase increased"


def dli_eligible_subject(user):
    """Worst prior aGVHD grade II, no HLA loss, no aGVHD or cGVHD at the DLI date: eligible."""
    subject = enrolled_subject(user, height_cm="165.0", weight_kg="60.0")
    save_record(
        m.TransplantHistory(
            subject=subject, transplant_date=dt.date(2025, 3, 1), donor_type="HAPLO", hla_matched=5,
            hla_typed=10, conditioning_intensity="MAC", conditioning_regimen="BuCy",
            worst_prior_acute_gvhd_grade=2, prior_chronic_gvhd="none",
        ),
        user,
    )  # fmt: skip
    record_hla_loss_test(subject, user, sampled_on=dt.date(2026, 2, 20), result="no_loss")
    record_acute_gvhd(
        subject, user, assessed_on=DLI_ON, skin_erythema_bsa_pct=0, bilirubin=10,
        weight_kg="60", stool_ml_per_day=0,
    )  # fmt: skip
    record_chronic_gvhd(subject, user, assessed_on=DLI_ON, scores={})
    return subject


class TestDliNotEligible(PersonaTest):
    def test_it_queries_a_dli_once_a_late_hla_loss_result_makes_it_ineligible(self) -> None:
        subject = dli_eligible_subject(self.nurse)
        record_dli_infusion(subject, self.nurse, infused_on=DLI_ON, product_cd3_per_ml=5.0e7)
        assert not Query.objects.filter(check_code="DLI_NOT_ELIGIBLE").exists()
        # entered after the infusion, sampled before it: the subject was not eligible that day
        record_hla_loss_test(subject, self.nurse, sampled_on=dt.date(2026, 2, 25), result="loss")
        findings = run_batch(self.data_manager)
        assert [f.check for f in findings] == ["DLI_NOT_ELIGIBLE"]
        query = Query.objects.get(check_code="DLI_NOT_ELIGIBLE")
        assert query.assigned_role == "investigator"
        assert "HLA loss detected" in query.text

    def test_it_accepts_an_ineligible_dli_overridden_with_a_reason(self) -> None:
        subject = dli_eligible_subject(self.nurse)
        record_hla_loss_test(subject, self.nurse, sampled_on=dt.date(2026, 2, 25), result="loss")
        record_dli_infusion(
            subject, self.nurse, infused_on=DLI_ON, product_cd3_per_ml=5.0e7, override=True,
            override_reason="Steering committee decision 2026-02-28",
        )  # fmt: skip
        assert run_batch(self.data_manager) == []
        assert not Query.objects.filter(check_code="DLI_NOT_ELIGIBLE").exists()


class TestResponseValues(PersonaTest):
    def test_it_queries_a_cr_whose_marrow_blasts_are_corrected_to_30_percent(self) -> None:
        on = dt.date(2026, 2, 3)
        subject = enrolled_subject(self.nurse)
        response = remission_after_cycle_1(subject, self.nurse, on, in_remission=True)
        assert response.computed_category == "CR"
        assert run_batch(self.data_manager) == []
        marrow = BoneMarrowAssessment.objects.get(subject=subject)
        marrow.blast_pct = 30.0
        save_record(marrow, self.nurse, reason="blast count re-read by the pathologist")
        findings = run_batch(self.data_manager)
        assert [f.check for f in findings] == ["RESPONSE_VALUES"]
        query = Query.objects.get(check_code="RESPONSE_VALUES")
        assert query.assigned_role == "investigator"
        assert "but the form says CR" in query.text

    def test_the_check_leaves_the_checked_record_untouched(self) -> None:
        from inodli.edc.governance.editchecks import CHECKS

        on = dt.date(2026, 2, 3)
        subject = enrolled_subject(self.nurse)
        response = remission_after_cycle_1(subject, self.nurse, on, in_remission=True)
        cached_marrow = response.marrow  # loads Django's related-object cache
        marrow = BoneMarrowAssessment.objects.get(subject=subject)
        marrow.blast_pct = 30.0
        save_record(marrow, self.nurse, reason="blast count re-read by the pathologist")
        check = next(c for c in CHECKS if c.code == "RESPONSE_VALUES")
        before = {f.attname: getattr(response, f.attname) for f in response._meta.concrete_fields}
        assert check.evaluate(response) is not None
        after = {f.attname: getattr(response, f.attname) for f in response._meta.concrete_fields}
        assert after == before
        assert response.marrow is cached_marrow
        assert response.marrow.blast_pct != 30.0


class TestAeGradeAgainstLabs(PersonaTest):
    def test_it_queries_an_alt_grade_the_labs_do_not_give(self) -> None:
        on = dt.date(2026, 1, 10)
        subject = enrolled_subject(self.nurse)
        record_labs(subject, self.nurse, collected_on=on, results={"alt": (210.0, 7.0, 40.0)})
        record_adverse_event(
            subject, self.nurse, term=ALT_TERM, started_on=on, grade=2,
            relationship_ino="not_related",
        )  # fmt: skip
        query = Query.objects.get(check_code="AE_GRADE_LABS")
        assert query.assigned_role == "investigator"
        assert "Grade 2 recorded, but the labs give CTCAE grade 3" in query.text

    def test_it_accepts_the_alt_grade_the_labs_give(self) -> None:
        on = dt.date(2026, 1, 10)
        subject = enrolled_subject(self.nurse)
        record_labs(subject, self.nurse, collected_on=on, results={"alt": (210.0, 7.0, 40.0)})
        record_adverse_event(
            subject, self.nurse, term=ALT_TERM, started_on=on, grade=3,
            relationship_ino="not_related",
        )  # fmt: skip
        assert not Query.objects.filter(check_code="AE_GRADE_LABS").exists()
        assert run_batch(self.data_manager) == []
