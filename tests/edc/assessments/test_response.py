"""Response assessments classified from the recorded marrow, counts and extramedullary status.

Expected categories are the trial record's definitions: CR = BM lymphoblasts <=5%, no active
disease, platelets >100 and ANC >1 x 10^9/L; CRi = blasts <=5%, platelets >50 and ANC >0.5;
<=5% blasts below the CRi counts is not a response (MLFS, clinical-facts.md section 0). MRD
negative = <0.01% with an assay at least that sensitive (INO-VATE; ASH-SAP MRD CR).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.assessments.models import ResponseAssessment
from inodli.edc.assessments.services import record_extramedullary, record_marrow, record_response
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import blood_count

ON = dt.date(2026, 1, 27)


def assessment(subject, user, *, blasts, anc, platelets, pb_blasts=0.0, emd="none", **response):
    record_marrow(
        subject, user, sampled_on=ON, blast_pct=blasts, mrd_level_pct=0.0, mrd_sensitivity_pct=0.01
    )
    blood_count(subject, user, ON, anc=anc, platelets=platelets, pb_blasts_pct=pb_blasts)
    if emd is not None:
        record_extramedullary(
            subject,
            user,
            assessed_on=ON,
            method="clinical",
            status=emd,
            sites="" if emd == "none" else "mediastinum",
        )
    return record_response(subject, user, assessed_on=ON, after_cycle=1, **response)


@pytest.mark.parametrize(
    ("blasts", "anc", "platelets", "expected"),
    [
        (3.0, 1.5, 150.0, "CR"),
        (5.0, 1.01, 100.1, "CR"),  # blasts exactly 5% is within "<=5%"
        (5.0, 1.2, 100.0, "CRi"),  # platelets exactly 100 is not ">100"
        (3.0, 1.0, 150.0, "CRi"),  # ANC exactly 1.0 is not ">1"
        (3.0, 0.8, 80.0, "CRi"),
        (3.0, 0.4, 40.0, "MLFS"),  # below the CRi floor (platelets >50, ANC >0.5)
        (3.0, 0.8, 50.0, "MLFS"),  # platelets exactly 50 is not ">50"
    ],
)
def test_it_classifies_by_the_trial_record(nurse, blasts, anc, platelets, expected):
    response = assessment(
        enrolled_subject(nurse), nurse, blasts=blasts, anc=anc, platelets=platelets
    )
    assert response.computed_category == expected
    assert response.investigator_category == expected  # empty = confirmed
    assert response.is_override is False


def test_it_is_not_a_response_with_blasts_above_5_percent(nurse):
    response = assessment(enrolled_subject(nurse), nurse, blasts=5.1, anc=1.5, platelets=150.0)
    assert response.computed_category not in ("CR", "CRi")


def test_it_is_not_a_response_with_blasts_in_blood(nurse):
    response = assessment(
        enrolled_subject(nurse), nurse, blasts=3.0, anc=1.5, platelets=150.0, pb_blasts=2.0
    )
    assert response.computed_category not in ("CR", "CRi")
    assert response.blood_blasts_present is True


def test_it_never_assumes_absent_extramedullary_disease(nurse):
    # no extramedullary assessment and no baseline relapse record: EMD unknown
    response = assessment(
        enrolled_subject(nurse), nurse, blasts=3.0, anc=1.5, platelets=150.0, emd=None
    )
    assert response.computed_category == "not evaluable"
    assert "missing" in response.computed_detail


def test_it_keeps_the_inputs_it_used(nurse):
    response = assessment(enrolled_subject(nurse), nurse, blasts=3.0, anc=1.5, platelets=150.0)
    assert (response.marrow_blast_pct, response.anc, response.platelets) == (3.0, 1.5, 150.0)
    assert response.labs_on == ON
    assert response.extramedullary_status == "none"


def test_it_needs_a_reason_to_override_the_computed_category(nurse):
    subject = enrolled_subject(nurse)
    with pytest.raises(ValidationError) as caught:
        assessment(
            subject, nurse, blasts=3.0, anc=1.5, platelets=150.0, investigator_category="CRi"
        )
    assert "classifies these values as CR" in caught.value.message_dict["override_reason"][0]
    assert not ResponseAssessment.objects.exists()


def test_it_stores_both_categories_when_overridden_with_a_reason(nurse):
    response = assessment(
        enrolled_subject(nurse), nurse, blasts=3.0, anc=1.5, platelets=150.0,
        investigator_category="CRi", override_reason="Platelet count supported by transfusion",
    )  # fmt: skip
    assert (response.computed_category, response.investigator_category) == ("CR", "CRi")
    assert response.is_override is True


def test_it_refuses_an_unknown_category(nurse):
    with pytest.raises(ValidationError) as caught:
        assessment(enrolled_subject(nurse), nurse, blasts=3.0, anc=1.5, platelets=150.0,
                   investigator_category="PR", override_reason="x")  # fmt: skip
    assert "investigator_category" in caught.value.message_dict


@pytest.mark.parametrize(
    ("level", "sensitivity", "expected"),
    [
        (0.0, 0.001, "negative"),  # undetected with a 1e-5 assay
        (0.005, 0.001, "negative"),  # 0.005% < 0.01%
        (0.01, 0.001, "positive"),  # 0.01% is not "<0.01%"
        (0.0, 0.1, "indeterminate (assay not sensitive enough)"),
    ],
)
def test_it_classifies_mrd_with_the_assay_sensitivity(nurse, level, sensitivity, expected):
    marrow = record_marrow(
        enrolled_subject(nurse),
        nurse,
        sampled_on=ON,
        blast_pct=1.0,
        mrd_level_pct=level,
        mrd_sensitivity_pct=sensitivity,
    )
    assert marrow.mrd_status == expected


def test_it_needs_the_sensitivity_of_an_mrd_result(nurse):
    with pytest.raises(ValidationError) as caught:
        record_marrow(
            enrolled_subject(nurse), nurse, sampled_on=ON, blast_pct=1.0, mrd_level_pct=0.0
        )
    assert "mrd_sensitivity_pct" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"), [("blast_pct", 101.0), ("blast_pct", -1.0), ("cellularity_pct", 120.0)]
)
def test_it_refuses_percentages_out_of_range(nurse, field, value):
    kwargs = {"blast_pct": 1.0, "cellularity_pct": 50.0, field: value}
    with pytest.raises(ValidationError) as caught:
        record_marrow(
            enrolled_subject(nurse), nurse, sampled_on=ON, mrd_method="not_done", **kwargs
        )
    assert field in caught.value.message_dict
