"""Kaplan-Meier with CI and the log-rank test: inodli vs lifelines, scikit-survival, R, numpy.

The same data for every tool (bench._common.survival_data: whole-day times with many ties, two
groups). The "floor" is numpy's own ``argsort`` + ``cumsum`` of the times, measured in the same
run: no KM can avoid ordering the times. Run alone with ``python bench/bench_km.py`` or through
``python bench/stats_bench.py``.

What each tool computes (kept comparable):
- inodli: ``kaplan_meier(time, event).table`` (log-log CI, Greenwood) and ``logrank_test``;
- lifelines: ``KaplanMeierFitter().fit`` (computes its exponential-Greenwood CI) and
  ``statistics.logrank_test`` on the two groups (splitting the arrays is not timed);
- scikit-survival: ``kaplan_meier_estimator(conf_type="log-log")`` and ``compare_survival``
  (building its structured array is not timed);
- R: ``survfit(conf.type = "log-log")`` and ``survdiff`` (reading the CSV is not timed).
"""

from __future__ import annotations

import argparse
import resource
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

from inodli.stats.kaplan_meier import kaplan_meier
from inodli.stats.logrank import logrank_test

KM = "Kaplan-Meier with CI"
LOGRANK = "log-rank test (2 groups)"
KM_FLOAT = "Kaplan-Meier with CI, distinct float times"


def _repeats(n: int, peer: bool) -> int:
    if n >= 10_000_000:
        return 1
    return 3 if peer and n >= 1_000_000 else 5


def _peers_km(time: np.ndarray, event: np.ndarray) -> dict[str, Callable[[], object]]:
    tools: dict[str, Callable[[], object]] = {}
    try:
        from lifelines import KaplanMeierFitter

        tools["lifelines"] = lambda: KaplanMeierFitter().fit(time, event)
    except ImportError:
        pass
    try:
        from sksurv.nonparametric import kaplan_meier_estimator

        tools["scikit-survival"] = lambda: kaplan_meier_estimator(event, time, conf_type="log-log")
    except ImportError:
        pass
    return tools


def _peers_logrank(
    time: np.ndarray, event: np.ndarray, group: np.ndarray
) -> dict[str, Callable[[], object]]:
    tools: dict[str, Callable[[], object]] = {}
    first = group == 0
    try:
        from lifelines.statistics import logrank_test as lifelines_logrank

        a, b = time[first], time[~first]
        ea, eb = event[first], event[~first]
        tools["lifelines"] = lambda: lifelines_logrank(a, b, ea, eb)
    except ImportError:
        pass
    try:
        from sksurv.compare import compare_survival
        from sksurv.util import Surv

        outcome = Surv.from_arrays(event, time)
        tools["scikit-survival"] = lambda: compare_survival(outcome, group)
    except ImportError:
        pass
    return tools


def _rows(
    benchmark: str,
    n: int,
    floor: float,
    ours: float,
    peers: dict[str, float],
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"benchmark": benchmark, "n": n, "tool": "numpy argsort+cumsum (floor)", "median_s": floor},
        {"benchmark": benchmark, "n": n, "tool": "inodli", "median_s": ours},
    ]
    rows += [
        {"benchmark": benchmark, "n": n, "tool": tool, "median_s": seconds}
        for tool, seconds in peers.items()
    ]
    for row in rows:
        seconds = float(row["median_s"])  # type: ignore[arg-type]
        row["x_floor"] = seconds / floor
        row["x_inodli"] = seconds / ours
    return rows


def peak_memory(n: int) -> list[dict[str, object]]:
    """Peak bytes allocated by inodli's KM and log-rank (tracemalloc) and the process RSS."""
    data = survival_data(n)
    rows: list[dict[str, object]] = []
    for name, call in [
        (KM, lambda: kaplan_meier(data.time, data.event).table),
        (LOGRANK, lambda: logrank_test(data.time, data.event, data.group)),
    ]:
        tracemalloc.start()
        call()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append({"benchmark": "peak memory", "n": n, "tool": f"inodli {name}",
                     "peak_MiB": peak / 2**20})  # fmt: skip
    input_mib = sum(a.nbytes for a in (data.time, data.event, data.group)) / 2**20
    rows.append({"benchmark": "peak memory", "n": n, "tool": "input arrays", "peak_MiB": input_mib})
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rows.append(
        {"benchmark": "peak memory", "n": n, "tool": "process max RSS", "peak_MiB": max_rss}
    )
    return rows


def run(sizes: list[int], *, with_r: bool = True) -> list[dict[str, object]]:
    """Time every tool at each size; one row per (benchmark, n, tool)."""
    use_r = with_r and r_available("survival")
    rows: list[dict[str, object]] = []
    for n in sizes:
        rows += _one_size(n, use_r)
    return rows


def _one_size(n: int, use_r: bool) -> list[dict[str, object]]:
    data = survival_data(n)
    time, event, group = data.time, data.event, data.group
    repeats, peer_repeats = _repeats(n, peer=False), _repeats(n, peer=True)
    floor = median_seconds(lambda: np.cumsum(time[np.argsort(time)]), repeats)
    ours_km = median_seconds(lambda: kaplan_meier(time, event).table, repeats)
    ours_lr = median_seconds(lambda: logrank_test(time, event, group), repeats)
    peers_km = {
        tool: median_seconds(call, peer_repeats) for tool, call in _peers_km(time, event).items()
    }
    peers_lr = {
        tool: median_seconds(call, peer_repeats)
        for tool, call in _peers_logrank(time, event, group).items()
    }
    if use_r:
        peers_km["R survival"] = r_median_seconds(
            "", 'survfit(Surv(time, event) ~ 1, data = d, conf.type = "log-log")', data,
            peer_repeats,
        )  # fmt: skip
        peers_lr["R survival"] = r_median_seconds(
            "", "survdiff(Surv(time, event) ~ group, data = d)", data, peer_repeats
        )
    rows = _rows(KM, n, floor, ours_km, peers_km) + _rows(LOGRANK, n, floor, ours_lr, peers_lr)
    return rows + _float_times(n, event, repeats, peer_repeats)


def _float_times(
    n: int, event: np.ndarray, repeats: int, peer_repeats: int
) -> list[dict[str, object]]:
    """The exact sorting path: the same data with the days spread into distinct floats."""
    spread = survival_data(n).time - np.random.default_rng(5).random(n)
    floor = median_seconds(lambda: np.cumsum(spread[np.argsort(spread)]), repeats)
    ours = median_seconds(lambda: kaplan_meier(spread, event).table, repeats)
    peers = {
        tool: median_seconds(call, peer_repeats) for tool, call in _peers_km(spread, event).items()
    }
    return _rows(KM_FLOAT, n, floor, ours, peers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="comma-separated sizes")
    parser.add_argument("--large", action="store_true", help="add n = 1e7 and peak memory")
    parser.add_argument("--no-r", action="store_true", help="skip R")
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    if args.large:
        sizes.append(10_000_000)
    rows = run(sizes, with_r=not args.no_r)
    for benchmark in dict.fromkeys(str(r["benchmark"]) for r in rows):
        print_table(benchmark, [r for r in rows if r["benchmark"] == benchmark])
    if args.large:
        print_table("peak memory", peak_memory(10_000_000))


if __name__ == "__main__":
    main()
