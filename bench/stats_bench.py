"""Run every statistics benchmark (bench/bench_*.py) and print one table per benchmark.

Each module ``bench/bench_<name>.py`` exposes ``run(sizes: list[int]) -> list[dict]``: rows
with at least ``benchmark``, ``n``, ``tool`` and ``median_s`` (and usually ``x_floor`` and
``x_inodli`` ratios). A module may also expose ``peak_memory(n) -> list[dict]``, called in
``--large`` mode at n = 1e7. Timings are medians of repeated runs on the same generated data
for every tool (bench/_common.py); they are never asserted by the tests.

Examples::

    python bench/stats_bench.py --quick          # n = 1e4, 1e5
    python bench/stats_bench.py                  # n = 1e4, 1e5, 1e6
    python bench/stats_bench.py --large          # also n = 1e7 and peak memory
    python bench/stats_bench.py --sizes 1e6 --only km --no-r
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import print_table  # noqa: E402


def discover(only: list[str] | None) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if only:
        names = [n for n in names if any(word in n for word in only)]
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="inodli statistics benchmarks")
    parser.add_argument("--sizes", help="comma-separated sizes, e.g. 1e4,1e5,1e6")
    parser.add_argument("--quick", action="store_true", help="n = 1e4, 1e5 only")
    parser.add_argument("--large", action="store_true", help="add n = 1e7 and peak memory")
    parser.add_argument("--only", action="append", help="run modules whose name contains this")
    parser.add_argument("--no-r", action="store_true", help="skip R timings where supported")
    args = parser.parse_args(argv)
    if args.sizes:
        sizes = [int(float(s)) for s in args.sizes.split(",")]
    elif args.quick:
        sizes = [10_000, 100_000]
    else:
        sizes = [10_000, 100_000, 1_000_000]
    if args.large and 10_000_000 not in sizes:
        sizes.append(10_000_000)

    import numpy as np

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, sizes {sizes}"
    )
    for name in discover(args.only):
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        options = (
            {"with_r": False} if args.no_r and "with_r" in inspect.signature(run).parameters else {}
        )
        rows = run(sizes, **options)
        for benchmark in dict.fromkeys(str(row["benchmark"]) for row in rows):
            print_table(f"[{name}] {benchmark}", [r for r in rows if r["benchmark"] == benchmark])
        if args.large and hasattr(module, "peak_memory"):
            print_table(f"[{name}] peak memory", module.peak_memory(10_000_000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
