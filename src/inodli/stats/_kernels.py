"""Tie-block counting: the shared O(n log n) core of Kaplan-Meier, log-rank and friends.

Every survival estimator in :mod:`inodli.stats` starts from the same numbers: for each distinct
observed time, how many subjects are at risk, how many have an event and how many are censored.
These helpers compute them without building a permutation (``np.argsort`` is about 8x slower
than ``np.sort`` of values on the target machine):

- exact path, any float times: one ``np.sort`` of the times' bit patterns with the event flag
  packed into the lowest bit (non-negative IEEE-754 floats order like their bits), then tie
  blocks by comparing neighbours and event counts by a cumulative sum of the flags;
- counting path, whole-number times with a moderate range (days, weeks): ``np.bincount``, no
  sort at all.

Both paths compare times exactly (no near-tie merging, unlike R's ``timefix``) and give
identical counts. They are private: callers validate their inputs first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "GroupCounts",
    "TieCounts",
    "counts_by_group",
    "integer_layout",
    "merge_near_ties",
    "split_by_code",
    "tie_counts",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class TieCounts:
    """Counts per distinct observed time (events or censorings), times ascending."""

    time: FloatArray
    n_risk: IntArray
    n_event: IntArray
    n_censor: IntArray


@dataclass(frozen=True)
class GroupCounts:
    """Counts per group at each distinct event time of the pooled sample.

    ``n_risk`` and ``n_event`` have shape (groups, event times).
    """

    time: FloatArray
    n_risk: IntArray
    n_event: IntArray


def integer_layout(time: FloatArray) -> tuple[IntArray, float, int] | None:
    """Whole-number times with a range of at most ~4n: (codes from 0, offset, size); else None.

    The counting path then costs a few linear passes; its table is identical to the sorting
    path's because the codes map back to exactly the same float values.
    """
    n = time.size
    low, high = float(time.min()), float(time.max())
    span = high - low
    if span > 4 * n + 4096 or high >= 2.0**52:
        return None
    whole = time.astype(np.int64)
    if not np.array_equal(whole, time):
        return None
    return whole - np.int64(low), low, int(span) + 1


def merge_near_ties(time: FloatArray, tolerance: float = 1.4901161193847656e-08) -> FloatArray:
    """R's ``timefix`` (survival's ``aeqSurv``): snap near-tied times onto the smaller one.

    Neighbouring distinct times whose gap is at most ``tolerance`` or at most ``tolerance``
    times the mean of the distinct times are treated as tied (chains of such gaps merge into
    their first time), so that 1.0 and 1.0 + 1e-12 from floating-point arithmetic count as one
    time, as in R's survfit, survdiff and coxph.
    """
    distinct = np.unique(time)
    if distinct.size < 2:
        return time
    gaps = np.diff(distinct)
    tied = (gaps <= tolerance) | (gaps / np.mean(np.abs(distinct)) <= tolerance)
    if not tied.any():
        return time
    cuts = distinct[np.concatenate(([True], ~tied))]
    return cuts[np.searchsorted(cuts, time, side="right") - 1]


def _block_starts(sorted_values: FloatArray) -> IntArray:
    flags = np.empty(sorted_values.size, dtype=bool)
    flags[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=flags[1:])
    return np.flatnonzero(flags)


def _sorted_with_flags(time: FloatArray, event: BoolArray) -> tuple[FloatArray, npt.NDArray[Any]]:
    """Times sorted ascending and the event flags in the same order, without a permutation.

    For non-negative floats the IEEE-754 bit pattern orders like the value and leaves the top
    bit free, so the event flag rides along in the lowest bit of (bits << 1) through one
    ``np.sort`` of integers. Adding 0.0 first turns -0.0 into +0.0.
    """
    bits = (time + 0.0).view(np.uint64) << np.uint64(1)
    keys = np.sort(bits | event.view(np.uint8).astype(np.uint64))
    return (keys >> np.uint64(1)).view(np.float64), keys & np.uint64(1)


def _risk_from_totals(total: IntArray, n: int) -> IntArray:
    # subjects still followed at each time = n minus everyone who left at earlier times
    left_before = np.cumsum(total) - total
    return np.int64(n) - left_before


def tie_counts(time: FloatArray, event: BoolArray) -> TieCounts:
    """At-risk, event and censoring counts at every distinct observed time."""
    n = time.size
    layout = integer_layout(time)
    if layout is not None:
        codes, low, size = layout
        total = np.bincount(codes, minlength=size)
        events = np.bincount(codes[event], minlength=size)
        present = np.flatnonzero(total)
        total, n_event = total[present], events[present]
        times = present.astype(np.float64) + low
    else:
        ordered, flags = _sorted_with_flags(time, event)
        starts = _block_starts(ordered)
        times = ordered[starts]
        total = np.diff(np.append(starts, n))
        events_before = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
        n_event = np.diff(events_before[np.append(starts, n)])
    total = total.astype(np.int64)
    n_event = n_event.astype(np.int64)
    return TieCounts(times, _risk_from_totals(total, n), n_event, total - n_event)


def counts_by_group(
    time: FloatArray, event: BoolArray, codes: IntArray, n_groups: int
) -> GroupCounts:
    """Per-group at-risk and event counts at the pooled sample's distinct event times."""
    layout = integer_layout(time)
    # the counting path allocates groups x time-range cells: only when that stays ~linear
    if layout is not None and n_groups * layout[2] <= 8 * time.size + 65536:
        tcodes, low, size = layout
        key = codes * size + tcodes
        total = np.bincount(key, minlength=n_groups * size).reshape(n_groups, size)
        events = np.bincount(key[event], minlength=n_groups * size).reshape(n_groups, size)
        columns = np.flatnonzero(events.any(axis=0))
        risk = np.cumsum(total[:, ::-1], axis=1)[:, ::-1]
        return GroupCounts(
            columns.astype(np.float64) + low,
            risk[:, columns].astype(np.int64),
            events[:, columns].astype(np.int64),
        )
    pooled = tie_counts(time, event)
    with_events = pooled.n_event > 0
    distinct = pooled.time[with_events]
    n_risk = np.empty((n_groups, distinct.size), dtype=np.int64)
    n_event = np.empty((n_groups, distinct.size), dtype=np.int64)
    for g in range(n_groups):
        member = codes == g
        ordered, flags = _sorted_with_flags(time[member], event[member])
        starts = _block_starts(ordered)
        ends = np.append(starts, ordered.size)
        events_before = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
        # each of the group's distinct times is one of the pooled distinct times
        where = np.searchsorted(pooled.time, ordered[starts])
        group_total = np.zeros(pooled.time.size, dtype=np.int64)
        group_total[where] = np.diff(ends)
        group_events = np.zeros(pooled.time.size, dtype=np.int64)
        group_events[where] = np.diff(events_before[ends])
        n_risk[g] = _risk_from_totals(group_total, ordered.size)[with_events]
        n_event[g] = group_events[with_events]
    return GroupCounts(distinct, n_risk, n_event)


def split_by_code(codes: IntArray, n_codes: int) -> list[IntArray]:
    """Row indices of each code 0..n_codes-1, each in original order (a stable counting sort)."""
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=n_codes))[:-1]
    return np.split(order, bounds)
