"""CTCAE v5.0 grade texts for clinically graded terms this trial records.

SOS/VOD, febrile neutropenia, infusion related reaction, cytokine release syndrome, QTc
prolongation, hepatic failure and tumour lysis syndrome are graded by findings a clinician
judges; this module supplies their CTCAE wording (``rules/ctcae_v5_clinical.toml``) for AE
forms. QTc can also be graded from its value: ``ctcae_grade("QTc", 485)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["CtcaeTermText", "ctcae_term_text", "list_ctcae_clinical_terms"]


@dataclass(frozen=True)
class CtcaeTermText:
    """A CTCAE term with its grade definitions (grades that do not exist are absent)."""

    key: str
    name: str
    soc: str
    meddra_code: str
    grades: dict[int, str]
    aliases: tuple[str, ...]


def _key(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


@cache
def _table() -> tuple[dict[str, CtcaeTermText], dict[str, str]]:
    data = load_rule_table("ctcae_v5_clinical")
    terms: dict[str, CtcaeTermText] = {}
    names: dict[str, str] = {}
    try:
        for key, spec in data["terms"].items():
            grades = {int(g): str(text) for g, text in spec["grades"].items()}
            if not grades or any(g not in range(1, 6) for g in grades):
                raise RuleTableError(f"ctcae_v5_clinical.{key}: grades must be 1-5")
            terms[key] = CtcaeTermText(
                key=key,
                name=str(spec["name"]),
                soc=str(spec["soc"]),
                meddra_code=str(spec["meddra_code"]),
                grades=dict(sorted(grades.items())),
                aliases=tuple(str(a) for a in spec["aliases"]),
            )
            for alias in (key, spec["name"], *spec["aliases"]):
                names.setdefault(_key(str(alias)), key)
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'ctcae_v5_clinical' is malformed: {error!r}") from error
    return terms, names


def list_ctcae_clinical_terms() -> tuple[CtcaeTermText, ...]:
    """All clinically graded terms in the table."""
    return tuple(_table()[0].values())


def ctcae_term_text(term: str) -> CtcaeTermText:
    """The CTCAE v5.0 grade texts of ``term`` (name, key or alias such as ``"VOD"``).

    Examples
    --------
    >>> ctcae_term_text("VOD").name
    'Sinusoidal obstruction syndrome'
    >>> sorted(ctcae_term_text("febrile neutropenia").grades)
    [3, 4, 5]
    """
    terms, names = _table()
    key = _key(term) if isinstance(term, str) else ""
    if key not in names:
        raise InputError("term", f"one of {', '.join(t.name for t in terms.values())}", term)
    return terms[names[key]]
