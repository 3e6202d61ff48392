"""Give, hold or discontinue the next inotuzumab ozogamicin dose, with every reason.

Rules in ``rules/ino_dose_modification.toml`` (BESPONSA label section 2.3, Tables 2 and 3).
The decision is the most severe action of all rules that fire (discontinue > hold > give),
and *every* fired rule is returned, each with its rule id and the label wording.

What is not verified is not applied by default: label Table 4 (interruption-duration rules)
could not be retrieved, so interruption_guidance (:mod:`inodli.protocol.interruption`) only answers from it when the caller
passes ``use_unverified_table4=True``, and then marks the answer as unverified. The third
release condition of the low-baseline haematologic row is truncated in every source; it is an
investigator's judgement passed in, never inferred.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from inodli.errors import InputError
from inodli.protocol._counts import count_limit
from inodli.protocol._dosing_inputs import as_flag, as_number, decimal_of
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol.interruption import InterruptionGuidance, interruption_guidance

__all__ = [
    "DoseDecision",
    "InterruptionGuidance",
    "Reason",
    "interruption_guidance",
    "next_dose_decision",
]

Action = Literal["give", "hold", "discontinue"]
_SEVERITY = {"give": 0, "hold": 1, "discontinue": 2}


@dataclass(frozen=True)
class Reason:
    """One rule that fired: what it asks, why, and the label wording it encodes."""

    rule_id: str
    action: Action
    explanation: str
    source_text: str


@dataclass(frozen=True)
class DoseDecision:
    """The decision for the next dose; ``reasons`` lists every rule that fired.

    ``unverified`` names each label clause that decided this answer although its wording was
    only partly retrieved (clinical-facts 1.4, [V-partial]); the answer must then be checked
    against the label before it is acted on.
    """

    action: Action
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...]
    rule_table_version: str
    unverified: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.action.upper()}"]
        lines += [f"  [{r.rule_id}] {r.action}: {r.explanation}" for r in self.reasons]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  UNVERIFIED: {u}" for u in self.unverified]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Rule:
    rule_id: str
    action: Action
    source_text: str


@dataclass(frozen=True)
class _ModificationRules:
    version: str
    rules: tuple[tuple[str, _Rule], ...]
    bilirubin_x_uln: Decimal
    transaminase_x_uln: Decimal
    liver_trigger: str
    irr_discontinue_grade: int
    nonheme_from_grade: int
    nonheme_recovered_grade: int
    anc_baseline: Decimal
    anc_floor: Decimal
    platelet_baseline: Decimal
    platelet_floor: Decimal
    persist_days: int
    max_peripheral_blasts: Decimal

    def rule(self, section: str) -> _Rule:
        return dict(self.rules)[section]


_SECTIONS = (
    "general", "cytoreduction", "vod", "liver", "liver_no_recovery", "liver_tests_missing", "infusion_reaction",
    "other_nonhematologic", "anc", "platelets", "low_baseline", "low_counts_persisting",
)  # fmt: skip


def _dec(value: object) -> Decimal:
    return decimal_of(float(str(value)))


@cache
def _table() -> _ModificationRules:
    data = load_rule_table("ino_dose_modification")
    try:
        rules = tuple(
            (key, _Rule(str(data[key]["rule_id"]), data[key].get("action", "give"),
                        str(data[key]["source_text"])))
            for key in _SECTIONS
        )  # fmt: skip
        loaded = _ModificationRules(
            version=str(data["version"]),
            rules=rules,
            bilirubin_x_uln=_dec(data["liver"]["bilirubin_x_uln"]),
            transaminase_x_uln=_dec(data["liver"]["transaminase_x_uln"]),
            liver_trigger=str(data["liver"]["trigger"]),
            irr_discontinue_grade=int(data["infusion_reaction"]["discontinue_from_grade"]),
            nonheme_from_grade=int(data["other_nonhematologic"]["from_grade"]),
            nonheme_recovered_grade=int(data["other_nonhematologic"]["recovered_grade"]),
            anc_baseline=_dec(data["anc"]["baseline_at_least"]),
            anc_floor=_dec(data["anc"]["recover_to"]),
            platelet_baseline=_dec(data["platelets"]["baseline_at_least"]),
            platelet_floor=_dec(data["platelets"]["recover_to"]),
            persist_days=int(data["low_counts_persisting"]["persist_days"]),
            max_peripheral_blasts=_dec(data["cytoreduction"]["max_peripheral_blasts"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(
            f"rule table 'ino_dose_modification' is malformed: {error!r}"
        ) from error
    if loaded.liver_trigger not in ("and", "either"):
        raise RuleTableError("ino_dose_modification [liver] trigger must be 'and' or 'either'")
    if any(rule.action not in _SEVERITY for _, rule in rules):
        raise RuleTableError("ino_dose_modification: action must be give, hold or discontinue")
    return loaded


def _reason(section: str, explanation: str) -> Reason:
    rule = _table().rule(section)
    return Reason(rule.rule_id, rule.action, explanation, rule.source_text)


def _optional(value: Any, field: str, unit: str = "", high: float | None = None) -> float | None:
    return None if value is None else as_number(value, field, low=0, high=high, unit=unit)


_COUNT_KIND = {
    "anc": "anc", "pretreatment_anc": "anc", "platelets": "platelets",
    "pretreatment_platelets": "platelets", "peripheral_blasts": "blasts",
}  # fmt: skip


def _count(value: Any, field: str) -> float | None:
    """A count in 10^9/L, refused above its plausible limit (a per-mm3 value typed by slip)."""
    return _optional(value, field, "10^9/L", count_limit(_COUNT_KIND[field]))


def _grade(value: Any, field: str, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise InputError(field, "a CTCAE grade 0-5 (integer)", value)
    return value


def next_dose_decision(
    *,
    cycle: Any,
    dose_day: Any,
    total_bilirubin: Any,
    bilirubin_uln: Any,
    ast: Any = None,
    ast_uln: Any = None,
    alt: Any = None,
    alt_uln: Any = None,
    gilbert_or_hemolysis: Any = False,
    liver_not_recovered: Any = False,
    vod_sos: Any = False,
    severe_liver_toxicity: Any = False,
    infusion_reaction_grade: Any = None,
    other_nonheme_grade: Any = 0,
    other_nonheme_baseline_grade: Any = 0,
    anc: Any = None,
    platelets: Any = None,
    pretreatment_anc: Any = None,
    pretreatment_platelets: Any = None,
    low_counts_days: Any = 0,
    low_counts_drug_related: Any = None,
    marrow_stable_and_cytopenia_from_disease: Any = False,
    liver_trigger: Any = None,
    peripheral_blasts: Any = None,
) -> DoseDecision:
    """Decide whether the next InO dose is given, held or permanently discontinued.

    Parameters
    ----------
    cycle, dose_day : int
        The dose being decided (``dose_day`` in 1, 8, 15). The haematologic rules of label
        Table 2 act only at day 1 of cycles >= 2; within a cycle cytopenias never hold a dose.
    total_bilirubin, bilirubin_uln, ast, ast_uln, alt, alt_uln : float or None
        Latest values before the dose, with the local ULN in the same unit. At least one of
        AST or ALT (with its ULN) is needed; missing liver tests hold the dose.
    gilbert_or_hemolysis : bool
        The bilirubin rise is due to Gilbert's syndrome or haemolysis (label exception):
        the bilirubin criterion is then not counted.
    liver_not_recovered : bool
        Investigator's judgement that bilirubin/AST/ALT did not recover (label: discontinue).
    vod_sos, severe_liver_toxicity : bool
        VOD/SOS or other severe liver toxicity (discontinue).
    infusion_reaction_grade : int or None
        CTCAE grade of an infusion-related reaction with the last dose; grade >= 3 (severe or
        life-threatening) discontinues.
    other_nonheme_grade, other_nonheme_baseline_grade : int
        Worst current grade of any other non-haematologic toxicity and its pre-treatment grade;
        grade >= 2 holds until grade <= 1 or <= the pre-treatment grade.
    anc, platelets : float or None
        Counts (10^9/L; platelets independent of transfusion) before day 1 of cycle >= 2.
    pretreatment_anc, pretreatment_platelets : float or None
        Counts before the prior cycle (choose the Table 2 row).
    low_counts_days : int
        Days the counts have stayed below the release level.
    low_counts_drug_related : bool or None
        Low counts suspected to be BESPONSA-related (None: not yet judged).
    marrow_stable_and_cytopenia_from_disease : bool
        Investigator confirms release condition 3 of the low-baseline row.
    liver_trigger : {"and", "either"}, optional
        How bilirubin and AST/ALT combine; default from the rule table, "and" as the label says.
    peripheral_blasts : float or None
        Circulating blast count (10^9/L) before the first dose (cycle 1 day 1): above
        10 x 10^9/L (10,000/mm3) the dose waits for cytoreduction (label 2.1). Not used later.

    Returns
    -------
    DoseDecision

    References
    ----------
    .. [1] BESPONSA US prescribing information, section 2.3, Tables 2 and 3.

    Examples
    --------
    >>> next_dose_decision(cycle=1, dose_day=8, total_bilirubin=40, bilirubin_uln=20,
    ...                    ast=110, ast_uln=40).action
    'hold'
    """
    table = _table()
    if isinstance(cycle, bool) or not isinstance(cycle, int) or not 1 <= cycle <= 6:
        raise InputError("cycle", "an integer in 1-6", cycle)
    if isinstance(dose_day, bool) or dose_day not in (1, 8, 15):
        raise InputError("dose_day", "one of 1, 8, 15", dose_day)
    trigger = table.liver_trigger if liver_trigger is None else liver_trigger
    if trigger not in ("and", "either"):
        raise InputError("liver_trigger", "'and' (label) or 'either'", liver_trigger)

    reasons: list[Reason] = []
    notes: list[str] = []
    unverified: list[str] = []
    blasts = _count(peripheral_blasts, "peripheral_blasts")
    if cycle == 1 and dose_day == 1:
        limit = table.max_peripheral_blasts
        if blasts is None:
            notes.append(
                "first dose: with circulating lymphoblasts, cytoreduce to <= 10,000/mm3 "
                "(10 x 10^9/L) first; no blast count given"
            )
        elif decimal_of(blasts) > limit:
            reasons.append(
                _reason(
                    "cytoreduction",
                    f"peripheral blasts {blasts:g} x 10^9/L > {limit} x 10^9/L (10,000/mm3): "
                    "cytoreduce before the first dose",
                )
            )
    elif blasts is not None:
        notes.append("peripheral blast count used only before the first dose (cycle 1 day 1)")
    if as_flag(vod_sos, "vod_sos") or as_flag(severe_liver_toxicity, "severe_liver_toxicity"):
        reasons.append(_reason("vod", "VOD/SOS or other severe liver toxicity reported"))
    if as_flag(liver_not_recovered, "liver_not_recovered"):
        reasons.append(_reason("liver_no_recovery", "bilirubin or AST/ALT did not recover"))
    reasons += _liver_reasons(
        total_bilirubin, bilirubin_uln, ast, ast_uln, alt, alt_uln,
        as_flag(gilbert_or_hemolysis, "gilbert_or_hemolysis"), trigger, notes,
    )  # fmt: skip

    irr = _grade(infusion_reaction_grade, "infusion_reaction_grade", allow_none=True)
    threshold = table.irr_discontinue_grade
    if irr is not None and irr >= threshold:
        reasons.append(_reason("infusion_reaction", f"infusion-related reaction grade {irr}"))
    elif irr:
        notes.append(f"infusion-related reaction grade {irr}: manage; premedicate next dose")

    grade = _grade(other_nonheme_grade, "other_nonheme_grade")
    baseline = _grade(other_nonheme_baseline_grade, "other_nonheme_baseline_grade")
    assert grade is not None
    assert baseline is not None
    if grade >= table.nonheme_from_grade and grade > max(table.nonheme_recovered_grade, baseline):
        reasons.append(
            _reason(
                "other_nonhematologic",
                f"non-haematologic toxicity grade {grade} (pre-treatment grade {baseline}); "
                "hold until grade <= 1 or pre-treatment grade",
            )
        )
        if baseline > table.nonheme_recovered_grade:
            unverified.append(_PRETREATMENT_GRADE_CLAUSE)
    elif grade >= table.nonheme_from_grade:
        # Given only because grade <= its pre-treatment grade: the recalled half of the row.
        notes.append(
            f"non-haematologic toxicity grade {grade} not held: at or below its pre-treatment "
            f"grade {baseline}"
        )
        unverified.append(_PRETREATMENT_GRADE_CLAUSE)

    if dose_day == 1 and cycle >= 2:
        reasons += _count_reasons(
            anc, platelets, pretreatment_anc, pretreatment_platelets, low_counts_days,
            low_counts_drug_related, marrow_stable_and_cytopenia_from_disease, notes, unverified,
        )  # fmt: skip
    else:
        notes.append(
            "neutropenia/thrombocytopenia do not interrupt doses within a cycle "
            f"({table.rule('general').rule_id}); Table 2 acts at day 1 of the next cycle"
        )
    action: Action = max((r.action for r in reasons), key=_SEVERITY.__getitem__, default="give")
    return DoseDecision(action, tuple(reasons), tuple(notes), table.version, tuple(unverified))


_PRETREATMENT_GRADE_CLAUSE = (
    "INO-MOD-NONHEME 'or pre-treatment grade': the retrieved label text stops at 'until "
    "recovery to Grade 1 o'; the rest is recalled (clinical-facts 1.4 [V-partial])"
)
_CONDITION_3_CLAUSE = (
    "INO-MOD-HEME-LOWBASE condition 3: the label text after 'most recent bone marrow "
    "assessment' was not retrieved (clinical-facts 1.4 [V-partial]); the release rests on the "
    "investigator's judgement"
)


def _exceeds(value: float, uln: float, factor: Decimal) -> bool:
    return decimal_of(value) > factor * decimal_of(uln)


def _liver_reasons(
    bili: Any, bili_uln: Any, ast: Any, ast_uln: Any, alt: Any, alt_uln: Any,
    gilbert: bool, trigger: str, notes: list[str],
) -> list[Reason]:  # fmt: skip
    rules = _table()
    values = {
        name: _optional(value, name)
        for name, value in (("total_bilirubin", bili), ("ast", ast), ("alt", alt))
    }
    ulns = {
        name: None if value is None else as_number(value, name, low=0, low_inclusive=False)
        for name, value in (("bilirubin_uln", bili_uln), ("ast_uln", ast_uln), ("alt_uln", alt_uln))
    }
    missing = []
    if values["total_bilirubin"] is None or ulns["bilirubin_uln"] is None:
        missing.append("total bilirubin with its ULN")
    pairs = [
        (name, values[name], ulns[f"{name}_uln"])
        for name in ("ast", "alt")
        if values[name] is not None and ulns[f"{name}_uln"] is not None
    ]
    if not pairs:
        missing.append("AST or ALT with its ULN")
    if missing:
        return [_reason("liver_tests_missing", f"missing before the dose: {', '.join(missing)}")]
    bili_value, bili_limit = values["total_bilirubin"], ulns["bilirubin_uln"]
    assert bili_value is not None
    assert bili_limit is not None
    bili_high = _exceeds(bili_value, bili_limit, rules.bilirubin_x_uln)
    if bili_high and gilbert:
        notes.append("bilirubin > 1.5 x ULN not counted: Gilbert's syndrome or haemolysis")
        bili_high = False
    high_enzymes = [
        name.upper()
        for name, value, limit in pairs
        if value is not None
        and limit is not None
        and _exceeds(value, limit, rules.transaminase_x_uln)
    ]
    fired = (
        (bili_high and bool(high_enzymes))
        if trigger == "and"
        else (bili_high or bool(high_enzymes))
    )
    if not fired:
        if bili_high or high_enzymes:
            notes.append(
                "only one liver criterion exceeded; the label's trigger needs both ('and')"
            )
        return []
    parts = (["total bilirubin > 1.5 x ULN"] if bili_high else []) + [
        f"{name} > 2.5 x ULN" for name in high_enzymes
    ]
    how = "" if trigger == "and" else " (trigger 'either', stricter than the label's 'and')"
    return [_reason("liver", " and ".join(parts) + how)]


def _count_reasons(
    anc: Any, platelets: Any, pre_anc: Any, pre_plt: Any, low_days: Any,
    drug_related: Any, marrow_flag: Any, notes: list[str], unverified: list[str],
) -> list[Reason]:  # fmt: skip
    table = _table()
    fields = (("anc", anc), ("platelets", platelets), ("pretreatment_anc", pre_anc),
              ("pretreatment_platelets", pre_plt))  # fmt: skip
    counts = {name: _count(value, name) for name, value in fields}
    missing = [name for name, value in counts.items() if value is None]
    if missing:
        raise InputError(
            missing[0],
            "a count in 10^9/L (needed at day 1 of cycles >= 2)",
            None,
            "Label Table 2 needs current and pre-treatment ANC and platelets.",
        )
    a, p, pa, pp = (decimal_of(float(counts[n] or 0)) for n, _ in fields)
    if isinstance(low_days, bool) or not isinstance(low_days, int) or low_days < 0:
        raise InputError("low_counts_days", "an integer >= 0 (days)", low_days)
    if drug_related is not None:
        as_flag(drug_related, "low_counts_drug_related")
    marrow = as_flag(marrow_flag, "marrow_stable_and_cytopenia_from_disease")

    anc_floor, plt_floor = table.anc_floor, table.platelet_floor
    reasons: list[Reason] = []
    if pa >= table.anc_baseline and pp >= table.platelet_baseline:
        if a < anc_floor:
            reasons.append(_reason("anc", f"ANC {a} < {anc_floor} x 10^9/L (baseline {pa})"))
        if p < plt_floor:
            reasons.append(
                _reason("platelets", f"platelets {p} < {plt_floor} x 10^9/L (baseline {pp})")
            )
    else:
        by_baseline = a >= pa and p >= pp
        by_floor = a >= anc_floor and p >= plt_floor
        released = by_baseline or by_floor or marrow
        if by_baseline:
            notes.append(f"released by condition 1: ANC {a} >= {pa} and platelets {p} >= {pp}")
        elif by_floor:
            notes.append(
                f"released by condition 2: ANC {a} >= {anc_floor} and platelets {p} >= {plt_floor}"
            )
        elif marrow:
            notes.append(
                "released by condition 3 (investigator: stable/improved marrow, cytopenia from disease)"
            )
            unverified.append(_CONDITION_3_CLAUSE)
        if not released:
            reasons.append(
                _reason(
                    "low_baseline",
                    f"low pre-treatment counts (ANC {pa}, platelets {pp}); now ANC {a}, "
                    f"platelets {p}: none of the release conditions met",
                )
            )
    if reasons:
        limit = table.persist_days
        if low_days > limit and drug_related is True:
            reasons.append(
                _reason(
                    "low_counts_persisting",
                    f"low counts for {low_days} days (> {limit}), BESPONSA-related",
                )
            )
        elif low_days > limit and drug_related is None:
            notes.append(
                f"low counts for {low_days} days (> {limit}): judge whether BESPONSA-related "
                "(if so, discontinue)"
            )
    return reasons
