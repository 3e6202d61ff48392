"""Deliberately simple reference implementations (plain loops, textbook formulas).

Used only by the property-based tests, which compare them with the fast vectorised code on
random data with many ties. Written for clarity, not speed: O(n^2).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence


def naive_km(time: Sequence[float], event: Sequence[bool]) -> list[dict[str, float]]:
    """One row per distinct observed time: n_risk, n_event, n_censor, survival, var of -log S."""
    rows = []
    survival, greenwood = 1.0, 0.0
    for t in sorted(set(time)):
        at_risk = sum(1 for x in time if x >= t)
        deaths = sum(1 for x, e in zip(time, event, strict=True) if x == t and e)
        censored = sum(1 for x, e in zip(time, event, strict=True) if x == t and not e)
        if deaths:
            survival *= 1 - deaths / at_risk
            greenwood += deaths / (at_risk * (at_risk - deaths)) if at_risk > deaths else math.inf
        rows.append(
            {"time": t, "n_risk": at_risk, "n_event": deaths, "n_censor": censored,
             "survival": survival, "var_log": greenwood}
        )  # fmt: skip
    return rows


def naive_survival_at(rows: list[dict[str, float]], t: float) -> float:
    """The step curve's value at t (1 before the first time)."""
    value = 1.0
    for row in rows:
        if row["time"] <= t:
            value = row["survival"]
    return value


def naive_restricted_mean(rows: list[dict[str, float]], tau: float) -> float:
    """Area under the step curve from 0 to tau, summing rectangles between jump points."""
    points = [0.0] + [r["time"] for r in rows if r["time"] < tau] + [tau]
    return sum(
        (right - left) * naive_survival_at(rows, left) for left, right in itertools.pairwise(points)
    )


def naive_logrank(
    time: Sequence[float], event: Sequence[bool], group: Sequence[int], rho: float = 0.0
) -> tuple[list[float], list[float], list[list[float]]]:
    """Observed, expected and variance matrix of the G-rho test, groups 0..G-1, no strata."""
    groups = sorted(set(group))
    k = len(groups)
    observed, expected = [0.0] * k, [0.0] * k
    variance = [[0.0] * k for _ in range(k)]
    pooled_survival = 1.0  # S(t-) of the pooled Kaplan-Meier curve
    for t in sorted({x for x, e in zip(time, event, strict=True) if e}):
        risk = [
            sum(1 for x, g in zip(time, group, strict=True) if x >= t and g == h) for h in groups
        ]
        dead = [
            sum(1 for x, e, g in zip(time, event, group, strict=True) if x == t and e and g == h)
            for h in groups
        ]
        n, d = sum(risk), sum(dead)
        w = pooled_survival**rho
        for a in range(k):
            observed[a] += w * dead[a]
            expected[a] += w * d * risk[a] / n
            for b in range(k):
                if n > 1:
                    same = 1.0 if a == b else 0.0
                    variance[a][b] += (
                        w * w * d * (n - d) / (n - 1) * risk[a] / n * (same - risk[b] / n)
                    )
        pooled_survival *= 1 - d / n
    return observed, expected, variance
