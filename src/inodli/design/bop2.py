"""BOP2 (Zhou, Lee & Yuan 2017) futility boundaries for a single binary endpoint.

At an interim look with n of N patients evaluated, stop for futility if
Pr(p > p0 | data) < lambda (n / N)^gamma; at n = N the treatment is promising unless the
same rule (cutoff lambda) says stop. The prior is Beta(p0, 1 - p0) (the Dirichlet prior of
the paper with the null rate as mean and one patient's worth of information).

lambda and gamma are chosen on a grid to maximise the power at p1 subject to the type I
error at p0 being at most alpha, both computed exactly by enumeration (the paper and the
web application estimate them by simulation).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from inodli.design._validation import (
    check_beta_prior,
    check_count,
    check_open_probability,
    check_ordered_rates,
)
from inodli.design.oc import MonitoringPlan, exact_operating_characteristics
from inodli.errors import InputError

__all__ = ["Bop2Design", "bop2_boundaries", "bop2_design"]


@dataclass(frozen=True)
class Bop2Design:
    """A BOP2 design: its tuning parameters, boundaries and exact error rates."""

    p0: float
    p1: float
    looks: tuple[int, ...]
    lambda_: float
    gamma: float
    futility: tuple[int, ...]
    type1: float
    power: float
    expected_n0: float
    prior: tuple[float, float]

    def __repr__(self) -> str:
        bounds = ", ".join(f"{n}:{b}" for n, b in zip(self.looks, self.futility))
        return (
            f"Bop2Design(lambda = {self.lambda_:g}, gamma = {self.gamma:g}; stop if responses <= "
            f"{{{bounds}}}; type I = {self.type1:.4f}, power = {self.power:.4f})"
        )

    @property
    def plan(self) -> MonitoringPlan:
        return MonitoringPlan("BOP2", self.looks, self.futility)

    def rule_in_words(self) -> list[str]:
        lines = []
        for look, bound in zip(self.looks[:-1], self.futility[:-1]):
            if bound >= 0:
                lines.append(f"After {look} patients: stop if {bound} or fewer have responded.")
            else:
                lines.append(f"After {look} patients: continue whatever the responses.")
        lines.append(
            f"After all {self.looks[-1]} patients: the treatment is promising if more than "
            f"{self.futility[-1]} responded (at least {self.futility[-1] + 1})."
        )
        lines.append(
            f"Chance of wrongly calling it promising at {self.p0:.0%}: {self.type1:.1%}; "
            f"chance of correctly calling it promising at {self.p1:.0%}: {self.power:.1%}."
        )
        return lines


def bop2_boundaries(
    p0: float, looks: Sequence[int], lambda_: float, gamma: float, prior: Any = None
) -> tuple[int, ...]:
    """Largest response count at each look with Pr(p > p0 | data) < lambda (n/N)^gamma (-1: none).

    Examples
    --------
    >>> bop2_boundaries(0.2, [10, 15, 20, 25, 30, 35, 40], 0.909, 1.0)
    (1, 2, 3, 5, 7, 9, 11)
    """
    p0 = check_open_probability(p0, "p0")
    sizes = _check_looks(looks)
    a, b = (p0, 1.0 - p0) if prior is None else check_beta_prior(prior)
    lambda_ = check_open_probability(lambda_, "lambda_")
    gamma = float(gamma)
    if not np.isfinite(gamma) or gamma < 0:
        raise InputError("gamma", "a number >= 0", gamma)
    return tuple(
        int(v)
        for v in _bounds(p0, np.array(sizes), a, b, np.array([lambda_]), np.array([gamma]))[0]
    )


def bop2_design(
    p0: float,
    p1: float,
    looks: Sequence[int],
    alpha: float = 0.10,
    prior: Any = None,
    lambdas: Sequence[float] | None = None,
    gammas: Sequence[float] | None = None,
) -> Bop2Design:
    """Optimise lambda and gamma: maximum power at p1 with type I error <= alpha at p0.

    Parameters
    ----------
    p0, p1 : float
        Null and alternative response rates.
    looks : sequence of int
        Cumulative numbers of evaluable patients at each analysis; the last is N.
    alpha : float, default 0.10
        Largest type I error allowed.
    prior : (a, b), optional
        Beta prior; default Beta(p0, 1 - p0).
    lambdas, gammas : sequences of float, optional
        Grids searched; default lambda 0.50-0.995 by 0.005 and gamma 0-3 by 0.05.

    Returns
    -------
    Bop2Design
        Ties in power go to the smaller expected sample size under p0, then larger lambda.

    References
    ----------
    .. [1] Zhou H, Lee JJ, Yuan Y. BOP2: Bayesian optimal design for phase II clinical
       trials with simple and complex endpoints. Statistics in Medicine 2017;36:3302-3314.
    """
    p0, p1 = check_ordered_rates(p0, p1)
    sizes = np.array(_check_looks(looks))
    alpha = check_open_probability(alpha, "alpha")
    a, b = (p0, 1.0 - p0) if prior is None else check_beta_prior(prior)
    lam = np.arange(0.5, 0.99501, 0.005) if lambdas is None else np.asarray(lambdas, float)
    gam = np.arange(0.0, 3.00001, 0.05) if gammas is None else np.asarray(gammas, float)
    if lam.size == 0 or gam.size == 0 or np.any((lam <= 0) | (lam >= 1)) or np.any(gam < 0):
        raise InputError(
            "lambdas/gammas",
            "non-empty grids with 0 < lambda < 1 and gamma >= 0",
            (lambdas, gammas),
        )
    grid_l, grid_g = (x.ravel() for x in np.meshgrid(lam, gam, indexing="ij"))
    bounds = _bounds(p0, sizes, a, b, grid_l, grid_g)
    unique, first = np.unique(bounds, axis=0, return_index=True)
    best: tuple[float, float, float] | None = None
    chosen = -1
    for row, index in zip(unique, first):
        plan = MonitoringPlan("BOP2", tuple(int(s) for s in sizes), tuple(int(v) for v in row))
        null = exact_operating_characteristics(plan, p0)
        if null.promising > alpha:
            continue
        alt = exact_operating_characteristics(plan, p1)
        key = (alt.promising, -null.expected_n, grid_l[index])
        if best is None or key > best:
            best, chosen = key, int(index)
    if best is None:
        raise InputError("alpha", "a type I error bound some grid point can meet", alpha)
    futility = tuple(int(v) for v in bounds[chosen])
    plan = MonitoringPlan("BOP2", tuple(int(s) for s in sizes), futility)
    null = exact_operating_characteristics(plan, p0)
    return Bop2Design(
        p0=p0,
        p1=p1,
        looks=plan.looks,
        lambda_=float(grid_l[chosen]),
        gamma=float(grid_g[chosen]),
        futility=futility,
        type1=null.promising,
        power=exact_operating_characteristics(plan, p1).promising,
        expected_n0=null.expected_n,
        prior=(a, b),
    )


def _check_looks(looks: Sequence[int]) -> list[int]:
    try:
        sizes = [check_count(n, "looks", minimum=1) for n in looks]
    except TypeError:
        raise InputError("looks", "a sequence of patient counts", looks) from None
    if not sizes or any(b <= a for a, b in itertools.pairwise(sizes)):
        raise InputError("looks", "strictly increasing patient counts", looks)
    return sizes


def _bounds(
    p0: float, sizes: np.ndarray, a: float, b: float, lambdas: np.ndarray, gammas: np.ndarray
) -> np.ndarray:
    """Boundaries for each (lambda, gamma): array (grid points, looks)."""
    n_final = sizes[-1]
    out = np.empty((lambdas.size, sizes.size), dtype=np.int64)
    for k, n in enumerate(sizes):
        y = np.arange(n + 1)
        posterior = special.betaincc(a + y, b + n - y, p0)  # Pr(p > p0), increasing in y
        cutoff = lambdas * (n / n_final) ** gammas
        out[:, k] = (posterior[None, :] < cutoff[:, None]).sum(axis=1) - 1
    return out
