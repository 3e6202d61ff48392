"""Confidence intervals and the exact test for a binomial proportion (a response rate).

The trial's primary endpoint is a response proportion with an exact (Clopper-Pearson)
confidence interval; Wilson and Jeffreys intervals are offered for sensitivity analyses.
Every interval is two-sided at ``confidence_level``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from scipy import stats as sps

from inodli.errors import InputError
from inodli.stats._validation import check_choice, check_conf_level, is_real_number

__all__ = ["BinomialCI", "BinomialTest", "binomial_ci", "exact_binomial_test"]

CI_METHODS = ("clopper-pearson", "wilson", "jeffreys")
ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass(frozen=True)
class BinomialCI:
    """A confidence interval for a binomial proportion."""

    successes: int
    n: int
    estimate: float
    lower: float
    upper: float
    confidence_level: float
    method: str

    def __repr__(self) -> str:
        return (
            f"BinomialCI({self.successes}/{self.n} = {self.estimate:.4f}, "
            f"{self.confidence_level:.0%} {self.method} CI {self.lower:.4f} to {self.upper:.4f})"
        )


@dataclass(frozen=True)
class BinomialTest:
    """Exact binomial test of H0: p = p0, as R's ``binom.test``.

    ``statistic`` is the number of successes (R's convention); ``ci`` is the Clopper-Pearson
    interval that matches ``alternative`` (one-sided bounds for one-sided tests, as in R).
    """

    statistic: int
    n: int
    p0: float
    alternative: str
    p_value: float
    estimate: float
    ci: BinomialCI

    def __repr__(self) -> str:
        return (
            f"BinomialTest({self.statistic}/{self.n}, H0 p = {self.p0}, {self.alternative}: "
            f"p-value {self.p_value:.4g}; CI {self.ci.lower:.4f} to {self.ci.upper:.4f})"
        )


def _check_counts(successes: Any, n: Any) -> tuple[int, int]:
    for name, value in (("n", n), ("successes", successes)):
        if not is_real_number(value) or not math.isfinite(value) or value != int(value):
            raise InputError(name, "a whole number", value)
    k, size = int(successes), int(n)
    if size < 1:
        raise InputError("n", "a whole number >= 1", n)
    if not 0 <= k <= size:
        raise InputError("successes", f"a whole number from 0 to n = {size}", successes)
    return k, size


def binomial_ci(
    successes: int,
    n: int,
    *,
    confidence_level: float = 0.95,
    method: Literal["clopper-pearson", "wilson", "jeffreys"] = "clopper-pearson",
) -> BinomialCI:
    """Two-sided confidence interval for a binomial proportion.

    Parameters
    ----------
    successes, n
        Number of successes (responders) and of trials (evaluable patients).
    confidence_level
        Two-sided coverage, strictly between 0 and 1.
    method
        ``"clopper-pearson"`` (exact; R ``binom.test``), ``"wilson"`` (score interval; R
        ``prop.test(correct = FALSE)``) or ``"jeffreys"`` (equal-tailed Beta(x + 1/2, n - x + 1/2)
        interval, with the lower bound 0 at x = 0 and the upper bound 1 at x = n as Brown, Cai &
        DasGupta recommend).

    Returns
    -------
    BinomialCI

    Notes
    -----
    With z the 1 - a/2 normal quantile and p = x/n:

    - Clopper-Pearson: lower = B(a/2; x, n - x + 1), upper = B(1 - a/2; x + 1, n - x), with
      B the beta quantile (lower = 0 at x = 0, upper = 1 at x = n).
    - Wilson: (x + z^2/2)/(n + z^2) +- z sqrt(n)/(n + z^2) sqrt(p(1 - p) + z^2/(4n))
      (Brown, Cai & DasGupta 2001, eq. 4).
    - Jeffreys: B(a/2; x + 1/2, n - x + 1/2), B(1 - a/2; x + 1/2, n - x + 1/2)
      (Brown, Cai & DasGupta 2001, sec. 4.1.2).

    References
    ----------
    .. [1] Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the
       case of the binomial. Biometrika 1934;26:404-413.
    .. [2] Wilson EB. Probable inference, the law of succession, and statistical inference.
       J Am Stat Assoc 1927;22:209-212.
    .. [3] Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion.
       Statistical Science 2001;16(2):101-133.

    Examples
    --------
    >>> ci = binomial_ci(12, 30)
    >>> round(ci.lower, 4), round(ci.upper, 4)
    (0.2266, 0.594)
    >>> round(binomial_ci(12, 30, method="wilson").lower, 4)
    0.2459
    """
    k, size = _check_counts(successes, n)
    level = check_conf_level(confidence_level, "confidence_level")
    check_choice("method", method, CI_METHODS)
    alpha = 1.0 - level
    if method == "clopper-pearson":
        lower, upper = _clopper_pearson(k, size, alpha / 2, alpha / 2)
    elif method == "wilson":
        z = float(sps.norm.ppf(1 - alpha / 2))
        p = k / size
        centre = (k + z * z / 2) / (size + z * z)
        half = z * math.sqrt(size) / (size + z * z) * math.sqrt(p * (1 - p) + z * z / (4 * size))
        lower = 0.0 if k == 0 else centre - half
        upper = 1.0 if k == size else centre + half
    else:
        a, b = k + 0.5, size - k + 0.5
        lower = 0.0 if k == 0 else float(sps.beta.ppf(alpha / 2, a, b))
        upper = 1.0 if k == size else float(sps.beta.ppf(1 - alpha / 2, a, b))
    return BinomialCI(k, size, k / size, lower, upper, level, method)


def _clopper_pearson(k: int, n: int, alpha_low: float, alpha_high: float) -> tuple[float, float]:
    lower = 0.0 if k == 0 else float(sps.beta.ppf(alpha_low, k, n - k + 1))
    upper = 1.0 if k == n else float(sps.beta.ppf(1 - alpha_high, k + 1, n - k))
    return lower, upper


def exact_binomial_test(
    successes: int,
    n: int,
    p0: float,
    alternative: Literal["greater", "less", "two-sided"] = "greater",
    *,
    confidence_level: float = 0.95,
) -> BinomialTest:
    """Exact binomial test of H0: p = ``p0``, equal to R's ``binom.test``.

    Parameters
    ----------
    successes, n
        Number of successes and trials.
    p0
        Proportion under the null hypothesis, strictly between 0 and 1.
    alternative
        ``"greater"`` (default: a single-arm efficacy test, H1: p > p0), ``"less"`` or
        ``"two-sided"``. The two-sided p-value sums the probabilities of all outcomes no more
        likely than the observed one (R's rule, with its relative tolerance 1 + 1e-7).
    confidence_level
        Coverage of the Clopper-Pearson interval reported with the test; one-sided when the
        test is one-sided, as in R.

    Returns
    -------
    BinomialTest

    References
    ----------
    .. [1] Clopper CJ, Pearson ES. Biometrika 1934;26:404-413.
    .. [2] R Core Team. ``stats::binom.test`` documentation.

    Examples
    --------
    >>> test = exact_binomial_test(7, 23, 0.1)
    >>> round(test.p_value, 6)
    0.005773
    """
    k, size = _check_counts(successes, n)
    level = check_conf_level(confidence_level, "confidence_level")
    check_choice("alternative", alternative, ALTERNATIVES)
    if not is_real_number(p0) or not 0 < float(p0) < 1:
        raise InputError("p0", "a number strictly between 0 and 1", p0)
    result = sps.binomtest(k, size, float(p0), alternative=alternative)
    alpha = 1.0 - level
    if alternative == "two-sided":
        lower, upper = _clopper_pearson(k, size, alpha / 2, alpha / 2)
    elif alternative == "greater":
        lower, upper = _clopper_pearson(k, size, alpha, 0.0)[0], 1.0
    else:
        lower, upper = 0.0, _clopper_pearson(k, size, 0.0, alpha)[1]
    ci = BinomialCI(k, size, k / size, lower, upper, level, "clopper-pearson")
    return BinomialTest(k, size, float(p0), alternative, float(result.pvalue), k / size, ci)
