"""Variance estimators of the Aalen-Johansen cumulative incidence, all in O(T) prefix sums.

Each estimator is fed the event times in ascending order, in consecutive blocks (rows without
events may be left out, as they add nothing). Per row: ``n`` at risk, ``d1`` events of the
cause, ``d`` events of any cause, ``s_before`` = all-cause Kaplan-Meier just before t_j,
``s_after`` = just after, ``f`` = cumulative incidence just after t_j; ``jumps`` are the
positions in the block of the rows with an event of the cause. It returns the variance at
those rows only: between two of them the estimate does not move and the reported variance is
carried forward, as cmprsk reports it. Running sums continue from block to block exactly as
one ``np.cumsum`` over all rows would add them.

The published double sums over j <= i of ``(F_i - F_j)^k w_j`` are expanded into
``sum_k binom * F_i^(2-k) * cumsum(F_j^k w_j)``, so no estimator here is quadratic.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class RunningSums:
    """Row-wise prefix sums of a (k, m) block, continued from the previous block."""

    def __init__(self, k: int) -> None:
        self.last = np.zeros(k)

    def extend(self, block: FloatArray) -> FloatArray:
        """Turn ``block`` into running sums in place (one addition per element, in order)."""
        if block.shape[1]:
            block[:, 0] += self.last
            np.cumsum(block, axis=1, out=block)
            self.last = block[:, -1].copy()
        return block


def _safe_divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.zeros(np.broadcast(numerator, denominator).shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def tied_events(d: FloatArray, n: FloatArray) -> FloatArray:
    """``d`` times the hypergeometric tie correction ``1 - (d - 1)/(n - 1)`` (1 where d <= 1).

    Where ``d`` is 0 or 1 the correction is exactly 1 (``(d - 1)/(n - 1)`` is 0 or multiplies
    0), so no branch is needed; ``n - 1`` is kept >= 1 for the risk set of one.
    """
    return d * (1.0 - (d - 1.0) / np.maximum(n - 1.0, 1.0))


class VarianceEstimator(Protocol):
    def __call__(
        self,
        n: FloatArray,
        d1: FloatArray,
        d: FloatArray,
        s_before: FloatArray,
        s_after: FloatArray,
        f: FloatArray,
        jumps: IntArray,
    ) -> FloatArray: ...


class CmprskVariance:
    """Gray's variance, as cmprsk::cuminc reports it (Gray 1988, sec. 2; cmprsk ``cinc``).

    A delta-method variance written with three running sums ``v1, v2, v3``; each time with
    events contributes a weight ``w = S(t-)^2 c(d) d / n^2`` (``c`` the tie factor) with
    coefficients ``(b, a)``: ``(1 + F/S, 1/S)`` for events of the cause, ``(F/S, 1/S)`` for
    competing events (skipped where ``S(t) = 0``). ``Var F(t) = v1 + F^2 v3 - 2 F v2``, taken at
    the events of the cause (the value at a competing-only time would be the same).

    With ``W = w_cause + w_competing`` and ``y = w_cause / S`` the increments are
    ``v3: W/S^2``, ``v2: F v3 + y``, ``v1: F (v2 + y) + w_cause`` (the same sums as
    ``b^2 w``, ``a b w``, ``a^2 w``, written with fewer passes).
    """

    def __init__(self) -> None:
        self.sums = RunningSums(3)

    def __call__(
        self,
        n: FloatArray,
        d1: FloatArray,
        d: FloatArray,
        s_before: FloatArray,
        s_after: FloatArray,
        f: FloatArray,
        jumps: IntArray,
    ) -> FloatArray:
        untied = d.max() <= 1.0  # at most one event per time: every tie factor is 1
        cause = d1 if untied else tied_events(d1, n)
        if s_after[-1] > 0:  # S is still > 0: no competing event is skipped
            inv_s = 1.0 / s_after
            every = d if untied else cause + tied_events(d - d1, n)
        else:
            alive = s_after > 0
            inv_s = alive / (s_after + ~alive)
            every = cause + tied_events(d - d1, n) * alive
        scale = s_before / n
        scale *= scale  # S(t-)^2 / n^2
        w_cause = cause * scale
        w_all = every * scale
        y = inv_s * w_cause
        v = np.empty((3, n.size))  # rows: v1, v2, v3 increments
        np.multiply(inv_s, w_all, out=v[2])
        v[2] *= inv_s
        np.multiply(f, v[2], out=v[1])
        v[1] += y
        np.add(v[1], y, out=v[0])
        v[0] *= f
        v[0] += w_cause
        self.sums.extend(v)
        at = np.take(f, jumps)
        picked = np.take(v, jumps, axis=1)
        return picked[0] + at * (at * picked[2] - 2.0 * picked[1])


class _QuadraticSums:
    """sum_{j<=i} [(F_i-F_j)^2 w_square_j - 2 (F_i-F_j) w_linear_j + w_free_j] at each jump i."""

    def __init__(self) -> None:
        self.sums = RunningSums(6)

    def evaluate(
        self,
        f: FloatArray,
        w_square: FloatArray,
        w_linear: FloatArray,
        w_free: FloatArray,
        jumps: IntArray,
    ) -> FloatArray:
        block = np.empty((6, f.size))
        block[0] = w_square
        np.multiply(f, w_square, out=block[1])
        np.multiply(f, block[1], out=block[2])
        block[3] = w_linear
        np.multiply(f, w_linear, out=block[4])
        block[5] = w_free
        a0, a1, a2, c0, c1, free = np.take(self.sums.extend(block), jumps, axis=1)
        at = np.take(f, jumps)
        total = at**2 * a0 - 2.0 * at * a1 + a2 - 2.0 * (at * c0 - c1) + free
        # rounding leaves values like -1e-19 where the variance is 0; a clearly negative value
        # is the formula's own (Aalen's form can go below 0 in risk sets of one or two) and is
        # kept
        return np.where((total < 0.0) & (total > -1e-13), 0.0, total)


class AalenVariance(_QuadraticSums):
    """Aalen's (1978) variance in the form of Pintilie (2006), eq. 4.5.

    ``sum (F(t)-F_j)^2 d_j/((n_j-1)(n_j-d_j))
    + sum S_{j-1}^2 d1_j (n_j-d1_j)/((n_j-1) n_j^2)
    - 2 sum (F(t)-F_j) S_{j-1} d1_j (n_j-d1_j)/(n_j (n_j-d_j)(n_j-1))``, terms with a zero
    denominator dropped (as scikit-survival does).
    """

    def __call__(
        self,
        n: FloatArray,
        d1: FloatArray,
        d: FloatArray,
        s_before: FloatArray,
        s_after: FloatArray,
        f: FloatArray,
        jumps: IntArray,
    ) -> FloatArray:
        w_square = _safe_divide(d, (n - 1.0) * (n - d))
        w_free = _safe_divide(s_before**2 * d1 * (n - d1), (n - 1.0) * n**2)
        w_linear = _safe_divide(s_before * d1 * (n - d1), n * (n - d) * (n - 1.0))
        return self.evaluate(f, w_square, w_linear, w_free, jumps)


class DeltaVariance(_QuadraticSums):
    """Delta-method variance (Marubini & Valsecchi 1995; Pintilie 2006, ch. 4).

    ``sum (F(t)-F_j)^2 d_j/(n_j (n_j-d_j)) + sum S_{j-1}^2 d1_j (n_j-d1_j)/n_j^3
    - 2 sum (F(t)-F_j) S_{j-1} d1_j / n_j^2``; also Dinse & Larson's (1986) eq. 6 approximation.
    """

    def __call__(
        self,
        n: FloatArray,
        d1: FloatArray,
        d: FloatArray,
        s_before: FloatArray,
        s_after: FloatArray,
        f: FloatArray,
        jumps: IntArray,
    ) -> FloatArray:
        w_square = _safe_divide(d, n * (n - d))
        w_free = s_before**2 * d1 * (n - d1) / n**3
        w_linear = s_before * d1 / n**2
        return self.evaluate(f, w_square, w_linear, w_free, jumps)


ESTIMATORS: dict[str, type[CmprskVariance] | type[AalenVariance] | type[DeltaVariance]] = {
    "cmprsk": CmprskVariance,
    "aalen": AalenVariance,
    "delta": DeltaVariance,
}
