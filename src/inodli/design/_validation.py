"""Input checks shared by every design function, with messages that name the parameter.

Each helper returns the value converted to the right Python type or raises
:class:`inodli.errors.InputError` with the field, the values allowed and the value received.
"""

from __future__ import annotations

import math
from typing import Any

from inodli.errors import InputError

__all__ = [
    "check_beta_prior",
    "check_count",
    "check_open_probability",
    "check_ordered_rates",
    "check_probability",
]


def _as_float(value: Any, name: str, allowed: str) -> float:
    if isinstance(value, bool):
        raise InputError(name, allowed, value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(name, allowed, value) from None
    if not math.isfinite(number):
        raise InputError(name, allowed, value)
    return number


def check_open_probability(value: Any, name: str) -> float:
    """Return ``value`` as a float strictly between 0 and 1."""
    allowed = "a number strictly between 0 and 1"
    number = _as_float(value, name, allowed)
    if not 0.0 < number < 1.0:
        raise InputError(name, allowed, value)
    return number


def check_probability(value: Any, name: str) -> float:
    """Return ``value`` as a float in the closed interval [0, 1]."""
    allowed = "a number between 0 and 1"
    number = _as_float(value, name, allowed)
    if not 0.0 <= number <= 1.0:
        raise InputError(name, allowed, value)
    return number


def check_count(value: Any, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]`` (whole numbers only)."""
    upper = "" if maximum is None else f" and <= {maximum}"
    allowed = f"a whole number >= {minimum}{upper}"
    if isinstance(value, bool):
        raise InputError(name, allowed, value)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InputError(name, allowed, value) from None
    if number != value and not (isinstance(value, str) and value.strip() == str(number)):
        raise InputError(name, allowed, value)
    if number < minimum or (maximum is not None and number > maximum):
        raise InputError(name, allowed, value)
    return number


def check_ordered_rates(p0: Any, p1: Any) -> tuple[float, float]:
    """Return (p0, p1) as floats in (0, 1) with p0 < p1."""
    low = check_open_probability(p0, "p0")
    high = check_open_probability(p1, "p1")
    if not low < high:
        raise InputError(
            "p1", f"a response rate greater than p0 = {low}", p1, "p1 is the rate worth pursuing."
        )
    return low, high


def check_beta_prior(prior: Any, name: str = "prior") -> tuple[float, float]:
    """Return a Beta prior ``(a, b)`` as two positive floats."""
    allowed = "two positive numbers (a, b) of a Beta(a, b) prior"
    try:
        a, b = prior
    except (TypeError, ValueError):
        raise InputError(name, allowed, prior) from None
    a_value = _as_float(a, name, allowed)
    b_value = _as_float(b, name, allowed)
    if a_value <= 0 or b_value <= 0:
        raise InputError(name, allowed, prior)
    return a_value, b_value
