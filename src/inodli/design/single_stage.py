"""Exact single-stage designs: treat n patients, call the treatment promising if more than r respond."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from inodli.design._validation import (
    check_count,
    check_open_probability,
    check_ordered_rates,
    check_probability,
)
from inodli.errors import InputError

__all__ = ["SingleStageDesign", "exact_single_stage", "power_curve", "single_stage_design"]


@dataclass(frozen=True)
class SingleStageDesign:
    """Promising if more than ``r`` of ``n`` patients respond; exact binomial error rates."""

    n: int
    r: int
    p0: float
    p1: float
    type1: float
    type2: float

    @property
    def power(self) -> float:
        return 1.0 - self.type2

    @property
    def alpha(self) -> float:
        """Attained type I error (alias of ``type1``, the name :class:`SimonDesign` uses)."""
        return self.type1

    def __repr__(self) -> str:
        return (
            f"SingleStageDesign(n = {self.n}, r = {self.r}: promising if >= {self.r + 1}/{self.n}; "
            f"type I = {self.type1:.4f}, power = {self.power:.4f} at p1 = {self.p1})"
        )

    def rule_in_words(self) -> list[str]:
        """The design as sentences a clinician can read, one rule per line."""
        return [
            f"Treat {self.n} patients and count how many respond.",
            f"If at least {self.r + 1} of the {self.n} respond, the treatment is promising; "
            f"if {self.r} or fewer respond, it is not.",
            f"If the true response rate were only {self.p0:.0%}, this rule would wrongly call "
            f"the treatment promising {self.type1:.1%} of the time.",
            f"If the true response rate were {self.p1:.0%}, it would correctly call the "
            f"treatment promising {self.power:.1%} of the time.",
        ]


def single_stage_design(n: int, r: int, p0: float, p1: float) -> SingleStageDesign:
    """The error rates of the rule "promising if more than r of n respond".

    Parameters
    ----------
    n : int
        Number of evaluable patients.
    r : int
        Largest number of responders that is still "not promising" (0 <= r < n).
    p0, p1 : float
        Response rates not worth pursuing and worth pursuing, 0 < p0 < p1 < 1.

    Returns
    -------
    SingleStageDesign
        With ``type1 = P(X > r | p0)`` and ``type2 = P(X <= r | p1)``, X ~ Binomial(n, p).

    Examples
    --------
    >>> d = single_stage_design(23, 11, 0.30, 0.60)
    >>> round(d.type1, 3), round(d.power, 3)
    (0.021, 0.836)
    """
    n = check_count(n, "n", minimum=1)
    r = check_count(r, "r", minimum=0, maximum=n - 1)
    p0, p1 = check_ordered_rates(p0, p1)
    return SingleStageDesign(
        n=n,
        r=r,
        p0=p0,
        p1=p1,
        type1=float(stats.binom.sf(r, n, p0)),
        type2=float(stats.binom.cdf(r, n, p1)),
    )


def exact_single_stage(
    p0: float,
    p1: float,
    alpha: float = 0.05,
    power: float = 0.80,
    n_designs: int = 5,
    nmax: int = 1000,
) -> tuple[SingleStageDesign, ...]:
    """The first single-stage designs (smallest n, then smallest r) meeting both error bounds.

    Parameters
    ----------
    p0, p1 : float
        Response rates not worth pursuing and worth pursuing, 0 < p0 < p1 < 1.
    alpha : float, default 0.05
        Largest type I error allowed: P(X > r | p0) <= alpha.
    power : float, default 0.80
        Smallest power allowed: P(X <= r | p1) <= 1 - power.
    n_designs : int, default 5
        How many designs to list (R clinfun ``ph2single``'s ``nsoln``).
    nmax : int, default 1000
        Largest n searched.

    Returns
    -------
    tuple of SingleStageDesign
        In the order of R clinfun ``ph2single``: n ascending, then r ascending.

    Raises
    ------
    InputError
        Bad arguments, or fewer than ``n_designs`` designs with n <= nmax.

    References
    ----------
    .. [1] A'Hern RP. Sample size tables for exact single-stage phase II designs.
       Statistics in Medicine 2001;20:859-866.
    .. [2] Seshan VE. clinfun: Clinical Trial Design and Data Analysis Functions (ph2single).

    Examples
    --------
    >>> [(d.n, d.r) for d in exact_single_stage(0.4, 0.6, 0.1, 0.9)]
    [(41, 20), (43, 21), (45, 22), (47, 23), (49, 24)]
    """
    p0, p1 = check_ordered_rates(p0, p1)
    alpha = check_open_probability(alpha, "alpha")
    power = check_open_probability(power, "power")
    n_designs = check_count(n_designs, "n_designs", minimum=1)
    nmax = check_count(nmax, "nmax", minimum=1, maximum=100_000)
    beta = 1.0 - power
    found: list[SingleStageDesign] = []
    for n in range(1, nmax + 1):
        r = np.arange(n)
        type1 = stats.binom.sf(r, n, p0)
        type2 = stats.binom.cdf(r, n, p1)
        for k in np.flatnonzero((type1 <= alpha) & (type2 <= beta)):
            found.append(SingleStageDesign(n, int(k), p0, p1, float(type1[k]), float(type2[k])))
            if len(found) == n_designs:
                return tuple(found)
    raise InputError(
        "nmax",
        f"a limit large enough to list {n_designs} designs",
        nmax,
        f"Only {len(found)} design(s) meet the error bounds with n <= nmax.",
    )


def power_curve(n: int, r: int, p_grid: Any) -> npt.NDArray[np.float64]:
    """P(more than r of n respond) at each true response rate in ``p_grid``.

    Examples
    --------
    >>> power_curve(23, 11, [0.3, 0.6]).round(3).tolist()
    [0.021, 0.836]
    """
    n = check_count(n, "n", minimum=1)
    r = check_count(r, "r", minimum=0, maximum=n - 1)
    grid = np.atleast_1d(np.asarray(p_grid, dtype=object))
    rates = np.array([check_probability(p, "p_grid") for p in grid], dtype=np.float64)
    return np.asarray(stats.binom.sf(r, n, rates), dtype=np.float64)
