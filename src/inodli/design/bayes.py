"""Bayesian monitoring rules for a single arm with a binary outcome.

* Thall, Simon & Estey (1995): posterior probability that the experimental rate beats a
  standard rate (fixed, or Beta-distributed to carry its uncertainty), for futility and
  efficacy; and the posterior probability that a toxicity rate exceeds its maximum.
* Lee & Liu (2008): predictive probability that the trial will end in success.

Each rule is enumerated before the trial starts as a table "stop if the count is >= k (or
<= k) among the first n patients", so that the monitoring is as simple as reading a table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import integrate, special, stats

from inodli.design._validation import (
    check_beta_prior,
    check_count,
    check_open_probability,
)
from inodli.errors import InputError

__all__ = [
    "StoppingBoundary",
    "posterior_probability",
    "posterior_stopping_boundaries",
    "predictive_probability",
    "predictive_stopping_boundaries",
    "toxicity_stopping_boundaries",
]


@dataclass(frozen=True)
class StoppingBoundary:
    """A table "stop if the count is at least / at most ``bound[i]`` among the first ``n[i]``".

    ``bound[i]`` is None where no count can trigger the rule at that size.
    """

    name: str
    direction: str  # "at_least" (toxicity, efficacy) or "at_most" (futility)
    n: tuple[int, ...]
    bound: tuple[int | None, ...]
    criterion: str

    def __repr__(self) -> str:
        pairs = ", ".join(f"{n}:{b}" for n, b in zip(self.n, self.bound) if b is not None)
        sign = ">=" if self.direction == "at_least" else "<="
        return f"StoppingBoundary({self.name}: stop if count {sign} bound at n -> {{{pairs}}})"

    def bound_at(self, n: int) -> int | None:
        """The boundary that applies after ``n`` patients (the last look at or before n)."""
        n = check_count(n, "n", minimum=0)
        applicable = [b for size, b in zip(self.n, self.bound) if size == n]
        return applicable[0] if applicable else None

    def crossed(self, count: int, n: int) -> bool:
        """Whether ``count`` events among ``n`` patients cross the boundary at a look at n."""
        count = check_count(count, "count", minimum=0, maximum=n)
        bound = self.bound_at(n)
        if bound is None:
            return False
        return count >= bound if self.direction == "at_least" else count <= bound

    def rule_in_words(self) -> list[str]:
        """One sentence per patient count where the rule can trigger."""
        lines = [self.criterion]
        for size, bound in zip(self.n, self.bound):
            if bound is None:
                continue
            if self.direction == "at_least":
                lines.append(f"Stop if {bound} or more of the first {size} patients have it.")
            else:
                lines.append(f"Stop if {bound} or fewer of the first {size} patients respond.")
        return lines


def posterior_probability(
    responses: int,
    n: int,
    prior: Any = (1.0, 1.0),
    standard: Any = 0.5,
    delta: float = 0.0,
) -> float:
    """Pr(p_E > p_S + delta | responses among n) for a Beta prior on the experimental rate.

    Parameters
    ----------
    responses, n : int
        Observed responses among n patients on the experimental treatment.
    prior : (a, b), default (1, 1)
        Beta prior of the experimental rate p_E.
    standard : float or (a, b), default 0.5
        The standard rate p_S: a fixed number, or a Beta(a, b) distribution (Thall, Simon &
        Estey 1995) integrated over numerically.
    delta : float, default 0
        Improvement required over the standard rate.

    Returns
    -------
    float

    References
    ----------
    .. [1] Thall PF, Simon RM, Estey EH. Bayesian sequential monitoring designs for
       single-arm clinical trials with multiple outcomes. Statistics in Medicine
       1995;14:357-379.
    .. [2] Thall PF, Simon R. Practical Bayesian guidelines for phase IIB clinical trials.
       Biometrics 1994;50:337-349.

    Examples
    --------
    >>> round(posterior_probability(8, 15, (1, 1), 0.8), 9)
    0.007003561
    """
    n = check_count(n, "n", minimum=0)
    responses = check_count(responses, "responses", minimum=0, maximum=n)
    a, b = check_beta_prior(prior)
    delta = float(delta)
    if isinstance(standard, tuple | list):
        a_s, b_s = check_beta_prior(standard, "standard")
        return _beats_beta_standard(responses, n, a, b, a_s, b_s, delta)
    rate = check_open_probability(standard, "standard")
    return float(stats.beta(a + responses, b + n - responses).sf(rate + delta))


def _beats_beta_standard(
    responses: int, n: int, a: float, b: float, a_s: float, b_s: float, delta: float
) -> float:
    """Pr(p_E > p_S + delta) for p_S ~ Beta(a_s, b_s), by adaptive quadrature (QUADPACK).

    Integrates over the standard's quantile u in (0, 1), where the integrand
    Pr(p_E > F_S^-1(u) + delta) is bounded even when the Beta density is not.
    """
    shape_a, shape_b = a + responses, b + n - responses

    def integrand(u: float) -> float:
        limit = float(special.betaincinv(a_s, b_s, u)) + delta
        return float(special.betaincc(shape_a, shape_b, min(max(limit, 0.0), 1.0)))

    value, _ = integrate.quad(integrand, 0.0, 1.0, epsabs=1e-12, epsrel=1e-10, limit=200)
    return min(1.0, max(0.0, float(value)))


def posterior_stopping_boundaries(
    kind: str,
    n_max: int,
    threshold: float,
    prior: Any = (1.0, 1.0),
    standard: Any = 0.5,
    delta: float = 0.0,
    first_n: int = 1,
) -> StoppingBoundary:
    """Thall-Simon-Estey futility or efficacy boundaries for n = first_n .. n_max.

    Futility: stop if Pr(p_E > p_S + delta | data) < threshold (largest such count).
    Efficacy: stop if Pr(p_E > p_S + delta | data) > threshold (smallest such count).

    References
    ----------
    .. [1] Thall PF, Simon RM, Estey EH. Statistics in Medicine 1995;14:357-379.

    Examples
    --------
    >>> b = posterior_stopping_boundaries("futility", 10, 0.05, (0.6, 1.4), 0.3)
    >>> b.bound[-1]
    0
    """
    if kind not in ("futility", "efficacy"):
        raise InputError("kind", "'futility' or 'efficacy'", kind)
    n_max = check_count(n_max, "n_max", minimum=1)
    first_n = check_count(first_n, "first_n", minimum=1, maximum=n_max)
    threshold = check_open_probability(threshold, "threshold")
    sizes = tuple(range(first_n, n_max + 1))
    bounds: list[int | None] = []
    a, b = check_beta_prior(prior)
    for n in sizes:
        # The posterior probability rises with the count: bisect for the first count above or
        # at the threshold instead of integrating at every count.
        def prob(y: int, n: int = n) -> float:
            return posterior_probability(y, n, (a, b), standard, delta)

        if kind == "futility":
            first_ok = _first_true(lambda y: prob(y) >= threshold, n)
            bounds.append(first_ok - 1 if first_ok > 0 else None)
        else:
            first_hit = _first_true(lambda y: prob(y) > threshold, n)
            bounds.append(first_hit if first_hit <= n else None)
    target = _describe_standard(standard, delta)
    if kind == "futility":
        criterion = f"Futility: stop when the chance that the response rate exceeds {target} falls below {threshold:.0%}."
        direction = "at_most"
    else:
        criterion = f"Efficacy: stop when the chance that the response rate exceeds {target} rises above {threshold:.0%}."
        direction = "at_least"
    return StoppingBoundary(kind, direction, sizes, tuple(bounds), criterion)


def toxicity_stopping_boundaries(
    p_max: float,
    prior: Any,
    threshold: float,
    n_max: int,
    cohort_size: int = 1,
    name: str = "toxicity",
) -> StoppingBoundary:
    """Stop if Pr(toxicity rate > p_max | events among n) > threshold; checked every cohort.

    Parameters
    ----------
    p_max : float
        The largest acceptable toxicity rate.
    prior : (a, b)
        Beta prior of the toxicity rate.
    threshold : float
        Posterior probability above which the trial stops.
    n_max : int
        Maximum number of patients.
    cohort_size : int, default 1
        Check after every ``cohort_size`` patients (and after the last one).
    name : str, default "toxicity"
        The event monitored, used in the explanation.

    Returns
    -------
    StoppingBoundary
        For each checked n, the smallest k with Pr(p > p_max | k of n) > threshold, i.e.
        "stop if k or more of the first n patients have the event".

    References
    ----------
    .. [1] Thall PF, Simon RM, Estey EH. Bayesian sequential monitoring designs for
       single-arm clinical trials with multiple outcomes. Statistics in Medicine
       1995;14:357-379.
    .. [2] Liu S, Yuan Y. Bayesian optimal interval designs for phase I clinical trials.
       JRSS C 2015;64:507-523 (the same rule, Beta(1, 1), as BOIN's dose elimination).

    Examples
    --------
    >>> b = toxicity_stopping_boundaries(0.3, (1, 1), 0.95, 36, cohort_size=3)
    >>> b.bound[:4]
    (3, 4, 5, 7)
    """
    p_max = check_open_probability(p_max, "p_max")
    a, b = check_beta_prior(prior)
    threshold = check_open_probability(threshold, "threshold")
    n_max = check_count(n_max, "n_max", minimum=1)
    cohort_size = check_count(cohort_size, "cohort_size", minimum=1, maximum=n_max)
    sizes = list(range(cohort_size, n_max + 1, cohort_size))
    if sizes[-1] != n_max:
        sizes.append(n_max)
    bounds: list[int | None] = []
    for n in sizes:
        events = np.arange(n + 1)
        probs = special.betaincc(a + events, b + n - events, p_max)  # Pr(p > p_max)
        hits = np.flatnonzero(probs > threshold)
        bounds.append(int(hits.min()) if hits.size else None)
    criterion = (
        f"{name}: stop the trial when the chance that the true {name} rate is above "
        f"{p_max:.0%} exceeds {threshold:.0%} (prior Beta({a:g}, {b:g}))."
    )
    return StoppingBoundary(name, "at_least", tuple(sizes), tuple(bounds), criterion)


def predictive_probability(
    responses: int,
    n: int,
    n_max: int,
    p0: float,
    theta_t: float,
    prior: Any = (1.0, 1.0),
) -> float:
    """Lee & Liu's predictive probability that the trial ends with Pr(p > p0) > theta_t.

    PP = sum over the future responses i among the n_max - n patients still to come of
    P(i | data) (beta-binomial) times 1{Pr(p > p0 | responses + i of n_max) > theta_t}.

    References
    ----------
    .. [1] Lee JJ, Liu DD. A predictive probability design for phase II cancer clinical
       trials. Clinical Trials 2008;5:93-106 (worked example p. 97).

    Examples
    --------
    >>> round(predictive_probability(16, 23, 40, 0.6, 0.9, (0.6, 0.4)), 4)
    0.5656
    """
    n_max = check_count(n_max, "n_max", minimum=1)
    n = check_count(n, "n", minimum=0, maximum=n_max)
    responses = check_count(responses, "responses", minimum=0, maximum=n)
    p0 = check_open_probability(p0, "p0")
    theta_t = check_open_probability(theta_t, "theta_t")
    a, b = check_beta_prior(prior)
    remaining = n_max - n
    future = np.arange(remaining + 1)
    weights = stats.betabinom.pmf(future, remaining, a + responses, b + n - responses)
    total = responses + future
    final = special.betaincc(a + total, b + n_max - total, p0)
    return float(np.sum(weights[final > theta_t]))


def predictive_stopping_boundaries(
    n_max: int,
    p0: float,
    theta_t: float,
    theta_l: float,
    prior: Any = (1.0, 1.0),
    first_n: int = 1,
) -> StoppingBoundary:
    """Futility boundaries of Lee & Liu: stop if the predictive probability < theta_l.

    At n = n_max the rule is the final analysis: not promising unless
    Pr(p > p0 | data) > theta_t.

    References
    ----------
    .. [1] Lee JJ, Liu DD. Clinical Trials 2008;5:93-106.
    """
    n_max = check_count(n_max, "n_max", minimum=1)
    first_n = check_count(first_n, "first_n", minimum=1, maximum=n_max)
    theta_l = check_open_probability(theta_l, "theta_l")
    sizes = tuple(range(first_n, n_max + 1))
    bounds: list[int | None] = []
    for n in sizes:
        pp = np.array(
            [predictive_probability(y, n, n_max, p0, theta_t, prior) for y in range(n + 1)]
        )
        hits = np.flatnonzero(pp < theta_l)
        bounds.append(int(hits.max()) if hits.size else None)
    criterion = (
        f"Futility: stop when the chance of ending the trial with a convincing result "
        f"(more than {theta_t:.0%} sure the response rate exceeds {p0:.0%}) falls below {theta_l:.0%}."
    )
    return StoppingBoundary("futility", "at_most", sizes, tuple(bounds), criterion)


def _first_true(predicate: Callable[[int], bool], n: int) -> int:
    """Smallest y in 0..n with predicate(y) true (predicate monotone), or n + 1 if none."""
    low, high = 0, n + 1
    while low < high:
        middle = (low + high) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _describe_standard(standard: Any, delta: float) -> str:
    if isinstance(standard, tuple | list):
        a_s, b_s = standard
        base = f"the standard rate (Beta({a_s:g}, {b_s:g}), mean {a_s / (a_s + b_s):.0%})"
    else:
        base = f"{float(standard):.0%}"
    return base if delta == 0 else f"{base} + {delta:.0%}"
