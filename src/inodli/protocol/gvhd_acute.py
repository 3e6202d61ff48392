"""Acute GVHD: MAGIC organ staging and the overall clinical grade.

Organ stages come from measured findings (skin % BSA, bilirubin, upper-GI symptoms, stool
volume or episodes, adult or child rules); :func:`agvhd_overall_grade` combines the four
stages by the MAGIC pattern rules, tried from grade IV down. The grade is **not** the
maximum stage: stage-3 skin alone is grade II, stage-2 lower GI alone is grade III. All
thresholds and rules are in ``rules/agvhd_magic.toml`` with their source wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import Threshold, as_number, parse_threshold

__all__ = [
    "AgvhdAssessment",
    "AgvhdGrade",
    "OrganStage",
    "agvhd_overall_grade",
    "assess_agvhd",
    "stage_liver",
    "stage_lower_gi",
    "stage_skin",
    "stage_upper_gi",
]

ORGANS = ("skin", "liver", "upper_gi", "lower_gi")
MAX_STAGE = {"skin": 4, "liver": 4, "upper_gi": 1, "lower_gi": 4}
ROMAN = {0: "0", 1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class _StageRow:
    stage: int
    lower: Threshold | None
    upper: Threshold | None
    source_text: str

    def holds(self, value: float) -> bool:
        return all(b.holds(value) for b in (self.lower, self.upper) if b is not None)


@dataclass(frozen=True)
class _GradeRule:
    grade: int
    source_text: str
    any_of: tuple[dict[str, tuple[int, int]], ...]

    def holds(self, stages: dict[str, int]) -> bool:
        return any(
            all(low <= stages[organ] <= high for organ, (low, high) in option.items())
            for option in self.any_of
        )


@dataclass(frozen=True)
class OrganStage:
    """One organ's MAGIC stage and the finding that set it."""

    organ: str
    stage: int
    reason: str


@dataclass(frozen=True)
class AgvhdGrade:
    """The overall MAGIC grade (0-4) with the rule that decided it.

    ``verification`` says how well the overall-grade rules are sourced ([C]: corroborated,
    Harris 2016 Table 2 itself not retrieved); it is shown with every grade.
    """

    grade: int
    stages: dict[str, int]
    rule: str
    verification: str = ""

    @property
    def roman(self) -> str:
        return ROMAN[self.grade]

    def __str__(self) -> str:
        shown = ", ".join(f"{organ} {stage}" for organ, stage in self.stages.items())
        status = f" [{self.verification}]" if self.verification else ""
        return f"acute GVHD grade {self.roman} ({shown}): {self.rule}{status}"


@dataclass(frozen=True)
class AgvhdAssessment:
    organ_stages: tuple[OrganStage, ...]
    overall: AgvhdGrade


def _rows(specs: Any, where: str) -> tuple[_StageRow, ...]:
    rows = [
        _StageRow(
            int(spec["stage"]),
            parse_threshold(spec["lower"], where) if "lower" in spec else None,
            parse_threshold(spec["upper"], where) if "upper" in spec else None,
            str(spec["source_text"]),
        )
        for spec in specs
    ]
    return tuple(sorted(rows, key=lambda row: -row.stage))


@cache
def _table() -> dict[str, Any]:
    data = load_rule_table("agvhd_magic")
    try:
        gi = data["lower_gi"]
        rules = [
            _GradeRule(
                int(spec["grade"]),
                str(spec["source_text"]),
                tuple(
                    {organ: (int(r[0]), int(r[1])) for organ, r in option.items()}
                    for option in spec["any_of"]
                ),
            )
            for spec in data["grades"]
        ]
        for rule in rules:
            for option in rule.any_of:
                if not set(option) <= set(ORGANS):
                    raise RuleTableError(f"agvhd_magic grade {rule.grade}: unknown organ")
        return {
            "version": str(data["version"]),
            "skin": _rows(data["skin"]["rows"], "agvhd_magic.skin"),
            "skin4_erythema": parse_threshold(data["skin"]["stage4_erythema_pct"], "skin"),
            "skin4_bullae": parse_threshold(data["skin"]["stage4_bullae_desquamation_pct"], "skin"),
            "skin_text": (str(data["skin"]["stage0_text"]), str(data["skin"]["stage4_text"])),
            "liver": _rows(data["liver"]["rows"], "agvhd_magic.liver"),
            "umol_per_mg_dl": Decimal(str(data["liver"]["umol_per_mg_dl"])),
            "upper_text": (
                str(data["upper_gi"]["stage0_text"]),
                str(data["upper_gi"]["stage1_text"]),
                str(data["upper_gi"]["definition"]),
            ),
            "adult_weight": parse_threshold(gi["adult_min_weight_kg"], "lower_gi"),
            "episode_ml_adult": float(gi["unquantified_episode_ml_adult"]),
            "episode_ml_per_kg_child": float(gi["unquantified_episode_ml_per_kg_child"]),
            "mixed_fraction": Decimal(str(gi["mixed_with_urine_stool_fraction"])),
            "mixed_text": str(gi["mixed_with_urine_text"]),
            "grade_status": str(data["verification"]["overall_grade_status"]),
            "gi4_text": str(gi["stage4_text"]),
            "adult_ml": _rows(gi["adult_ml"], "lower_gi.adult_ml"),
            "adult_episodes": _rows(gi["adult_episodes"], "lower_gi.adult_episodes"),
            "child_ml_per_kg": _rows(gi["child_ml_per_kg"], "lower_gi.child_ml_per_kg"),
            "child_episodes": _rows(gi["child_episodes"], "lower_gi.child_episodes"),
            "grades": tuple(sorted(rules, key=lambda rule: -rule.grade)),
        }
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise RuleTableError(f"rule table 'agvhd_magic' is malformed: {error!r}") from error


def _first(rows: tuple[_StageRow, ...], value: float) -> _StageRow | None:
    return next((row for row in rows if row.holds(value)), None)


def stage_skin(erythema_bsa_pct: float, bullae_desquamation_bsa_pct: float = 0.0) -> OrganStage:
    """Skin stage from % BSA with active erythema and % BSA with bullae/desquamation.

    Examples
    --------
    >>> stage_skin(30).stage
    2
    >>> stage_skin(60, bullae_desquamation_bsa_pct=6).stage
    4
    """
    table = _table()
    erythema = as_number(erythema_bsa_pct, "erythema_bsa_pct", low=0, high=100, unit="% BSA")
    bullae = as_number(
        bullae_desquamation_bsa_pct, "bullae_desquamation_bsa_pct", low=0, high=100, unit="% BSA"
    )
    stage0_text, stage4_text = table["skin_text"]
    if table["skin4_erythema"].holds(erythema) and table["skin4_bullae"].holds(bullae):
        return OrganStage(
            "skin",
            4,
            f"erythema {erythema:g}% and bullae/desquamation {bullae:g}% BSA: {stage4_text}",
        )
    row = _first(table["skin"], erythema)
    if row is None:
        return OrganStage("skin", 0, f"erythema {erythema:g}% BSA: {stage0_text}")
    note = ""
    if bullae > 0:
        note = f"; bullae/desquamation {bullae:g}% BSA without the stage-4 pattern ({stage4_text})"
    return OrganStage("skin", row.stage, f"erythema {erythema:g}% BSA: {row.source_text}{note}")


def stage_liver(bilirubin: float, unit: str = "mg/dL") -> OrganStage:
    """Liver stage from total bilirubin (mg/dL, or umol/L converted at 17.1 umol/L per mg/dL).

    Examples
    --------
    >>> stage_liver(2.0).stage
    1
    >>> stage_liver(51.3, unit="umol/L").stage
    1
    """
    table = _table()
    value = as_number(bilirubin, "bilirubin", low=0, unit=unit)
    key = unit.replace("µ", "u").replace("μ", "u").replace(" ", "").lower()
    if key == "mg/dl":
        mg_dl, shown = value, f"bilirubin {value:g} mg/dL"
    elif key == "umol/l":
        # Decimal division so that 34.2 umol/L is exactly 2 mg/dL, the stage-1 boundary.
        mg_dl = float(Decimal(repr(value)) / table["umol_per_mg_dl"])
        shown = f"bilirubin {value:g} umol/L (= {mg_dl:.4g} mg/dL)"
    else:
        raise InputError("unit", "mg/dL or umol/L", unit)
    row = _first(table["liver"], mg_dl)
    if row is None:
        return OrganStage("liver", 0, f"{shown}: <2 mg/dL")
    return OrganStage("liver", row.stage, f"{shown}: {row.source_text}")


def stage_upper_gi(persistent_symptoms: bool) -> OrganStage:
    """Upper-GI stage: 1 for persistent nausea, vomiting or anorexia, else 0."""
    if not isinstance(persistent_symptoms, bool):
        raise InputError("persistent_symptoms", "True or False", persistent_symptoms)
    stage0_text, stage1_text, definition = _table()["upper_text"]
    return OrganStage(
        "upper_gi",
        int(persistent_symptoms),
        f"{stage1_text}. {definition}" if persistent_symptoms else stage0_text,
    )


def stage_lower_gi(
    *,
    weight_kg: float,
    stool_ml_per_day: float | None = None,
    episodes_per_day: int | None = None,
    unquantified_episodes: int = 0,
    severe_abdominal_pain: bool = False,
    grossly_bloody_stool: bool = False,
    stool_mixed_with_urine: bool = False,
) -> OrganStage:
    """Lower-GI stage from stool output, adult (>50 kg) or child rules.

    Parameters
    ----------
    weight_kg : float
        Patient weight: adult stool values for >50 kg, per-kg values otherwise.
    stool_ml_per_day : float, optional
        Measured diarrhoea volume per day (the highest daily output of the 3 days before
        diagnosis at onset, a 3-day average later; MAGIC).
    episodes_per_day : int, optional
        Number of liquid stool episodes per day when volume is not measured.
    unquantified_episodes : int
        Episodes without a volume: each counts as 200 mL (adult) or 3 mL/kg (child), added
        to ``stool_ml_per_day``.
    severe_abdominal_pain, grossly_bloody_stool : bool
        Either one makes the stage 4 regardless of volume.
    stool_mixed_with_urine : bool
        ``stool_ml_per_day`` was measured as a stool/urine mix: stool is taken as 50% of it
        (NCI PDQ footnote to the MAGIC staging table).

    When both a volume and an episode count are given, the higher stage is used.

    Examples
    --------
    >>> stage_lower_gi(weight_kg=70, stool_ml_per_day=800).stage
    1
    >>> stage_lower_gi(weight_kg=20, stool_ml_per_day=400).stage  # 20 mL/kg/day
    2
    """
    table = _table()
    weight = as_number(weight_kg, "weight_kg", low=1, high=350, unit="kg")
    for name, flag in (
        ("severe_abdominal_pain", severe_abdominal_pain),
        ("grossly_bloody_stool", grossly_bloody_stool),
        ("stool_mixed_with_urine", stool_mixed_with_urine),
    ):
        if not isinstance(flag, bool):
            raise InputError(name, "True or False", flag)
    if (
        isinstance(unquantified_episodes, bool)
        or not isinstance(unquantified_episodes, int)
        or unquantified_episodes < 0
    ):
        raise InputError("unquantified_episodes", "a whole number >= 0", unquantified_episodes)
    if episodes_per_day is not None and (
        isinstance(episodes_per_day, bool)
        or not isinstance(episodes_per_day, int)
        or episodes_per_day < 0
    ):
        raise InputError("episodes_per_day", "a whole number >= 0", episodes_per_day)
    if severe_abdominal_pain or grossly_bloody_stool:
        found = "severe abdominal pain" if severe_abdominal_pain else "grossly bloody stool"
        return OrganStage("lower_gi", 4, f"{found}: {table['gi4_text']}")
    adult = table["adult_weight"].holds(weight)
    volume = (
        None
        if stool_ml_per_day is None
        else as_number(stool_ml_per_day, "stool_ml_per_day", low=0, unit="mL/day")
    )
    mixed_note = ""
    if stool_mixed_with_urine:
        if volume is None:
            raise InputError(
                "stool_ml_per_day", "the measured stool/urine volume (mL/day)", None,
                "stool_mixed_with_urine needs the volume of the mix.",
            )  # fmt: skip
        mixed = volume
        volume = float(Decimal(repr(volume)) * table["mixed_fraction"])
        mixed_note = f" (stool/urine mix {mixed:g} mL/day: stool taken as {volume:g} mL/day)"
    if unquantified_episodes:
        # Decimal arithmetic: 3 mL/kg x 1.07 kg then / 1.07 kg must give back exactly 3.
        per_episode = (
            Decimal(repr(table["episode_ml_adult"]))
            if adult
            else Decimal(repr(table["episode_ml_per_kg_child"])) * Decimal(repr(weight))
        )
        volume = float(Decimal(repr(volume or 0.0)) + unquantified_episodes * per_episode)
    if volume is None and episodes_per_day is None:
        raise InputError(
            "stool_ml_per_day", "a stool volume, an episode count or unquantified episodes", None
        )
    who = (
        f"adult rules (weight {weight:g} kg > 50)"
        if adult
        else f"child rules (weight {weight:g} kg <= 50)"
    )
    candidates: list[tuple[int, str]] = []
    if volume is not None:
        # Per kg in Decimal: 10.7 mL / 1.07 kg is exactly 10 mL/kg (stage 1), not 9.999...
        amount = volume if adult else float(Decimal(repr(volume)) / Decimal(repr(weight)))
        shown = f"{amount:g} mL/day" if adult else f"{amount:.4g} mL/kg/day"
        row = _first(table["adult_ml"] if adult else table["child_ml_per_kg"], amount)
        candidates.append(
            (0, f"{shown}: below stage 1")
            if row is None
            else (row.stage, f"{shown}: {row.source_text}")
        )
    if episodes_per_day is not None:
        row = _first(
            table["adult_episodes"] if adult else table["child_episodes"], episodes_per_day
        )
        shown = f"{episodes_per_day} episodes/day"
        candidates.append(
            (0, f"{shown}: below stage 1")
            if row is None
            else (row.stage, f"{shown}: {row.source_text}")
        )
    stage, detail = max(candidates, key=lambda c: c[0])
    extra = "; the higher of the volume and episode stages" if len(candidates) > 1 else ""
    return OrganStage("lower_gi", stage, f"{who}, {detail}{mixed_note}{extra}")


def agvhd_overall_grade(skin: int, liver: int, upper_gi: int, lower_gi: int) -> AgvhdGrade:
    """MAGIC overall clinical grade (0-4) from the four organ stages.

    Rules are tried from grade IV down (Harris 2016, Table 2): IV: stage 4 skin, liver or
    lower GI; III: stage 2-3 liver or lower GI; II: stage 3 skin or stage 1 liver, upper GI
    or lower GI; I: stage 1-2 skin alone; 0: nothing.

    References
    ----------
    .. [1] Harris AC et al. Biol Blood Marrow Transplant 2016;22:4-10, Table 2.

    Examples
    --------
    >>> agvhd_overall_grade(skin=3, liver=0, upper_gi=0, lower_gi=0).roman
    'II'
    >>> agvhd_overall_grade(skin=0, liver=0, upper_gi=0, lower_gi=2).roman
    'III'
    """
    stages = {"skin": skin, "liver": liver, "upper_gi": upper_gi, "lower_gi": lower_gi}
    for organ, stage in stages.items():
        if (
            isinstance(stage, bool)
            or not isinstance(stage, int)
            or not 0 <= stage <= MAX_STAGE[organ]
        ):
            raise InputError(organ, f"a stage 0-{MAX_STAGE[organ]} (whole number)", stage)
    table = _table()
    for rule in table["grades"]:
        if rule.holds(stages):
            return AgvhdGrade(rule.grade, stages, rule.source_text, table["grade_status"])
    raise RuleTableError(f"agvhd_magic: no grade rule matched {stages}")  # pragma: no cover


def assess_agvhd(
    *,
    skin_erythema_bsa_pct: float,
    bilirubin: float,
    upper_gi_persistent: bool,
    weight_kg: float,
    bullae_desquamation_bsa_pct: float = 0.0,
    bilirubin_unit: str = "mg/dL",
    stool_ml_per_day: float | None = None,
    stool_episodes_per_day: int | None = None,
    unquantified_episodes: int = 0,
    severe_abdominal_pain: bool = False,
    grossly_bloody_stool: bool = False,
    stool_mixed_with_urine: bool = False,
) -> AgvhdAssessment:
    """Stage all four organs from findings and grade them (MAGIC)."""
    organ_stages = (
        stage_skin(skin_erythema_bsa_pct, bullae_desquamation_bsa_pct),
        stage_liver(bilirubin, bilirubin_unit),
        stage_upper_gi(upper_gi_persistent),
        stage_lower_gi(
            weight_kg=weight_kg,
            stool_ml_per_day=stool_ml_per_day,
            episodes_per_day=stool_episodes_per_day,
            unquantified_episodes=unquantified_episodes,
            severe_abdominal_pain=severe_abdominal_pain,
            grossly_bloody_stool=grossly_bloody_stool,
            stool_mixed_with_urine=stool_mixed_with_urine,
        ),
    )
    overall = agvhd_overall_grade(*(s.stage for s in organ_stages))
    return AgvhdAssessment(organ_stages, overall)
