"""The log-rank test and its G-rho (Fleming-Harrington) family, equal to R's ``survdiff``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import chi2

from inodli.errors import InputError
from inodli.stats._kernels import counts_by_group, merge_near_ties, split_by_code
from inodli.stats._validation import as_event, as_groups, as_time, is_real_number

__all__ = ["LogRankResult", "logrank_test"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, repr=False)
class LogRankResult:
    """A k-sample (weighted) log-rank test.

    Attributes
    ----------
    statistic, df, p_value
        Chi-square statistic, its degrees of freedom (groups with expected > 0, minus 1) and
        upper-tail p-value. As in survdiff, fewer than two groups with expected > 0 give
        statistic 0 with p-value 1 (df 0), or NaN when there is no event at all.
    groups
        Group labels in R's factor order; ``n``, ``observed`` and ``expected`` follow it.
    observed, expected
        Weighted observed and expected events per group, summed over strata.
    variance
        Variance matrix of observed - expected (groups x groups), summed over strata.
    rho
        Weight exponent: 0 log-rank, 1 Peto-Peto (S(t-) weights).
    strata
        Stratum labels, or None; ``observed_by_stratum`` and ``expected_by_stratum`` are
        (groups x strata) matrices (R's ``survdiff(...)$obs`` with strata) or None.
    """

    statistic: float
    df: int
    p_value: float
    groups: list[Any]
    n: IntArray
    observed: FloatArray
    expected: FloatArray
    variance: FloatArray
    rho: float
    strata: list[Any] | None = None
    observed_by_stratum: FloatArray | None = None
    expected_by_stratum: FloatArray | None = None

    def __repr__(self) -> str:
        name = "log-rank" if self.rho == 0 else f"G-rho (rho = {self.rho:g})"
        stratified = f", {len(self.strata)} strata" if self.strata is not None else ""
        return (
            f"LogRankResult({name}{stratified}: chi2 = {self.statistic:.4f} on {self.df} df, "
            f"p = {self.p_value:.4g})"
        )


def _check_rho(rho: Any) -> float:
    if not is_real_number(rho) or not 0 <= rho < np.inf:
        raise InputError("rho", "a finite number >= 0", rho)
    return float(rho)


def logrank_test(
    time: Any,
    event: Any,
    group: Any,
    *,
    strata: Any = None,
    rho: float = 0,
    timefix: bool = False,
) -> LogRankResult:
    """Compare survival between groups: log-rank (rho = 0) or G-rho test, as R ``survdiff``.

    Parameters
    ----------
    time, event
        Follow-up times and event indicators (1/True = event).
    group
        Group label per subject (at least two groups).
    strata
        Optional stratum label per subject: observed - expected and its variance are summed
        over strata (``survdiff(Surv(time, event) ~ group + strata(s))``).
    rho
        Weight exponent: each event time is weighted by S(t-)^rho, S the Kaplan-Meier curve of
        the pooled sample (within stratum). rho = 0 is the log-rank test, rho = 1 the
        Peto-Peto modification of the Gehan-Wilcoxon test.
    timefix
        Merge near-tied times as R's ``timefix = TRUE`` (survdiff's default) does; by default
        times are compared exactly.

    Returns
    -------
    LogRankResult

    Raises
    ------
    InputError
        Bad input, fewer than two groups, or (as survdiff's "system is exactly singular") a
        singular variance, e.g. when every subject has the event at one and the same time.

    Notes
    -----
    At each distinct event time with n at risk (n_g in group g), d events and weight w:
    O_g += w d_g, E_g += w d n_g / n, V_gk += w^2 d (n - d) / (n - 1) (n_g / n)(1[g = k] -
    n_k / n). The statistic is (O - E)' V^- (O - E) over the groups with E > 0, dropping
    the first of them (R's choice; any one gives the same value).

    References
    ----------
    .. [1] Mantel N. Evaluation of survival data and two new rank order statistics arising in
       its consideration. Cancer Chemother Rep 1966;50:163-170.
    .. [2] Peto R, Peto J. Asymptotically efficient rank invariant test procedures. J R Stat
       Soc A 1972;135:185-207.
    .. [3] Harrington DP, Fleming TR. A class of rank test procedures for censored survival
       data. Biometrika 1982;69:553-566.
    .. [4] Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer 2003, sec. 7.3.

    Examples
    --------
    >>> test = logrank_test([6, 6, 7, 9, 10, 1, 1, 2, 2, 3],
    ...                     [1, 0, 1, 0, 1, 1, 1, 1, 1, 0], ["a"] * 5 + ["b"] * 5)
    >>> test.observed.tolist(), test.df
    ([3.0, 4.0], 1)
    >>> round(test.statistic, 4)
    5.9824
    """
    times = as_time(time)
    events = as_event(event, times.size)
    codes, labels = as_groups(group, times.size)
    weight_power = _check_rho(rho)
    if timefix:
        times = merge_near_ties(times)
    n_groups = len(labels)
    if strata is None:
        blocks = [np.arange(times.size)]
        stratum_labels = None
    else:
        stratum_codes, stratum_labels = as_groups(strata, times.size, "strata", min_levels=1)
        blocks = split_by_code(stratum_codes, len(stratum_labels))
    observed = np.zeros((n_groups, len(blocks)))
    expected = np.zeros((n_groups, len(blocks)))
    variance = np.zeros((n_groups, n_groups))
    for s, rows in enumerate(blocks):
        o, e, v = _one_stratum(times[rows], events[rows], codes[rows], n_groups, weight_power)
        observed[:, s], expected[:, s] = o, e
        variance += v
    total_o, total_e = observed.sum(axis=1), expected.sum(axis=1)
    statistic, df = _chi_square(total_o, total_e, variance)
    # below 1 df, survdiff's pchisq(0, df): 1 with one group left to compare (df 0), NaN
    # without any event (df -1)
    no_comparison = 1.0 if events.any() else float("nan")
    p_value = float(chi2.sf(statistic, df)) if df > 0 else no_comparison
    return LogRankResult(
        statistic=statistic,
        df=df,
        p_value=p_value,
        groups=labels,
        n=np.bincount(codes, minlength=n_groups).astype(np.int64),
        observed=total_o,
        expected=total_e,
        variance=variance,
        rho=weight_power,
        strata=stratum_labels,
        observed_by_stratum=None if strata is None else observed,
        expected_by_stratum=None if strata is None else expected,
    )


def _one_stratum(
    time: FloatArray, event: npt.NDArray[np.bool_], codes: IntArray, n_groups: int, rho: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    counts = counts_by_group(time, event, codes, n_groups)
    at_risk = counts.n_risk.astype(np.float64)
    deaths = counts.n_event.astype(np.float64)
    total_risk, total_deaths = at_risk.sum(axis=0), deaths.sum(axis=0)
    if rho != 0:
        survival = np.cumprod(1.0 - total_deaths / total_risk)
        # S(t-)^rho; a stratum without events has no event times (and no weights)
        weight = np.concatenate(([1.0], survival))[:-1] ** rho
    else:
        weight = np.ones_like(total_risk)
    share = at_risk / total_risk
    observed = deaths @ weight
    expected = share @ (weight * total_deaths)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(
            total_risk > 1,
            weight**2 * total_deaths * (total_risk - total_deaths) / (total_risk - 1),
            0.0,
        )
    variance = np.diag(share @ spread) - (share * spread) @ share.T
    return observed, expected, variance


def _chi_square(
    observed: FloatArray, expected: FloatArray, variance: FloatArray
) -> tuple[float, int]:
    used = np.flatnonzero(expected > 0)
    df = used.size - 1
    if df < 1:
        return 0.0, max(df, 0)
    keep = used[1:]
    difference = (observed - expected)[keep]
    try:
        solved = np.linalg.solve(variance[np.ix_(keep, keep)], difference)
    except np.linalg.LinAlgError:
        # survdiff stops here too ("system is exactly singular")
        raise InputError(
            "group",
            "groups whose observed - expected events have a non-singular variance",
            "a singular variance matrix",
            "This happens when every event falls at one time at which everyone at risk has "
            "the event, so the groups cannot be compared.",
        ) from None
    return float(difference @ solved), int(df)
