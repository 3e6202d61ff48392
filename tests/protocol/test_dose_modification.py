"""next_dose_decision against the BESPONSA label section 2.3 (Tables 2 and 3).

Table 3 (PfizerPro IE): "Total bilirubin greater than 1.5 x ULN and AST/ALT greater than 2.5 x
ULN: Interrupt dosing until recovery ... prior to each dose unless due to Gilbert's syndrome or
hemolysis"; "VOD or other severe liver toxicity: Permanently discontinue"; "For severe or
life-threatening infusion reactions, permanently discontinue"; "Non-hematologic toxicity >=
Grade 2: Interrupt treatment until recovery to Grade 1 or pre-treatment grade".
Table 2 (Pfizer Medical Information, Drugs.com): interrupt the next cycle until ANC >= 1 and
platelets >= 50 x 10^9/L (normal baseline), or for low baseline until counts reach the prior
cycle's baseline, or ANC >= 1 and platelets >= 50, or stable/improved marrow; discontinue if low
counts persist > 28 days and are BESPONSA-related. Section 2.1: doses within a cycle need not be
interrupted for neutropenia or thrombocytopenia.
"""

from __future__ import annotations

from typing import Any

import pytest

from inodli.errors import InputError
from inodli.protocol.dose_modification import interruption_guidance, next_dose_decision

NORMAL_LIVER: dict[str, Any] = {
    "total_bilirubin": 10.0, "bilirubin_uln": 20.0, "ast": 30.0, "ast_uln": 40.0,
}  # fmt: skip


def decide(**overrides: Any):  # type: ignore[no-untyped-def]
    arguments: dict[str, Any] = {"cycle": 1, "dose_day": 8, **NORMAL_LIVER, **overrides}
    return next_dose_decision(**arguments)


def rule_ids(decision) -> list[str]:  # type: ignore[no-untyped-def]
    return [reason.rule_id for reason in decision.reasons]


def test_it_gives_when_nothing_fires() -> None:
    decision = decide()
    assert decision.action == "give"
    assert decision.reasons == ()


# --- liver: bilirubin > 1.5 x ULN AND AST/ALT > 2.5 x ULN (ULN 20 for bilirubin, 40 for AST) ---


@pytest.mark.parametrize(
    ("bilirubin", "ast", "action"),
    [
        (30.0, 101.0, "give"),  # bilirubin exactly 1.5 x ULN: not "greater than"
        (30.01, 100.0, "give"),  # AST exactly 2.5 x ULN: not "greater than"
        (30.01, 100.01, "hold"),  # both just above
        (60.0, 50.0, "give"),  # bilirubin alone: the label says "and"
        (15.0, 400.0, "give"),  # AST alone
    ],
)
def test_it_holds_only_when_both_liver_criteria_exceed(
    bilirubin: float, ast: float, action: str
) -> None:
    decision = decide(total_bilirubin=bilirubin, ast=ast)
    assert decision.action == action
    if action == "hold":
        assert rule_ids(decision) == ["INO-MOD-LIVER"]
        assert (
            "greater than 1.5 x ULN and AST/ALT greater than 2.5 x ULN"
            in decision.reasons[0].source_text
        )


def test_it_uses_alt_when_ast_is_high_or_absent() -> None:
    decision = decide(ast=None, ast_uln=None, alt=120.0, alt_uln=40.0, total_bilirubin=40.0)
    assert decision.action == "hold"
    assert "ALT > 2.5 x ULN" in decision.reasons[0].explanation


def test_it_offers_an_either_trigger_as_an_option() -> None:
    decision = decide(total_bilirubin=60.0, liver_trigger="either")
    assert decision.action == "hold"
    assert "stricter than the label" in decision.reasons[0].explanation


def test_it_excepts_gilbert_or_haemolysis() -> None:
    decision = decide(total_bilirubin=60.0, ast=120.0, gilbert_or_hemolysis=True)
    assert decision.action == "give"
    assert any("Gilbert" in note for note in decision.notes)


def test_it_holds_when_liver_tests_are_missing() -> None:
    decision = decide(total_bilirubin=None)
    assert decision.action == "hold"
    assert rule_ids(decision) == ["INO-MOD-LIVER-MISSING"]
    no_enzymes = decide(ast=None, ast_uln=None)
    assert "AST or ALT" in no_enzymes.reasons[0].explanation


# --- discontinuation ---


@pytest.mark.parametrize(
    ("flag", "rule"),
    [("vod_sos", "INO-MOD-VOD"), ("severe_liver_toxicity", "INO-MOD-VOD"),
     ("liver_not_recovered", "INO-MOD-LIVER-NORECOVERY")],
)  # fmt: skip
def test_it_discontinues_for_vod_and_unrecovered_liver_tests(flag: str, rule: str) -> None:
    decision = decide(**{flag: True})
    assert decision.action == "discontinue"
    assert rule_ids(decision) == [rule]


@pytest.mark.parametrize(
    ("grade", "action"), [(1, "give"), (2, "give"), (3, "discontinue"), (4, "discontinue")]
)
def test_it_discontinues_for_severe_or_life_threatening_infusion_reactions(
    grade: int, action: str
) -> None:
    decision = decide(infusion_reaction_grade=grade)
    assert decision.action == action
    if action == "give":
        assert any("infusion-related reaction" in note for note in decision.notes)


def test_it_returns_every_reason_not_just_the_worst() -> None:
    decision = decide(
        vod_sos=True,
        infusion_reaction_grade=3,
        total_bilirubin=60.0,
        ast=200.0,
        other_nonheme_grade=3,
    )
    assert decision.action == "discontinue"
    assert rule_ids(decision) == ["INO-MOD-VOD", "INO-MOD-LIVER", "INO-MOD-IRR", "INO-MOD-NONHEME"]
    assert [r.action for r in decision.reasons] == ["discontinue", "hold", "discontinue", "hold"]


# --- other non-haematologic toxicity >= grade 2: hold until grade <= 1 or pre-treatment grade ---


@pytest.mark.parametrize(
    ("grade", "baseline", "action"),
    [
        (1, 0, "give"),
        (2, 0, "hold"),
        (2, 1, "hold"),
        (2, 2, "give"),
        (3, 2, "hold"),
        (0, 0, "give"),
    ],
)
def test_it_holds_for_other_nonhematologic_toxicity(grade: int, baseline: int, action: str) -> None:
    decision = decide(other_nonheme_grade=grade, other_nonheme_baseline_grade=baseline)
    assert decision.action == action


# --- haematologic: never within a cycle; at day 1 of the next cycle per Table 2 ---


def test_it_never_holds_within_a_cycle_for_cytopenias() -> None:
    decision = decide(
        dose_day=15, anc=0.1, platelets=5.0, pretreatment_anc=2.0, pretreatment_platelets=150.0
    )
    assert decision.action == "give"
    assert any("do not interrupt doses within a cycle" in note for note in decision.notes)


def cycle2(**counts: Any):  # type: ignore[no-untyped-def]
    return decide(cycle=2, dose_day=1, **counts)


@pytest.mark.parametrize(
    ("anc", "platelets", "expected"),
    [
        (1.0, 50.0, []),  # exactly at the recovery levels (">= 1" and ">= 50")
        (0.99, 50.0, ["INO-MOD-HEME-ANC"]),
        (1.0, 49.9, ["INO-MOD-HEME-PLT"]),
        (0.5, 20.0, ["INO-MOD-HEME-ANC", "INO-MOD-HEME-PLT"]),
    ],
)
def test_it_delays_the_next_cycle_until_counts_recover(
    anc: float, platelets: float, expected: list[str]
) -> None:
    decision = cycle2(
        anc=anc, platelets=platelets, pretreatment_anc=1.0, pretreatment_platelets=50.0
    )
    assert rule_ids(decision) == expected
    assert decision.action == ("hold" if expected else "give")


@pytest.mark.parametrize(
    ("anc", "platelets", "marrow", "action"),
    [
        (0.6, 35.0, False, "give"),  # condition 1: back to the prior cycle's baseline (0.5, 30)
        (0.5, 30.0, False, "give"),  # exactly at baseline
        (0.4, 40.0, False, "hold"),  # ANC below baseline, platelets below 50
        (1.0, 50.0, False, "give"),  # condition 2: ANC >= 1 and platelets >= 50
        (0.4, 20.0, True, "give"),  # condition 3, confirmed by the investigator
    ],
)
def test_it_applies_the_low_baseline_release_conditions(
    anc: float, platelets: float, marrow: bool, action: str
) -> None:
    decision = cycle2(
        anc=anc, platelets=platelets, pretreatment_anc=0.5, pretreatment_platelets=30.0,
        marrow_stable_and_cytopenia_from_disease=marrow,
    )  # fmt: skip
    assert decision.action == action
    if action == "hold":
        assert rule_ids(decision) == ["INO-MOD-HEME-LOWBASE"]


def test_it_uses_the_low_baseline_row_when_only_platelets_were_low() -> None:
    # "ANC < 1 and/or platelets < 50 before treatment": ANC 2.0 but platelets 40 -> row 3.
    decision = cycle2(anc=0.8, platelets=45.0, pretreatment_anc=2.0, pretreatment_platelets=40.0)
    assert rule_ids(decision) == ["INO-MOD-HEME-LOWBASE"]


@pytest.mark.parametrize(
    ("days", "related", "action"),
    [(28, True, "hold"), (29, True, "discontinue"), (29, False, "hold"), (29, None, "hold")],
)
def test_it_discontinues_when_low_counts_persist_beyond_28_days_and_are_drug_related(
    days: int, related: bool | None, action: str
) -> None:
    decision = cycle2(
        anc=0.5, platelets=100.0, pretreatment_anc=1.5, pretreatment_platelets=100.0,
        low_counts_days=days, low_counts_drug_related=related,
    )  # fmt: skip
    assert decision.action == action
    if related is None:
        assert any("judge whether BESPONSA-related" in note for note in decision.notes)


def test_it_needs_counts_at_day_1_of_a_later_cycle() -> None:
    with pytest.raises(InputError, match="anc"):
        cycle2(platelets=100.0, pretreatment_anc=1.5, pretreatment_platelets=100.0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cycle": 0}, "cycle"),
        ({"dose_day": 9}, "dose_day"),
        ({"dose_day": True}, "dose_day"),
        ({"liver_trigger": "or"}, "liver_trigger"),
        ({"other_nonheme_grade": 6}, "other_nonheme_grade"),
        ({"other_nonheme_grade": True}, "other_nonheme_grade"),
        ({"infusion_reaction_grade": 2.0}, "infusion_reaction_grade"),
        ({"vod_sos": "yes"}, "vod_sos"),
        ({"gilbert_or_hemolysis": 1}, "gilbert_or_hemolysis"),
        ({"total_bilirubin": -1.0}, "total_bilirubin"),
        ({"bilirubin_uln": 0.0}, "bilirubin_uln"),
        ({"ast": float("nan")}, "ast"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        decide(**overrides)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"low_counts_days": -1}, "low_counts_days"), ({"low_counts_drug_related": "yes"}, "low_counts_drug_related"),
     ({"marrow_stable_and_cytopenia_from_disease": None}, "marrow_stable_and_cytopenia_from_disease")],
)  # fmt: skip
def test_it_refuses_bad_count_inputs(overrides: dict[str, Any], field: str) -> None:
    counts = {
        "anc": 0.5,
        "platelets": 40.0,
        "pretreatment_anc": 1.5,
        "pretreatment_platelets": 100.0,
    }
    with pytest.raises(InputError) as caught:
        cycle2(**counts, **overrides)
    assert caught.value.field == field


# --- label Table 4: not verified, so never applied by default ---


def test_it_does_not_apply_the_unverified_table_4_by_default() -> None:
    guidance = interruption_guidance(14)
    assert guidance.rule_id is None
    assert guidance.verified is False
    assert "could not be verified" in guidance.text


@pytest.mark.parametrize(
    ("days", "rule"),
    [(0, "INO-MOD-T4-LT7"), (6, "INO-MOD-T4-LT7"), (7, "INO-MOD-T4-GE7"), (13, "INO-MOD-T4-GE7"),
     (14, "INO-MOD-T4-GE14"), (28, "INO-MOD-T4-GE14"), (29, "INO-MOD-T4-GT28")],
)  # fmt: skip
def test_it_marks_recalled_table_4_rows_as_unverified_when_asked(days: int, rule: str) -> None:
    guidance = interruption_guidance(days, use_unverified_table4=True)
    assert guidance.rule_id == rule
    assert guidance.verified is False
    assert guidance.text.startswith("UNVERIFIED")


@pytest.mark.parametrize("days", [-1, 1.5, True, None])
def test_it_refuses_bad_interruption_days(days: object) -> None:
    with pytest.raises(InputError, match="days"):
        interruption_guidance(days)


# --- audit 2026-11-25: partly verified label clauses are flagged, not presented as certain ---


def test_it_flags_a_give_that_rests_on_the_recalled_pre_treatment_grade_clause() -> None:
    # Label Table 3 as retrieved: "Interrupt treatment until recovery to Grade 1 o..." (cut off);
    # "or pre-treatment grade" is recalled (clinical-facts 1.4 [V-partial]).
    decision = decide(other_nonheme_grade=2, other_nonheme_baseline_grade=2)
    assert decision.action == "give"
    assert len(decision.unverified) == 1
    assert "pre-treatment grade" in decision.unverified[0]
    assert "UNVERIFIED:" in str(decision)


def test_it_does_not_flag_a_decision_the_verified_words_decide() -> None:
    assert decide(other_nonheme_grade=2).unverified == ()  # grade 2 > grade 1: hold, verified
    assert decide(other_nonheme_grade=1).unverified == ()
    assert decide().unverified == ()


LOW_BASELINE: dict[str, Any] = {
    "cycle": 2, "dose_day": 1, "pretreatment_anc": 0.4, "pretreatment_platelets": 20.0,
}  # fmt: skip


def test_it_names_the_release_condition_that_applied() -> None:
    # Drugs.com, Table 2 low-baseline row: release when 1) counts >= the prior cycle's
    # baseline, or 2) ANC >= 1 and platelets >= 50, or 3) stable/improved marrow ...
    by_baseline = decide(**LOW_BASELINE, anc=0.5, platelets=30.0,
                         marrow_stable_and_cytopenia_from_disease=True)  # fmt: skip
    assert by_baseline.action == "give"
    assert any("condition 1" in note for note in by_baseline.notes)
    assert by_baseline.unverified == ()  # condition 1 is verified text
    # Baseline platelets 30 (< 50) picks the low-baseline row; ANC 1.2 is below its baseline
    # 1.5, so only condition 2 releases.
    by_floor = decide(cycle=2, dose_day=1, pretreatment_anc=1.5, pretreatment_platelets=30.0,
                      anc=1.2, platelets=60.0)  # fmt: skip
    assert by_floor.action == "give"
    assert any("condition 2" in note for note in by_floor.notes)


def test_it_flags_a_release_by_the_partly_retrieved_condition_3() -> None:
    decision = decide(**LOW_BASELINE, anc=0.3, platelets=15.0,
                      marrow_stable_and_cytopenia_from_disease=True)  # fmt: skip
    assert decision.action == "give"
    assert any("condition 3" in note for note in decision.notes)
    assert len(decision.unverified) == 1
    assert "most recent bone marrow" in decision.unverified[0]
    held = decide(**LOW_BASELINE, anc=0.3, platelets=15.0)
    assert (held.action, rule_ids(held)) == ("hold", ["INO-MOD-HEME-LOWBASE"])


@pytest.mark.parametrize(
    ("blasts", "action"),
    [
        # PfizerPro US/IE (clinical-facts 1.2): cytoreduce to a peripheral blast count
        # <= 10,000/mm3 (= 10 x 10^9/L) before the first dose of cycle 1.
        (10.0, "give"),
        (10.01, "hold"),
        (0.0, "give"),
        (55.0, "hold"),
    ],
)
def test_it_waits_for_cytoreduction_before_the_first_dose(blasts: float, action: str) -> None:
    decision = decide(cycle=1, dose_day=1, peripheral_blasts=blasts)
    assert decision.action == action
    assert rule_ids(decision) == (["INO-PRE-CYTOREDUCTION"] if action == "hold" else [])


def test_it_applies_the_cytoreduction_rule_only_before_the_first_dose() -> None:
    assert decide(cycle=1, dose_day=8, peripheral_blasts=55.0).action == "give"
    later = decide(cycle=2, dose_day=1, anc=2.0, platelets=150.0, pretreatment_anc=2.0,
                   pretreatment_platelets=150.0, peripheral_blasts=55.0)  # fmt: skip
    assert later.action == "give"
    first = decide(cycle=1, dose_day=1)
    assert any("cytoreduce" in note for note in first.notes)


@pytest.mark.parametrize("blasts", [-1.0, float("nan"), "12", True])
def test_it_refuses_a_bad_blast_count(blasts: object) -> None:
    with pytest.raises(InputError) as error:
        decide(cycle=1, dose_day=1, peripheral_blasts=blasts)
    assert error.value.field == "peripheral_blasts"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        # An ANC of 800/mm3 typed as 800 would read as a full recovery (>= 1 x 10^9/L).
        ("anc", 800.0),
        ("platelets", 5000.0),  # 5,000/uL typed as 5000 x 10^9/L
        ("pretreatment_anc", 501.0),
    ],
)
def test_it_refuses_a_count_typed_per_mm3(field: str, value: float) -> None:
    counts = {"anc": 2.0, "platelets": 150.0, "pretreatment_anc": 2.0,
              "pretreatment_platelets": 150.0, field: value}  # fmt: skip
    with pytest.raises(InputError) as error:
        decide(cycle=2, dose_day=1, **counts)
    assert error.value.field == field
    assert "(10^9/L)" in error.value.allowed


def test_it_accepts_the_largest_count_the_case_report_form_accepts() -> None:
    # plausible_counts.toml equals the EDC analyte ranges: ANC 500, platelets 3000 x 10^9/L.
    decision = decide(cycle=2, dose_day=1, anc=500.0, platelets=3000.0, pretreatment_anc=2.0,
                      pretreatment_platelets=150.0)  # fmt: skip
    assert decision.action == "give"
