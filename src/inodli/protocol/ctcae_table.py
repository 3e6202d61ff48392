"""The CTCAE v5.0 lab rule table (``rules/ctcae_v5_labs.toml``) as frozen dataclasses.

Read once and validated at load: every row has grades 1-4 and at least one bound, every
bound a known reference, every term a unit group. :mod:`inodli.protocol.ctcae` grades with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import Operator
from inodli.protocol.ctcae_units import normalise_unit, unit_group

__all__ = ["Bound", "GradeRow", "LabTerm", "lab_term_index", "list_ctcae_lab_terms", "name_key"]

REFS = ("abs", "lln", "uln", "baseline", "baseline_change")
BASELINE_RULES = ("none", "abnormal_baseline_switch", "worse_of")


@dataclass(frozen=True)
class Bound:
    """``value <op> limit x reference`` (or ``value - baseline <op> limit``)."""

    op: Operator
    limit: Decimal
    ref: str

    def __str__(self) -> str:
        if self.ref == "abs":
            return f"{self.op.symbol} {self.limit}"
        if self.ref == "baseline_change":
            return f"change from baseline {self.op.symbol} {self.limit}"
        return f"{self.op.symbol} {self.limit} x {self.ref.upper()}"


@dataclass(frozen=True)
class GradeRow:
    grades: tuple[int, ...]
    text: str
    lower: Bound | None
    upper: Bound | None
    clinician: str = ""

    @property
    def uses_baseline(self) -> bool:
        return any(b is not None and b.ref.startswith("baseline") for b in (self.lower, self.upper))


@dataclass(frozen=True)
class LabTerm:
    """One CTCAE term gradable (or flagged) from a measured value."""

    key: str
    name: str
    soc: str
    direction: str  # "low" or "high"
    unit: str
    aliases: tuple[str, ...]
    rows: tuple[GradeRow, ...]
    rows_by_unit: Mapping[str, tuple[GradeRow, ...]]
    abnormal_baseline_rows: tuple[GradeRow, ...]
    baseline_rule: str
    lab_gradable: bool
    clinician: str
    clinical_grades_text: str


def _bound(spec: Any, where: str) -> Bound | None:
    if spec is None:
        return None
    ref = spec.get("ref", "abs")
    if ref not in REFS:
        raise RuleTableError(f"{where}: ref {ref!r} is not one of {REFS}")
    return Bound(Operator(spec["op"]), Decimal(str(spec["value"])), ref)


def _rows(specs: Iterable[Any], where: str) -> tuple[GradeRow, ...]:
    rows = []
    for spec in specs:
        grades = tuple(int(g) for g in spec.get("grades", [spec.get("grade")]))
        if not grades or any(g not in (1, 2, 3, 4) for g in grades):
            raise RuleTableError(f"{where}: grades must be in 1-4, got {grades}")
        if len(grades) > 1 and not spec.get("clinician"):
            raise RuleTableError(f"{where}: a row with several grades must say what decides")
        lower, upper = _bound(spec.get("lower"), where), _bound(spec.get("upper"), where)
        if lower is None and upper is None:
            raise RuleTableError(f"{where}: a row needs a lower or an upper bound")
        rows.append(
            GradeRow(grades, str(spec["text"]), lower, upper, str(spec.get("clinician", "")))
        )
    # Worst grade first: the first matching row is the grade (worse of "or" criteria).
    return tuple(sorted(rows, key=lambda row: -max(row.grades)))


@cache
def lab_term_index() -> tuple[dict[str, LabTerm], dict[str, str], dict[str, dict[str, str]]]:
    data = load_rule_table("ctcae_v5_labs")
    terms: dict[str, LabTerm] = {}
    try:
        for key, spec in data["terms"].items():
            where = f"ctcae_v5_labs.terms.{key}"
            rule = str(spec.get("baseline_rule", "none"))
            if rule not in BASELINE_RULES or spec["direction"] not in ("low", "high"):
                raise RuleTableError(f"{where}: bad baseline_rule or direction")
            terms[key] = LabTerm(
                key=key,
                name=str(spec["name"]),
                soc=str(spec["soc"]),
                direction=str(spec["direction"]),
                unit=str(spec["unit"]),
                aliases=tuple(str(a) for a in spec.get("aliases", [])),
                rows=_rows(spec["rows"], where),
                rows_by_unit={
                    normalise_unit(u): _rows(r, where)
                    for u, r in spec.get("rows_by_unit", {}).items()
                },
                abnormal_baseline_rows=_rows(spec.get("abnormal_baseline_rows", []), where),
                baseline_rule=rule,
                lab_gradable=bool(spec.get("lab_gradable", True)),
                clinician=str(spec.get("clinician", "")),
                clinical_grades_text=str(spec.get("clinical_grades_text", "")),
            )
            if rule == "abnormal_baseline_switch" and not terms[key].abnormal_baseline_rows:
                raise RuleTableError(f"{where}: switch rule without abnormal_baseline_rows")
            unit_group(key)  # every term must have units
        names: dict[str, str] = {}
        for key, term in terms.items():
            for alias in (key, term.name, *term.aliases):
                names.setdefault(name_key(alias), key)
        analytes: dict[str, dict[str, str]] = {}
        for name, spec in data["analytes"].items():
            entry = {k: str(v) for k, v in spec.items() if k != "aliases"}
            for alias in spec["aliases"]:
                analytes[name_key(alias)] = {"analyte": name, **entry}
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise RuleTableError(f"rule table 'ctcae_v5_labs' is malformed: {error!r}") from error
    return terms, names, analytes


def name_key(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


def list_ctcae_lab_terms() -> tuple[LabTerm, ...]:
    """Every term this module grades or flags, in table order."""
    return tuple(lab_term_index()[0].values())
