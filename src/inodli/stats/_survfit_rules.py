"""R survival's conventions for survival-curve intervals and quantiles, stated as code.

These functions copy the *rules* (not the code) of R survival 3.5's ``survfit_confint``,
``survmean`` (print.survfit's median) and ``summary.survfit`` so that inodli's numbers equal R's, including R's
undefined values (NaN here, ``NA`` in R):

- at S = 0 every transform but "plain" is undefined (log of 0), and "plain" gives NaN because
  Greenwood's variance of log S is infinite there;
- at S = 1, "log-log" is undefined and "logit"/"arcsin" give NaN (0/0); "log" and "plain" give 1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]

CONF_TYPES = ("log-log", "log", "plain", "logit", "arcsin")


def confidence_limits(
    surv: FloatArray, se_log: FloatArray, conf_type: str, z: float
) -> tuple[FloatArray, FloatArray]:
    """Pointwise limits for S from ``se_log`` (the SE of -log S), as survfit computes them.

    References
    ----------
    .. [1] Klein JP, Moeschberger ML. Survival Analysis: Techniques for Censored and Truncated
       Data, 2nd ed. Springer 2003, sec. 4.3 (eqs. 4.3.1-4.3.3: linear, log-transformed and
       arcsine-square-root intervals).
    .. [2] Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data, 2nd ed.
       Wiley 2002, sec. 1.4 (log-log transform).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "plain":
            half = z * se_log * surv
            return np.maximum(surv - half, 0.0), np.minimum(surv + half, 1.0)
        positive = np.where(surv == 0, np.nan, surv)
        if conf_type == "log":
            half = z * se_log
            return positive * np.exp(-half), np.minimum(positive * np.exp(half), 1.0)
        if conf_type == "log-log":
            inner = np.where(surv == 1, np.nan, positive)
            log_neg_log = np.log(-np.log(inner))
            half = z * se_log / np.log(inner)
            return np.exp(-np.exp(log_neg_log - half)), np.exp(-np.exp(log_neg_log + half))
        if conf_type == "logit":
            half = z * se_log * (1 + positive / (1 - positive))
            logit = np.log(surv / (1 - surv))
            return 1 - 1 / (1 + np.exp(logit - half)), 1 - 1 / (1 + np.exp(logit + half))
        if conf_type == "arcsin":
            half = 0.5 * z * se_log * np.sqrt(positive / (1 - positive))
            angle = np.arcsin(np.sqrt(positive))
            lower = np.sin(np.maximum(0.0, angle - half)) ** 2
            upper = np.sin(np.minimum(np.pi / 2, angle + half)) ** 2
            return lower, upper
    raise ValueError(conf_type)  # unreachable: validated by the caller


def find_quantile(
    time: FloatArray, surv: FloatArray, p: float, tol: float = 1.4901161193847656e-08
) -> float:
    """First time at which the curve ``surv`` falls to 1 - p, by R's print.survfit rule.

    The first time t_j (in time order) with surv_j <= 1 - p (within ``tol``); if surv_j equals
    1 - p there and the curve later falls further, the midpoint of t_j and the time it does
    (the median of a flat stretch at exactly 0.5). NaN entries (undefined limits) are skipped;
    NaN if the curve never gets there. Applied to the pointwise limits this gives the
    Brookmeyer-Crowley style interval.

    This is the rule of survival's ``survmean`` (``print(fit)``, ``summary(fit)$table``). R's
    ``quantile.survfit`` agrees whenever the curve is monotone, but for the upper limit curve,
    which can rise again (e.g. survival::aml, conf.type "log": R prints 45 as the median's
    upper limit while ``quantile(fit, 0.5)`` returns 48), it picks a later time; and when the
    curve stays at exactly 1 - p until the last follow-up, quantile.survfit returns the
    midpoint of that stretch while print.survfit returns its start, as here.

    References
    ----------
    .. [1] Brookmeyer R, Crowley J. A confidence interval for the median survival time.
       Biometrics 1982;38:29-41.
    """
    target = 1.0 - p
    reached = np.flatnonzero(~np.isnan(surv) & (surv < target + tol))
    if reached.size == 0:
        return float("nan")
    first = int(reached[0])
    if abs(surv[first] - target) < tol:
        later = reached[surv[reached] < surv[first]]
        if later.size:
            return float((time[first] + time[int(later[0])]) / 2)
    return float(time[first])


def find_quantile_as_quantile_survfit(
    time: FloatArray, surv: FloatArray, p: float, tol: float = 1.4901161193847656e-08
) -> float:
    """Time at which the curve ``surv`` falls to 1 - p, by R's ``quantile.survfit`` rule.

    The curve is read as the cumulative distribution 1 - S with the point (0, 0) in front;
    repeated values of 1 - S (flat stretches, and NaN limits) are dropped, keeping the first
    of each. The answer is the mean of the first times at which 1 - S reaches p - tol and
    p + tol, so a flat stretch at exactly 1 - p gives its midpoint; a stretch that lasts to
    the end of follow-up gives the midpoint of its start and the last observed time (where
    :func:`find_quantile`, print.survfit's rule, gives its start). NaN if the curve never
    gets there. On a monotone curve it otherwise agrees with :func:`find_quantile`; on a
    limit curve that rises again it can pick a later crossing.

    References
    ----------
    .. [1] Therneau TM. survival: A Package for Survival Analysis in R, version 3.5
       (``quantile.survfit`` documentation: the quantile of a flat stretch).
    """
    x = np.concatenate(([0.0], time))
    y = np.concatenate(([0.0], 1.0 - surv))
    if np.nanmax(y) < p:
        return float("nan")
    last_time = float(x[-1])
    first_of_value = ~pd.Series(y).duplicated().to_numpy()  # NaN repeats count as repeats
    x, y = x[first_of_value], y[first_of_value]
    index_high = _first_reaching(y + tol, p)
    index_low = _first_reaching(y - tol, p)
    high = float("nan") if index_high is None else float(x[index_high])
    low = float("nan") if index_low is None else float(x[index_low])
    # R's order of precedence: a p at the last level of the curve wins over p = 0
    if not np.isnan(y[-1]) and abs(p - y[-1]) < tol:
        return (high + last_time) / 2
    if p == 0:
        return float(x[0])
    return (high + low) / 2


def _first_reaching(levels: FloatArray, p: float) -> int | None:
    """Position (in ``levels``' own order) of the smallest level >= p; None outside the range.

    ``approx(levels, positions, p, method = "constant", f = 1)`` with NaN levels dropped, as
    R's quantile.survfit reads its curve.
    """
    known = np.flatnonzero(~np.isnan(levels))
    order = known[np.argsort(levels[known], kind="stable")]
    ordered = levels[order]
    if ordered.size == 0 or p < ordered[0] or p > ordered[-1]:
        return None
    return int(order[np.searchsorted(ordered, p, side="left")])


def restricted_mean(
    time: FloatArray,
    surv: FloatArray,
    n_risk: npt.NDArray[np.int64],
    n_event: npt.NDArray[np.int64],
    tau: float,
) -> tuple[float, float]:
    """Area under the step curve on [0, tau] and its SE, as survival's ``survmean``.

    Var = sum over curve times t_j < tau of A_j^2 d_j / (n_j (n_j - d_j)), with A_j the area
    from t_j to tau (terms with n_j = d_j count as 0, as in R).

    References
    ----------
    .. [1] Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer 2003, sec. 4.5
       (eqs. 4.5.1-4.5.2).
    """
    keep = time <= tau
    times = np.concatenate((time[keep], [tau]))
    values = np.concatenate((surv[keep], surv[keep][-1:] if keep.any() else [1.0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard_terms = np.where(
            n_risk == n_event, 0.0, n_event / (n_risk * (n_risk - n_event).astype(np.float64))
        )
    hazard_terms = np.concatenate((hazard_terms[keep], [0.0]))
    widths = np.diff(np.concatenate(([0.0], times)))
    heights = np.concatenate(([1.0], values[:-1]))
    rectangles = widths * heights
    # rectangle i spans [t_{i-1}, t_i) (t_{-1} = 0), so the area from t_j to tau is the sum of
    # rectangles after j
    tail = np.cumsum(rectangles[::-1])[::-1][1:]
    variance = float(np.sum(tail**2 * hazard_terms[:-1]))
    return float(rectangles.sum()), float(np.sqrt(variance))
