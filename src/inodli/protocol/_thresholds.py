"""Comparison thresholds as data, shared by the classification rule tables.

A rule table writes a threshold as ``{op = "le", value = 5.0}``; ``op`` is one of four
enumerated tokens, never an expression, so a table can say exactly what its source says
("<=5%", ">100") and nothing is evaluated from a string.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError

__all__ = ["Operator", "Threshold", "as_number", "parse_threshold"]


class Operator(StrEnum):
    """A comparison of ``value`` against a limit: ``value <op> limit``."""

    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"

    @property
    def symbol(self) -> str:
        return {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}[self.value]

    def holds(self, value: Any, limit: Any) -> bool:
        """``value <op> limit`` for two floats or two Decimals."""
        if self is Operator.GT:
            return value > limit
        if self is Operator.GE:
            return value >= limit
        if self is Operator.LT:
            return value < limit
        return value <= limit


@dataclass(frozen=True)
class Threshold:
    """``value <op> limit``, e.g. ``Threshold(Operator.LE, 5.0)`` for "blasts <=5%"."""

    op: Operator
    limit: float

    def holds(self, value: float) -> bool:
        return self.op.holds(value, self.limit)

    def __str__(self) -> str:
        return f"{self.op.symbol} {self.limit:g}"


def parse_threshold(spec: Any, where: str) -> Threshold:
    """Build a :class:`Threshold` from a rule-table entry ``{op = "..", value = ..}``."""
    try:
        op = Operator(spec["op"])
        limit = float(spec["value"])
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(
            f"{where}: a threshold needs op in gt/ge/lt/le and a numeric value, got {spec!r}"
        ) from error
    if not math.isfinite(limit):
        raise RuleTableError(f"{where}: threshold value must be finite, got {limit!r}")
    return Threshold(op, limit)


def as_number(
    value: Any,
    field: str,
    *,
    low: float | None = None,
    high: float | None = None,
    unit: str = "",
) -> float:
    """Return ``value`` as a finite float within ``[low, high]`` or raise :class:`InputError`.

    Booleans are refused: ``True`` is not a blast percentage.
    """
    suffix = f" ({unit})" if unit else ""
    if low is not None and high is not None:
        allowed = f"a number in {low:g}-{high:g}{suffix}"
    elif low is not None:
        allowed = f"a number >= {low:g}{suffix}"
    else:
        allowed = f"a number{suffix}"
    if isinstance(value, bool):
        raise InputError(field, allowed, value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(field, allowed, value) from None
    if not math.isfinite(number):
        raise InputError(field, allowed, value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise InputError(field, allowed, value)
    return number
