"""The cached binomial tables against scipy.stats.binom."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from inodli.design._binomial import cdf_table, pmf_table, survival_table


@pytest.mark.parametrize(("p", "nmax"), [(0.3, 200), (0.05, 400), (0.93, 150)])
def test_tables_equal_scipy_to_rounding(p: float, nmax: int) -> None:
    sizes = np.arange(nmax + 1)[:, None]
    counts = np.arange(nmax + 1)[None, :]
    reference = stats.binom.pmf(counts, sizes, p)
    pmf = pmf_table(p, nmax)
    positive = reference > 1e-300
    assert np.max(np.abs(pmf[positive] / reference[positive] - 1)) < 1e-12
    assert np.all(pmf[counts.repeat(nmax + 1, 0) > sizes.repeat(nmax + 1, 1)] == 0)
    assert np.max(np.abs(cdf_table(p, nmax) - stats.binom.cdf(counts, sizes, p))) < 1e-13
    thresholds = np.arange(-nmax, nmax + 1)[None, :]
    survival = survival_table(p, nmax, nmax)
    assert np.max(np.abs(survival - stats.binom.sf(thresholds, sizes, p))) < 1e-13
