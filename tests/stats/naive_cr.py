"""Straightforward loop implementations of the competing-risks methods, for comparison only.

Written for clarity, one distinct time at a time, with the published double sums kept as
double sums; the fast code in :mod:`inodli.stats` must agree with these on random data.
"""

from __future__ import annotations

import math

import numpy as np


def _distinct_counts(time: np.ndarray, status: np.ndarray, cause: int) -> list[tuple]:
    rows = []
    for t in sorted(set(time.tolist())):
        n = int(np.sum(time >= t))
        at = time == t
        d1 = int(np.sum(at & (status == cause)))
        d = int(np.sum(at & (status > 0)))
        c = int(np.sum(at & (status == 0)))
        rows.append((t, n, d1, d - d1, c))
    return rows


def naive_cif(time: np.ndarray, status: np.ndarray, cause: int) -> dict[str, list[float]]:
    """Aalen-Johansen estimate and the three variances at every distinct time."""
    rows = _distinct_counts(time, status, cause)
    surv, cif = 1.0, 0.0
    s_before, fs, ns, d1s, ds = [], [], [], [], []
    v1 = v2 = v3 = 0.0
    gray, last_gray = [], 0.0
    for _t, n, d1, d2, _c in rows:
        d = d1 + d2
        s_before.append(surv)
        cif += surv * d1 / n
        new_surv = surv * (n - d) / n
        if d2 > 0 and new_surv > 0:
            tie = 1 - (d2 - 1) / (n - 1) if d2 > 1 else 1.0
            w = surv * surv * tie * d2 / n**2
            a, b = 1 / new_surv, cif / new_surv
            v1, v2, v3 = v1 + b * b * w, v2 + a * b * w, v3 + a * a * w
        if d1 > 0:
            tie = 1 - (d1 - 1) / (n - 1) if d1 > 1 else 1.0
            w = surv * surv * tie * d1 / n**2
            a = 1 / new_surv if new_surv > 0 else 0.0
            b = 1 + a * cif
            v1, v2, v3 = v1 + b * b * w, v2 + a * b * w, v3 + a * a * w
            last_gray = v1 + cif * cif * v3 - 2 * cif * v2
        gray.append(last_gray)
        surv = new_surv
        fs.append(cif)
        ns.append(n)
        d1s.append(d1)
        ds.append(d)
    aalen, delta = [], []
    for i in range(len(rows)):
        va = vd = 0.0
        for j in range(i + 1):
            n, d1, d, s, gap = ns[j], d1s[j], ds[j], s_before[j], fs[i] - fs[j]
            if (n - 1) * (n - d) > 0:
                va += gap**2 * d / ((n - 1) * (n - d))
                va -= 2 * gap * s * d1 * (n - d1) / (n * (n - d) * (n - 1))
            if n > 1:
                va += s**2 * d1 * (n - d1) / ((n - 1) * n**2)
            if n - d > 0:
                vd += gap**2 * d / (n * (n - d))
            vd += s**2 * d1 * (n - d1) / n**3 - 2 * gap * s * d1 / n**2
        aalen.append(va)
        delta.append(vd)
    return {
        "time": [r[0] for r in rows],
        "n_risk": ns,
        "n_event": d1s,
        "estimate": fs,
        "cmprsk": gray,
        "aalen": aalen,
        "delta": delta,
    }


@np.errstate(all="ignore")
def naive_gray_test(
    time: np.ndarray,
    status: np.ndarray,
    group: np.ndarray,
    cause: int,
    rho: float = 0.0,
    groups: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Score and variance of Gray's (1988) test in one stratum (groups coded 0..G-1).

    A loop over distinct times with explicit per-group Kaplan-Meier and cumulative incidence,
    following Gray's sec. 2 (and the behaviour of cmprsk's crstm).
    """
    groups = int(group.max()) + 1 if groups is None else groups
    km_before = [1.0] * groups
    cif_before = [0.0] * groups
    pooled_before = 0.0
    score = np.zeros(groups)
    c_matrix = np.zeros((groups, groups))
    var = np.zeros((groups, groups))
    v2 = np.zeros((groups, groups))
    v3 = np.zeros(groups)
    for t in sorted(set(time.tolist())):
        risk = [int(np.sum((time >= t) & (group == k))) for k in range(groups)]
        at = time == t
        d1 = [int(np.sum(at & (group == k) & (status == cause))) for k in range(groups)]
        d2 = [
            int(np.sum(at & (group == k) & (status > 0) & (status != cause))) for k in range(groups)
        ]
        nd1, nd2 = sum(d1), sum(d2)
        if nd1 + nd2 == 0:
            continue
        km_after = list(km_before)
        h = [0.0] * groups
        for k in range(groups):
            if risk[k] > 0:
                km_after[k] = km_before[k] * (risk[k] - d1[k] - d2[k]) / risk[k]
                h[k] = risk[k] / km_before[k]
        total_h = sum(h)
        total_r = sum(h[k] * (1 - cif_before[k]) for k in range(groups))
        pooled = pooled_before + nd1 / total_h
        # Gray's pooled F^0 is not a proper distribution function and can reach 1 in tiny
        # samples; the test is then undefined (nan), as in cmprsk
        weight = float(np.power(np.float64(1 - pooled_before), rho))
        a = weight * (np.diag(h) - np.outer(h, h) / total_h)
        c_matrix += a * nd1 / np.float64(total_h * (1 - pooled_before))
        for k in range(groups):
            if risk[k] > 0:
                expected = nd1 * h[k] * (1 - cif_before[k]) / total_r
                score[k] += weight * (d1[k] - expected)
        for k in range(groups):
            if risk[k] <= 0:
                continue
            if nd1 > 0:
                t4 = 1 - (1 - pooled) / km_after[k] if km_after[k] > 0 else 1.0
                tie = 1 - (nd1 - 1) / (total_h * km_before[k] - 1) if nd1 > 1 else 1.0
                t3 = tie * km_before[k] * nd1 / (total_h * risk[k])
                v3[k] += t4 * t4 * t3
                for i in range(groups):
                    bi = a[i, k] - t4 * c_matrix[i, k]
                    v2[i, k] += bi * t4 * t3
                    for j in range(groups):
                        var[i, j] += bi * (a[j, k] - t4 * c_matrix[j, k]) * t3
            if d2[k] > 0 and km_after[k] > 0:
                t4 = (1 - pooled) / km_after[k]
                tie = 1 - (d2[k] - 1) / (risk[k] - 1) if d2[k] > 1 else 1.0
                t3 = tie * km_before[k] ** 2 * d2[k] / risk[k] ** 2
                v3[k] += t4 * t4 * t3
                for i in range(groups):
                    v2[i, k] -= t4 * c_matrix[i, k] * t4 * t3
                    for j in range(groups):
                        var[i, j] += t4 * t4 * c_matrix[i, k] * c_matrix[j, k] * t3
        for k in range(groups):
            if risk[k] > 0:
                cif_before[k] += km_before[k] * d1[k] / risk[k]
        km_before = km_after
        pooled_before = pooled
    for i in range(groups):
        for j in range(groups):
            for k in range(groups):
                var[i, j] += c_matrix[i, k] * c_matrix[j, k] * v3[k]
                var[i, j] += c_matrix[i, k] * v2[j, k] + c_matrix[j, k] * v2[i, k]
    return score[:-1], var[:-1, :-1]


def naive_gray_statistic(score: np.ndarray, var: np.ndarray) -> float:
    return float(score @ np.linalg.solve(var, score))


def chi2_sf(stat: float, df: int) -> float:
    """Survival function of chi-square for df 1 or 2 in closed form (no scipy)."""
    if df == 1:
        return math.erfc(math.sqrt(stat / 2))
    if df == 2:
        return math.exp(-stat / 2)
    raise ValueError(df)


def _censoring_km_before(time: np.ndarray, status: np.ndarray, t: float) -> float:
    """G(t-): Kaplan-Meier of the censoring times, product over censoring times s < t."""
    value = 1.0
    for s in sorted(set(time[status == 0].tolist())):
        if s >= t:
            break
        value *= 1 - np.sum((time == s) & (status == 0)) / np.sum(time >= s)
    return value


def naive_fine_gray(
    time: np.ndarray, status: np.ndarray, x: np.ndarray, beta: np.ndarray, cause: int = 1
) -> dict[str, object]:
    """Log pseudo-likelihood, score, information and Omega of Fine & Gray (1999) at ``beta``.

    Double loops over subjects and failure times, straight from the paper's sec. 3-4
    (weights w_i(t) = G(t-)/G(min(t, T_i)-) for competing events, Breslow ties).
    """
    n, p = x.shape
    g_own = [_censoring_km_before(time, status, t) for t in time]
    failures = [i for i in range(n) if status[i] == cause]
    competing = [(status[i] > 0) and (status[i] != cause) for i in range(n)]

    def weight(i: int, t: float) -> float:
        if time[i] >= t:
            return 1.0
        if competing[i]:
            return _censoring_km_before(time, status, t) / g_own[i]
        return 0.0

    def sums(t: float) -> tuple[float, np.ndarray, np.ndarray]:
        s0, s1, s2 = 0.0, np.zeros(p), np.zeros((p, p))
        for j in range(n):
            w = weight(j, t) * math.exp(float(x[j] @ beta))
            s0 += w
            s1 += w * x[j]
            s2 += w * np.outer(x[j], x[j])
        return s0, s1, s2

    loglik, score, info = 0.0, np.zeros(p), np.zeros((p, p))
    at = {}
    for i in failures:
        s0, s1, s2 = at.setdefault(time[i], sums(time[i]))
        xbar = s1 / s0
        loglik += float(x[i] @ beta) - math.log(s0)
        score += x[i] - xbar
        info += s2 / s0 - np.outer(xbar, xbar)
    # eta_i: integral of (x_i - xbar) w_i [dN_i - Y_i exp(x_i b) dLambda]
    eta = np.zeros((n, p))
    for i in range(n):
        if status[i] == cause:
            s0, s1, _ = at[time[i]]
            eta[i] += x[i] - s1 / s0
        for j in failures:
            s0, s1, _ = at[time[j]]
            eta[i] -= weight(i, time[j]) * math.exp(float(x[i] @ beta)) * (x[i] - s1 / s0) / s0
    # psi_i: integral of q(u)/pi(u) dM_i^c(u), q(u) over failures at or after u of the
    # competing-event subjects that left before u
    censor_times = sorted(set(time[status == 0].tolist()))

    def q(u: float) -> np.ndarray:
        total = np.zeros(p)
        for j in failures:
            if time[j] < u:
                continue
            s0, s1, _ = at[time[j]]
            for k in range(n):
                if competing[k] and time[k] < u:
                    w = weight(k, time[j]) * math.exp(float(x[k] @ beta))
                    total += w * (x[k] - s1 / s0) / s0
        return total

    qs = {u: q(u) for u in censor_times}
    psi = np.zeros((n, p))
    for i in range(n):
        for u in censor_times:
            if u > time[i]:
                break
            r = np.sum(time >= u)
            c = np.sum((time == u) & (status == 0))
            psi[i] -= qs[u] * c / r**2
            if u == time[i] and status[i] == 0:
                psi[i] += qs[u] / r
    omega = sum(np.outer(e, e) for e in eta + psi)
    return {"loglik": loglik, "score": score, "information": info, "omega": omega}
