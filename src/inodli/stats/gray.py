"""Gray's K-sample test for equality of cumulative incidence curves, equal to cmprsk::cuminc.

The score and its variance are those of Gray (1988), computed as cmprsk's ``crstm`` defines
them but vectorised over the distinct event times: one sort of all observations (see
:mod:`inodli.stats._cr_counts`), then one pass over the event times in cache-sized blocks,
each running sum carried from block to block, and only the G-1 rows of the score and
variance that the test uses: O(n log n) + O(T G^2) arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import chi2

from inodli.errors import InputError
from inodli.stats import _cr_counts
from inodli.stats._cr_counts import (
    chunks,
    event_kind,
    running_buffer,
    still_at_risk,
    tie_counts,
)
from inodli.stats._validation import as_groups, as_status, as_time, check_cause

__all__ = ["GrayTest", "gray_test"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, repr=False)
class GrayTest:
    """Result of :func:`gray_test`.

    Attributes
    ----------
    statistic : float
        ``score' variance^-1 score``, approximately chi-square with ``df`` degrees of freedom
        (NaN where the variance is singular; cmprsk reports -1 there).
    df : int
        Number of groups minus one.
    p_value : float
    score : ndarray, shape (G-1,)
        Scores of the first G-1 groups (summed over strata).
    variance : ndarray, shape (G-1, G-1)
    groups : list
        Group labels in the order used (sorted).
    cause, rho
        The options used.
    """

    statistic: float
    df: int
    p_value: float
    score: FloatArray
    variance: FloatArray
    groups: list[Any]
    cause: int
    rho: float

    def __repr__(self) -> str:
        return (
            f"GrayTest(statistic={self.statistic:.6g}, df={self.df}, p_value={self.p_value:.4g}, "
            f"cause={self.cause}, rho={self.rho:g}, groups={self.groups})"
        )


@dataclass(frozen=True)
class _GroupCounts:
    """Per group (rows) at each distinct time of a stratum: at risk, cause and other events."""

    at_risk: npt.NDArray[np.int64]
    cause: npt.NDArray[np.int64] | npt.NDArray[np.uint8]
    other: npt.NDArray[np.int64] | npt.NDArray[np.uint8]
    events: npt.NDArray[np.intp]  # the times (columns) with an event of any cause
    distinct: bool  # every time distinct: no tied events anywhere


def _group_counts(
    time: FloatArray, kind: npt.NDArray[np.uint8], codes: npt.NDArray[np.int64], n_groups: int
) -> _GroupCounts:
    code = np.empty(time.size, dtype=np.min_scalar_type(3 * n_groups - 1))  # 3 g + kind
    for part in chunks(time.size):
        np.multiply(codes[part], 3, out=code[part], casting="unsafe")
        code[part] += kind[part]
    counts = tie_counts(time, code, 3 * n_groups).counts
    by_kind = counts.reshape(n_groups, 3, -1)
    cause, other = by_kind[:, 1], by_kind[:, 2]
    n_times = int(counts.shape[1])
    # at risk: observations of the group ending at t_j or later
    ending = by_kind[:, 0] + by_kind[:, 1]
    ending += by_kind[:, 2]
    at_risk = still_at_risk(ending)
    with_events = np.empty(n_times, dtype=np.bool_)
    for part in chunks(with_events.size):
        np.any((cause[:, part] | other[:, part]) != 0, axis=0, out=with_events[part])
    return _GroupCounts(
        at_risk, cause, other, np.flatnonzero(with_events), counts.dtype == np.uint8
    )


class _StratumScore:
    """Gray's score and its variance within one stratum, fed the event times block by block.

    Only the first G-1 groups' rows are kept (the test uses nothing else). Running products
    and sums (Kaplan-Meier, cumulative incidence, pooled F^0, the matrix ``c``) continue from
    block to block exactly as one pass over all times; the other terms are plain sums over
    times, accumulated per block. Names follow cmprsk's ``crstm``: ``t3, t4`` for events of
    the cause, ``g = u4^2 u3`` for competing events.
    """

    def __init__(self, n_groups: int, rho: float) -> None:
        kept = n_groups - 1
        self.rho = rho
        self.km = np.ones(n_groups)
        self.cif = np.zeros(n_groups)
        self.pooled = np.float64(0.0)
        self.c = np.zeros((kept, n_groups))
        self.score = np.zeros(kept)
        self.variance = np.zeros((kept, kept))
        self.v2 = np.zeros((kept, n_groups))
        self.v3 = np.zeros(n_groups)

    def add(self, rs: FloatArray, d1: FloatArray, d2: FloatArray, *, tied: bool = True) -> None:
        """One block of event times: at risk, cause and other events, shape (G, m).

        ``tied=False`` promises at most one event per time (every time distinct).
        """
        kept, m = self.c.shape[0], rs.shape[1]
        # every group still followed (the usual case): no guard against empty risk sets; the
        # number at risk only falls, so the block's last column decides
        everyone = rs[:, -1].min() > 0
        present = rs > 0 if not everyone else None
        safe_rs = rs if present is None else rs + ~present  # 1 where nobody is at risk
        # all-cause Kaplan-Meier and cumulative incidence of the cause, per group
        km = running_buffer(self.km, m)
        km_before, km_after = km[:, :-1], km[:, 1:]
        np.add(d1, d2, out=km_after)
        km_after /= safe_rs
        np.subtract(1.0, km_after, out=km_after)
        np.cumprod(km, axis=1, out=km)
        # 1/h_k = S_k(t-)/n_k, h_k = n_k/S_k(t-): the subdistribution risk set R_k divided by
        # 1 - F_k(t-); 0 for a group nobody of which is left
        inverse_h = km_before / safe_rs
        if present is None:
            h = 1.0 / inverse_h
        else:
            h = rs / (km_before + (km_before == 0))
            inverse_h *= present
        cif = running_buffer(self.cif, m)
        np.multiply(d1, inverse_h, out=cif[:, 1:])
        np.cumsum(cif, axis=1, out=cif)
        total_h = h.sum(axis=0)
        nd1 = d1.sum(axis=0)
        pooled = running_buffer(self.pooled, m)  # Gray's pooled F^0
        jump = nd1 / total_h  # dF^0
        pooled[1:] = jump
        np.cumsum(pooled, out=pooled)
        left = 1.0 - pooled[:-1]  # 1 - F^0(t-)
        kappa = jump / left  # dF^0 / (1 - F^0(t-))
        # F^0 is not a proper distribution function: in tiny samples it can reach 1 before a
        # later event, where the test is undefined; the nan that results is reported, as
        # cmprsk does
        weight = None if self.rho == 0 else np.power(left, self.rho)

        # score: observed minus expected events of the cause, weighted
        risk_sets = 1.0 - cif[:, :-1]
        risk_sets *= h
        share = nd1 / risk_sets.sum(axis=0)
        if weight is not None:
            share *= weight
        # einsum, not BLAS: these skinny products are too small to be worth threads
        if present is not None and not np.isfinite(share).all():  # absent groups add 0
            observed = d1[:kept] if weight is None else weight * d1[:kept]
            terms = observed - share * risk_sets[:kept]
            self.score += np.where(present[:kept], terms, 0.0).sum(axis=1)
        elif weight is None:
            self.score += d1[:kept].sum(axis=1) - np.einsum("km,m->k", risk_sets[:kept], share)
        else:
            self.score += np.einsum("km,m->k", d1[:kept], weight)
            self.score -= np.einsum("km,m->k", risk_sets[:kept], share)

        # a_t = w_t (diag(h_t) - h_t h_t' / H_t), rows of the kept groups: shape (G-1, G, m);
        # c_t = sum over s <= t of a_s dF^0_s / (1 - F^0(s-)), running on from the last block
        wh = h[:kept] if weight is None else weight * h[:kept]
        a = (wh / -total_h)[:, None, :] * h[None, :, :]
        for i in range(kept):
            a[i, i] += wh[i]
        # rows of a (and so of c) sum to 0: the last column follows from the others
        c = running_buffer(self.c, m)
        np.multiply(a[:, :kept], kappa, out=c[:, :kept, 1:])
        np.cumsum(c[:, :kept], axis=2, out=c[:, :kept])
        np.sum(c[:, :kept], axis=1, out=c[:, kept])
        np.negative(c[:, kept], out=c[:, kept])
        c = c[..., 1:]

        survivors = 1.0 - pooled[1:]  # 1 - F^0(t)
        # crstm's terms for events of the cause, t4 = 1 - (1 - F^0(t))/S_k(t) and
        # t3 = S_k(t-) dN(t) / (H n_k), and for competing events g = u4^2 u3 with
        # u4 = (1 - F^0(t))/S_k(t), u3 = S_k(t-)^2 d2_k / n_k^2; where S_k(t) = 0, t4 = 1, g = 0
        if km_after[:, -1].min() > 0:  # S_k only falls: the block's last column decides
            ratio = survivors / km_after
        else:
            alive = km_after > 0
            ratio = survivors / (km_after + ~alive)
            ratio *= alive
        t4 = 1.0 - ratio
        g = ratio * inverse_h
        g *= g
        g *= d2
        t3 = inverse_h * jump
        if tied:
            _correct_for_ties(t3, g, nd1, d2, total_h, km_before, safe_rs)
        # b_t = a_t - t4 c_t, in place of a
        b = a
        b -= t4 * c
        bt3 = b * t3
        self.variance += np.einsum("ikm,jkm->ij", bt3, b)
        cg = c * g
        self.variance += np.einsum("ikm,jkm->ij", cg, c)
        self.v2 += np.einsum("ikm,km->ik", bt3, t4) - cg.sum(axis=2)
        self.v3 += np.einsum("km,km,km->k", t3, t4, t4) + g.sum(axis=1)
        self.km = km_after[:, -1].copy()
        self.cif = cif[:, -1].copy()
        self.pooled = pooled[-1]
        self.c = c[..., -1].copy()

    def result(self) -> tuple[FloatArray, FloatArray]:
        """Score (G-1,) and variance (G-1, G-1) of the stratum."""
        c_end = self.c
        end = (c_end * self.v3) @ c_end.T + c_end @ self.v2.T + self.v2 @ c_end.T
        return self.score, self.variance + end


def _correct_for_ties(
    t3: FloatArray,
    g: FloatArray,
    nd1: FloatArray,
    d2: FloatArray,
    total_h: FloatArray,
    km_before: FloatArray,
    safe_rs: FloatArray,
) -> None:
    """crstm's hypergeometric corrections, in place, at the times shared by several events.

    Events of the cause: ``1 - (dN - 1)/(H S_k(t-) - 1)``; competing events of group k:
    ``1 - (d2_k - 1)/(n_k - 1)``. Ties are few, so only their columns are touched.
    """
    tied = np.flatnonzero(nd1 > 1)
    if tied.size:
        factor = 1.0 - (nd1[tied] - 1.0) / (total_h[tied] * km_before[:, tied] - 1.0)
        part = t3[:, tied]
        t3[:, tied] = part * np.where(part != 0, factor, 1.0)  # groups nobody is left in: 0
    rows, columns = np.nonzero(d2 > 1)
    if rows.size:
        g[rows, columns] *= 1.0 - (d2[rows, columns] - 1.0) / (safe_rs[rows, columns] - 1.0)


def _take_rows(
    table: npt.NDArray[np.int64] | npt.NDArray[np.uint8], columns: npt.NDArray[np.intp]
) -> FloatArray:
    """``table[:, columns]`` as floats, one contiguous row at a time (rows may be strided)."""
    out = np.empty((table.shape[0], columns.size))
    for row, values in zip(out, table, strict=True):
        row[:] = np.take(values, columns)
    return out


@np.errstate(all="ignore")
def _stratum_score(counts: _GroupCounts, rho: float) -> tuple[FloatArray, FloatArray]:
    """Score (G-1,) and variance (G-1, G-1) of Gray's test within one stratum."""
    n_groups = counts.at_risk.shape[0]
    state = _StratumScore(n_groups, rho)
    # blocks of about CHUNK values per array, whatever the number of groups
    for part in chunks(counts.events.size, max(_cr_counts.CHUNK // n_groups, 1)):
        rows = counts.events[part]
        state.add(
            _take_rows(counts.at_risk, rows),
            _take_rows(counts.cause, rows),
            _take_rows(counts.other, rows),
            tied=not counts.distinct,
        )
    return state.result()


def gray_test(
    time: Sequence[float] | FloatArray,
    status: Sequence[int] | npt.NDArray[np.int64],
    group: Sequence[Any] | npt.NDArray[Any],
    *,
    cause: int = 1,
    strata: Sequence[Any] | npt.NDArray[Any] | None = None,
    rho: float = 0.0,
) -> GrayTest:
    """Gray's test that the cumulative incidence of ``cause`` is equal in all groups.

    Compares weighted subdistribution hazards ``dF_k / (1 - F_k(t-))`` with the pooled one,
    weight ``(1 - F^0(t-))^rho``; stratified by summing scores and variances over strata, as
    ``cmprsk::cuminc(ftime, fstatus, group, strata, rho)`` does.

    Parameters
    ----------
    time : array_like of float, shape (n,)
    status : array_like of int, shape (n,)
        0 = censored, 1..K = cause of the event.
    group : array_like, shape (n,)
        At least two distinct labels (sorted as R sorts factor levels).
    cause : int, default 1
    strata : array_like, shape (n,), optional
    rho : float, default 0
        Power of the weight; 0 gives Gray's log-rank-like test.

    Returns
    -------
    GrayTest
        ``statistic``, ``df``, ``p_value``, ``score``, ``variance``.

    Raises
    ------
    inodli.errors.InputError
        Bad time/status/group/strata, one group only, no event, a cause not present, or a
        non-finite ``rho``.

    References
    ----------
    .. [1] Gray, R. J. (1988). A class of K-sample tests for comparing the cumulative incidence
           of a competing risk. Ann. Statist. 16, 1141-1154 (the score and its variance,
           sec. 2); cmprsk's ``crstm`` routine is the reference behaviour.
    .. [2] Pintilie, M. (2006). Competing Risks: A Practical Perspective. Wiley, ch. 5.

    Examples
    --------
    >>> from inodli.stats.gray import gray_test
    >>> result = gray_test(
    ...     [2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 2, 0, 1, 2, 2, 0], ["a", "a", "a", "a", "b", "b", "b", "b"]
    ... )
    >>> result.df
    1
    >>> bool(0 <= result.p_value <= 1)
    True
    """
    time_ = as_time(time)
    status_ = as_status(status, time_.size)
    codes, labels = as_groups(group, time_.size)
    cause_ = check_cause(cause, status_)
    if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not np.isfinite(rho):
        raise InputError("rho", "a finite number", rho)
    strata_codes, n_strata = None, 1
    if strata is not None:
        strata_codes, strata_labels = as_groups(strata, time_.size, "strata", min_levels=1)
        n_strata = len(strata_labels)
    kind = event_kind(status_, cause_)
    n_groups = len(labels)
    score = np.zeros(n_groups - 1)
    variance = np.zeros((n_groups - 1, n_groups - 1))
    for s in range(n_strata):
        if strata_codes is None:
            part_time, part_kind, part_codes = time_, kind, codes
        else:
            mine = strata_codes == s
            part_time, part_kind, part_codes = time_[mine], kind[mine], codes[mine]
        if not part_kind.any():
            continue
        counts = _group_counts(part_time, part_kind, part_codes, n_groups)
        part_score, part_variance = _stratum_score(counts, float(rho))
        score += part_score
        variance += part_variance
    df = n_groups - 1
    if (
        not (np.isfinite(variance).all() and np.isfinite(score).all())
        or np.linalg.matrix_rank(variance) < df
    ):
        statistic = float("nan")
    else:
        statistic = float(score @ np.linalg.solve(variance, score))
    return GrayTest(
        statistic, df, float(chi2.sf(statistic, df)), score, variance, labels, cause_, float(rho)
    )
