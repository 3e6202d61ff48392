"""Cox proportional-hazards fits: inodli vs R coxph, lifelines and scikit-survival.

The same data for every tool (bench._common.survival_data: whole-day times with many ties and
two normal covariates x1, x2). Run alone with ``python bench/bench_cox.py`` or through
``python bench/stats_bench.py``.

What each tool computes (kept comparable):
- inodli: ``cox_ph(time, event, x, ties=...)`` and its ``.concordance`` (R's coxph always
  computes the concordance, so it is timed too; "inodli, fit only" leaves it out);
- R: ``coxph(Surv(time, event) ~ x1 + x2, ties = ...)`` (reading the CSV is not timed; the
  model frame, the fit, residuals and the concordance are);
- lifelines: ``CoxPHFitter().fit`` (Efron only; building its DataFrame is not timed);
- scikit-survival: ``CoxPHSurvivalAnalysis(ties=...).fit`` (building its structured array is
  not timed).
A peer is skipped at a size where one fit would take more than ``PEER_LIMIT_S`` (extrapolated
linearly from the previous size, which flatters it); its row says so. A peer slower than
``SINGLE_RUN_S`` is timed by one fit instead of a median.
"""

from __future__ import annotations

import argparse
import time as clock
import tracemalloc
from collections.abc import Callable

import numpy as np

try:
    from bench._common import (
        median_seconds,
        print_table,
        r_available,
        r_median_seconds,
        survival_data,
    )
except ModuleNotFoundError:  # run as a script from inside bench/
    from _common import (  # type: ignore[no-redef]
        median_seconds,
        print_table,
        r_available,
        r_median_seconds,
        survival_data,
    )

from inodli.stats.cox import cox_ph

PEER_LIMIT_S = 60.0  # a peer expected to need longer than this for one fit is skipped
SINGLE_RUN_S = 10.0  # a peer slower than this is timed once (its first fit)
TIES = ("efron", "breslow")


def _benchmark(ties: str) -> str:
    return f"Cox PH, {ties.capitalize()} ties (2 covariates)"


def _repeats(n: int) -> int:
    return 3 if n >= 1_000_000 else 5


def _peers(ties: str, data) -> dict[str, Callable[[], object]]:  # type: ignore[no-untyped-def]
    tools: dict[str, Callable[[], object]] = {}
    if ties == "efron":
        try:
            from lifelines import CoxPHFitter

            frame = data.frame()[["time", "event", "x1", "x2"]]
            tools["lifelines"] = lambda: CoxPHFitter().fit(frame, "time", "event")
        except ImportError:
            pass
    try:
        from sksurv.linear_model import CoxPHSurvivalAnalysis
        from sksurv.util import Surv

        outcome = Surv.from_arrays(data.event, data.time)
        tools["scikit-survival"] = lambda: CoxPHSurvivalAnalysis(ties=ties).fit(data.x, outcome)
    except ImportError:
        pass
    return tools


def run(sizes: list[int], *, with_r: bool = True) -> list[dict[str, object]]:
    """Time every tool at each size; one row per (benchmark, n, tool)."""
    use_r = with_r and r_available("survival")
    last_fit: dict[str, tuple[float, int]] = {}  # "ties/tool" -> (seconds of one fit, n)
    rows: list[dict[str, object]] = []
    for n in sorted(sizes):
        data = survival_data(n)
        for ties in TIES:
            rows += _one(n, ties, data, use_r, last_fit)
    return rows


def _one(
    n: int, ties: str, data, use_r: bool, last_fit: dict[str, tuple[float, int]]
) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    benchmark = _benchmark(ties)
    repeats = _repeats(n)
    ours = median_seconds(
        lambda: cox_ph(data.time, data.event, data.x, ties=ties).concordance, repeats
    )
    fit_only = median_seconds(lambda: cox_ph(data.time, data.event, data.x, ties=ties), repeats)
    timings: dict[str, float | str] = {"inodli": ours, "inodli, fit only": fit_only}
    if use_r:
        timings["R survival coxph"] = r_median_seconds(
            "", f'coxph(Surv(time, event) ~ x1 + x2, data = d, ties = "{ties}")', data, repeats
        )
    for tool, call in _peers(ties, data).items():
        key = f"{ties}/{tool}"
        if key in last_fit:
            seconds, size = last_fit[key]
            if seconds * n / size > PEER_LIMIT_S:  # linear growth, the optimistic guess
                timings[tool] = f"skipped: one fit took {seconds:.3g} s at n={size}"
                continue
        start = clock.perf_counter()
        call()  # a first fit, to learn whether repeating it is affordable
        first = clock.perf_counter() - start
        last_fit[key] = (first, n)
        timings[tool] = first if first > SINGLE_RUN_S else median_seconds(call, repeats)
    rows: list[dict[str, object]] = []
    for tool, seconds in timings.items():
        row: dict[str, object] = {"benchmark": benchmark, "n": n, "tool": tool}
        if isinstance(seconds, str):
            row.update(median_s=np.nan, x_inodli=np.nan, note=seconds)
        else:
            row.update(median_s=seconds, x_inodli=seconds / ours, note="")
        rows.append(row)
    return rows


def peak_memory(n: int) -> list[dict[str, object]]:
    """Peak bytes allocated by an Efron fit with its concordance (tracemalloc), and the inputs."""
    data = survival_data(n)
    tracemalloc.start()
    concordance = cox_ph(data.time, data.event, data.x).concordance  # computed on access
    _, peak = tracemalloc.get_traced_memory()
    assert 0 < concordance < 1
    tracemalloc.stop()
    inputs = sum(a.nbytes for a in (data.time, data.event, data.x)) / 2**20
    return [
        {
            "benchmark": "peak memory",
            "n": n,
            "tool": "inodli cox_ph (Efron)",
            "peak_MiB": peak / 2**20,
        },
        {"benchmark": "peak memory", "n": n, "tool": "input arrays", "peak_MiB": inputs},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="comma-separated sizes")
    parser.add_argument("--no-r", action="store_true", help="skip R")
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    rows = run(sizes, with_r=not args.no_r)
    for benchmark in dict.fromkeys(str(r["benchmark"]) for r in rows):
        print_table(benchmark, [r for r in rows if r["benchmark"] == benchmark])


if __name__ == "__main__":
    main()
