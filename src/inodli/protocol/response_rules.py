"""The response rule table (``rules/response.toml``) as frozen dataclasses.

Named CR/CRi criteria sets (``trial_record``, the default, and ``label``), the progression
and relapse thresholds and the imaging parameter, read once and validated at load.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import Threshold, parse_threshold

__all__ = ["ResponseCriteria", "response_criteria", "response_rules"]


@dataclass(frozen=True)
class ResponseCriteria:
    """One named set of CR/CRi thresholds (counts in 10^9/L, blasts in %)."""

    name: str
    title: str
    marrow_blasts_pct: Threshold
    cr_platelets: Threshold
    cr_anc: Threshold
    cri_platelets: Threshold | None
    cri_anc: Threshold | None
    cr_source_text: str
    cri_source_text: str


@dataclass(frozen=True)
class ResponseRules:
    version: str
    criteria: dict[str, ResponseCriteria]
    default_criteria: str
    progression_increase: Threshold
    progression_source_text: str
    relapse_marrow_blasts: Threshold
    relapse_source_text: str
    max_deauville: int


@cache
def response_rules() -> ResponseRules:
    data = load_rule_table("response")
    try:
        criteria = {}
        for name, spec in data["criteria"].items():
            where = f"response.criteria.{name}"
            has_floor = "cri_platelets" in spec
            if has_floor != ("cri_anc" in spec):
                raise RuleTableError(f"{where}: give both CRi floors or neither")
            criteria[name] = ResponseCriteria(
                name=name,
                title=str(spec["title"]),
                marrow_blasts_pct=parse_threshold(spec["marrow_blasts_pct"], where),
                cr_platelets=parse_threshold(spec["cr_platelets"], where),
                cr_anc=parse_threshold(spec["cr_anc"], where),
                cri_platelets=parse_threshold(spec["cri_platelets"], where) if has_floor else None,
                cri_anc=parse_threshold(spec["cri_anc"], where) if has_floor else None,
                cr_source_text=str(spec["cr_source_text"]),
                cri_source_text=str(spec["cri_source_text"]),
            )
        rules = ResponseRules(
            version=str(data["version"]),
            criteria=criteria,
            default_criteria=str(data["default_criteria"]),
            progression_increase=parse_threshold(
                data["progression"]["relative_increase"], "response.progression"
            ),
            progression_source_text=str(data["progression"]["source_text"]),
            relapse_marrow_blasts=parse_threshold(
                data["relapse"]["marrow_blasts_pct"], "response.relapse"
            ),
            relapse_source_text=str(data["relapse"]["source_text"]),
            max_deauville=int(data["imaging"]["max_deauville_without_active_disease"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'response' is malformed: {error!r}") from error
    if rules.default_criteria not in criteria:
        raise RuleTableError("rule table 'response': default_criteria is not a declared set")
    return rules


def response_criteria(name: str | None = None) -> ResponseCriteria:
    """Return the named criteria set (default: the trial record's)."""
    rules = response_rules()
    key = rules.default_criteria if name is None else name
    if key not in rules.criteria:
        raise InputError("criteria", f"one of {sorted(rules.criteria)}", name)
    return rules.criteria[key]
