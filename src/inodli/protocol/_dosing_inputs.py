"""Input checks and exact decimal rounding shared by the dosing modules.

Doses are computed in :class:`decimal.Decimal` from the decimal text of each input, so that
``0.8 mg/m2 x 1.70 m2`` is exactly ``1.36 mg`` and a value lying exactly on a threshold
(bilirubin = 1.5 x ULN) compares as equal, never as a binary-float neighbour.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any

from inodli.errors import InputError

__all__ = ["as_date", "as_flag", "as_number", "decimal_of", "round_half_up"]


def as_number(
    value: Any,
    field: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    unit: str = "",
) -> float:
    """Return ``value`` as a finite float inside ``[low, high]`` or raise :class:`InputError`.

    ``bool`` is refused although Python treats it as an ``int``: ``True`` is never a height.
    Strings are refused too; callers (forms, the CLI) convert text before calling the API.
    """
    allowed = _describe_range(low, high, low_inclusive, unit)
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise InputError(field, allowed, value)
    number = float(value)
    if not math.isfinite(number):
        raise InputError(field, allowed, value)
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    if too_low or (high is not None and number > high):
        raise InputError(field, allowed, value)
    return number


def _describe_range(low: float | None, high: float | None, low_inclusive: bool, unit: str) -> str:
    suffix = f" ({unit})" if unit else ""
    if low is not None and high is not None:
        if low_inclusive:
            return f"a number in {low:g}-{high:g}{suffix}"
        return f"a number > {low:g} and <= {high:g}{suffix}"
    if low is not None:
        return f"a number {'>=' if low_inclusive else '>'} {low:g}{suffix}"
    return f"a finite number{suffix}"


def as_flag(value: Any, field: str) -> bool:
    """Return ``value`` if it is a real ``bool``; 0/1, strings and None are refused."""
    if not isinstance(value, bool):
        raise InputError(field, "True or False", value)
    return value


def as_date(value: Any, field: str) -> date:
    """Return ``value`` if it is a :class:`datetime.date` (not a datetime, not a string)."""
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InputError(field, "a calendar date (datetime.date)", value)
    return value


def decimal_of(value: float | int | Decimal) -> Decimal:
    """The decimal a person typed: ``Decimal(str(1.7))`` is ``1.7``, not ``1.6999...``."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def round_half_up(value: Decimal, step: str) -> Decimal:
    """Round to the step ``"0.01"`` / ``"0.1"`` / ``"1"``, halves away from zero (pharmacy usage)."""
    return value.quantize(Decimal(step), rounding=ROUND_HALF_UP)
