"""Harrell's concordance of a Cox fit, counted as R's ``coxph`` counts it, in O(n log n).

A pair (i, j) of one stratum is comparable when i had an event and j was still at risk
after it: j's time is later, or equal with j censored (two events at one time are a tie in
time and are not counted). It is concordant when i has the larger linear predictor,
discordant when the smaller, tied when equal; concordance = (concordant + tied / 2) /
comparable, as in ``survival::concordancefit(..., reverse = TRUE)`` with ``timewt = "n"``.

Counting uses the binary digits of each row's time code (``2 * time_rank + censored``).
Rows start sorted by (stratum, linear predictor, time code). At each digit, from the most
significant down, rows sharing the stratum and the digits above are contiguous and still in
predictor order; every event whose digit is 0 meets the rows of its group whose digit is 1
(necessarily later), and those placed before it have a smaller predictor: its concordant
partners first separated at that digit. A stable partition on the digit (all 0s, then all 1s,
as in a wavelet matrix) prepares the next digit. Each digit costs a few linear passes, so the
whole count is one sort plus O(n log n) work without a Python loop over rows or times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ConcordanceCounts:
    """Pair counts behind Harrell's C (R: ``concordant``, ``discordant``, ``tied.x``)."""

    concordant: int
    discordant: int
    tied_risk: int

    @property
    def comparable(self) -> int:
        return self.concordant + self.discordant + self.tied_risk

    @property
    def concordance(self) -> float:
        if self.comparable == 0:
            return float("nan")
        return (self.concordant + self.tied_risk / 2) / self.comparable


def _key_fits(n_groups: int, time_bits: int) -> bool:
    """Whether (group << time_bits) | time code stays below 2**62."""
    return n_groups < (1 << (62 - time_bits))


def _run_ends(new_run: npt.NDArray[np.bool_]) -> IntArray:
    """For each position, the end (exclusive) of the run it belongs to."""
    run_id = np.cumsum(new_run) - 1
    ends = np.append(np.flatnonzero(new_run)[1:], new_run.size)
    return ends[run_id]


def concordance_counts(
    code: IntArray, codes_per_stratum: int, predictor: np.ndarray
) -> ConcordanceCounts:
    """Count pairs for Harrell's C.

    Parameters
    ----------
    code : (n,) int64, sorted ascending
        ``stratum * codes_per_stratum + 2 * time_rank + censored`` for every row.
    codes_per_stratum : int
        Twice the number of distinct times.
    predictor : (n,) float64
        Linear predictor of every row (same order as ``code``).
    """
    n = code.size
    time_bits = max(1, (codes_per_stratum - 1).bit_length())
    stratum = code // codes_per_stratum
    time_code = code - stratum * codes_per_stratum

    by_predictor = np.argsort(predictor)
    ordered = predictor[by_predictor]
    rank = np.empty(n, dtype=np.int64)
    rank[by_predictor] = np.cumsum(np.concatenate(([True], ordered[1:] != ordered[:-1]))) - 1
    n_ranks = int(rank[by_predictor[-1]]) + 1
    n_strata = int(stratum[-1]) + 1
    if _key_fits(n_strata * n_ranks, time_bits):
        # One key per row; sorting the keys themselves (no permutation) is the fast sort.
        key = np.sort(((stratum * n_ranks + rank) << time_bits) | time_code)
        group = key >> time_bits  # stratum * n_ranks + rank
        time_code = key & ((1 << time_bits) - 1)
        stratum = group // n_ranks
    else:  # the key would overflow int64
        order = np.lexsort((time_code, rank, stratum))
        stratum, rank, time_code = stratum[order], rank[order], time_code[order]
        group = rank  # compared together with stratum below
    is_event = (time_code & 1) == 0

    # Pairs tied on the predictor: events meet the later rows of their (stratum, rank) run.
    same_group = np.concatenate(
        ([False], (group[1:] == group[:-1]) & (stratum[1:] == stratum[:-1]))
    )
    new_key = ~same_group | np.concatenate(([True], time_code[1:] != time_code[:-1]))
    tied = int((_run_ends(~same_group) - _run_ends(new_key))[is_event].sum())

    # All comparable pairs: events meet the later rows of their stratum.
    run_start = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    distinct = code[run_start]
    counts = np.diff(np.append(run_start, n))
    at_or_after = np.append(np.cumsum(counts[::-1])[::-1], 0)  # rows with code >= each
    stratum_end = np.searchsorted(distinct, (distinct // codes_per_stratum + 1) * codes_per_stratum)
    after = at_or_after[1:]  # rows with a larger code
    beyond = at_or_after[stratum_end]  # rows in later strata
    event_codes = (distinct & 1) == 0
    comparable = int((counts * (after - beyond))[event_codes].sum())

    concordant = _count_concordant(time_code, stratum, time_bits)
    return ConcordanceCounts(concordant, comparable - concordant - tied, tied)


def _count_concordant(time_code: IntArray, stratum: IntArray, time_bits: int) -> int:
    """Events' partners with a smaller predictor; rows arrive sorted by (stratum, rank, code).

    Each digit's partition is global and stable (all 0s, then all 1s), as in a wavelet
    matrix: rows sharing the stratum and the digits above the current one then stay
    contiguous and in predictor order, so a group is simply a run of equal leading digits.
    """
    n = time_code.size
    position = np.arange(n)
    codes = (stratum << time_bits) | time_code  # the stratum leads every group key
    start = np.empty(n, dtype=bool)
    start[0] = True
    total = 0
    for level in range(time_bits - 1, -1, -1):
        shifted = codes >> level
        digit = shifted & 1
        prefix = shifted >> 1
        ones_before = np.cumsum(digit)
        ones_before -= digit
        np.not_equal(prefix[1:], prefix[:-1], out=start[1:])
        meets = ((shifted | codes) & 1) == 0  # digit 0 and an event (time code even)
        # Sum over meeting rows of the 1s before them in their own group: all 1s before
        # them, less the 1s before their group's start (once per meeting row of the group).
        group_start = np.flatnonzero(start)
        meets_through = np.cumsum(meets)
        meets_before_group = meets_through[group_start] - meets[group_start]
        meets_in_group = np.diff(np.append(meets_before_group, meets_through[-1]))
        total += int(np.dot(ones_before, meets)) - int(
            np.dot(ones_before[group_start], meets_in_group)
        )
        if level == 0:
            break
        # Stable global partition: a 0 moves to (0s before it), a 1 to (all 0s + 1s before it).
        zeros = n - int(ones_before[-1] + digit[-1])
        target = position - ones_before
        move = ones_before + zeros
        move -= target
        move *= digit
        target += move
        moved = np.empty_like(codes)
        moved[target] = codes
        codes = moved
    return total
