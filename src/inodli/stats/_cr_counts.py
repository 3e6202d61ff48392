"""Tie-block counts for competing-risks data, without building a sort permutation of the times.

Every estimator here needs, at each distinct observed time, how many observations of each
kind (censored, cause, competing cause; per group) end there. Two exact routes give the same
table:

- whole-number times of moderate range (days, weeks): one counting pass (``np.bincount``) over
  ``time * n_codes + code``; no sort at all;
- any other times: a stable radix partition of the small integer codes, then a value sort of
  each part (SIMD ``np.sort``, several times faster than ``argsort`` of the times) and
  ``searchsorted`` to place the blocks of equal values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TieCounts:
    """``counts[j, c]``: observations with code ``c`` whose time equals ``time[j]`` (ascending).

    ``n_risk[j, c]``: observations with code ``c`` whose time is >= ``time[j]``.
    """

    time: FloatArray
    counts: IntArray

    @property
    def n_risk(self) -> IntArray:
        return np.cumsum(self.counts[::-1], axis=0)[::-1]


def _whole_number_range(time: FloatArray) -> int | None:
    """The largest time if all times are whole numbers of a range worth counting, else None."""
    top = float(time.max())
    if top > 4 * time.size + 65536:
        return None
    if not np.array_equal(time, np.floor(time)):
        return None
    return int(top)


def _blocks(sorted_values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Distinct values of a sorted array and the size of each block of equal values."""
    if sorted_values.size == 0:
        return sorted_values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    sizes = np.diff(np.r_[starts, sorted_values.size]).astype(np.int64)
    return sorted_values[starts], sizes


def tie_counts(time: FloatArray, code: IntArray, n_codes: int) -> TieCounts:
    """Count each code ``0..n_codes-1`` at each distinct time (rows: every distinct time).

    Parameters
    ----------
    time : ndarray of float64, shape (n,)
        Finite, non-negative.
    code : ndarray of int64, shape (n,)
        Values in ``0..n_codes-1``.
    n_codes : int
    """
    top = _whole_number_range(time)
    if top is not None:
        flat = np.bincount(time.astype(np.int64) * n_codes + code, minlength=(top + 1) * n_codes)
        table = flat.reshape(top + 1, n_codes)
        rows = np.flatnonzero(table.any(axis=1))
        return TieCounts(rows.astype(np.float64), table[rows].astype(np.int64))
    small = code.astype(np.int16 if n_codes > 255 else np.uint8)
    order = np.argsort(small, kind="stable")  # radix sort of small integers: linear
    grouped = time[order]
    bounds = np.r_[0, np.cumsum(np.bincount(code, minlength=n_codes))]
    parts = []
    for c in range(n_codes):
        part = grouped[bounds[c] : bounds[c + 1]]
        part.sort()
        parts.append(_blocks(part))
    distinct = np.unique(np.concatenate([values for values, _ in parts]))
    counts = np.zeros((distinct.size, n_codes), dtype=np.int64)
    for c, (values, sizes) in enumerate(parts):
        counts[np.searchsorted(distinct, values), c] = sizes
    return TieCounts(distinct, counts)
