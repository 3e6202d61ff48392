"""Binomial probability tables for every sample size up to ``nmax``, computed once and cached.

Rows are sample sizes m = 0..nmax, columns counts x = 0..nmax; entries beyond x > m are 0.
The survival table is stored with a column offset so that ``P(X > k)`` can be read for
negative k (probability 1) without branching: ``survival[m, k + offset]``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]


@lru_cache(maxsize=64)
def pmf_table(p: float, nmax: int) -> FloatArray:
    """``table[m, x] = P(X = x)`` for X ~ Binomial(m, p), m, x in 0..nmax (read-only)."""
    sizes = np.arange(nmax + 1)[:, None]
    counts = np.arange(nmax + 1)[None, :]
    table = stats.binom.pmf(counts, sizes, p)
    table[counts > sizes] = 0.0
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
