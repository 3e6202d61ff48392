"""Competing risks: cumulative incidence, Gray's test and Fine-Gray, inodli vs peers and R.

Two data sets per size, both from bench._common.survival_data (two causes, two groups, two
covariates, about 30% censored) and given to every tool as they are:

- ``tied days``: times rounded up to whole days, so about 1,500 distinct times whatever n;
- ``distinct times``: the same rows with each time moved back by a uniform fraction of its day
  (the exact time within the day), so that every time is distinct.

The "floor" is numpy's own ``argsort`` + ``cumsum`` of the times, measured in the same run on
the same array; ``x_floor`` is a tool's median divided by it. Run alone with
``python bench/bench_cr.py`` or through ``python bench/stats_bench.py``.

What each tool computes (kept comparable):
- inodli: ``cumulative_incidence`` for cause 1 and cause 2 (cmprsk variance, log-log CI, full
  table); ``gray_test`` for cause 1 and cause 2; ``fine_gray(time, status, x)`` (tied data);
- lifelines: ``AalenJohansenFitter`` for cause 1 and 2 (it jitters tied times, so on tied
  data its curve is not the same estimate; variance on), timed once. Skipped above n = 1e4:
  its per-time loop takes about half a minute per cause at 1e4 distinct times;
- scikit-survival: ``cumulative_incidence_competing_risks(conf_type="log-log")`` (all causes,
  Aalen variance). Its variance allocates several causes x T x T float arrays (T distinct
  times): sizes whose estimate exceeds ~4 GiB are skipped and the row says so;
- R cmprsk: ``cuminc(time, status)`` (both causes with variance) and
  ``cuminc(time, status, group)`` (Gray's test for both causes, plus the per-group curves it
  always computes); ``crr(time, status, cbind(x1, x2))``, whose variance is quadratic in n:
  run at n <= 1e4 only (about 36 s there on this machine; 1e5 would take about an hour).

Peak memory (``--memory``, and ``--large`` at n = 1e7) is the largest amount traced by
``tracemalloc`` during one call, which covers numpy's arrays, next to the input arrays.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time as clock
import tracemalloc
import warnings
from collections.abc import Callable

import numpy as np

try:
    from bench._common import (
        SurvivalData,
        median_seconds,
        print_table,
        r_available,
        r_median_seconds,
        survival_data,
    )
except ModuleNotFoundError:  # run as a script from inside bench/
    from _common import (  # type: ignore[no-redef]
        SurvivalData,
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
FLOOR = "numpy argsort+cumsum (floor)"
SKSURV_LIMIT_BYTES = 4 * 2**30
LIFELINES_MAX_N = 10_000
CRR_MAX_N = 10_000
FINE_GRAY_MAX_N = 100_000


def distinct_data(n: int) -> SurvivalData:
    """survival_data(n) with each whole-day time moved back into its day: all distinct."""
    data = survival_data(n)
    fraction = np.random.default_rng(20261125).uniform(0.0, 1.0, n)
    return dataclasses.replace(data, time=np.maximum(data.time - fraction, 0.0))


DATASETS: dict[str, Callable[[int], SurvivalData]] = {
    "tied days": survival_data,
    "distinct times": distinct_data,
}


def _repeats(n: int, peer: bool) -> int:
    if n >= 10_000_000:
        return 1
    return 3 if peer and n >= 1_000_000 else 5


def _once(function: Callable[[], object]) -> float:
    """Wall time of a single call (after no warm-up), for peers too slow to repeat."""
    start = clock.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns that it jitters ties, every call
        function()
    return clock.perf_counter() - start


def _sksurv_bytes(n_distinct: int, n_causes: int = 2) -> int:
    # irt (causes x T x T) plus its square and products: about four such arrays at once
    return 4 * n_causes * n_distinct**2 * 8


def _peers_cif(time: np.ndarray, status: np.ndarray) -> tuple[dict[str, float], dict[str, str]]:
    """Seconds of each Python peer on (time, status), and why a peer was skipped."""
    seconds: dict[str, float] = {}
    skipped: dict[str, str] = {}
    n = time.size
    try:
        from lifelines import AalenJohansenFitter

        if n <= LIFELINES_MAX_N:

            def lifelines_aj() -> None:
                for cause in (1, 2):
                    AalenJohansenFitter(seed=1).fit(time, status, event_of_interest=cause)

            seconds["lifelines AalenJohansenFitter (once)"] = _once(lifelines_aj)
        else:
            skipped["lifelines AalenJohansenFitter (once)"] = (
                f"skipped above n={LIFELINES_MAX_N:.0e} (minutes)"
            )
    except ImportError:
        skipped["lifelines AalenJohansenFitter (once)"] = "not installed"
    try:
        from sksurv.nonparametric import cumulative_incidence_competing_risks

        need = _sksurv_bytes(np.unique(time).size)
        if need <= SKSURV_LIMIT_BYTES:
            seconds["scikit-survival (log-log CI)"] = median_seconds(
                lambda: cumulative_incidence_competing_risks(status, time, conf_type="log-log"),
                1 if n >= 100_000 else _repeats(n, peer=True),
            )
        else:
            skipped["scikit-survival (log-log CI)"] = f"skipped: needs ~{need / 2**30:.0f} GiB"
    except ImportError:
        skipped["scikit-survival (log-log CI)"] = "not installed"
    return seconds, skipped


def _rows(
    benchmark: str,
    n: int,
    floor: float,
    ours: float,
    peers: dict[str, float],
    skipped: dict[str, str] | None = None,
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"benchmark": benchmark, "n": n, "tool": FLOOR, "median_s": floor},
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


def _one_dataset(
    n: int, label: str, data: SurvivalData, use_r: bool, peers: bool
) -> list[dict[str, object]]:
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
    peers_cif, skipped = _peers_cif(time, status) if peers else ({}, {})
    peers_gray: dict[str, float] = {}
    if use_r:
        peers_cif["R cmprsk cuminc"] = r_median_seconds(
            "", "cuminc(d$time, d$status)", data, peer_repeats
        )
        peers_gray["R cmprsk cuminc(group) (also draws curves)"] = r_median_seconds(
            "", "cuminc(d$time, d$status, d$group)", data, peer_repeats
        )
    rows = _rows(f"{CIF}, {label}", n, floor, cif_s, peers_cif, skipped)
    rows += _rows(f"{GRAY}, {label}", n, floor, gray_s, peers_gray)
    if label == "tied days" and n <= FINE_GRAY_MAX_N:
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
        rows += _rows(f"{FINE_GRAY}, {label}", n, floor, fg_s, peers_fg, skipped_fg)
    return rows


def run(
    sizes: list[int],
    *,
    with_r: bool = True,
    datasets: list[str] | None = None,
    peers: bool = True,
) -> list[dict[str, object]]:
    """Time every tool at each size on each data set; one row per (benchmark, n, tool)."""
    use_r = peers and with_r and r_available("cmprsk")
    rows: list[dict[str, object]] = []
    for n in sizes:
        for label in datasets or list(DATASETS):
            rows += _one_dataset(n, label, DATASETS[label](n), use_r, peers)
    return rows


def summary(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """One row per (n, data set): each tool's time as a multiple of the floor."""
    table: dict[tuple[int, str], dict[str, object]] = {}
    for row in rows:
        benchmark = str(row["benchmark"])
        if row["tool"] == FLOOR or ", " not in benchmark:
            continue
        what, label = benchmark.rsplit(", ", 1)
        key = (int(row["n"]), label)  # type: ignore[call-overload]
        entry = table.setdefault(key, {"n": key[0], "data": label})
        short = {CIF: "CIF", GRAY: "Gray", FINE_GRAY: "Fine-Gray"}[what]
        entry[f"{short}: {row['tool']}"] = row["x_floor"]
    return list(table.values())


def _peak_mib(function: Callable[..., object], *args: object) -> float:
    """Largest amount traced by tracemalloc during ``function(*args)``, in MiB."""
    tracemalloc.start()
    function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def peak_memory(n: int, datasets: list[str] | None = None) -> list[dict[str, object]]:
    """Peak bytes allocated by inodli's CIF and Gray's test (tracemalloc) and the process RSS."""
    rows: list[dict[str, object]] = []
    for label in datasets or list(DATASETS):
        data = DATASETS[label](n)
        time, status, group = data.time, data.status, data.group
        # the result's table is built by the call itself (and counted: it is the output)
        for name, peak in [
            ("cumulative incidence with variance (1 cause)",
             _peak_mib(cumulative_incidence, time, status)),
            ("Gray's test (2 groups, 1 cause)", _peak_mib(gray_test, time, status, group)),
        ]:  # fmt: skip
            rows.append({"benchmark": "peak memory", "n": n, "data": label,
                         "tool": f"inodli {name}", "peak_MiB": peak})  # fmt: skip
        input_mib = sum(a.nbytes for a in (time, status, group)) / 2**20
        rows.append({"benchmark": "peak memory", "n": n, "data": label, "tool": "input arrays",
                     "peak_MiB": input_mib})  # fmt: skip
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rows.append({"benchmark": "peak memory", "n": n, "data": "", "tool": "process max RSS",
                 "peak_MiB": max_rss})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="comma-separated sizes")
    parser.add_argument("--large", action="store_true", help="add n = 1e7 and its peak memory")
    parser.add_argument("--memory", action="store_true", help="peak memory at the largest size")
    parser.add_argument("--no-r", action="store_true", help="skip R")
    parser.add_argument("--no-peers", action="store_true", help="inodli and the floor only")
    parser.add_argument(
        "--data", choices=[*DATASETS, "both"], default="both", help="which data set(s)"
    )
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    if args.large:
        sizes.append(10_000_000)
    datasets = list(DATASETS) if args.data == "both" else [args.data]
    rows = run(sizes, with_r=not args.no_r, datasets=datasets, peers=not args.no_peers)
    for benchmark in dict.fromkeys(str(r["benchmark"]) for r in rows):
        print_table(benchmark, [r for r in rows if r["benchmark"] == benchmark])
    print_table("time / floor (same data, same run)", summary(rows))
    if args.large or args.memory:
        print_table("peak memory", peak_memory(max(sizes), datasets))


if __name__ == "__main__":
    main()
