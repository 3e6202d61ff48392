"""The arithmetic of Fine & Gray's (1999) subdistribution-hazard model, in prefix sums.

Subjects are sorted by time once. At a distinct time tau of the cause, the weighted risk set
holds everyone still under observation (t_i >= tau, weight 1) and everyone who failed from a
competing cause earlier (t_i < tau, weight G(tau-)/G(t_i-), G the censoring Kaplan-Meier).
Both parts are cumulative sums over the sorted subjects, so the likelihood, score,
information and the sandwich variance (Fine & Gray's eta_i + psi_i terms) cost
O(n p^2) per evaluation instead of cmprsk's O(n x distinct times).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPS = float(np.finfo(np.float64).eps)


def censoring_survival_before(
    time: FloatArray, censored: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Kaplan-Meier of the censoring times and its value just before each time, as crr takes it.

    crr evaluates the step function at ``t (1 - 100 eps)`` (``approx(..., method="constant")``),
    i.e. G(t-) for t > 0 and G(0) at t = 0. Returns (distinct times, G there).
    """
    distinct, first = np.unique(time, return_index=True)
    n_risk = time.size - first
    n_censored = np.bincount(np.searchsorted(distinct, time[censored]), minlength=distinct.size)
    survival = np.cumprod(1.0 - n_censored / n_risk, dtype=np.float64)
    return distinct, survival


def step_value(knots: FloatArray, values: FloatArray, at: FloatArray) -> FloatArray:
    """Right-continuous step function (1 before the first knot) at ``at``."""
    index = np.searchsorted(knots, at, side="right") - 1
    return np.where(index >= 0, values[np.maximum(index, 0)], 1.0)


@dataclass(frozen=True)
class SortedData:
    """Everything about the data that does not depend on the coefficients."""

    time: FloatArray  # sorted
    x: FloatArray  # (n, p), rows in time order
    failed: npt.NDArray[np.bool_]  # event of the cause
    competing: npt.NDArray[np.bool_]
    censored: npt.NDArray[np.bool_]
    g_own: FloatArray  # G(t_i-) for each subject
    tau: FloatArray  # distinct times of the cause
    d: FloatArray  # events of the cause at each tau
    g_tau: FloatArray  # G(tau-)
    first_at: IntArray  # first sorted index with t >= tau
    x_failed_sum: FloatArray  # sum of x over events of the cause


def prepare(time: FloatArray, kind: IntArray, x: FloatArray) -> SortedData:
    """``kind``: 1 event of the cause, 2 competing event, 0 censored."""
    order = np.argsort(time, kind="stable")
    t, k, xs = time[order], kind[order], x[order]
    censored = k == 0
    knots, g = censoring_survival_before(t, censored)
    g_own = step_value(knots, g, t * (1.0 - 100.0 * _EPS))
    failed = k == 1
    tau, d = np.unique(t[failed], return_counts=True)
    g_tau = step_value(knots, g, tau * (1.0 - 100.0 * _EPS))
    first_at = np.searchsorted(t, tau, side="left").astype(np.int64)
    return SortedData(
        t,
        xs,
        failed,
        k == 2,
        censored,
        g_own,
        tau,
        d.astype(np.float64),
        g_tau,
        first_at,
        xs[failed].sum(axis=0),
    )


def _suffix(values: FloatArray) -> FloatArray:
    """out[k] = sum of values[k:] (one extra row of zeros at the end)."""
    out = np.zeros((values.shape[0] + 1, *values.shape[1:]))
    out[:-1] = np.cumsum(values[::-1], axis=0)[::-1]
    return out


def _prefix(values: FloatArray) -> FloatArray:
    """out[k] = sum of values[:k]."""
    out = np.zeros((values.shape[0] + 1, *values.shape[1:]))
    out[1:] = np.cumsum(values, axis=0)
    return out


@dataclass(frozen=True)
class RiskSums:
    """Weighted risk-set sums S0, S1, S2 at each tau, computed with exp(x b - shift)."""

    s0: FloatArray
    s1: FloatArray
    s2: FloatArray | None
    shift: float
    weight: FloatArray  # exp(x b - shift) per subject


def risk_sums(data: SortedData, beta: FloatArray, second: bool) -> RiskSums:
    linear = data.x @ beta
    shift = float(linear.max())
    w = np.exp(linear - shift)
    at = data.first_at
    comp = np.where(data.competing, w / data.g_own, 0.0)
    s0 = _suffix(w)[at] + data.g_tau * _prefix(comp)[at]
    s1 = (
        _suffix(w[:, None] * data.x)[at] + data.g_tau[:, None] * _prefix(comp[:, None] * data.x)[at]
    )
    s2 = None
    if second:
        outer = data.x[:, :, None] * data.x[:, None, :]
        s2 = (
            _suffix(w[:, None, None] * outer)[at]
            + data.g_tau[:, None, None] * _prefix(comp[:, None, None] * outer)[at]
        )
    return RiskSums(s0, s1, s2, shift, w)


def log_likelihood(data: SortedData, beta: FloatArray) -> float:
    """Fine & Gray's log pseudo-likelihood (Breslow handling of ties), as crr's loglik."""
    sums = risk_sums(data, beta, second=False)
    return float(data.x_failed_sum @ beta - np.sum(data.d * (np.log(sums.s0) + sums.shift)))


def score_information(
    data: SortedData, beta: FloatArray
) -> tuple[float, FloatArray, FloatArray, RiskSums]:
    """Log-likelihood, score U(b) and observed information I(b)."""
    sums = risk_sums(data, beta, second=True)
    assert sums.s2 is not None
    xbar = sums.s1 / sums.s0[:, None]
    loglik = float(data.x_failed_sum @ beta - np.sum(data.d * (np.log(sums.s0) + sums.shift)))
    score = data.x_failed_sum - data.d @ xbar
    second = sums.s2 / sums.s0[:, None, None] - xbar[:, :, None] * xbar[:, None, :]
    information = np.einsum("m,mij->ij", data.d, second)
    return loglik, score, information, sums


def sandwich_middle(data: SortedData, sums: RiskSums) -> FloatArray:
    """Omega = sum_i (eta_i + psi_i)(eta_i + psi_i)' (Fine & Gray 1999; as cmprsk's crrvv)."""
    x, w, t = data.x, sums.weight, data.time
    xbar = sums.s1 / sums.s0[:, None]
    hazard = data.d / sums.s0  # dLambda at each tau (times exp(shift))
    # part of eta from the subject's own event of the cause
    m_own = np.searchsorted(data.tau, t)  # index of the subject's time among tau (if failed)
    eta = np.where(data.failed[:, None], x - xbar[np.minimum(m_own, data.tau.size - 1)], 0.0)
    # compensator while under observation: sum over tau_m <= t_i of hazard_m (x_i - xbar_m)
    upto = np.searchsorted(data.tau, t, side="right")
    l0, l1 = _prefix(hazard), _prefix(hazard[:, None] * xbar)
    eta -= w[:, None] * (x * l0[upto][:, None] - l1[upto])
    # compensator after a competing event, weighted G(tau-)/G(t_i-): tau_m > t_i
    gh = data.g_tau * hazard
    k0, k1 = _suffix(gh), _suffix(gh[:, None] * xbar)
    late = np.where(data.competing, w / data.g_own, 0.0)
    eta -= late[:, None] * (x * k0[upto][:, None] - k1[upto])
    # psi: the censoring martingale term, q(u) at each distinct censoring time u
    u, c = np.unique(t[data.censored], return_counts=True)
    psi = np.zeros_like(x)
    if u.size:
        first = np.searchsorted(t, u, side="left")
        r = (t.size - first).astype(np.float64)
        comp = np.where(data.competing, w / data.g_own, 0.0)
        b0, b1 = _prefix(comp)[first], _prefix(comp[:, None] * x)[first]
        from_u = np.searchsorted(data.tau, u, side="left")  # tau_m >= u
        q = b1 * k0[from_u][:, None] - b0[:, None] * k1[from_u]
        cumulative = np.cumsum(q * (c / r**2)[:, None], axis=0)
        index = np.searchsorted(u, t, side="right") - 1  # last censoring time <= t_i
        psi = -np.where(index[:, None] >= 0, cumulative[np.maximum(index, 0)], 0.0)
        own = np.searchsorted(u, t)
        own_ok = data.censored
        psi[own_ok] += q[own[own_ok]] / r[own[own_ok]][:, None]
    total = eta + psi
    return total.T @ total
