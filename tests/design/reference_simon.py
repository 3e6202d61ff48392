"""A plain Simon search, written directly from Simon (1989) equation (1), as a test oracle.

For every n <= nmax and n1 < n it builds the full matrices of P(declare promising) over all
(r1, r) with no pruning, and keeps clinfun's rules: alpha < bound, beta < bound, EN(p0) < the
best so far at that n (starting from n), largest r1 then largest r, smaller n1 on ties.
Slow on purpose (the benchmark's "straightforward numpy" peer); shares no code with inodli.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def reject_matrix(n1: int, n2: int, p: float) -> np.ndarray:
    """``out[r1, r]`` = P(X1 > r1 and X1 + X2 > r) for r1 in 0..n1-1, r in 0..n-1."""
    n = n1 + n2
    x1 = np.arange(n1 + 1)
    r = np.arange(n)
    pmf1 = stats.binom.pmf(x1, n1, p)
    tail2 = stats.binom.sf(r[None, :] - x1[:, None], n2, p)  # P(X2 > r - x1)
    joint = pmf1[:, None] * tail2
    above = np.cumsum(joint[::-1], axis=0)[::-1]  # sum over x1' >= x1
    return above[1:, :]  # row r1 sums x1 > r1


def best_rows(p0: float, p1: float, alpha: float, beta: float, nmax: int) -> dict[int, tuple]:
    """Per n: (r1, n1, r, n, EN0, PET0) of clinfun's choice, for every n with a design."""
    rows: dict[int, tuple] = {}
    for n in range(2, nmax + 1):
        best_en = float(n)
        for n1 in range(1, n):
            n2 = n - n1
            a = reject_matrix(n1, n2, p0)
            b = reject_matrix(n1, n2, p1)
            r1_grid, r_grid = np.meshgrid(np.arange(n1), np.arange(n), indexing="ij")
            ok = (a < alpha) & (1 - b < beta) & (r_grid >= r1_grid) & (r_grid <= n2 + r1_grid)
            if not ok.any():
                continue
            r1 = int(np.flatnonzero(ok.any(axis=1))[-1])
            r = int(np.flatnonzero(ok[r1])[-1])
            pet = float(stats.binom.cdf(r1, n1, p0))
            en = n1 + (1 - pet) * n2
            if en < best_en:
                best_en = en
                rows[n] = (r1, n1, r, n, en, pet)
    return rows


def optimal_and_minimax(p0: float, p1: float, alpha: float, beta: float, nmax: int):
    rows = best_rows(p0, p1, alpha, beta, nmax)
    if not rows:
        raise ValueError("no design with n <= nmax")
    ordered = [rows[n] for n in sorted(rows)]
    minimax = ordered[0]
    optimal = min(ordered, key=lambda row: row[4])  # first minimum, like which.min
    return optimal, minimax
