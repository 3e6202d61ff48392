"""Input validation for every estimator and test in :mod:`inodli.stats`, in one place.

Each helper converts its argument to a numpy array of the right dtype or raises
:class:`inodli.errors.InputError` naming the parameter, the values allowed and the value
received (for arrays: the first offending position and value).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from inodli.errors import InputError
from inodli.stats._collation import sort_labels

__all__ = [
    "as_covariates",
    "as_event",
    "as_groups",
    "as_status",
    "as_time",
    "check_cause",
    "check_choice",
    "check_conf_level",
    "check_same_length",
    "is_real_number",
]


def _one_dimensional(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 0:
        # a number, or something numpy cannot see as a sequence (a set, a dict, a generator)
        described = (
            f"a single value {values!r}"
            if isinstance(values, numbers.Number | str)
            else f"a {type(values).__name__}"
        )
        raise InputError(name, "a one-dimensional sequence (list, array or Series)", described)
    if array.ndim != 1:
        raise InputError(name, "a one-dimensional sequence", f"an array of shape {array.shape}")
    if array.size == 0:
        raise InputError(name, "at least one observation", "an empty sequence")
    return array


def _first_bad(array: np.ndarray, bad: np.ndarray) -> tuple[int, Any]:
    index = int(np.flatnonzero(bad)[0])
    value = array[index]
    return index, value.item() if hasattr(value, "item") else value


def is_real_number(value: Any) -> bool:
    """A real number (Python or numpy int/float), not a bool and not a string."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _as_float(raw: np.ndarray, name: str, allowed: str, *, allow_bool: bool) -> np.ndarray:
    """Numbers as float64 (missing values become NaN); anything else is an InputError.

    Strings that look like numbers, dates, durations, complex numbers and (unless
    ``allow_bool``) True/False are refused: R's ``Surv`` refuses them too, and a silent
    conversion (datetime64 to nanoseconds, "5" to 5.0) would hide a data problem.
    """
    kind = raw.dtype.kind
    if kind in "iuf" or (kind == "b" and allow_bool):
        return raw.astype(np.float64)
    if kind in "mM":
        raise InputError(
            name,
            allowed,
            f"{raw.dtype} values",
            "Convert dates or durations to numbers first (e.g. days from randomisation).",
        )
    if kind == "O":
        good = np.array(
            [_is_missing(v) or is_real_number(v) or (allow_bool and isinstance(v, bool | np.bool_))
             for v in raw]
        )  # fmt: skip
        if good.all():
            return np.array([np.nan if _is_missing(v) else float(v) for v in raw])
    else:
        good = np.zeros(raw.size, dtype=bool)
    index, value = _first_bad(raw, ~good)
    raise InputError(name, allowed, value, f"First at position {index}.")


def as_time(time: Any, name: str = "time") -> npt.NDArray[np.float64]:
    """Return ``time`` as a float64 array of finite, non-negative values."""
    raw = _one_dimensional(time, name)
    array = _as_float(raw, name, "finite non-negative numbers", allow_bool=False)
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        index, value = _first_bad(array, bad)
        raise InputError(
            name, "finite non-negative numbers (no NaN)", value, f"First at position {index}."
        )
    return array


def as_status(
    status: Any, n: int, name: str = "status", *, max_code: int | None = None
) -> npt.NDArray[np.int64]:
    """Return ``status`` as int64 codes: 0 = censored, 1..K = event types (causes).

    True/False are accepted as 1/0; missing values, strings and non-integers are refused.
    """
    raw = _one_dimensional(status, name)
    check_same_length({"time": n, name: raw.size})
    allowed = (
        "integer codes 0 (censored), 1..K" if max_code is None else f"integer codes 0..{max_code}"
    )
    if raw.dtype == bool:
        return raw.astype(np.int64)
    if raw.dtype.kind in "iu":  # integers need no rounding check (and no float copy)
        bad_int = raw < 0 if max_code is None else (raw < 0) | (raw > max_code)
        if bad_int.any():
            index, value = _first_bad(raw, bad_int)
            raise InputError(name, allowed, value, f"First at position {index}.")
        return raw.astype(np.int64, copy=False)
    array = _as_float(raw, name, allowed, allow_bool=True)
    bad = ~np.isfinite(array) | (array < 0) | (array != np.round(array))
    if max_code is not None:
        bad |= array > max_code
    if bad.any():
        index, value = _first_bad(array, bad)
        raise InputError(name, allowed, value, f"First at position {index}.")
    return array.astype(np.int64)


def as_event(event: Any, n: int, name: str = "event") -> npt.NDArray[np.bool_]:
    """Return ``event`` as a boolean array (1/True = event, 0/False = censored)."""
    return as_status(event, n, name, max_code=1).astype(bool)


def as_groups(
    group: Any, n: int, name: str = "group", *, min_levels: int = 2
) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """Return integer codes 0..G-1 and the sorted group labels.

    Labels are in R's factor-level order: numbers ascending, text by R's (ICU) collation
    (small before capital letters, "control" before "Treatment"), a pandas categorical in
    its category order.
    """
    raw = _one_dimensional(group, name)
    check_same_length({"time": n, name: raw.size})
    if raw.dtype.kind in "fO":
        missing = np.asarray(pd.isna(raw), dtype=bool)
    elif raw.dtype.kind == "U" and isinstance(group, list | tuple):
        # numpy turns NaN in a list of strings into the label "nan"
        missing = np.array([isinstance(v, float) and np.isnan(v) for v in group])
    else:
        missing = np.zeros(raw.size, dtype=bool)
    if missing.any():
        index, value = _first_bad(np.asarray(group, dtype=object), missing)
        raise InputError(
            name, "group labels without missing values", value, f"First at position {index}."
        )
    try:
        labels, codes = _small_integer_codes(raw) or np.unique(raw, return_inverse=True)
    except TypeError:
        raise InputError(
            name, "labels of one comparable type (all numbers or all strings)", "mixed types"
        ) from None
    labels, codes = _in_r_level_order(labels, codes.ravel(), group)
    if labels.size < min_levels:
        raise InputError(
            name,
            f"at least {min_levels} distinct groups",
            f"{labels.size} ({', '.join(map(str, labels.tolist()))})",
        )
    return codes.astype(np.int64).ravel(), labels.tolist()


def _in_r_level_order(
    labels: np.ndarray, codes: np.ndarray, group: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Reorder sorted labels (and their codes) as R orders factor levels.

    A pandas categorical keeps its category order (R's ``factor(x, levels = ...)``), text is
    sorted by R's collation (:mod:`inodli.stats._collation`), numbers stay ascending.
    """
    values = labels.tolist()
    dtype = getattr(group, "dtype", None)
    if isinstance(dtype, pd.CategoricalDtype):
        rank = {level: i for i, level in enumerate(dtype.categories)}
        wanted = sorted(values, key=rank.__getitem__)
    else:
        wanted = sort_labels(values)
    if wanted == values:
        return labels, codes
    position = {label: i for i, label in enumerate(wanted)}
    new_code = np.array([position[label] for label in values], dtype=np.int64)
    return np.array(wanted, dtype=labels.dtype), new_code[codes]


def _small_integer_codes(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Labels and codes by counting, for integer labels of small range (np.unique sorts)."""
    if raw.dtype.kind not in "iu" or raw.size == 0:
        return None
    low, high = int(raw.min()), int(raw.max())
    if high - low > 4 * raw.size + 4096:
        return None
    shifted = raw.astype(np.int64) - low
    present = np.bincount(shifted) > 0
    labels = (np.flatnonzero(present) + low).astype(raw.dtype)
    return labels, (np.cumsum(present) - 1)[shifted]


def check_same_length(lengths: dict[str, int]) -> None:
    """All named lengths must be equal."""
    values = set(lengths.values())
    if len(values) > 1:
        described = ", ".join(f"{key}={value}" for key, value in lengths.items())
        raise InputError("lengths", "arrays of equal length", described)


def check_conf_level(conf_level: Any, name: str = "conf_level") -> float:
    """A confidence level strictly between 0 and 1."""
    if not is_real_number(conf_level) or not 0 < float(conf_level) < 1:
        raise InputError(name, "a number strictly between 0 and 1", conf_level)
    return float(conf_level)


def check_choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """``value`` must be one of ``allowed`` (exact string match)."""
    if not isinstance(value, str) or value not in allowed:
        raise InputError(name, "one of " + ", ".join(repr(a) for a in allowed), value)
    return value


def check_cause(cause: Any, status: npt.NDArray[np.int64], name: str = "cause") -> int:
    """``cause`` must be a status code >= 1 that occurs in ``status``; some event must occur."""
    top = int(status.max())
    if top <= 4 * status.size + 4096:  # count instead of sorting (np.unique)
        observed = np.flatnonzero(np.bincount(status, minlength=top + 1)[1:]) + 1
    else:
        observed = np.unique(status[status > 0])
    if observed.size == 0:
        raise InputError(
            "status", "at least one event (a code >= 1)", "only censored observations (0)"
        )
    if isinstance(cause, bool) or not isinstance(cause, (int, np.integer)) or cause < 1:
        raise InputError(name, "an integer status code >= 1", cause)
    if int(cause) not in observed:
        codes = ", ".join(str(code) for code in observed.tolist())
        raise InputError(name, f"a cause present in status (observed: {codes})", cause)
    return int(cause)


def as_covariates(x: Any, n: int, name: str = "X") -> tuple[npt.NDArray[np.float64], list[str]]:
    """Return a finite float64 design matrix of shape (n, p) and its column names.

    Accepts a pandas DataFrame (names from its columns), a 2-D array, or a 1-D array (one
    covariate). Columns are named ``x1..xp`` when no names are given.
    """
    names = [str(c) for c in x.columns] if hasattr(x, "columns") else None
    try:
        array = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            name, "a numeric matrix (n rows, one column per covariate)", type(x).__name__
        ) from None
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[1] == 0:
        raise InputError(
            name, "a matrix with n rows and at least one column", f"shape {array.shape}"
        )
    check_same_length({"time": n, name: array.shape[0]})
    bad = ~np.isfinite(array)
    if bad.any():
        row, column = (int(v) for v in np.argwhere(bad)[0])
        raise InputError(
            name,
            "finite numbers (no NaN)",
            array[row, column].item(),
            f"First at row {row}, column {column}.",
        )
    return array, names or [f"x{j + 1}" for j in range(array.shape[1])]
