"""Response and MRD classification.

Expected categories come from the trial record (NCT06861348, primary outcome: "CR ... BM
lymphoblasts <=5% ... platelet count >100x10^9/L, absolute neutrophil count >1x10^9/L; CRi
... platelet count >50x10^9/L and absolute neutrophil count >0.5x10^9/L"), the BESPONSA
label (CR: <5% blasts, platelets >=100, ANC >=1), BBMT 2010 Table 4a (progression: >=25%
increase or new extramedullary disease), the Chinese 2016 consensus (relapse: BM blasts
>=5%) and INO-VATE/ASH-SAP for MRD (<0.01% with an assay at least that sensitive).
"""

from __future__ import annotations

import doctest

import pytest

from inodli.errors import InputError
from inodli.protocol import mrd, response
from inodli.protocol._thresholds import Operator, Threshold
from inodli.protocol.mrd import MrdStatus, classify_mrd
from inodli.protocol.response import (
    ExtramedullaryStatus,
    ResponseCategory,
    classify_response,
    response_criteria,
)

CR = ResponseCategory.CR
CRI = ResponseCategory.CRI
MLFS = ResponseCategory.MLFS


def clean(**overrides):
    """An assessment without blood blasts or EMD; counts and blasts from overrides."""
    values = {
        "marrow_blasts_pct": 2.0,
        "anc": 2.0,
        "platelets": 150.0,
        "blood_blasts_present": False,
        "extramedullary_disease": "none",
    }
    values.update(overrides)
    return classify_response(**values)


# --- trial record boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("blasts", "expected"),
    [(5.0, CR), (4.99, CR), (5.01, ResponseCategory.REFRACTORY), (0.0, CR)],
)
def test_it_applies_the_trial_record_blast_limit_le_5(blasts, expected):
    # Trial record: "BM lymphoblasts<=5%": exactly 5% qualifies.
    assert clean(marrow_blasts_pct=blasts).category is expected


@pytest.mark.parametrize(
    ("platelets", "anc", "expected"),
    [
        (100.0, 2.0, CRI),  # "platelet count >100": 100 is not >100; >50 so CRi
        (100.1, 2.0, CR),
        (150.0, 1.0, CRI),  # "ANC >1": 1.0 is not >1
        (150.0, 1.01, CR),
        (50.0, 2.0, MLFS),  # CRi "platelet count >50": 50 fails the floor
        (50.1, 2.0, CRI),
        (150.0, 0.5, MLFS),  # CRi "ANC >0.5": 0.5 fails the floor
        (150.0, 0.51, CRI),
        (100.0, 1.0, CRI),
        (20.0, 0.2, MLFS),
    ],
)
def test_it_applies_the_trial_record_count_thresholds(platelets, anc, expected):
    assert clean(platelets=platelets, anc=anc).category is expected


def test_it_names_the_failed_count_and_the_source_text():
    result = clean(platelets=100.0, anc=2.0)
    text = " ".join(result.reasons)
    assert "platelets 100 not > 100" in text
    assert "platelet count>50" in text  # verbatim CRi text of the trial record
    assert result.is_response


def test_it_treats_mlfs_as_not_a_response_and_refractory_at_end_of_induction():
    result = clean(platelets=40.0)
    assert result.category is MLFS
    assert not result.is_response
    assert result.refractory
    assert "not a response" in result.category.description
    during = clean(platelets=40.0, end_of_induction=False)
    assert during.category is MLFS
    assert not during.refractory


# --- the label's alternative criteria ----------------------------------------------------


@pytest.mark.parametrize(
    ("blasts", "platelets", "anc", "expected"),
    [
        (5.0, 150.0, 2.0, ResponseCategory.REFRACTORY),  # label: "<5% blasts"
        (4.9, 100.0, 1.0, CR),  # label: "platelets >=100 ... ANC >=1"
        (4.9, 99.9, 1.0, CRI),
        (4.9, 10.0, 0.1, CRI),  # the label's CRi has no count floor
    ],
)
def test_it_offers_the_label_criteria_as_a_named_alternative(blasts, platelets, anc, expected):
    result = clean(marrow_blasts_pct=blasts, platelets=platelets, anc=anc, criteria="label")
    assert result.category is expected
    assert result.criteria == "label"


def test_it_exposes_the_criteria_operators_as_data():
    trial = response_criteria()
    assert trial.name == "trial_record"
    assert trial.marrow_blasts_pct == Threshold(Operator.LE, 5.0)
    assert trial.cr_platelets == Threshold(Operator.GT, 100.0)
    assert trial.cri_anc == Threshold(Operator.GT, 0.5)
    label = response_criteria("label")
    assert label.cr_anc == Threshold(Operator.GE, 1.0)
    assert label.cri_platelets is None


# --- active disease, refractory, progression ----------------------------------------------


def test_it_refuses_cr_with_blasts_in_blood_or_extramedullary_disease():
    # Trial record: CR/CRi need "no evidence of active disease".
    assert clean(blood_blasts_present=True).category is ResponseCategory.REFRACTORY
    assert clean(extramedullary_disease="present").category is ResponseCategory.REFRACTORY
    during = clean(blood_blasts_present=True, end_of_induction=False)
    assert during.category is ResponseCategory.ACTIVE_DISEASE


@pytest.mark.parametrize(
    ("now", "reference", "expected"),
    [
        (50.0, 40.0, ResponseCategory.PROGRESSIVE_DISEASE),  # +25% exactly: "at least 25%"
        (49.9, 40.0, ResponseCategory.REFRACTORY),
        (6.25, 5.0, ResponseCategory.PROGRESSIVE_DISEASE),
        (30.0, 0.0, ResponseCategory.REFRACTORY),  # no relative increase from 0
    ],
)
def test_it_calls_progression_at_a_25_percent_increase(now, reference, expected):
    result = clean(marrow_blasts_pct=now, reference_marrow_blasts_pct=reference)
    assert result.category is expected


def test_it_calls_progression_on_circulating_blasts_and_new_emd():
    result = clean(marrow_blasts_pct=None, blood_blasts_abs=2.5, reference_blood_blasts_abs=2.0)
    assert result.category is ResponseCategory.PROGRESSIVE_DISEASE
    assert clean(extramedullary_disease="new").category is ResponseCategory.PROGRESSIVE_DISEASE
    assert (
        clean(extramedullary_disease=ExtramedullaryStatus.INCREASED).category
        is ResponseCategory.PROGRESSIVE_DISEASE
    )


def test_it_says_when_progression_could_not_be_assessed():
    result = clean(marrow_blasts_pct=60.0)
    assert result.category is ResponseCategory.REFRACTORY
    assert any("no reference" in reason for reason in result.reasons)


# --- relapse after CR -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blasts", "expected"),
    [(5.0, ResponseCategory.RELAPSE), (4.99, CR), (20.0, ResponseCategory.RELAPSE)],
)
def test_it_calls_relapse_at_5_percent_marrow_blasts_after_cr(blasts, expected):
    result = clean(marrow_blasts_pct=blasts, prior_remission=True)
    assert result.category is expected


def test_it_flags_the_5_percent_overlap_between_cr_and_relapse():
    result = clean(marrow_blasts_pct=5.0, prior_remission=True)
    assert any("takes precedence" in reason for reason in result.reasons)


def test_it_calls_relapse_on_blood_blasts_or_emd_even_with_other_fields_missing():
    result = classify_response(
        marrow_blasts_pct=None,
        anc=None,
        platelets=None,
        blood_blasts_present=True,
        extramedullary_disease=None,
        prior_remission=True,
    )
    assert result.category is ResponseCategory.RELAPSE
    cns = clean(extramedullary_disease="present", prior_remission=True)
    assert cns.category is ResponseCategory.RELAPSE


def test_it_takes_the_relapse_threshold_as_a_parameter():
    bbmt = Threshold(Operator.GE, 25.0)
    result = clean(marrow_blasts_pct=10.0, prior_remission=True, relapse_marrow_blasts=bbmt)
    assert result.category is ResponseCategory.ACTIVE_DISEASE
    assert not result.refractory
    relapse = clean(marrow_blasts_pct=25.0, prior_remission=True, relapse_marrow_blasts=bbmt)
    assert relapse.category is ResponseCategory.RELAPSE


# --- LBL imaging ---------------------------------------------------------------------------


def test_it_uses_deauville_above_3_as_active_disease():
    # Lugano 2014: complete metabolic response = Deauville 1-3.
    assert clean(imaging_deauville=3).category is CR
    assert clean(imaging_deauville=4).category is ResponseCategory.REFRACTORY
    assert clean(imaging_deauville=4, prior_remission=True).category is ResponseCategory.RELAPSE


# --- missing and bad inputs ------------------------------------------------------------------


def test_it_names_every_missing_field_instead_of_guessing():
    result = classify_response(
        marrow_blasts_pct=3.0,
        anc=None,
        platelets=120.0,
        blood_blasts_present=None,
        extramedullary_disease=None,
    )
    assert result.category is ResponseCategory.NOT_EVALUABLE
    assert result.missing == ("blood_blasts_present", "extramedullary_disease", "anc")
    assert not result.is_response


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("marrow_blasts_pct", 101.0),
        ("marrow_blasts_pct", -1.0),
        ("marrow_blasts_pct", "five"),
        ("marrow_blasts_pct", True),
        ("anc", float("nan")),
        ("platelets", -3.0),
        ("blood_blasts_present", "no"),
        ("extramedullary_disease", "maybe"),
        ("imaging_deauville", 6),
        ("criteria", "nccn"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(field, value):
    with pytest.raises(InputError) as error:
        clean(**{field: value})
    assert error.value.field == field


# --- MRD ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "sensitivity", "expected"),
    [
        (0.0, 0.01, MrdStatus.NEGATIVE),  # assay exactly as sensitive as 0.01%
        (0.0, 0.001, MrdStatus.NEGATIVE),
        (0.009, 0.001, MrdStatus.NEGATIVE),  # INO-VATE: negative means <0.01%
        (0.01, 0.001, MrdStatus.POSITIVE),  # ASH-SAP: positive >=0.01%
        (1.5, None, MrdStatus.POSITIVE),
        (0.0, 0.1, MrdStatus.INDETERMINATE),  # assay not sensitive enough
        (0.0, None, MrdStatus.INDETERMINATE),
        (None, 0.001, MrdStatus.NOT_EVALUABLE),
    ],
)
def test_it_classifies_mrd_with_the_assay_sensitivity(level, sensitivity, expected):
    assert classify_mrd(level, sensitivity_pct=sensitivity).status is expected


def test_it_rejects_bad_mrd_input():
    with pytest.raises(InputError) as error:
        classify_mrd(-0.1, sensitivity_pct=0.01)
    assert error.value.field == "level_pct"
    with pytest.raises(InputError):
        classify_mrd(0.0, sensitivity_pct="high")


@pytest.mark.parametrize(
    ("level", "sensitivity", "ash_sap"),
    [
        # ASH-SAP (clinical-facts 4.2): MRD CR = negative with a minimum sensitivity of 0.01%;
        # MRD failure = positive >= 0.01%; MRD intermediate = positive < 0.01%, or negative
        # with insufficient sensitivity.
        (0.0, 0.01, "MRD CR"),
        (0.0, 0.001, "MRD CR"),
        (0.01, 0.001, "MRD failure"),
        (0.0099, 0.001, "MRD intermediate"),  # INO-VATE still calls this negative (<0.01%)
        (0.0, 0.1, "MRD intermediate"),
        (0.0, None, "MRD intermediate"),
        (None, 0.001, None),
    ],
)
def test_it_names_the_ash_sap_mrd_category_beside_the_ino_vate_status(level, sensitivity, ash_sap):
    assert classify_mrd(level, sensitivity_pct=sensitivity).ash_sap_category == ash_sap


def test_it_reports_where_ino_vate_and_ash_sap_disagree():
    result = classify_mrd(0.005, sensitivity_pct=0.001)
    assert result.status is MrdStatus.NEGATIVE
    assert result.ash_sap_category == "MRD intermediate"
    assert "INO-VATE" in result.reason
    assert "ASH-SAP" in result.reason


def test_it_keeps_an_unquantifiable_positive_mrd_undecided():
    # ASH-SAP: "positive but not quantifiable" is MRD intermediate; it cannot be compared
    # with the 0.01% INO-VATE threshold.
    result = classify_mrd(None, sensitivity_pct=0.01, detected_not_quantifiable=True)
    assert result.status is MrdStatus.INDETERMINATE
    assert result.ash_sap_category == "MRD intermediate"
    with pytest.raises(InputError) as error:
        classify_mrd(0.02, sensitivity_pct=0.01, detected_not_quantifiable=True)
    assert error.value.field == "level_pct"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sensitivity_pct": 0}, "sensitivity_pct"),  # no assay detects 0%
        ({"sensitivity_pct": -0.01}, "sensitivity_pct"),
        ({"sensitivity_pct": float("nan")}, "sensitivity_pct"),
        ({"sensitivity_pct": 0.01, "threshold_pct": 0}, "threshold_pct"),
        ({"sensitivity_pct": 0.01, "threshold_pct": 101}, "threshold_pct"),
        (
            {"sensitivity_pct": 0.01, "detected_not_quantifiable": "yes"},
            "detected_not_quantifiable",
        ),
    ],
)
def test_it_names_the_bad_mrd_field(kwargs, field):
    with pytest.raises(InputError) as error:
        classify_mrd(0.0, **kwargs)
    assert error.value.field == field
    assert error.value.allowed


@pytest.mark.parametrize("limit", [float("nan"), -1.0, 100.5, float("inf")])
def test_it_refuses_a_relapse_threshold_that_could_never_fire(limit):
    # A NaN limit would make every marrow value "not >= limit": relapse silently never found.
    with pytest.raises(InputError) as error:
        classify_response(
            marrow_blasts_pct=30, anc=1.0, platelets=100, blood_blasts_present=False,
            extramedullary_disease="none", prior_remission=True,
            relapse_marrow_blasts=Threshold(Operator.GE, limit),
        )  # fmt: skip
    assert error.value.field == "relapse_marrow_blasts"


def test_it_applies_an_nccn_style_relapse_threshold_when_asked():
    # clinical-facts 4.1: NCCN-style ">5%" instead of the Chinese consensus ">=5%".
    kwargs = {
        "marrow_blasts_pct": 5.0, "anc": 1.5, "platelets": 150, "blood_blasts_present": False,
        "extramedullary_disease": "none", "prior_remission": True,
    }  # fmt: skip
    assert classify_response(**kwargs).category is ResponseCategory.RELAPSE
    nccn = classify_response(**kwargs, relapse_marrow_blasts=Threshold(Operator.GT, 5.0))
    assert nccn.category is CR


@pytest.mark.parametrize("module", [mrd, response])
def test_it_runs_the_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0


def test_it_takes_the_deauville_limit_as_a_protocol_parameter():
    # The trial record does not say how PET-CT is read; 4 may be allowed by the protocol.
    assert clean(imaging_deauville=4, max_deauville_without_active_disease=4).category is CR
    with pytest.raises(InputError):
        clean(max_deauville_without_active_disease=0)


@pytest.mark.parametrize(("field", "value"), [("anc", 800.0), ("platelets", 5000.0)])
def test_it_refuses_a_count_typed_per_mm3_instead_of_calling_it_cr(field, value):
    kwargs = {
        "marrow_blasts_pct": 2.0, "anc": 1.5, "platelets": 150.0, "blood_blasts_present": False,
        "extramedullary_disease": "none", field: value,
    }  # fmt: skip
    with pytest.raises(InputError) as error:
        classify_response(**kwargs)
    assert error.value.field == field
