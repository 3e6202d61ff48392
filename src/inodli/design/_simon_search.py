"""The search behind :func:`inodli.design.simon_two_stage`, pruned and vectorised.

It visits the same designs as R clinfun's ``ph2simon`` (for every total size n up to ``nmax``
and every first-stage size n1 in 1..n-1, the largest feasible r1 and, for it, the largest
feasible r; strict ``<`` on alpha, beta and expected size; ties go to the smaller n1), but
prunes with exact bounds instead of visiting every (r1, r):

* power(r1, r) <= P1(X1 > r1) and <= P1(X > r): bounds r1 and r from above;
* power(r1, r) >= P1(X > r) - P1(X1 <= r1): bounds the largest feasible r from below;
* the Neyman-Pearson lemma (randomised single-stage test) gives the smallest possible n;
* once the minimax design is known, a total size n can only be admissible or optimal if some
  design at n has EN(p0) below the minimax EN(p0), which bounds n1 and r1.

Within those windows all (n1, n2, r1, r) are evaluated at once with numpy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from inodli.design._binomial import cdf_table, pmf_table, survival_table
from inodli.errors import InputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Slack for the pruning bounds only (never for the decisions themselves): a bound that is
# off by rounding must never cut away a design that the exact comparison would accept.
_SLACK = 1e-9
# Elements per vectorised step (pairs x r window x stage-1 counts): about 16 MB per array.
_BATCH_ELEMENTS = 2_000_000


@dataclass(frozen=True)
class Row:
    r1: int
    n1: int
    r: int
    n: int
    expected_n0: float
    pet0: float


class Search:
    """The pruned, vectorised version of clinfun's exhaustive search."""

    def __init__(self, p0: float, p1: float, ep1: float, ep2: float, nmax: int) -> None:
        self.p0, self.p1, self.ep1, self.ep2, self.nmax = p0, p1, ep1, ep2, nmax
        self.offset = nmax
        self.pmf0, self.pmf1 = pmf_table(p0, nmax), pmf_table(p1, nmax)
        self.sf0 = survival_table(p0, nmax, nmax)
        self.sf1 = survival_table(p1, nmax, nmax)
        self.cdf0, self.cdf1 = cdf_table(p0, nmax), cdf_table(p1, nmax)
        # For each size m: the largest k with P1(X > k) > 1 - beta (power bound), or -1.
        passes = self.sf1[:, nmax:] > 1.0 - ep2 - _SLACK
        self.k_power = passes.sum(axis=1) - 1
        self._window_cache: dict[tuple[int, int], FloatArray] = {}

    def _windows(self, which: int, length: int) -> FloatArray:
        """Read-only strided view ``view[m, s, j] = sf[m, s + j]`` (no copy)."""
        key = (which, length)
        if key not in self._window_cache:
            table = self.sf0 if which == 0 else self.sf1
            self._window_cache[key] = np.lib.stride_tricks.sliding_window_view(
                table, length, axis=1
            )
        return self._window_cache[key]

    def rows(self) -> list[Row]:
        minimax = self._minimax_row()
        found = {minimax.n: minimax}
        bound = minimax.expected_n0
        for row in self._rows_below(bound, first_n=minimax.n + 1):
            found[row.n] = row
        # Keep the rows not dominated by a smaller n (EN must strictly fall).
        kept: list[Row] = []
        for n in sorted(found):
            if not kept or found[n].expected_n0 < kept[-1].expected_n0:
                kept.append(found[n])
        return kept

    def _first_feasible_n(self) -> int:
        """Smallest n at which the randomised most powerful size-alpha test has the power.

        A two-stage design is a non-randomised test on n patients, so by the Neyman-Pearson
        lemma no smaller n can meet both error bounds.
        """
        sizes = np.arange(self.nmax + 1)
        tail0 = self.sf0[:, self.offset :]
        critical = (tail0 > self.ep1).sum(axis=1)  # smallest c with P0(X > c) <= alpha
        critical = np.minimum(critical, sizes)
        at0 = self.pmf0[sizes, critical]
        at1 = self.pmf1[sizes, critical]
        size_left = self.ep1 - tail0[sizes, critical]
        gamma = np.where(at0 > 0, np.clip(size_left / np.where(at0 > 0, at0, 1.0), 0, 1), 0.0)
        best_power = self.sf1[sizes, critical + self.offset] + gamma * at1
        ok = np.flatnonzero(best_power > 1.0 - self.ep2 - _SLACK)
        ok = ok[ok >= 2]
        if ok.size == 0:
            raise no_design(self.nmax)
        return int(ok[0])

    def _minimax_row(self) -> Row:
        for n in range(self._first_feasible_n(), self.nmax + 1):
            n1 = np.arange(1, n, dtype=np.int64)
            best = self._best_rows(n1, n - n1, np.full(n1.size, float(n)))
            if best:
                return best[0]
        raise no_design(self.nmax)

    def _rows_below(self, bound: float, first_n: int) -> list[Row]:
        """Best row for each n >= first_n among designs with EN(p0) < bound."""
        pairs: list[tuple[IntArray, IntArray]] = []
        for n1 in range(1, min(int(np.ceil(bound)), self.nmax)):
            k = int(self.k_power[n1])
            if k < 0:
                continue
            pet_max = float(self.cdf0[n1, min(k, n1 - 1)])
            # EN >= n1 + (1 - pet_max) n2 must stay below the bound.
            room = (bound - n1) / max(1.0 - pet_max, 1e-300)
            n2_high = min(self.nmax - n1, int(np.floor(room + _SLACK)))
            n2_low = max(1, first_n - n1)
            if n2_low <= n2_high:
                n2 = np.arange(n2_low, n2_high + 1, dtype=np.int64)
                pairs.append((np.full(n2.size, n1, dtype=np.int64), n2))
        rows: list[Row] = []
        for batch_n1, batch_n2 in _batches(pairs, self.nmax):
            rows += self._best_rows(batch_n1, batch_n2, np.full(batch_n1.size, bound))
        return best_per_n(rows)

    def _joint_from_top(
        self,
        which: int,
        n1: IntArray,
        n2: IntArray,
        start: IntArray,
        x_count: int,
        k_low: int,
        k_high: int,
    ) -> FloatArray:
        """``out[p, w, r1 - k_low]`` = P(X1 > r1, X1 + X2 > r_w), summed over x1 from the top."""
        pmf = self.pmf0 if which == 0 else self.pmf1
        length = x_count - 1 - k_low
        top_down = (x_count - 1) - np.arange(length)
        terms = (
            self._windows(which, length)[n2[:, None], start]
            * pmf[n1[:, None], top_down][:, None, :]
        )
        return np.cumsum(terms, axis=2)[:, :, ::-1][:, :, : k_high - k_low + 1]

    def _joint_from_bottom(
        self,
        which: int,
        n1: IntArray,
        n2: IntArray,
        n: IntArray,
        r_grid: IntArray,
        k_low: int,
        k_high: int,
    ) -> FloatArray:
        """The same array as P(X > r_w) minus the sum over x1 = 0..r1 (fewer terms)."""
        pmf = self.pmf0 if which == 0 else self.pmf1
        sf = self.sf0 if which == 0 else self.sf1
        length = k_high + 1
        start = r_grid + self.offset - k_high  # window j reads x1 = k_high - j
        bottom_up = k_high - np.arange(length)
        terms = (
            self._windows(which, length)[n2[:, None], start]
            * pmf[n1[:, None], bottom_up][:, None, :]
        )
        below = np.cumsum(terms[:, :, ::-1], axis=2)[:, :, k_low:]  # index r1 - k_low
        total = sf[n[:, None], r_grid + self.offset]
        return total[:, :, None] - below

    def _best_rows(self, n1: IntArray, n2: IntArray, bound: FloatArray) -> list[Row]:
        """For each (n1, n2): the clinfun design (largest feasible r1, then r) if EN < bound.

        Returns the best row per total size n (first n1 on ties), sorted by n.
        """
        off = self.offset
        n = n1 + n2
        x_count = int(n1.max()) + 1
        k = np.arange(x_count)[None, :]
        r1_high = np.minimum(self.k_power[n1], n1 - 1)
        expected = n1[:, None] + (1.0 - self.cdf0[n1[:, None], k]) * n2[:, None]
        low_ok = (expected < bound[:, None] + _SLACK) & (k <= n1[:, None] - 1)
        r1_low = np.where(low_ok.any(axis=1), low_ok.argmax(axis=1), x_count)
        # Largest r the power allows at all, and the r every r1 <= r1_high can reach.
        r_high = np.minimum(self.k_power[n], n2 + r1_high)
        slack_power = self.cdf1[n1, np.maximum(r1_high, 0)]
        reach = self.sf1[n[:, None], off + np.arange(self.nmax + 1)[None, :]]
        reach = reach - slack_power[:, None] > 1.0 - self.ep2 + _SLACK
        r_reach = np.where(reach.any(axis=1), reach.sum(axis=1) - 1, -1)
        r_low = np.maximum(r1_low, np.minimum(r_reach, n2 + r1_low))
        active = (r1_low <= r1_high) & (r_low <= r_high)
        if not active.any():
            return []
        n1, n2, n, bound = n1[active], n2[active], n[active], bound[active]
        r1_low, r1_high, r_low, r_high = (
            r1_low[active],
            r1_high[active],
            r_low[active],
            r_high[active],
        )
        width = int((r_high - r_low).max()) + 1
        k_low, k_high = int(r1_low.min()), int(r1_high.max())
        terms = min(x_count - 1 - k_low, k_high + 1)
        if n1.size > 1 and n1.size * width * terms > _BATCH_ELEMENTS:
            # Too large for one vectorised step (big nmax): split the pairs and merge.
            half = n1.size // 2
            halves = self._best_rows(n1[:half], n2[:half], bound[:half])
            halves += self._best_rows(n1[half:], n2[half:], bound[half:])
            return best_per_n(halves)
        r_grid = r_low[:, None] + np.arange(width)[None, :]
        # A row's grid may run past nmax (its width is the widest row's); those cells are never
        # valid (r <= r_high <= n), so they are read at r = nmax only to stay inside the tables.
        r_index = np.minimum(r_grid, self.nmax)
        # windows[m, s, j] = sf[m, s + j]; with s = r + off - (x_count - 1) and
        # j = x_count - 1 - x1 this reads P(X2 > r - x1) for x1 = x_count - 1 .. 0.
        start = r_index + off - (x_count - 1)
        # Only r1 in [k_low, k_high] is ever a candidate. P(X1 > r1, X > r) is either summed
        # from the top over x1 > r1 (clinfun's way) or, when fewer terms, taken as
        # P(X > r) minus the sum over x1 <= r1 (absolute rounding ~1e-16 either way).
        if x_count - 1 - k_low <= k_high + 1:
            alpha = self._joint_from_top(0, n1, n2, start, x_count, k_low, k_high)
            power = self._joint_from_top(1, n1, n2, start, x_count, k_low, k_high)
        else:
            alpha = self._joint_from_bottom(0, n1, n2, n, r_index, k_low, k_high)
            power = self._joint_from_bottom(1, n1, n2, n, r_index, k_low, k_high)
        r1 = np.arange(k_low, k_high + 1)[None, None, :]
        r = r_grid[:, :, None]
        rows_n2 = n2[:, None, None]
        valid = (
            (r1 >= r1_low[:, None, None])
            & (r1 <= r1_high[:, None, None])
            & (r >= r1)
            & (r <= rows_n2 + r1)
            & (r <= r_high[:, None, None])
        )
        feasible = valid & (alpha < self.ep1) & (1.0 - power < self.ep2)
        any_r = feasible.any(axis=1)
        has = any_r.any(axis=1)
        if not has.any():
            return []
        best_r1 = k_high - np.argmax(any_r[:, ::-1], axis=1)
        picks = np.flatnonzero(has)
        chosen_r1 = best_r1[picks]
        along_r = feasible[picks, :, chosen_r1 - k_low]
        chosen_w = (width - 1) - np.argmax(along_r[:, ::-1], axis=1)
        chosen_r = r_grid[picks, chosen_w]
        # PET as clinfun: 1 minus the stage-1 probabilities of continuing, summed from the top.
        tail = np.cumsum(self.pmf0[n1[picks], :][:, ::-1], axis=1)[:, ::-1]
        pet = 1.0 - tail[np.arange(picks.size), chosen_r1 + 1]
        expected_n = n1[picks] + (1.0 - pet) * n2[picks]
        keep = expected_n < bound[picks]
        order = np.lexsort((n1[picks], expected_n, n[picks]))
        rows: dict[int, Row] = {}
        for i in order:
            if keep[i] and int(n[picks[i]]) not in rows:
                rows[int(n[picks[i]])] = Row(
                    r1=int(chosen_r1[i]),
                    n1=int(n1[picks[i]]),
                    r=int(chosen_r[i]),
                    n=int(n[picks[i]]),
                    expected_n0=float(expected_n[i]),
                    pet0=float(pet[i]),
                )
        return [rows[key] for key in sorted(rows)]


def best_per_n(rows: list[Row]) -> list[Row]:
    """For each n the row with the smallest EN(p0), the smaller n1 on ties (clinfun's order)."""
    best: dict[int, Row] = {}
    for row in sorted(rows, key=lambda row: (row.n, row.expected_n0, row.n1)):
        best.setdefault(row.n, row)
    return [best[n] for n in sorted(best)]


def _batches(
    pairs: list[tuple[IntArray, IntArray]], nmax: int
) -> Iterator[tuple[IntArray, IntArray]]:
    """Group (n1, n2) pair blocks so each vectorised step stays within the memory budget."""
    group_n1: list[IntArray] = []
    group_n2: list[IntArray] = []
    size = 0
    for n1, n2 in pairs:
        cost = n1.size * (int(n1[0]) + 1) * min(nmax, 64)
        if group_n1 and size + cost > _BATCH_ELEMENTS:
            yield np.concatenate(group_n1), np.concatenate(group_n2)
            group_n1, group_n2, size = [], [], 0
        group_n1.append(n1)
        group_n2.append(n2)
        size += cost
    if group_n1:
        yield np.concatenate(group_n1), np.concatenate(group_n2)


def no_design(nmax: int) -> InputError:
    return InputError(
        "nmax",
        "a maximum sample size large enough for a design to exist",
        nmax,
        "No two-stage design meets both error bounds; increase nmax or relax alpha/power.",
    )
