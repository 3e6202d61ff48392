"""Inference after a two-stage single-arm design: stage-wise p-value, exact CI, UMVUE.

A plain exact binomial test on the final count treats the trial as if its size had been
fixed, but a Simon-type design stops after stage 1 when few patients respond, so the
outcomes it can produce are not those of one binomial sample. Following Koyama & Chen
(2008), the design's outcomes are ordered stage-wise:

- an outcome that stopped after stage 1 with ``x1`` responses is less extreme than any
  outcome that went on to stage 2, and among stage-1 stops a larger ``x1`` is more extreme;
- among outcomes that completed stage 2, a larger total ``x`` is more extreme.

The p-value is the null probability of an outcome at least as extreme as the one observed;
the confidence interval collects every response rate that the same ordering does not reject
in either tail; the point estimate is the UMVUE of Jung & Kim (2004), with the
median-unbiased estimate of the same ordering beside it. With the planned stage sizes, the
stage-2 results depend on the total ``x`` only (``x1`` just has to exceed the stop bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import optimize
from scipy import stats as sps

from inodli.design._validation import check_count, check_open_probability
from inodli.errors import InputError

__all__ = [
    "TwoStageInference",
    "stagewise_confidence_interval",
    "stagewise_p_value",
    "two_stage_inference",
    "two_stage_median_unbiased",
    "two_stage_umvue",
]

_ROOT_TOLERANCE = 1e-14


@dataclass(frozen=True)
class _Outcome:
    """A checked design (n1, r1, n) and outcome (stage, x1, x)."""

    n1: int
    r1: int
    n: int
    stage: int
    x1: int
    x: int

    @property
    def n2(self) -> int:
        return self.n - self.n1

    @property
    def is_least_extreme(self) -> bool:
        return self.stage == 1 and self.x1 == 0

    @property
    def is_most_extreme(self) -> bool:
        return self.stage == 2 and self.x == self.n

    def upper_tail(self, p: float) -> float:
        """P_p(outcome at least as extreme as this one), increasing in p."""
        if self.stage == 1:
            return float(sps.binom.sf(self.x1 - 1, self.n1, p))
        k = np.arange(self.r1 + 1, self.n1 + 1)
        return float(
            np.sum(sps.binom.pmf(k, self.n1, p) * sps.binom.sf(self.x - k - 1, self.n2, p))
        )

    def lower_tail(self, p: float) -> float:
        """P_p(outcome at most as extreme as this one), decreasing in p.

        Summed directly rather than as 1 - upper tail + P(this outcome), so that the upper
        confidence limit keeps its precision when the tail is small.
        """
        if self.stage == 1:
            return float(sps.binom.cdf(self.x1, self.n1, p))
        k = np.arange(self.r1 + 1, self.n1 + 1)
        stopped = float(sps.binom.cdf(self.r1, self.n1, p))
        return stopped + float(
            np.sum(sps.binom.pmf(k, self.n1, p) * sps.binom.cdf(self.x - k, self.n2, p))
        )


@dataclass(frozen=True)
class TwoStageInference:
    """Design-adjusted inference for one outcome of a two-stage design.

    ``p_value`` is one-sided (H1: p > p0) under the stage-wise ordering; ``lower`` and
    ``upper`` form the two-sided ``confidence_level`` interval (half of 1 - level in each
    tail); ``umvue`` is the point estimate reported, ``median_unbiased`` the alternative.
    """

    n1: int
    r1: int
    n: int
    p0: float
    stage: int
    x1: int
    x: int
    p_value: float
    lower: float
    upper: float
    confidence_level: float
    umvue: float
    median_unbiased: float

    @property
    def patients(self) -> int:
        """Patients in the analysis: n1 after a stage-1 stop, n after stage 2."""
        return self.n1 if self.stage == 1 else self.n

    def __repr__(self) -> str:
        return (
            f"TwoStageInference(stage {self.stage}, x1 = {self.x1}, x = {self.x}/{self.patients}: "
            f"UMVUE {self.umvue:.4f}, {self.confidence_level:.0%} CI {self.lower:.4f} to "
            f"{self.upper:.4f}, stage-wise p = {self.p_value:.4g} vs p0 = {self.p0:g})"
        )

    def rule_in_words(self) -> list[str]:
        """The result as sentences, one per line."""
        if self.stage == 1:
            outcome = (
                f"The trial stopped after stage 1: {self.x1} of {self.n1} responded "
                f"({self.r1} or fewer stops the trial)."
            )
        else:
            outcome = (
                f"The trial completed stage 2: {self.x1} of the first {self.n1} responded "
                f"(more than {self.r1}), {self.x} of all {self.n} in total."
            )
        return [
            outcome,
            f"Estimated response rate (UMVUE, unbiased under the design): {self.umvue:.1%}; "
            f"median-unbiased estimate {self.median_unbiased:.1%}.",
            f"Exact {self.confidence_level:.0%} confidence interval, stage-wise ordering: "
            f"{self.lower:.1%} to {self.upper:.1%}.",
            f"One-sided p-value against p0 = {self.p0:g}, stage-wise ordering: {self.p_value:.4f}.",
        ]


def _check_design(n1: Any, r1: Any, n: Any) -> tuple[int, int, int]:
    total = check_count(n, "n", minimum=1)
    first = check_count(n1, "n1", minimum=1, maximum=total)
    bound = check_count(r1, "r1", minimum=0, maximum=first - 1)
    return first, bound, total


def _check_outcome(stage: Any, x1: Any, x: Any, n1: Any, r1: Any, n: Any) -> _Outcome:
    first, bound, total = _check_design(n1, r1, n)
    if isinstance(stage, bool) or stage not in (1, 2):
        raise InputError("stage", "1 (stopped after stage 1) or 2 (completed stage 2)", stage)
    if stage == 1:
        count = check_count(x1, "x1", minimum=0, maximum=first)
        if count > bound:
            raise InputError(
                "x1",
                f"0 to r1 = {bound} responses for a trial stopped after stage 1",
                x1,
                f"With more than {bound} of {first} responding the design goes on to stage 2.",
            )
        if x is not None and (isinstance(x, bool) or x != count):
            raise InputError(
                "x",
                f"the stage-1 count x1 = {count} (or nothing) for a trial stopped after stage 1",
                x,
                "No patient is treated in stage 2 after a stage-1 stop.",
            )
        return _Outcome(first, bound, total, 1, count, count)
    count = check_count(x1, "x1", minimum=0, maximum=first)
    if count <= bound:
        raise InputError(
            "x1",
            f"{bound + 1} to n1 = {first} responses for a trial that completed stage 2",
            x1,
            f"With {bound} or fewer of {first} responding the design stops after stage 1.",
        )
    most = count + total - first
    allowed = f"the total responses among all {total} patients, from x1 = {count} to {most}"
    if x is None or isinstance(x, bool):
        raise InputError("x", allowed, x)
    try:
        total_count = check_count(x, "x", minimum=count, maximum=most)
    except InputError:
        raise InputError("x", allowed, x) from None
    return _Outcome(first, bound, total, 2, count, total_count)


def stagewise_p_value(
    stage: int, x1: int, x: int | None = None, *, n1: int, r1: int, n: int, p0: float
) -> float:
    """One-sided p-value (H1: p > p0) of a two-stage outcome under the stage-wise ordering.

    Parameters
    ----------
    stage : {1, 2}
        1 if the trial stopped after stage 1 (``x1 <= r1``), 2 if it completed stage 2.
    x1 : int
        Responses among the first ``n1`` patients.
    x : int, optional
        Total responses among all ``n`` patients (stage 2); for a stage-1 stop it may be
        omitted or must equal ``x1``.
    n1, r1, n : int
        The design: stop after ``n1`` patients if ``r1`` or fewer respond, else treat ``n``
        in total. ``n1 = n`` (no stage 2) gives the plain exact binomial test.
    p0 : float
        Response rate under the null hypothesis, in (0, 1).

    Returns
    -------
    float
        After a stage-1 stop, P(X1 >= x1); after stage 2,
        sum over k > r1 of P(X1 = k) P(X2 >= x - k), with X1 ~ Bin(n1, p0) and
        X2 ~ Bin(n - n1, p0). The p-value of the outcome r + 1 at stage 2 is the design's
        attained type I error, so p <= alpha exactly when the design says "promising".

    Raises
    ------
    InputError
        A design or outcome the design cannot produce (e.g. a stage-1 stop with
        ``x1 > r1``, ``x > n``), naming the field, the values allowed and the value given.

    References
    ----------
    .. [1] Koyama T, Chen H. Proper inference from Simon's two-stage designs. Statistics in
       Medicine 2008;27:3145-3154.
    .. [2] Fairbanks K, Madsen R. P values for tests using a repeated significance test
       design. Biometrika 1982;69:69-74.

    Examples
    --------
    >>> round(stagewise_p_value(2, 5, 11, n1=10, r1=4, n=23, p0=0.3), 4)
    0.0362
    """
    outcome = _check_outcome(stage, x1, x, n1, r1, n)
    null = check_open_probability(p0, "p0")
    return outcome.upper_tail(null)


def _solve(function: Any, target: float) -> float:
    """The p in (0, 1) where the monotone ``function`` equals ``target`` (Brent's method).

    Every tail used here runs from 0 to 1 (or 1 to 0) over [0, 1], so the root is bracketed.
    """
    return float(optimize.brentq(lambda p: function(p) - target, 0.0, 1.0, xtol=_ROOT_TOLERANCE))


def stagewise_confidence_interval(
    stage: int,
    x1: int,
    x: int | None = None,
    *,
    n1: int,
    r1: int,
    n: int,
    confidence_level: float = 0.95,
) -> tuple[float, float]:
    """Exact two-sided confidence interval for the response rate, stage-wise ordering.

    The lower limit is the p at which the outcome's upper tail P_p(at least as extreme)
    equals (1 - level) / 2, the upper limit the p at which its lower tail P_p(at most as
    extreme) does; 0 for the least extreme outcome (stage-1 stop with 0 responses) and 1 for
    the most extreme one (all ``n`` respond). Both tails are monotone in p, so the interval
    covers the true rate with probability at least ``confidence_level`` whatever the rate
    (the Clopper-Pearson construction applied to the design's sample space).

    Parameters
    ----------
    stage, x1, x, n1, r1, n
        As in :func:`stagewise_p_value`.
    confidence_level : float, default 0.95
        Two-sided coverage, in (0, 1). The lower limit exceeds p0 exactly when the
        stage-wise p-value is below (1 - level) / 2.

    Returns
    -------
    lower, upper : float

    References
    ----------
    .. [1] Koyama T, Chen H. Statistics in Medicine 2008;27:3145-3154.
    .. [2] Jennison C, Turnbull BW. Confidence intervals for a binomial parameter following
       a multistage test with application to MIL-STD 105D and medical trials.
       Technometrics 1983;25:49-58.
    .. [3] Clopper CJ, Pearson ES. Biometrika 1934;26:404-413.
    """
    outcome = _check_outcome(stage, x1, x, n1, r1, n)
    level = check_open_probability(confidence_level, "confidence_level")
    return _interval(outcome, (1.0 - level) / 2.0)


def _interval(outcome: _Outcome, tail: float) -> tuple[float, float]:
    lower = 0.0 if outcome.is_least_extreme else _solve(outcome.upper_tail, tail)
    upper = 1.0 if outcome.is_most_extreme else _solve(outcome.lower_tail, tail)
    return lower, upper


def two_stage_umvue(
    stage: int, x1: int, x: int | None = None, *, n1: int, r1: int, n: int
) -> float:
    """Uniformly minimum variance unbiased estimate of the response rate after a two-stage design.

    After a stage-1 stop it is x1 / n1. After stage 2 with total x it is

    .. math:: \\frac{\\sum_k \\binom{n_1 - 1}{k - 1}\\binom{n_2}{x - k}}
              {\\sum_k \\binom{n_1}{k}\\binom{n_2}{x - k}},

    summed over k = max(r1 + 1, x - n2) .. min(n1, x) (the stage-1 counts that lead to x),
    computed in exact integer arithmetic.

    References
    ----------
    .. [1] Jung SH, Kim KM. On the estimation of the binomial probability in multistage
       clinical trials. Statistics in Medicine 2004;23:881-896.
    .. [2] Chang MN, Wieand HS, Chang VT. The bias of the sample proportion following a
       group sequential phase II clinical trial. Statistics in Medicine 1989;8:563-570.
    .. [3] Girshick MA, Mosteller F, Savage LJ. Unbiased estimates for certain binomial
       sampling problems with applications. Annals of Mathematical Statistics
       1946;17:13-23.
    """
    return _umvue(_check_outcome(stage, x1, x, n1, r1, n))


def _umvue(outcome: _Outcome) -> float:
    if outcome.stage == 1:
        return outcome.x1 / outcome.n1
    n1, n2, x = outcome.n1, outcome.n2, outcome.x
    counts = range(max(outcome.r1 + 1, x - n2), min(n1, x) + 1)
    numerator = sum(math.comb(n1 - 1, k - 1) * math.comb(n2, x - k) for k in counts)
    denominator = sum(math.comb(n1, k) * math.comb(n2, x - k) for k in counts)
    return float(Fraction(numerator, denominator))


def two_stage_median_unbiased(
    stage: int, x1: int, x: int | None = None, *, n1: int, r1: int, n: int
) -> float:
    """Median-unbiased estimate: the p at which the stage-wise p-value equals 1/2.

    The centre of the stage-wise confidence intervals (their limit at level 0); 0 for the
    least extreme outcome, whose p-value is 1 at every rate.

    References
    ----------
    .. [1] Koyama T, Chen H. Statistics in Medicine 2008;27:3145-3154.
    .. [2] Emerson SS, Fleming TR. Parameter estimation following group sequential hypothesis
       testing. Biometrika 1990;77:875-892.
    """
    return _median_unbiased(_check_outcome(stage, x1, x, n1, r1, n))


def _median_unbiased(outcome: _Outcome) -> float:
    return 0.0 if outcome.is_least_extreme else _solve(outcome.upper_tail, 0.5)


def two_stage_inference(
    stage: int,
    x1: int,
    x: int | None = None,
    *,
    n1: int,
    r1: int,
    n: int,
    p0: float,
    confidence_level: float = 0.95,
) -> TwoStageInference:
    """P-value, confidence interval and estimates of one two-stage outcome, all at once.

    Parameters
    ----------
    stage, x1, x, n1, r1, n, p0
        As in :func:`stagewise_p_value`.
    confidence_level : float, default 0.95
        As in :func:`stagewise_confidence_interval`.

    Returns
    -------
    TwoStageInference

    References
    ----------
    .. [1] Koyama T, Chen H. Statistics in Medicine 2008;27:3145-3154.
    .. [2] Jung SH, Kim KM. Statistics in Medicine 2004;23:881-896.

    Examples
    --------
    The trial's design (stop if <= 4 of 10 respond, 23 in total), 11 of 23 responding:

    >>> result = two_stage_inference(2, 5, 11, n1=10, r1=4, n=23, p0=0.3)
    >>> round(result.p_value, 4), round(result.umvue, 4)
    (0.0362, 0.5603)
    """
    outcome = _check_outcome(stage, x1, x, n1, r1, n)
    null = check_open_probability(p0, "p0")
    level = check_open_probability(confidence_level, "confidence_level")
    lower, upper = _interval(outcome, (1.0 - level) / 2.0)
    return TwoStageInference(
        n1=outcome.n1,
        r1=outcome.r1,
        n=outcome.n,
        p0=null,
        stage=outcome.stage,
        x1=outcome.x1,
        x=outcome.x,
        p_value=outcome.upper_tail(null),
        lower=lower,
        upper=upper,
        confidence_level=level,
        umvue=_umvue(outcome),
        median_unbiased=_median_unbiased(outcome),
    )
