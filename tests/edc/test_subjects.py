"""Subjects: consent first, the eligibility checklist, enrolment IDs, baseline plausibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inodli.edc.core.services import save_record
from inodli.edc.subjects import models as m
from inodli.edc.subjects.eligibility import CRITERIA, evaluate
from inodli.edc.subjects.forms import EligibilityForm, EnrolmentForm
from tests.edc.factories import (
    CONSENT_DATE,
    all_eligible_answers,
    consented_subject,
    enrolled_subject,
    registered_subject,
)
from tests.edc.personas import PersonaTest

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def test_it_declares_every_criterion_with_a_source():
    assert len({c.code for c in CRITERIA}) == len(CRITERIA)
    assert all(c.source.strip() and c.kind in {"inclusion", "exclusion"} for c in CRITERIA)


def test_it_is_eligible_only_when_inclusions_are_yes_and_exclusions_no():
    assert evaluate(all_eligible_answers()).eligible
    answers = all_eligible_answers() | {"INC03": "no"}
    result = evaluate(answers)
    assert not result.eligible
    assert [c.code for c in result.failed] == ["INC03"]
    unknown = evaluate(all_eligible_answers() | {"EXC01": "unknown"})
    assert not unknown.eligible
    assert [c.code for c in unknown.unanswered] == ["EXC01"]


def test_it_refuses_any_study_record_before_consent_is_recorded(nurse):
    subject = registered_subject(nurse)
    body = m.BodyMeasurement(
        subject=subject, measured_on=CONSENT_DATE, height_cm=Decimal(170), weight_kg=Decimal(65)
    )
    with pytest.raises(ValidationError) as caught:
        save_record(body, nurse)
    assert "record consent first" in caught.value.message_dict["measured_on"][0]


def test_it_refuses_a_procedure_dated_before_consent(nurse):
    subject = consented_subject(nurse)
    body = m.BodyMeasurement(
        subject=subject,
        measured_on=CONSENT_DATE - DAY,
        height_cm=Decimal(170),
        weight_kg=Decimal(65),
    )
    with pytest.raises(ValidationError) as caught:
        save_record(body, nurse)
    assert "before the informed consent (2026-01-05)" in caught.value.message_dict["measured_on"][0]


def test_it_refuses_moving_consent_after_a_recorded_procedure(nurse):
    subject = enrolled_subject(nurse)  # height and weight measured on the consent date
    consent = m.Consent.objects.get(subject=subject)
    consent.consent_date = CONSENT_DATE + 3 * DAY
    with pytest.raises(ValidationError) as caught:
        save_record(consent, nurse, reason="date typo")
    assert "before this consent date" in caught.value.message_dict["consent_date"][0]
    assert m.Consent.objects.get(pk=consent.pk).consent_date == CONSENT_DATE


def test_it_accepts_history_dated_before_consent(nurse):
    subject = consented_subject(nurse)
    transplant = m.TransplantHistory(
        subject=subject,
        transplant_date=dt.date(2024, 6, 1),
        donor_type="HAPLO",
        hla_matched=5,
        hla_typed=10,
        conditioning_intensity="MAC",
        conditioning_regimen="Bu/Cy/ATG",
        worst_prior_acute_gvhd_grade=1,
        prior_chronic_gvhd="none",
    )
    assert save_record(transplant, nurse) is not None


def test_it_refuses_a_duplicate_study_id_with_the_other_subject_named(nurse):
    enrolled_subject(nurse, study_id="INODLI-001")
    second = consented_subject(nurse, initials="XYZ")
    save_record(
        m.EligibilityAssessment(
            subject=second,
            assessed_on=CONSENT_DATE,
            answers=all_eligible_answers(),
            assessed_by="Dr Li",
        ),
        nurse,
    )
    form = EnrolmentForm({"study_id": "inodli-001", "enrolled_on": "2026-01-05"}, subject=second)
    assert not form.commit(nurse)
    assert (
        "INODLI-001 is already the study ID of the subject screened as SCR-001"
        in form.errors["study_id"][0]
    )
    assert m.Enrolment.objects.count() == 1


def test_it_proposes_the_next_study_id(nurse):
    enrolled_subject(nurse)
    enrolled_subject(nurse)
    assert m.next_study_id() == "INODLI-003"
    form = EnrolmentForm(subject=consented_subject(nurse))
    assert form.initial["study_id"] == "INODLI-003"


@pytest.mark.parametrize("bad", ["INODLI-1", "INODLI-0001", "SUBJ-001"])
def test_it_refuses_a_malformed_study_id(nurse, bad):
    subject = consented_subject(nurse)
    form = EnrolmentForm({"study_id": bad, "enrolled_on": "2026-01-05"}, subject=subject)
    assert not form.commit(nurse)
    assert "study_id" in form.errors


def test_it_refuses_enrolment_of_an_ineligible_subject(nurse):
    subject = consented_subject(nurse)
    form = EligibilityForm(
        {"assessed_on": "2026-01-05", "assessed_by": "Dr Li"}
        | {f"criterion_{k}": v for k, v in (all_eligible_answers() | {"EXC01": "yes"}).items()},
        subject=subject,
    )
    assert form.commit(nurse)
    enrol = EnrolmentForm({"study_id": "INODLI-001", "enrolled_on": "2026-01-06"}, subject=subject)
    assert not enrol.commit(nurse)
    assert "not eligible: EXC01" in enrol.errors["enrolled_on"][0]
    assert not m.Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [("height_cm", "900", "30-250"), ("weight_kg", "0.5", "kg")],
)
def test_it_refuses_implausible_height_and_weight_with_the_protocol_range(
    nurse, field, value, expected
):
    subject = consented_subject(nurse)
    values = {"measured_on": CONSENT_DATE, "height_cm": Decimal(170), "weight_kg": Decimal(65)} | {
        field: Decimal(value)
    }
    with pytest.raises(ValidationError) as caught:
        save_record(m.BodyMeasurement(subject=subject, **values), nurse)
    assert expected in caught.value.message_dict[field][0]


def test_it_refuses_a_relapse_before_the_transplant(nurse):
    subject = consented_subject(nurse)
    save_record(
        m.TransplantHistory(
            subject=subject,
            transplant_date=dt.date(2025, 3, 1),
            donor_type="MSD",
            hla_matched=10,
            hla_typed=10,
            conditioning_intensity="RIC",
            conditioning_regimen="Flu/Bu",
            worst_prior_acute_gvhd_grade=0,
            prior_chronic_gvhd="none",
        ),
        nurse,
    )
    relapse = m.PostTransplantRelapse(
        subject=subject,
        relapse_date=dt.date(2025, 2, 1),
        marrow_blasts_percent=Decimal(40),
        cns_status="CNS1",
    )
    with pytest.raises(ValidationError) as caught:
        save_record(relapse, nurse)
    assert "after the transplant (2025-03-01)" in caught.value.message_dict["relapse_date"][0]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"marrow_blasts_percent": Decimal(120)}, "marrow_blasts_percent"),
        ({"extramedullary": True}, "extramedullary_sites"),
        ({"mrd_percent": Decimal("0.5")}, "mrd_method"),
    ],
)
def test_it_checks_the_relapse_record(nurse, values, field):
    subject = consented_subject(nurse)
    base = {
        "relapse_date": dt.date(2025, 12, 1),
        "marrow_blasts_percent": Decimal(40),
        "cns_status": "CNS1",
    }
    with pytest.raises(ValidationError) as caught:
        save_record(m.PostTransplantRelapse(subject=subject, **(base | values)), nurse)
    assert field in caught.value.message_dict


def test_it_refuses_more_hla_alleles_matched_than_typed(nurse):
    subject = consented_subject(nurse)
    record = m.TransplantHistory(
        subject=subject,
        transplant_date=dt.date(2025, 3, 1),
        donor_type="MSD",
        hla_matched=11,
        hla_typed=10,
        conditioning_intensity="RIC",
        conditioning_regimen="Flu/Bu",
        worst_prior_acute_gvhd_grade=0,
        prior_chronic_gvhd="none",
    )
    with pytest.raises(ValidationError) as caught:
        save_record(record, nurse)
    assert "hla_matched" in caught.value.message_dict


def test_it_refuses_a_prior_therapy_that_ends_before_it_starts(nurse):
    subject = consented_subject(nurse)
    record = m.PriorTherapy(
        subject=subject,
        line_number=1,
        regimen="hyper-CVAD",
        started_on=dt.date(2024, 1, 10),
        ended_on=dt.date(2023, 12, 1),
        best_response="CR",
    )
    with pytest.raises(ValidationError) as caught:
        save_record(record, nurse)
    assert "before the start date (2024-01-10)" in caught.value.message_dict["ended_on"][0]


def test_it_keeps_going_off_study_as_rows_with_the_latest_current(nurse):
    subject = enrolled_subject(nurse)
    save_record(
        m.StudyStatusChange(
            subject=subject, effective_on=dt.date(2026, 4, 1), status="off_treatment"
        ),
        nurse,
    )
    save_record(
        m.StudyStatusChange(
            subject=subject, effective_on=dt.date(2026, 9, 1), status="consent_withdrawn"
        ),
        nurse,
    )
    current = subject.current_status()
    assert current is not None
    assert current.status == "consent_withdrawn"
    assert m.StudyStatusChange.objects.filter(subject=subject).count() == 2


class TestScreeningOverHttp(PersonaTest):
    def test_it_registers_consents_checks_and_enrols_a_patient(self, client):
        client.force_login(self.nurse)
        response = client.post(
            reverse("subjects:register"), {"initials": "zwl", "registered_on": "2026-02-01"}
        )
        subject = m.Subject.objects.get()
        assert response.status_code == 302
        assert (subject.initials, subject.screening_number) == ("ZWL", "SCR-001")
        new = lambda code: reverse("subjects:form-new", args=[subject.pk, code])  # noqa: E731
        assert (
            client.post(
                new("CONSENT"),
                {"consent_date": "2026-02-01", "consent_version": "1.0", "obtained_by": "Dr Li"},
            ).status_code
            == 302
        )
        answers = {f"criterion_{k}": v for k, v in all_eligible_answers().items()}
        assert (
            client.post(
                new("ELIGIBILITY"), {"assessed_on": "2026-02-02", "assessed_by": "Dr Li"} | answers
            ).status_code
            == 302
        )
        page = client.get(new("ENROLMENT")).content.decode()
        assert 'value="INODLI-001"' in page
        assert (
            client.post(
                new("ENROLMENT"), {"study_id": "INODLI-001", "enrolled_on": "2026-02-03"}
            ).status_code
            == 302
        )
        assert subject.study_id == "INODLI-001"
        assert "INODLI-001" in client.get(reverse("visits:dashboard")).content.decode()

    def test_it_opens_the_existing_record_of_a_one_per_subject_form(self, client):
        subject = enrolled_subject(self.nurse)
        client.force_login(self.nurse)
        response = client.get(reverse("subjects:form-new", args=[subject.pk, "ENROLMENT"]))
        assert response.status_code == 302
        assert "/forms/ENROLMENT/" in response["Location"]
