"""Binomial probability tables for every sample size up to ``nmax``, computed once and cached.

Rows are sample sizes m = 0..nmax, columns counts x = 0..nmax; entries beyond x > m are 0.
The survival table is stored with a column offset so that ``P(X > k)`` can be read for
negative k (probability 1) without branching: ``survival[m, k + offset]``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@lru_cache(maxsize=64)
def pmf_table(p: float, nmax: int) -> FloatArray:
    """``table[m, x] = P(X = x)`` for X ~ Binomial(m, p), m, x in 0..nmax (read-only).

    Built row by row with P_m(x) = (1 - p) P_{m-1}(x) + p P_{m-1}(x - 1): every step adds two
    non-negative terms, so the relative error stays within about 2 m machine epsilons, also
    far in the tails (checked against scipy.stats.binom.pmf in the tests).
    """
    table = np.zeros((nmax + 1, nmax + 1))
    table[0, 0] = 1.0
    q = 1.0 - p
    for m in range(1, nmax + 1):
        previous = table[m - 1, :m]
        table[m, :m] = q * previous
        table[m, 1 : m + 1] += p * previous
    table.setflags(write=False)
    return table


@lru_cache(maxsize=64)
def cdf_table(p: float, nmax: int) -> FloatArray:
    """``table[m, x] = P(X <= x)`` for X ~ Binomial(m, p) (read-only)."""
    table = np.cumsum(pmf_table(p, nmax), axis=1)
    table.setflags(write=False)
    return table


@lru_cache(maxsize=64)
def survival_table(p: float, nmax: int, offset: int) -> FloatArray:
    """``table[m, k + offset] = P(X > k)`` for k in -offset..nmax (read-only).

    Upper tails are summed from the top of the pmf (no cancellation, unlike 1 - cdf).
    """
    upper = np.cumsum(pmf_table(p, nmax)[:, ::-1], axis=1)[:, ::-1]  # P(X >= x)
    table = np.ones((nmax + 1, offset + nmax + 1))
    table[:, offset : offset + nmax] = upper[:, 1:]
    table[:, offset + nmax] = 0.0
    table.setflags(write=False)
    return table
