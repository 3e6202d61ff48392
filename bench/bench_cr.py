"""Competing risks: cumulative incidence, Gray's test and Fine-Gray, inodli vs peers and R.

The same data for every tool (bench._common.survival_data: whole-day times with many ties, two
causes, two groups, two covariates). The "floor" is numpy's own ``argsort`` + ``cumsum`` of the
times, measured in the same run. Run alone with ``python bench/bench_cr.py`` or through
``python bench/stats_bench.py``.

What each tool computes (kept comparable):
- inodli: ``cumulative_incidence`` for cause 1 and cause 2 (cmprsk variance, log-log CI, full
  table); ``gray_test`` for cause 1 and cause 2; ``fine_gray(time, status, x)``;
- lifelines: ``AalenJohansenFitter`` for cause 1 and 2 (it jitters tied times, so its curve is
  not the same estimate; variance on), timed once. Skipped above n = 1e4: after jittering
  every tie into a distinct time its per-time loop already takes about a minute at 1e4;
- scikit-survival: ``cumulative_incidence_competing_risks(conf_type="log-log")`` (all causes,
  Aalen variance). Its variance allocates several causes x T x T float arrays (T distinct
  times): sizes whose estimate exceeds ~4 GiB are skipped and the row says so;
- R cmprsk: ``cuminc(time, status)`` (both causes with variance) and
  ``cuminc(time, status, group)`` (Gray's test for both causes, plus the per-group curves it
  always computes); ``crr(time, status, cbind(x1, x2))``, whose variance is quadratic in n:
  run at n <= 1e4 only (about 36 s there on this machine; 1e5 would take about an hour).
"""

from __future__ import annotations

import argparse
import resource
import time as clock
import tracemalloc
import warnings
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

from inodli.stats.cumulative_incidence import cumulative_incidence
from inodli.stats.fine_gray import fine_gray
from inodli.stats.gray import gray_test

CIF = "cumulative incidence with variance (2 causes)"
GRAY = "Gray's test (2 groups, 2 causes)"
FINE_GRAY = "Fine-Gray regression (2 covariates)"
SKSURV_LIMIT_BYTES = 4 * 2**30
LIFELINES_MAX_N = 10_000
CRR_MAX_N = 10_000
FINE_GRAY_MAX_N = 100_000


def _repeats(n: int, peer: bool) -> int:
    if n >= 10_000_000:
        return 1
    return 3 if peer and n >= 1_000_000 else 5


def _once(function: Callable[[], object]) -> float:
    """Wall time of a single call, for peers too slow to repeat."""
    start = clock.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns that it jitters ties, every call
        function()
    return clock.perf_counter() - start


def _sksurv_bytes(n_distinct: int, n_causes: int = 2) -> int:
    # irt (causes x T x T) plus its square and products: about four such arrays at once
    return 4 * n_causes * n_distinct**2 * 8


def _peers_cif(
    time: np.ndarray, status: np.ndarray
) -> tuple[dict[str, Callable[[], object]], dict[str, str]]:
    tools: dict[str, Callable[[], object]] = {}
    skipped: dict[str, str] = {}
    n = time.size
    try:
        from lifelines import AalenJohansenFitter

        if n <= LIFELINES_MAX_N:

            def lifelines_aj() -> None:
                for cause in (1, 2):
                    AalenJohansenFitter(seed=1).fit(time, status, event_of_interest=cause)

            tools["lifelines AalenJohansenFitter"] = lifelines_aj
        else:
            skipped["lifelines AalenJohansenFitter"] = (
                f"skipped above n={LIFELINES_MAX_N:.0e} (minutes)"
            )
    except ImportError:
        skipped["lifelines AalenJohansenFitter"] = "not installed"
    try:
        from sksurv.nonparametric import cumulative_incidence_competing_risks

        need = _sksurv_bytes(np.unique(time).size)
        if need <= SKSURV_LIMIT_BYTES:
            tools["scikit-survival (log-log CI)"] = lambda: cumulative_incidence_competing_risks(
                status, time, conf_type="log-log"
            )
        else:
            skipped["scikit-survival (log-log CI)"] = f"skipped: needs ~{need / 2**30:.0f} GiB"
    except ImportError:
        skipped["scikit-survival (log-log CI)"] = "not installed"
    return tools, skipped


def _rows(
    benchmark: str,
    n: int,
    floor: float,
    ours: float,
    peers: dict[str, float],
    skipped: dict[str, str] | None = None,
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
        row["note"] = ""
    for tool, why in (skipped or {}).items():
        rows.append(
            {"benchmark": benchmark, "n": n, "tool": tool, "median_s": float("nan"),
             "x_floor": float("nan"), "x_inodli": float("nan"), "note": why}
        )  # fmt: skip
    return rows


def _one_size(n: int, use_r: bool) -> list[dict[str, object]]:
    data = survival_data(n)
    time, status, group, x = data.time, data.status, data.group, data.x
    repeats, peer_repeats = _repeats(n, peer=False), _repeats(n, peer=True)
    floor = median_seconds(lambda: np.cumsum(time[np.argsort(time)]), repeats)

    def ours_cif() -> None:
        for cause in (1, 2):
            cumulative_incidence(time, status, cause=cause)

    def ours_gray() -> None:
        for cause in (1, 2):
            gray_test(time, status, group, cause=cause)

    cif_s = median_seconds(ours_cif, repeats)
    gray_s = median_seconds(ours_gray, repeats)
    tools, skipped = _peers_cif(time, status)
    peers_cif = {
        tool: median_seconds(call, 1 if n >= 100_000 else peer_repeats)
        for tool, call in tools.items()
    }
    peers_gray: dict[str, float] = {}
    if use_r:
        peers_cif["R cmprsk cuminc"] = r_median_seconds(
            "", "cuminc(d$time, d$status)", data, peer_repeats
        )
        peers_gray["R cmprsk cuminc(group) (also draws curves)"] = r_median_seconds(
            "", "cuminc(d$time, d$status, d$group)", data, peer_repeats
        )
    rows = _rows(CIF, n, floor, cif_s, peers_cif, skipped)
    rows += _rows(GRAY, n, floor, gray_s, peers_gray)
    if n <= FINE_GRAY_MAX_N:
        fg_s = median_seconds(lambda: fine_gray(time, status, x), repeats)
        peers_fg: dict[str, float] = {}
        skipped_fg: dict[str, str] = {}
        if use_r and n <= CRR_MAX_N:
            peers_fg["R cmprsk crr"] = r_median_seconds(
                "X <- cbind(d$x1, d$x2)", "crr(d$time, d$status, X)", data, 1
            )
        elif use_r:
            skipped_fg["R cmprsk crr"] = (
                f"skipped above n={CRR_MAX_N:.0e}: O(n^2) variance (~1 h at 1e5)"
            )
        rows += _rows(FINE_GRAY, n, floor, fg_s, peers_fg, skipped_fg)
    return rows


def run(sizes: list[int], *, with_r: bool = True) -> list[dict[str, object]]:
    """Time every tool at each size; one row per (benchmark, n, tool)."""
    use_r = with_r and r_available("cmprsk")
    rows: list[dict[str, object]] = []
    for n in sizes:
        rows += _one_size(n, use_r)
    return rows


def peak_memory(n: int) -> list[dict[str, object]]:
    """Peak bytes allocated by inodli's CIF and Gray's test (tracemalloc) and the process RSS."""
    data = survival_data(n)
    rows: list[dict[str, object]] = []
    for name, call in [
        (
            "cumulative incidence with variance (1 cause)",
            lambda: cumulative_incidence(data.time, data.status).table,
        ),
        ("Gray's test (2 groups, 1 cause)", lambda: gray_test(data.time, data.status, data.group)),
    ]:
        tracemalloc.start()
        call()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append({"benchmark": "peak memory", "n": n, "tool": f"inodli {name}",
                     "peak_MiB": peak / 2**20})  # fmt: skip
    input_mib = sum(a.nbytes for a in (data.time, data.status, data.group)) / 2**20
    rows.append({"benchmark": "peak memory", "n": n, "tool": "input arrays", "peak_MiB": input_mib})
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rows.append(
        {"benchmark": "peak memory", "n": n, "tool": "process max RSS", "peak_MiB": max_rss}
    )
    return rows


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
