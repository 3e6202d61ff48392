"""Design benchmarks: the Simon search and 10^6 simulated 23-patient trials.

Peers:
- R clinfun ``ph2simon`` (compiled Fortran, ~16 ms at nmax = 100) when installed. It is not in
  Debian (``apt-cache policy r-cran-clinfun`` lists nothing) and not installed here; when it is
  missing the benchmark says so and uses the next peer.
- A straightforward numpy search (tests/design/reference_simon.py: for every n and n1, the full
  (r1, r) matrices, no pruning): the method the issue measured at 0.4-0.8 s for nmax = 100.
  It is run once (it is slow) and only up to nmax = 100.

Targets (issue 4): <= 20 ms at nmax = 100, <= 100 ms at nmax = 200; 10^6 simulated trials
<= 1 s. Run with ``python bench/bench_design.py`` from the repository root.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._common import median_seconds, print_table, r_available  # noqa: E402
from tests.design.reference_simon import optimal_and_minimax  # noqa: E402

from inodli.design import (  # noqa: E402
    TRIAL_DESIGN,
    simon_two_stage,
    simulate_operating_characteristics,
)
from inodli.design._simon_search import Search  # noqa: E402

PROBLEMS = [  # (p0, p1, alpha, power)
    (0.30, 0.60, 0.05, 0.80),
    (0.20, 0.40, 0.05, 0.80),
    (0.05, 0.20, 0.10, 0.90),
    (0.20, 0.35, 0.05, 0.95),
]


def _fresh_search(p0: float, p1: float, alpha: float, power: float, nmax: int) -> None:
    """Time the whole search including the binomial tables (caches cleared first)."""
    from inodli.design import _binomial

    for table in (_binomial.pmf_table, _binomial.cdf_table, _binomial.survival_table):
        table.cache_clear()
    simon_two_stage(p0, p1, alpha, power, nmax)


def _r_clinfun_seconds(p0: float, p1: float, alpha: float, power: float, nmax: int) -> float:
    script = (
        "suppressPackageStartupMessages(library(clinfun));"
        f"invisible(ph2simon({p0},{p1},{alpha},{1 - power},{nmax}));"
        f"t <- replicate(5, system.time(ph2simon({p0},{p1},{alpha},{1 - power},{nmax}))[['elapsed']]);"
        "cat(median(t))"
    )
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().split()[-1])


def bench_simon() -> None:
    have_r = r_available("clinfun")
    rows = []
    for p0, p1, alpha, power in PROBLEMS:
        for nmax in (100, 200):
            cold = median_seconds(
                lambda p0=p0, p1=p1, a=alpha, pw=power, m=nmax: _fresh_search(p0, p1, a, pw, m),
                repeats=7,
            )
            warm = median_seconds(
                lambda p0=p0, p1=p1, a=alpha, pw=power, m=nmax: simon_two_stage(p0, p1, a, pw, m),
                repeats=7,
            )
            row: dict[str, object] = {
                "problem": f"{p0}/{p1} a={alpha} pw={power}",
                "nmax": nmax,
                "inodli ms (tables built)": cold * 1e3,
                "inodli ms (tables cached)": warm * 1e3,
            }
            if have_r:
                row["R clinfun ms"] = _r_clinfun_seconds(p0, p1, alpha, power, nmax) * 1e3
            elif nmax == 100:
                start = time.perf_counter()
                optimal_and_minimax(p0, p1, alpha, 1 - power, nmax)
                row["plain numpy ms"] = (time.perf_counter() - start) * 1e3
            rows.append(row)
    if not have_r:
        print(
            "R clinfun is not installed (not packaged in Debian): peer = plain numpy search, nmax = 100 only."
        )
    print_table("Simon two-stage search (median of 7; binomial tables rebuilt, then cached)", rows)
    searched = Search(0.3, 0.6, 0.05, 0.2, 100)
    print(f"(first n that can meet both bounds at 0.3/0.6: {searched._first_feasible_n()})")


def bench_simulation() -> None:
    trial = TRIAL_DESIGN
    plan = trial.plan.with_toxicity(trial.toxicity_rules[0].boundary(trial.n))
    rows = []
    for response, toxicity in ((0.3, 0.14), (0.6, 0.3)):
        seconds = median_seconds(
            lambda r=response, t=toxicity: simulate_operating_characteristics(
                plan, r, t, 1_000_000, seed=1
            ),
            repeats=3,
        )
        rows.append(
            {
                "scenario": f"CR {response:.0%}, VOD {toxicity:.0%}",
                "trials": 1_000_000,
                "seconds": seconds,
            }
        )
    print_table(
        "10^6 simulated 23-patient trials (two-stage + continuous VOD/SOS monitoring)", rows
    )


if __name__ == "__main__":
    bench_simon()
    bench_simulation()
