"""Kaplan-Meier survival curves with Greenwood variance, equal to R's ``survfit``.

Conventions (each one R survival 3.5's unless stated):

- one table row per distinct observed time, events or censorings alike (survfit's layout);
- ``std_err`` in :attr:`KaplanMeierResult.table` is Greenwood's SE **of S**. R's
  ``survfit(...)$std.err`` is the SE of -log S (cumulative-hazard scale); it is available here
  as :attr:`KaplanMeierResult.std_err_log`. ``summary.survfit`` prints the SE of S, as we do;
- confidence limits follow ``conf_type`` exactly as survfit computes them (see
  :func:`inodli.stats._survfit_rules.confidence_limits`); our default is "log-log" (SAS PROC
  LIFETEST's and most trial reports'), R's is "log": state which one a report used;
- where S = 0 Greenwood's variance is infinite, so ``std_err`` and the limits are NaN (R: NA);
- times are compared exactly by default. R's ``timefix = TRUE`` (its default) treats
  neighbouring times as tied when their gap is at most 1.5e-8, absolute or relative to the
  mean time; that only matters for times produced by floating-point arithmetic (e.g. days
  computed from dates and divided by 30.4375). ``timefix=True`` applies R's rule;
- the median and its limits follow print.survfit (see
  :func:`inodli.stats._survfit_rules.find_quantile`, which also says where R's own
  ``quantile.survfit`` differs); ``quantile(q, rule="quantile.survfit")`` reproduces R's
  ``quantile(fit, q)`` instead;
- ``restricted_mean(tau)`` with ``tau`` before the first observed time is ``tau`` (S = 1
  there); R's ``summary(fit, rmean = tau)`` refuses such a ``tau`` with an error;
- Not supported (yet): left truncation (counting-process input), case weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtri

from inodli.errors import InputError
from inodli.stats._kernels import merge_near_ties, tie_counts
from inodli.stats._survfit_rules import (
    CONF_TYPES,
    confidence_limits,
    find_quantile,
    find_quantile_as_quantile_survfit,
    restricted_mean,
)
from inodli.stats._validation import (
    as_event,
    as_time,
    check_choice,
    check_conf_level,
    is_real_number,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["KaplanMeierResult", "RestrictedMean", "kaplan_meier"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
QUANTILE_RULES = ("print.survfit", "quantile.survfit")


@dataclass(frozen=True)
class RestrictedMean:
    """Restricted mean survival time up to ``tau`` (area under the curve) and its SE."""

    tau: float
    estimate: float
    std_err: float


@dataclass(frozen=True, repr=False)
class KaplanMeierResult:
    """A Kaplan-Meier curve: one entry per distinct observed time, ascending.

    Attributes
    ----------
    time, n_risk, n_event, n_censor, survival, std_err, lower, upper
        The columns of :attr:`table` as numpy arrays (``std_err`` is the SE of S).
    std_err_log
        Greenwood SE of -log S (R survfit's ``std.err``).
    conf_level, conf_type
        How ``lower`` and ``upper`` were computed.
    n
        Number of subjects.
    """

    time: FloatArray
    n_risk: IntArray
    n_event: IntArray
    n_censor: IntArray
    survival: FloatArray
    std_err: FloatArray
    std_err_log: FloatArray
    lower: FloatArray
    upper: FloatArray
    conf_level: float
    conf_type: str
    n: int

    def __repr__(self) -> str:
        median = self.median
        low, high = self.median_ci
        return (
            f"KaplanMeierResult(n={self.n}, events={int(self.n_event.sum())}, "
            f"median={median:g} ({self.conf_level:.0%} CI {low:g} to {high:g}, "
            f"{self.conf_type}))"
        )

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per distinct observed time: time, n_risk, n_event, n_censor, survival,
        std_err (Greenwood SE of S), lower, upper."""
        return pd.DataFrame(
            {
                "time": self.time,
                "n_risk": self.n_risk,
                "n_event": self.n_event,
                "n_censor": self.n_censor,
                "survival": self.survival,
                "std_err": self.std_err,
                "lower": self.lower,
                "upper": self.upper,
            }
        )

    def quantile(self, q: float, rule: str = "print.survfit") -> tuple[float, float, float]:
        """Time by which a fraction ``q`` has had the event: (estimate, lower, upper).

        The first time with S <= 1 - q; the midpoint of a flat stretch where S equals 1 - q
        exactly; the limits are where the pointwise confidence curves first reach 1 - q
        (Brookmeyer & Crowley 1982). NaN where a curve never gets there.

        ``rule="print.survfit"`` (default) is the rule of R's ``print(fit)`` and
        ``summary(fit)$table`` (and of :attr:`median`); ``rule="quantile.survfit"`` gives
        exactly what R's ``quantile(fit, q)`` returns, which differs when the curve stays at
        1 - q until the last follow-up (the midpoint of that stretch, not its start) and
        when a limit curve rises again (see
        :func:`inodli.stats._survfit_rules.find_quantile_as_quantile_survfit`).
        """
        if not is_real_number(q) or not 0 <= q <= 1:
            raise InputError("q", "a probability from 0 to 1", q)
        check_choice("rule", rule, QUANTILE_RULES)
        find = find_quantile if rule == "print.survfit" else find_quantile_as_quantile_survfit
        return (
            find(self.time, self.survival, q),
            find(self.time, self.lower, q),
            find(self.time, self.upper, q),
        )

    @property
    def median(self) -> float:
        """Median survival time (NaN if the curve never falls to 0.5)."""
        return find_quantile(self.time, self.survival, 0.5)

    @property
    def median_ci(self) -> tuple[float, float]:
        """Confidence limits of the median: where the lower/upper curves reach 0.5."""
        return (
            find_quantile(self.time, self.lower, 0.5),
            find_quantile(self.time, self.upper, 0.5),
        )

    def at_risk(self, times: Any) -> IntArray:
        """Number of subjects at risk (time >= t) at each of ``times`` (a number or a sequence)."""
        points = as_time(np.atleast_1d(times), "times")
        index = np.searchsorted(self.time, points, side="left")
        padded = np.append(self.n_risk, 0)
        return padded[index]

    def survival_at(self, times: Any) -> pd.DataFrame:
        """The step curve read at ``times``, as ``summary(fit, times = , extend = TRUE)``.

        Columns time, n_risk (subjects with time >= t), survival, std_err (of S), lower, upper.
        Before the first observed time the curve is 1 with limits 1, as in R.
        """
        points = as_time(np.atleast_1d(times), "times")
        index = np.searchsorted(self.time, points, side="right") - 1
        before = index < 0
        row = np.where(before, 0, index)

        def pick(values: FloatArray, start: float) -> FloatArray:
            return np.where(before, start, values[row])

        return pd.DataFrame(
            {
                "time": points,
                "n_risk": self.at_risk(points),
                "survival": pick(self.survival, 1.0),
                "std_err": pick(self.std_err, 0.0),
                "lower": pick(self.lower, 1.0),
                "upper": pick(self.upper, 1.0),
            }
        )

    def restricted_mean(self, tau: float | None = None) -> RestrictedMean:
        """Restricted mean survival time on [0, tau] with its SE, as R's print.survfit.

        ``tau`` defaults to the last observed time of this curve, which is what R's
        print.survfit uses for a single curve; for several groups R restricts all of them at
        the largest time of any group (see
        :func:`inodli.stats.groups.restricted_means_by_group`). The SE follows survival's
        ``survmean``.
        """
        limit = float(self.time[-1]) if tau is None else float(as_time([tau], "tau")[0])
        estimate, std_err = restricted_mean(
            self.time, self.survival, self.n_risk, self.n_event, limit
        )
        return RestrictedMean(limit, estimate, std_err)

    def plot(
        self,
        ax: Axes | None = None,
        *,
        ci: bool = True,
        censor_marks: bool = True,
        label: str | None = None,
        **step_kwargs: Any,
    ) -> Axes:
        """Step curve from (0, 1), censoring marks and the pointwise CI band on ``ax``."""
        from inodli.stats.plotting import plot_step_curve

        censored = self.n_censor > 0
        return plot_step_curve(
            ax,
            self.time,
            self.survival,
            lower=self.lower if ci else None,
            upper=self.upper if ci else None,
            censor_times=self.time[censored] if censor_marks else None,
            censor_values=self.survival[censored] if censor_marks else None,
            label=label,
            start_value=1.0,
            **step_kwargs,
        )


def kaplan_meier(
    time: Any,
    event: Any,
    *,
    conf_level: float = 0.95,
    conf_type: str = "log-log",
    timefix: bool = False,
) -> KaplanMeierResult:
    """Kaplan-Meier estimate of the survival function with Greenwood's variance.

    Parameters
    ----------
    time
        Follow-up times, finite and non-negative.
    event
        1/True where the time is an event, 0/False where it is censored.
    conf_level
        Two-sided coverage of the pointwise confidence limits.
    conf_type
        Transform for the limits: "log-log" (default; S^exp(+-z se/log S)), "log" (R's
        default; S exp(+-z se)), "plain" (S +- z S se), "logit" or "arcsin", with se the
        Greenwood SE of -log S, exactly as R survfit's ``conf.type``.
    timefix
        Merge near-tied times as R's ``timefix = TRUE`` does (see
        :func:`inodli.stats._kernels.merge_near_ties`); by default times are compared exactly.

    Returns
    -------
    KaplanMeierResult
        ``.table``, ``.median``, ``.median_ci``, ``.quantile(q)``, ``.survival_at(times)``,
        ``.restricted_mean(tau)``, ``.at_risk(times)``, ``.plot()``.

    Notes
    -----
    With n_j at risk and d_j events at the distinct times t_j: S(t) = prod_{t_j <= t}
    (1 - d_j / n_j); Var(-log S) = sum d_j / (n_j (n_j - d_j)) (Greenwood); SE(S) = S sqrt(.).
    One value sort of the times (or a counting pass for whole-number times) makes it
    O(n log n); see :mod:`inodli.stats._kernels`.

    References
    ----------
    .. [1] Kaplan EL, Meier P. Nonparametric estimation from incomplete observations.
       J Am Stat Assoc 1958;53:457-481.
    .. [2] Greenwood M. The natural duration of cancer. Reports on Public Health and Medical
       Subjects 33. London: HMSO 1926:1-26.
    .. [3] Klein JP, Moeschberger ML. Survival Analysis: Techniques for Censored and Truncated
       Data, 2nd ed. Springer 2003, sec. 4.2 (estimator, eq. 4.2.2) and 4.3 (intervals).
    .. [4] Brookmeyer R, Crowley J. A confidence interval for the median survival time.
       Biometrics 1982;38:29-41.
    .. [5] Therneau TM. survival: A Package for Survival Analysis in R, version 3.5
       (``survfit``, ``quantile.survfit``).

    Examples
    --------
    >>> fit = kaplan_meier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
    ...                    [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0], conf_type="log")
    >>> fit.table[["time", "n_risk", "n_event", "survival"]].head(3).round(4)
       time  n_risk  n_event  survival
    0   9.0      11        1    0.9091
    1  13.0      10        1    0.8182
    2  18.0       8        1    0.7159
    >>> fit.median, fit.median_ci[0]
    (31.0, 18.0)
    """
    times = as_time(time)
    events = as_event(event, times.size)
    level = check_conf_level(conf_level)
    check_choice("conf_type", conf_type, CONF_TYPES)
    if timefix:
        times = merge_near_ties(times)
    counts = tie_counts(times, events)
    n_risk, n_event = counts.n_risk, counts.n_event
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - n_event / n_risk).astype(np.float64, copy=False)
        greenwood = np.cumsum(n_event / (n_risk * (n_risk - n_event).astype(np.float64)))
        std_err_log = np.sqrt(greenwood).astype(np.float64, copy=False)
        std_err = (survival * std_err_log).astype(np.float64, copy=False)
    z = float(ndtri(1 - (1 - level) / 2))
    lower, upper = confidence_limits(survival, std_err_log, conf_type, z)
    return KaplanMeierResult(
        time=counts.time,
        n_risk=n_risk,
        n_event=n_event,
        n_censor=counts.n_censor,
        survival=survival,
        std_err=std_err,
        std_err_log=std_err_log,
        lower=lower,
        upper=upper,
        conf_level=level,
        conf_type=conf_type,
        n=int(times.size),
    )
