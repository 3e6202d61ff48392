"""Cumulative incidence of one cause among competing risks (Aalen-Johansen), equal to cmprsk.

The estimate is the Aalen-Johansen (Kalbfleisch-Prentice) cumulative incidence with tied
times handled exactly; its default variance is the one ``cmprsk::cuminc`` reports. Left
truncation and case weights are not supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm

from inodli.stats._cr_counts import tie_counts
from inodli.stats._cr_variance import variance_aalen, variance_cmprsk, variance_delta
from inodli.stats._validation import (
    as_groups,
    as_status,
    as_time,
    check_cause,
    check_choice,
    check_conf_level,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CumulativeIncidence", "cumulative_incidence", "cumulative_incidence_by_group"]

CONF_TYPES = ("log-log", "log", "plain")
VARIANCES = ("cmprsk", "aalen", "delta")
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, repr=False)
class CumulativeIncidence:
    """Cumulative incidence of one cause: the table and how it was computed.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per distinct observed time: ``time, n_risk, n_event`` (events of the cause),
        ``n_competing, n_censor, estimate, variance, lower, upper``.
    cause : int
        The status code estimated.
    conf_level, conf_type, variance_method
        The options used for ``variance``, ``lower`` and ``upper``.
    """

    table: pd.DataFrame
    cause: int
    conf_level: float
    conf_type: str
    variance_method: str
    label: Any = field(default=None)

    def __repr__(self) -> str:
        t = self.table
        last = t.iloc[-1]
        return (
            f"CumulativeIncidence(cause={self.cause}, n={int(t['n_risk'].iloc[0])}, "
            f"events={int(t['n_event'].sum())}, competing={int(t['n_competing'].sum())}, "
            f"final estimate={last['estimate']:.4g} at t={last['time']:g}, "
            f"variance={self.variance_method!r}, conf_type={self.conf_type!r}, "
            f"conf_level={self.conf_level:g})"
        )

    def at(self, times: Any) -> pd.DataFrame:
        """Estimate, variance and bounds at ``times`` (``cmprsk::timepoints`` semantics).

        The value of the right-continuous step function at each time; the variance is the one
        at the last event of the cause on or before it. Times after the largest follow-up time
        give NaN, as cmprsk gives NA.
        """
        wanted = as_time(times, "times")
        t = self.table
        index = np.searchsorted(t["time"].to_numpy(), wanted, side="right") - 1
        beyond = wanted > t["time"].iloc[-1]
        out = {"time": wanted}
        for column in ("estimate", "variance", "lower", "upper"):
            values = t[column].to_numpy()
            picked = np.where(index >= 0, values[np.maximum(index, 0)], 0.0)
            out[column] = np.where(beyond, np.nan, picked)
        return pd.DataFrame(out)

    def at_risk(self, times: Any) -> npt.NDArray[np.int64]:
        """Number still at risk (time >= t) at each of ``times``."""
        wanted = as_time(times, "times")
        t = self.table
        index = np.searchsorted(t["time"].to_numpy(), wanted, side="left")
        n_risk = np.r_[t["n_risk"].to_numpy(), 0]
        return n_risk[index].astype(np.int64)

    def steps(self) -> pd.DataFrame:
        """The curve in cmprsk's plotting format: each jump time twice, starting at (0, 0).

        Columns ``time, estimate, variance``; the last row extends the curve to the largest
        follow-up time, as ``cmprsk::cuminc`` returns it.
        """
        t = self.table
        jumps = t[t["n_event"] > 0]
        est = jumps["estimate"].to_numpy()
        var = jumps["variance"].to_numpy()
        before_est = np.r_[0.0, est[:-1]]
        before_var = np.r_[0.0, var[:-1]]
        # with no event of the cause, cmprsk returns just (0, 0) and (last time, 0)
        time = np.r_[0.0, np.repeat(jumps["time"].to_numpy(), 2), t["time"].iloc[-1]]
        estimate = np.r_[0.0, np.column_stack([before_est[: est.size], est]).ravel(), est[-1:]]
        variance = np.r_[0.0, np.column_stack([before_var[: var.size], var]).ravel(), var[-1:]]
        if est.size == 0:
            estimate = variance = np.zeros(2)
        return pd.DataFrame({"time": time, "estimate": estimate, "variance": variance})

    def plot(
        self,
        ax: Axes | None = None,
        *,
        ci: bool = True,
        censor_marks: bool = True,
        label: str | None = None,
        **step_kwargs: Any,
    ) -> Axes:
        """Step curve from (0, 0) with its confidence band and censoring marks.

        Drawn with :func:`inodli.stats.plotting.plot_step_curve` on ``ax`` (a new figure's axes
        when None); ``label`` defaults to the group label of a per-group result.
        """
        from inodli.stats.plotting import plot_step_curve

        t = self.table
        censored = t["n_censor"].to_numpy() > 0
        if label is None and self.label is not None:
            label = str(self.label)
        axes = plot_step_curve(
            ax,
            t["time"].to_numpy(),
            t["estimate"].to_numpy(),
            lower=t["lower"].to_numpy() if ci else None,
            upper=t["upper"].to_numpy() if ci else None,
            censor_times=t["time"].to_numpy()[censored] if censor_marks else None,
            censor_values=t["estimate"].to_numpy()[censored] if censor_marks else None,
            label=label,
            start_value=0.0,
            **step_kwargs,
        )
        if not axes.get_ylabel():
            axes.set_ylabel(f"Cumulative incidence (cause {self.cause})")
        return axes


def _bounds(
    estimate: FloatArray, variance: FloatArray, conf_level: float, conf_type: str
) -> tuple[FloatArray, FloatArray]:
    """Pointwise confidence bounds on the transformed scale, mapped back into [0, 1]."""
    z = float(norm.ppf(0.5 + conf_level / 2.0))
    se = np.sqrt(np.where(variance >= 0.0, variance, np.nan))  # negative: no interval
    inside = (estimate > 0) & (estimate < 1)
    safe = np.where(inside, estimate, 0.5)
    if conf_type == "plain":
        return np.clip(estimate - z * se, 0.0, 1.0), np.clip(estimate + z * se, 0.0, 1.0)
    if conf_type == "log":
        scale = np.exp(z * se / safe)
        lower, upper = estimate / scale, np.minimum(estimate * scale, 1.0)
    else:  # log-log as Pintilie (2006, ch. 4) recommends: F^exp(+-z se / (F log F))
        power = np.exp(z * se / (safe * np.log(safe)))
        lower, upper = estimate ** (1.0 / power), estimate**power
    return np.where(inside, lower, estimate), np.where(inside, upper, estimate)


def _estimate(
    time: FloatArray,
    status: npt.NDArray[np.int64],
    cause: int,
    conf_level: float,
    conf_type: str,
    variance: str,
    label: Any = None,
) -> CumulativeIncidence:
    counts = tie_counts(time, status, max(int(status.max()), cause) + 1)
    per_time = counts.counts
    n_risk = np.cumsum(per_time.sum(axis=1)[::-1])[::-1]
    n = n_risk.astype(np.float64)
    n_event = per_time[:, cause]
    n_any = per_time.sum(axis=1) - per_time[:, 0]
    d1 = n_event.astype(np.float64)
    d = n_any.astype(np.float64)
    s_after = np.cumprod(1.0 - d / n)
    s_before = np.r_[1.0, s_after[:-1]]
    estimate = np.cumsum(s_before * d1 / n)
    if variance == "cmprsk":
        var = variance_cmprsk(n, d1, d, s_before, s_after, estimate)
    elif variance == "aalen":
        var = variance_aalen(n, d1, d, s_before, estimate)
    else:
        var = variance_delta(n, d1, d, s_before, estimate)
    lower, upper = _bounds(estimate, var, conf_level, conf_type)
    table = pd.DataFrame(
        {
            "time": counts.time,
            "n_risk": n_risk,
            "n_event": n_event,
            "n_competing": n_any - n_event,
            "n_censor": per_time[:, 0],
            "estimate": estimate,
            "variance": var,
            "lower": lower,
            "upper": upper,
        }
    )
    return CumulativeIncidence(table, cause, conf_level, conf_type, variance, label)


def _options(conf_level: float, conf_type: str, variance: str) -> tuple[float, str, str]:
    return (
        check_conf_level(conf_level),
        check_choice("conf_type", conf_type, CONF_TYPES),
        check_choice("variance", variance, VARIANCES),
    )


def cumulative_incidence(
    time: Sequence[float] | FloatArray,
    status: Sequence[int] | npt.NDArray[np.int64],
    *,
    cause: int = 1,
    conf_level: float = 0.95,
    conf_type: str = "log-log",
    variance: str = "cmprsk",
) -> CumulativeIncidence:
    """Aalen-Johansen cumulative incidence of one cause in the presence of competing risks.

    ``F(t) = sum_{t_j <= t} S(t_{j-1}) d1_j / n_j``, with ``S`` the all-cause Kaplan-Meier
    estimate, ``d1_j`` the events of the cause and ``n_j`` the number at risk at the distinct
    time ``t_j``. Tied times of different causes and censorings are taken exactly (censorings
    at ``t_j`` count as at risk at ``t_j``); nothing is jittered.

    Parameters
    ----------
    time : array_like of float, shape (n,)
        Follow-up times, finite and non-negative.
    status : array_like of int, shape (n,)
        0 = censored, 1..K = the cause of the event.
    cause : int, default 1
        The cause whose incidence is estimated; other causes compete.
    conf_level : float, default 0.95
        Level of the pointwise confidence intervals.
    conf_type : {"log-log", "log", "plain"}, default "log-log"
        Transform for the intervals: ``F^exp(+-z se / (F log F))`` (Pintilie 2006, ch. 4;
        also tidycmprsk's), ``F exp(+-z se / F)`` (upper capped at 1), or ``F +- z se``
        (clipped to [0, 1]). Where ``F`` is 0 or 1 both bounds equal ``F``.
    variance : {"cmprsk", "aalen", "delta"}, default "cmprsk"
        ``"cmprsk"``: Gray's estimate exactly as ``cmprsk::cuminc`` reports it;
        ``"aalen"``: Aalen (1978) as in Pintilie (2006), eq. 4.5 (scikit-survival's default);
        ``"delta"``: the delta method (Marubini & Valsecchi 1995; Pintilie 2006, ch. 4;
        Dinse & Larson's 1986 approximation).
        survival::survfit's infinitesimal-jackknife SE is a further, different estimate (not
        offered). Aalen's form can be negative when the last risk sets hold one or two
        subjects; it is reported as computed and the interval there is NaN.

    Returns
    -------
    CumulativeIncidence
        ``.table``, ``.at(times)``, ``.at_risk(times)``, ``.steps()``, ``.plot(ax=None)``.

    Raises
    ------
    inodli.errors.InputError
        Unequal lengths, NaN or negative times, unknown status codes, a cause that does not
        occur, data without any event, or unknown options.

    References
    ----------
    .. [1] Aalen, O. O. and Johansen, S. (1978). An empirical transition matrix for
           non-homogeneous Markov chains based on censored observations. Scand. J. Statist.
           5, 141-150.
    .. [2] Kalbfleisch, J. D. and Prentice, R. L. (2002). The Statistical Analysis of Failure
           Time Data, 2nd ed., Wiley, ch. 8 (the cumulative incidence estimator).
    .. [3] Gray, R. J. (1988). A class of K-sample tests for comparing the cumulative incidence
           of a competing risk. Ann. Statist. 16, 1141-1154.
    .. [4] Pintilie, M. (2006). Competing Risks: A Practical Perspective. Wiley, ch. 4
           (variance estimators, eq. 4.5 being Aalen's; the log-log interval).
    .. [5] Marubini, E. and Valsecchi, M. G. (1995). Analysing Survival Data from Clinical
           Trials and Observational Studies. Wiley (delta-method variance).

    Examples
    --------
    >>> from inodli.stats.cumulative_incidence import cumulative_incidence
    >>> result = cumulative_incidence([1, 2, 2, 3, 4, 5], [1, 2, 1, 0, 1, 2])
    >>> result.table[["time", "n_risk", "n_event", "estimate"]]
       time  n_risk  n_event  estimate
    0   1.0       6        1  0.166667
    1   2.0       5        1  0.333333
    2   3.0       3        0  0.333333
    3   4.0       2        1  0.583333
    4   5.0       1        0  0.583333
    >>> round(float(result.at([2.5])["estimate"].iloc[0]), 6)
    0.333333
    """
    time_ = as_time(time)
    status_ = as_status(status, time_.size)
    cause_ = check_cause(cause, status_)
    return _estimate(time_, status_, cause_, *_options(conf_level, conf_type, variance))


def cumulative_incidence_by_group(
    time: Sequence[float] | FloatArray,
    status: Sequence[int] | npt.NDArray[np.int64],
    group: Sequence[Any] | npt.NDArray[Any],
    *,
    cause: int = 1,
    conf_level: float = 0.95,
    conf_type: str = "log-log",
    variance: str = "cmprsk",
) -> dict[Any, CumulativeIncidence]:
    """:func:`cumulative_incidence` within each group, as ``cmprsk::cuminc(..., group)`` does.

    Returns a mapping from each group label (sorted, R's factor order) to its result. The cause
    must occur somewhere in the data; a group without it gets a curve that stays at 0.

    Examples
    --------
    >>> from inodli.stats.cumulative_incidence import cumulative_incidence_by_group
    >>> curves = cumulative_incidence_by_group(
    ...     [1, 2, 3, 4, 5, 6], [1, 0, 2, 1, 1, 0], ["a", "b", "a", "b", "a", "b"]
    ... )
    >>> {label: float(curve.table["estimate"].iloc[-1]) for label, curve in curves.items()}
    {'a': 0.6666666666666667, 'b': 0.5}
    """
    time_ = as_time(time)
    status_ = as_status(status, time_.size)
    codes, labels = as_groups(group, time_.size, min_levels=1)
    cause_ = check_cause(cause, status_)
    options = _options(conf_level, conf_type, variance)
    return {
        label: _estimate(time_[codes == k], status_[codes == k], cause_, *options, label=label)
        for k, label in enumerate(labels)
    }
