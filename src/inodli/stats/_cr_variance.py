"""Variance estimators of the Aalen-Johansen cumulative incidence, all in O(T) prefix sums.

Inputs are per distinct time t_j (ascending): ``n`` at risk, ``d1`` events of the cause,
``d`` events of any cause, ``s_before`` = all-cause Kaplan-Meier just before t_j,
``s_after`` = just after, ``f`` = cumulative incidence just after t_j.

The published double sums over j <= i of ``(F_i - F_j)^k w_j`` are expanded into
``sum_k binom * F_i^(2-k) * cumsum(F_j^k w_j)``, so no estimator here is quadratic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _safe_divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.zeros(np.broadcast(numerator, denominator).shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _tie_factor(d: FloatArray, n: FloatArray) -> FloatArray:
    """1 - (d - 1)/(n - 1) for d > 1, else 1: the hypergeometric correction for tied events."""
    factor = np.ones_like(d)
    tied = d > 1
    factor[tied] = 1.0 - (d[tied] - 1.0) / (n[tied] - 1.0)
    return factor


def carry_from_cause_jumps(values: FloatArray, d1: FloatArray) -> FloatArray:
    """Value at the last time with an event of the cause (0 before the first such time)."""
    positions = np.where(d1 > 0, np.arange(d1.size), -1)
    last = np.maximum.accumulate(positions) if d1.size else positions
    return np.where(last >= 0, values[np.maximum(last, 0)], 0.0)


def variance_cmprsk(
    n: FloatArray,
    d1: FloatArray,
    d: FloatArray,
    s_before: FloatArray,
    s_after: FloatArray,
    f: FloatArray,
) -> FloatArray:
    """Gray's variance, as cmprsk::cuminc reports it (Gray 1988, sec. 2; cmprsk ``cinc``).

    A delta-method variance written with three running sums ``v1, v2, v3``; each time with
    events contributes a weight ``w = S(t-)^2 c(d) d / n^2`` (``c`` the tie factor) with
    coefficients ``(b, a)``: ``(1 + F/S, 1/S)`` for events of the cause, ``(F/S, 1/S)`` for
    competing events (skipped where ``S(t) = 0``).  ``Var F(t) = v1 + F^2 v3 - 2 F v2``, taken at
    the last event of the cause (the value at a competing-only time would be the same).
    """
    d2 = d - d1
    inv_s = _safe_divide(np.ones_like(s_after), s_after)
    w1 = s_before**2 * _tie_factor(d1, n) * d1 / n**2
    w2 = np.where((d2 > 0) & (s_after > 0), s_before**2 * _tie_factor(d2, n) * d2 / n**2, 0.0)
    b1 = 1.0 + inv_s * f
    b2 = inv_s * f
    v1 = np.cumsum(b1**2 * w1 + b2**2 * w2)
    v2 = np.cumsum(inv_s * b1 * w1 + inv_s * b2 * w2)
    v3 = np.cumsum(inv_s**2 * (w1 + w2))
    return carry_from_cause_jumps(v1 + f**2 * v3 - 2.0 * f * v2, d1)


def _quadratic_sums(
    f: FloatArray, w_square: FloatArray, w_linear: FloatArray, w_free: FloatArray
) -> FloatArray:
    """sum_{j<=i} [(F_i-F_j)^2 w_square_j - 2 (F_i-F_j) w_linear_j + w_free_j] for every i."""
    a0, a1, a2 = np.cumsum(w_square), np.cumsum(f * w_square), np.cumsum(f**2 * w_square)
    c0, c1 = np.cumsum(w_linear), np.cumsum(f * w_linear)
    total = f**2 * a0 - 2.0 * f * a1 + a2 - 2.0 * (f * c0 - c1) + np.cumsum(w_free)
    # rounding leaves values like -1e-19 where the variance is 0; a clearly negative value is
    # the formula's own (Aalen's form can go below 0 in risk sets of one or two) and is kept
    return np.where((total < 0.0) & (total > -1e-13), 0.0, total)


def variance_aalen(
    n: FloatArray, d1: FloatArray, d: FloatArray, s_before: FloatArray, f: FloatArray
) -> FloatArray:
    """Aalen's (1978) variance in the form of Pintilie (2006), eq. 4.5.

    ``sum (F(t)-F_j)^2 d_j/((n_j-1)(n_j-d_j))
    + sum S_{j-1}^2 d1_j (n_j-d1_j)/((n_j-1) n_j^2)
    - 2 sum (F(t)-F_j) S_{j-1} d1_j (n_j-d1_j)/(n_j (n_j-d_j)(n_j-1))``, terms with a zero
    denominator dropped (as scikit-survival does).
    """
    w_square = _safe_divide(d, (n - 1.0) * (n - d))
    w_free = _safe_divide(s_before**2 * d1 * (n - d1), (n - 1.0) * n**2)
    w_linear = _safe_divide(s_before * d1 * (n - d1), n * (n - d) * (n - 1.0))
    return carry_from_cause_jumps(_quadratic_sums(f, w_square, w_linear, w_free), d1)


def variance_delta(
    n: FloatArray, d1: FloatArray, d: FloatArray, s_before: FloatArray, f: FloatArray
) -> FloatArray:
    """Delta-method variance (Marubini & Valsecchi 1995; Pintilie 2006, ch. 4).

    ``sum (F(t)-F_j)^2 d_j/(n_j (n_j-d_j)) + sum S_{j-1}^2 d1_j (n_j-d1_j)/n_j^3
    - 2 sum (F(t)-F_j) S_{j-1} d1_j / n_j^2``; also Dinse & Larson's (1986) eq. 6 approximation.
    """
    w_square = _safe_divide(d, n * (n - d))
    w_free = s_before**2 * d1 * (n - d1) / n**3
    w_linear = s_before * d1 / n**2
    return carry_from_cause_jumps(_quadratic_sums(f, w_square, w_linear, w_free), d1)
