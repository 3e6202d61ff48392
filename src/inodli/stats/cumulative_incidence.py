"""Cumulative incidence of one cause among competing risks (Aalen-Johansen), equal to cmprsk.

The estimate is the Aalen-Johansen (Kalbfleisch-Prentice) cumulative incidence with tied
times handled exactly; its default variance is the one ``cmprsk::cuminc`` reports. Left
truncation and case weights are not supported. Cost: one sort (none for whole-day times),
then one pass over the event times in cache-sized blocks; the confidence bounds are computed
at the events of the cause only and copied to the rows in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm

from inodli.stats._cr_counts import (
    TieCounts,
    chunks,
    event_kind,
    running_buffer,
    still_at_risk,
    tie_counts,
)
from inodli.stats._cr_variance import ESTIMATORS
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
    estimate: FloatArray, variance: FloatArray, z: float, conf_type: str
) -> tuple[FloatArray, FloatArray]:
    """Pointwise confidence bounds on the transformed scale, mapped back into [0, 1].

    ``z`` is the normal quantile of the two-sided level.
    """
    if variance.size and variance.min() >= 0.0:
        se = np.sqrt(variance)
    else:
        se = np.sqrt(np.where(variance >= 0.0, variance, np.nan))  # negative: no interval
    if conf_type == "plain":
        return np.clip(estimate - z * se, 0.0, 1.0), np.clip(estimate + z * se, 0.0, 1.0)
    # usually 0 < F < 1 at every jump of the cause (F = 1 only where everyone had the event)
    everywhere = bool(estimate.size == 0 or (estimate.min() > 0 and estimate.max() < 1))
    inside = None if everywhere else (estimate > 0) & (estimate < 1)
    safe = estimate if inside is None else np.where(inside, estimate, 0.5)
    if conf_type == "log":
        scale = np.exp(z * se / safe)
        lower, upper = estimate / scale, np.minimum(estimate * scale, 1.0)
    else:  # log-log as Pintilie (2006, ch. 4) recommends: F^exp(+-z se / (F log F))
        log_f = np.log(safe)
        power = np.exp(z * se / (safe * log_f))
        # F^(1/p) and F^p as exp(log F / p) and exp(p log F): one log for three powers
        lower, upper = np.exp(log_f / power), np.exp(log_f * power)
    if inside is None:
        return lower, upper
    return np.where(inside, lower, estimate), np.where(inside, upper, estimate)


def _table_counts(time: FloatArray, status: npt.NDArray[np.int64], cause: int) -> TieCounts:
    """Censored (row 0), cause (row 1) and competing (row 2) counts at each distinct time."""
    return tie_counts(time, event_kind(status, cause), 3)


def _rows_with(values: npt.NDArray[np.int64], more: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """Positions where ``values`` or ``more`` (both >= 0) is non-zero."""
    hit = np.empty(values.size, dtype=bool)
    for part in chunks(values.size):
        np.not_equal(values[part] | more[part], 0, out=hit[part])
    return np.flatnonzero(hit)


def _estimate(
    time: FloatArray,
    status: npt.NDArray[np.int64],
    cause: int,
    conf_level: float,
    conf_type: str,
    variance: str,
    label: Any = None,
) -> CumulativeIncidence:
    counts = _table_counts(time, status, cause)
    n_censor, n_event, n_competing = counts.counts.astype(np.int64, copy=False)
    if counts.counts.dtype == np.uint8:  # every time distinct: one observation per row
        n_risk = np.arange(counts.time.size, 0, -1, dtype=np.int64)
    else:
        n_risk = still_at_risk(n_censor + n_event + n_competing)
    # The estimate, its variance and bounds change only at events of the cause. They are
    # computed over the rows with events, block by block (running sums and products carried
    # over), kept at the events of the cause, and then spread over the rows of the table.
    events = _rows_with(n_event, n_competing)
    n_jumps = int(np.count_nonzero(n_event))
    at_jumps = np.zeros((4, n_jumps + 1))  # estimate, variance, lower, upper; 0 before any
    variance_of = ESTIMATORS[variance]()
    s_last, f_last, filled = np.float64(1.0), np.float64(0.0), 1
    z = float(norm.ppf(0.5 + conf_level / 2.0))
    for part in chunks(events.size):
        rows = events[part]
        n = np.take(n_risk, rows).astype(np.float64)
        cause_events = np.take(n_event, rows)
        d1 = cause_events.astype(np.float64)
        d = d1 + np.take(n_competing, rows)
        # all-cause Kaplan-Meier just before and just after each time, continuing the product
        survival = running_buffer(s_last, n.size)
        s_before, s_after = survival[:-1], survival[1:]
        np.divide(d, n, out=s_after)
        np.subtract(1.0, s_after, out=s_after)
        np.cumprod(survival, out=survival)
        incidence = running_buffer(f_last, n.size)
        f = incidence[1:]
        np.multiply(s_before, d1, out=f)
        f /= n
        np.cumsum(incidence, out=incidence)
        jumps = np.flatnonzero(cause_events != 0)
        block = at_jumps[:, filled : filled + jumps.size]
        np.take(f, jumps, out=block[0], mode="clip")  # clip: unbuffered; jumps are valid
        block[1] = variance_of(n, d1, d, s_before, s_after, f, jumps)
        block[2], block[3] = _bounds(block[0], block[1], z, conf_type)
        s_last, f_last, filled = survival[-1], incidence[-1], filled + jumps.size
    # row i of the table shows the values at the last event of the cause on or before it
    spread = np.empty((4, n_risk.size))
    last_jump = 0
    for part in chunks(n_risk.size):
        index = np.cumsum(n_event[part] != 0)
        index += last_jump
        for column, values in zip(spread, at_jumps, strict=True):
            np.take(values, index, out=column[part], mode="clip")  # clip: unbuffered
        last_jump = int(index[-1])
    table = pd.DataFrame(
        {
            "time": counts.time,
            "n_risk": n_risk,
            "n_event": n_event,
            "n_competing": n_competing,
            "n_censor": n_censor,
            "estimate": spread[0],
            "variance": spread[1],
            "lower": spread[2],
            "upper": spread[3],
        },
        copy=False,  # every column is a fresh array of this call
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
