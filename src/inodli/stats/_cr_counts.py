"""Tie-block counts for competing-risks data: one counting pass, after one sort at most.

Every estimator here needs, at each distinct observed time, how many observations of each
kind (censored, cause, competing cause; per group) end there. Two exact routes give the same
table:

- whole-number times of moderate range (days, weeks): one counting pass (``np.bincount``) over
  ``time * n_codes + code``; no sort at all;
- any other times: one ``argsort``, the blocks of equal sorted times, and the same counting
  pass over ``block * n_codes + code`` (measured faster than value sorts of each code's
  times followed by ``searchsorted`` when most times are distinct).
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
    order = np.argsort(time)
    ordered = time[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    block = np.cumsum(starts) - 1  # index of each sorted observation's distinct time
    flat = np.bincount(block * n_codes + code[order], minlength=(int(block[-1]) + 1) * n_codes)
    return TieCounts(ordered[starts], flat.reshape(-1, n_codes).astype(np.int64))
