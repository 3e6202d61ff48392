"""Helpers for the competing-risks tests: block size of the block-wise passes, continuous data.

The competing-risks code works through its rows in blocks of ``inodli.stats._cr_counts.CHUNK``
and carries running sums from block to block; tests shrink the block so that small samples
cross many block boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import strategies as st

from inodli.stats import _cr_counts

# block sizes tried by the tests: one row per block, a few rows, the default
BLOCK_SIZES = [1, 3, None]


@contextmanager
def block_size(size: int | None) -> Iterator[None]:
    """Run the competing-risks code with blocks of ``size`` rows (None: the default)."""
    saved = _cr_counts.CHUNK
    _cr_counts.CHUNK = saved if size is None else size
    try:
        yield
    finally:
        _cr_counts.CHUNK = saved


# follow-up times as measured in continuous time: almost all distinct, with the occasional
# repeat (hypothesis likes 0.0 and the bounds) that exercises the tie handling
continuous_times = st.floats(0.0, 50.0, allow_nan=False, allow_subnormal=False)


def continuous_competing_risks(seed: int, n: int, groups: int = 2) -> dict[str, np.ndarray]:
    """Exponential event times, two causes, uniform censoring; times not rounded at all."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, n)
    event = rng.exponential(1 / (0.3 * np.exp(0.3 * group)))
    censor = rng.uniform(0, 8, n)
    cause = np.where(rng.random(n) < 0.6, 1, 2)
    return {
        "time": np.minimum(event, censor),
        "status": np.where(event <= censor, cause, 0),
        "group": group,
        "stratum": rng.integers(0, 2, n),
    }
