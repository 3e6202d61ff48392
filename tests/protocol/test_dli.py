"""DLI indication and dose against the trial record.

Trial record NCT06861348: "DLI dose: CD3 positive cells 1x10^7/kg; DLI indication: no previous
grade III-IV aGVHD, negative HLALOSS test and no present aGVHD and cGVHD".
clinical-facts 6 arithmetic: 1e7/kg x 60 kg = 6.0e8 CD3+ cells; 6.0e8 / 5.0e7 per mL = 12 mL.
"""

from __future__ import annotations

import pytest

from inodli.errors import InputError
from inodli.protocol.dli import dli_dose, dli_eligibility


def failed(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.rule_id for c in result.failed]


def test_it_is_eligible_only_when_every_criterion_is_met() -> None:
    result = dli_eligibility(False, "no_loss", False, False)
    assert result.eligible is True
    assert result.failed == ()
    assert len(result.criteria) == 4


def test_it_names_every_failed_criterion() -> None:
    result = dli_eligibility(True, "loss", True, True)
    assert result.eligible is False
    assert failed(result) == [
        "DLI-ELIG-PRIOR-AGVHD", "DLI-ELIG-HLA-LOSS", "DLI-ELIG-ACTIVE-AGVHD", "DLI-ELIG-ACTIVE-CGVHD",
    ]  # fmt: skip
    assert result.failed[1].source_text == "negative HLALOSS test"


@pytest.mark.parametrize(
    ("args", "rule", "explanation"),
    [
        ((False, None, False, False), "DLI-ELIG-HLA-LOSS", "HLA-loss test missing"),
        (
            (None, "no_loss", False, False),
            "DLI-ELIG-PRIOR-AGVHD",
            "prior grade III-IV acute GVHD unknown (not recorded)",
        ),
        (
            (False, "no_loss", None, False),
            "DLI-ELIG-ACTIVE-AGVHD",
            "active acute GVHD unknown (not recorded)",
        ),
        (
            (False, "no_loss", False, None),
            "DLI-ELIG-ACTIVE-CGVHD",
            "active chronic GVHD unknown (not recorded)",
        ),
    ],
)
def test_it_never_makes_unknown_eligible(
    args: tuple[object, ...], rule: str, explanation: str
) -> None:
    result = dli_eligibility(*args)
    assert result.eligible is False
    assert failed(result) == [rule]
    assert result.failed[0].explanation == explanation


def test_it_treats_a_non_informative_hla_test_as_not_negative_by_default() -> None:
    result = dli_eligibility(False, "not_informative", False, False)
    assert result.eligible is False
    assert "not informative: not a negative test" in result.failed[0].explanation


def test_it_counts_not_informative_as_negative_only_by_a_documented_parameter() -> None:
    result = dli_eligibility(
        False, "not_informative", False, False, not_informative_counts_as_negative=True
    )
    assert result.eligible is True
    assert "documented parameter" in result.criteria[1].explanation


def test_it_reports_a_detected_hla_loss() -> None:
    result = dli_eligibility(False, "loss", False, False)
    assert failed(result) == ["DLI-ELIG-HLA-LOSS"]
    assert "HLA loss detected" in result.failed[0].explanation


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("no", "no_loss", False, False), "prior_grade_3_4_agvhd"),
        ((False, "negative", False, False), "hla_loss_test"),
        ((False, "NO_LOSS", False, False), "hla_loss_test"),
        ((False, "no_loss", 0, False), "active_agvhd"),
        ((False, "no_loss", False, 1), "active_cgvhd"),
    ],
)
def test_it_refuses_unrecognised_answers(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(InputError) as caught:
        dli_eligibility(*args)
    assert caught.value.field == field


def test_it_computes_the_clinical_facts_dose_example() -> None:
    dose = dli_dose(60, 5e7)
    assert dose.cd3_per_kg == 1e7  # trial record default
    assert dose.cd3_cells == 6.0e8
    assert dose.volume_exact_ml == 12.0
    assert dose.volume_ml == 12.0
    assert dose.cd3_cells_in_volume == 6.0e8
    assert dose.deviates_from_protocol is False
    assert "0.1 mL" in dose.rounding
    assert dose.source_text == "DLI dose: CD3 positive cells 1x10^7/kg"


def test_it_rounds_the_volume_half_up_to_0_1_ml_and_reports_the_cells_given() -> None:
    # 1e7 x 73.5 kg = 7.35e8 cells; / 6e7 per mL = 12.25 mL -> 12.3 mL = 7.38e8 cells.
    dose = dli_dose(73.5, 6e7)
    assert dose.cd3_cells == pytest.approx(7.35e8)
    assert dose.volume_exact_ml == pytest.approx(12.25)
    assert dose.volume_ml == 12.3
    assert dose.cd3_cells_in_volume == pytest.approx(7.38e8)


def test_it_flags_a_dose_other_than_the_protocols() -> None:
    dose = dli_dose(60, 5e7, cd3_per_kg=5e6)
    assert dose.cd3_cells == 3.0e8
    assert dose.volume_ml == 6.0
    assert dose.deviates_from_protocol is True


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((1.9, 5e7), "weight_kg"),
        ((351, 5e7), "weight_kg"),
        (("60", 5e7), "weight_kg"),
        ((True, 5e7), "weight_kg"),
        ((60, 0), "product_cd3_per_ml"),
        ((60, -5e7), "product_cd3_per_ml"),
        ((60, 5e3), "product_cd3_per_ml"),  # a unit slip (5e3 typed for 5e7)
        ((60, float("nan")), "product_cd3_per_ml"),
        ((60, 5e7, 0), "cd3_per_kg"),
        ((60, 5e7, 2e8), "cd3_per_kg"),
        ((2, 1e10, 1e5), "product_cd3_per_ml"),  # 2e5 cells in 0.00002 mL: not measurable
    ],
)
def test_it_refuses_bad_dose_input(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(InputError) as caught:
        dli_dose(*args)
    assert caught.value.field == field
