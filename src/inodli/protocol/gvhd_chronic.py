"""Chronic GVHD: NIH 2014 global severity (none, mild, moderate, severe).

Eight organs or sites are scored 0-3: skin, mouth, eyes, GI tract, liver, lungs, joints and
fascia, genital tract. Skin is the higher of its two scores (BSA and sclerotic features);
lung is the FEV1-based score. An organ whose abnormality is wholly explained by a documented
non-GVHD cause is excluded (scored 0); performance status is not part of the global score.
Rules, in the order tried: severe, moderate, mild, none (``rules/cgvhd_nih.toml``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["CgvhdSeverity", "CgvhdSeverityResult", "cgvhd_global_severity", "cgvhd_organs"]


class CgvhdSeverity(StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


@dataclass(frozen=True)
class CgvhdSeverityResult:
    """Global severity, the organ scores used, and the reasons.

    ``verification`` says how well the severity rules are sourced ([C]: corroborated, the
    Jagasia 2015 table itself not retrieved); it is shown with every result.
    """

    severity: CgvhdSeverity
    scores: dict[str, int]
    reasons: tuple[str, ...]
    rule: str
    verification: str = ""

    def __str__(self) -> str:
        status = f" [{self.verification}]" if self.verification else ""
        return (
            f"chronic GVHD global severity: {self.severity.value}. "
            f"{'; '.join(self.reasons)}{status}"
        )


@dataclass(frozen=True)
class _Rules:
    organs: tuple[str, ...]
    lung: str
    max_score: int
    severe_any: int
    severe_lung: int
    moderate_count: int
    moderate_non_lung: int
    moderate_lung: int
    mild_organs: int
    mild_score: int
    mild_lung: int
    texts: dict[str, str]
    status: str


@cache
def _rules() -> _Rules:
    data = load_rule_table("cgvhd_nih")
    try:
        rules = _Rules(
            organs=tuple(str(o) for o in data["organs"]["names"]),
            lung=str(data["organs"]["lung"]),
            max_score=int(data["organs"]["max_score"]),
            severe_any=int(data["severe"]["any_organ_score_at_least"]),
            severe_lung=int(data["severe"]["lung_score_at_least"]),
            moderate_count=int(data["moderate"]["organs_with_score_1_or_more_at_least"]),
            moderate_non_lung=int(data["moderate"]["non_lung_organ_score_at_least"]),
            moderate_lung=int(data["moderate"]["lung_score_at_least"]),
            mild_organs=int(data["mild"]["organs_involved_at_most"]),
            mild_score=int(data["mild"]["organ_score_at_most"]),
            mild_lung=int(data["mild"]["lung_score_at_most"]),
            texts={k: str(data[k]["source_text"]) for k in ("severe", "moderate", "mild", "none")},
            status=str(data["verification"]["severity_status"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'cgvhd_nih' is malformed: {error!r}") from error
    if rules.lung not in rules.organs or len(rules.organs) != 8:
        raise RuleTableError("cgvhd_nih: organs must be 8 and include the lung")
    return rules


def cgvhd_organs() -> tuple[str, ...]:
    """The 8 organ names ``cgvhd_global_severity`` expects."""
    return _rules().organs


def _score(value: Any, field: str, max_score: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= max_score:
        raise InputError(field, f"a whole-number score 0-{max_score}", value)
    return value


def cgvhd_global_severity(
    organ_scores: Mapping[str, int],
    *,
    skin_scores: tuple[int, int] | None = None,
    excluded: Collection[str] = (),
    unscored_as_zero: bool = False,
) -> CgvhdSeverityResult:
    """NIH 2014 global severity of chronic GVHD.

    Parameters
    ----------
    organ_scores : mapping
        Score 0-3 for each of ``cgvhd_organs()``; ``"lungs"`` is the FEV1-based score.
        ``"skin"`` may be omitted when ``skin_scores`` is given.
    skin_scores : (int, int), optional
        The two skin scores (BSA score, sclerotic-feature score); the higher is used.
    excluded : collection of str
        Organs whose abnormality is wholly explained by a documented non-GVHD cause:
        scored 0 (multifactorial abnormalities are not excluded).
    unscored_as_zero : bool
        Treat organs not given as score 0 (and say so); by default every organ is required.

    Returns
    -------
    CgvhdSeverityResult

    References
    ----------
    .. [1] Jagasia MH et al. Biol Blood Marrow Transplant 2015;21:389-401.

    Examples
    --------
    >>> scores = dict(skin=1, mouth=1, eyes=0, gi=0, liver=0, lungs=0, joints_fascia=0, genital=0)
    >>> cgvhd_global_severity(scores).severity.value
    'mild'
    """
    rules = _rules()
    if not isinstance(organ_scores, Mapping):
        raise InputError("organ_scores", "a mapping of organ -> score 0-3", organ_scores)
    unknown = sorted(set(organ_scores) - set(rules.organs))
    if unknown:
        raise InputError("organ_scores", f"organs among {', '.join(rules.organs)}", unknown)
    bad_excluded = sorted(set(excluded) - set(rules.organs))
    if bad_excluded:
        raise InputError("excluded", f"organs among {', '.join(rules.organs)}", bad_excluded)
    reasons: list[str] = []
    scores: dict[str, int] = {}
    if skin_scores is not None:
        if "skin" in organ_scores:
            raise InputError(
                "skin_scores", "either skin_scores or organ_scores['skin']", skin_scores
            )
        if not isinstance(skin_scores, tuple | list) or len(skin_scores) != 2:
            raise InputError(
                "skin_scores", "two scores (BSA score, sclerotic-feature score)", skin_scores
            )
        pair = [_score(s, "skin_scores", rules.max_score) for s in skin_scores]
        scores["skin"] = max(pair)
        reasons.append(f"skin: higher of the 2 skin scores {tuple(pair)} = {scores['skin']}")
    missing = [o for o in rules.organs if o not in organ_scores and o not in scores]
    if missing and not unscored_as_zero:
        raise InputError(
            "organ_scores",
            f"a score for every organ ({', '.join(rules.organs)})",
            f"missing {', '.join(missing)}",
        )
    for organ in rules.organs:
        if organ in scores:
            continue
        scores[organ] = (
            _score(organ_scores[organ], organ, rules.max_score) if organ in organ_scores else 0
        )
    if missing:
        reasons.append(f"not scored, taken as 0: {', '.join(missing)}")
    for organ in sorted(set(excluded)):
        if scores[organ]:
            reasons.append(
                f"{organ} score {scores[organ]} excluded: explained by a documented non-GVHD cause"
            )
        scores[organ] = 0

    lung = scores[rules.lung]
    involved = {o: s for o, s in scores.items() if s >= 1}
    non_lung = {o: s for o, s in involved.items() if o != rules.lung}
    shown = ", ".join(f"{o} {s}" for o, s in involved.items()) or "no organ involved"

    def result(severity: CgvhdSeverity, why: str) -> CgvhdSeverityResult:
        return CgvhdSeverityResult(
            severity, dict(scores), (*reasons, why), rules.texts[severity.value], rules.status
        )

    threes = [o for o, s in involved.items() if s >= rules.severe_any]
    if threes or lung >= rules.severe_lung:
        why = f"score 3 in {', '.join(threes)}" if threes else f"lung score {lung}"
        return result(CgvhdSeverity.SEVERE, f"{why} ({shown})")
    twos = [o for o, s in non_lung.items() if s >= rules.moderate_non_lung]
    if twos or lung >= rules.moderate_lung or len(involved) >= rules.moderate_count:
        if twos:
            why = f"score 2 in {', '.join(twos)}"
        elif lung >= rules.moderate_lung:
            why = f"lung score {lung}"
        else:
            why = f"{len(involved)} organs involved"
        return result(CgvhdSeverity.MODERATE, f"{why} ({shown})")
    if involved:
        # Here every involved organ scores 1, at most 2 organs, lung 0: the mild pattern.
        if not (
            len(involved) <= rules.mild_organs
            and max(involved.values()) <= rules.mild_score
            and lung <= rules.mild_lung
        ):
            raise RuleTableError(
                f"cgvhd_nih: no severity rule matched {scores}"
            )  # pragma: no cover
        return result(
            CgvhdSeverity.MILD, f"{len(involved)} organ(s) with score 1, lung 0 ({shown})"
        )
    return result(CgvhdSeverity.NONE, shown)
