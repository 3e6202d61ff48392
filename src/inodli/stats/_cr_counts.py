"""Tie-block counts for competing-risks data: one value sort per status code, no permutation.

Every competing-risks estimator here needs, at each distinct observed time, the number at risk
and the number of events of each type. Sorting the values of each status code separately (a
SIMD value sort, several times faster than ``argsort``) and locating the blocks of equal
values with ``searchsorted`` gives those counts exactly, ties included, in O(n log n).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TieCounts:
    """Counts at each distinct observed time (ascending).

    ``events[:, k]`` counts status code ``k`` (column 0: censorings) at each time.
    """

    time: FloatArray
    n_risk: IntArray
    events: IntArray


def _blocks(sorted_values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Distinct values of a sorted array and the size of each block of equal values."""
    if sorted_values.size == 0:
        return sorted_values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    sizes = np.diff(np.r_[starts, sorted_values.size]).astype(np.int64)
    return sorted_values[starts], sizes


def tie_counts(time: FloatArray, status: IntArray, n_codes: int) -> TieCounts:
    """Count censorings and events of codes ``1..n_codes-1`` at each distinct time.

    Parameters
    ----------
    time : ndarray of float64, shape (n,)
    status : ndarray of int64, shape (n,)
        Codes ``0..n_codes-1`` (0 = censored).
    n_codes : int
        One more than the largest status code.
    """
    all_sorted = np.sort(time)
    distinct, _ = _blocks(all_sorted)
    # at risk at t_j: everyone whose time is >= t_j
    n_risk = time.size - np.searchsorted(all_sorted, distinct, side="left").astype(np.int64)
    events = np.zeros((distinct.size, n_codes), dtype=np.int64)
    for code in range(n_codes):
        values, sizes = _blocks(np.sort(time[status == code]))
        events[np.searchsorted(distinct, values), code] = sizes
    return TieCounts(distinct, n_risk, events)


def counts_on_grid(grid: FloatArray, time: FloatArray) -> tuple[IntArray, IntArray]:
    """For observations ``time`` (one subgroup): number at risk and number of times equal to each grid value.

    ``grid`` must be sorted and contain every value of ``time``.
    """
    values, sizes = _blocks(np.sort(time))
    at_grid = np.zeros(grid.size, dtype=np.int64)
    at_grid[np.searchsorted(grid, values)] = sizes
    # number with time >= grid_j = total minus those strictly before grid_j
    n_risk = time.size - (np.cumsum(at_grid) - at_grid)
    return n_risk, at_grid
