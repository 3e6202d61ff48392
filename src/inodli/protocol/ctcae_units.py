"""Units for CTCAE lab grading: spelling variants, exact conversion factors.

Conversions use :class:`decimal.Decimal` on the decimal text of each number, so 1500/mm3
becomes exactly 1.5 x 10^9/L and 1.8/1.2 is exactly 1.5 (binary floats give 1.5000000000000002
and would put a value on the wrong side of a CTCAE boundary).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["UnitGroup", "normalise_unit", "to_decimal", "unit_group"]


def normalise_unit(unit: str) -> str:
    """Canonical spelling key: case-folded, no spaces, micro as ``u``, ``10e9`` as ``10^9``."""
    text = unit.strip().replace(" ", "").replace("µ", "u").replace("μ", "u").replace("×", "x")
    text = text.lower().replace("10e", "10^").replace("10*", "10^").replace("mm^3", "mm3")
    if text.startswith("x"):
        text = text[1:]
    return text


def to_decimal(value: float) -> Decimal:
    """The decimal a person typed: ``Decimal(repr(float))`` (shortest round-trip text)."""
    return Decimal(repr(float(value)))


@dataclass(frozen=True)
class UnitGroup:
    """Units accepted for a set of terms and their factor to the terms' own unit."""

    name: str
    factors: dict[str, Decimal]  # normalised unit -> factor
    spellings: tuple[str, ...]  # units as written in the table, for messages
    source_text: str

    def factor(self, unit: str, field: str = "unit") -> Decimal:
        key = normalise_unit(unit)
        if key not in self.factors:
            raise InputError(field, f"one of {', '.join(self.spellings)}", unit)
        return self.factors[key]


@cache
def _groups() -> dict[str, UnitGroup]:
    data = load_rule_table("ctcae_v5_labs")
    by_term: dict[str, UnitGroup] = {}
    try:
        for name, spec in data["unit_groups"].items():
            group = UnitGroup(
                name=name,
                factors={normalise_unit(u): Decimal(str(f)) for u, f in spec["factors"].items()},
                spellings=tuple(spec["factors"]),
                source_text=str(spec["source_text"]),
            )
            for term in spec["terms"]:
                if term in by_term:
                    raise RuleTableError(f"ctcae_v5_labs: term {term!r} is in two unit groups")
                by_term[str(term)] = group
    except (KeyError, TypeError, ArithmeticError) as error:
        raise RuleTableError(f"ctcae_v5_labs unit_groups malformed: {error!r}") from error
    return by_term


def unit_group(term_key: str) -> UnitGroup:
    """The unit group of a term key (e.g. ``"blood_bilirubin_increased"``)."""
    groups = _groups()
    if term_key not in groups:
        raise RuleTableError(f"ctcae_v5_labs: term {term_key!r} has no unit group")
    return groups[term_key]
