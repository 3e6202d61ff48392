"""Shared pieces of the benchmarks: the same data for every tool, timing, R, the table.

Each benchmark generates its data once with :func:`survival_data` (a fixed seed), times inodli
and its peers on exactly those arrays in one run, and prints medians and ratios. Timings are
never asserted in tests.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SurvivalData:
    time: np.ndarray  # float64, with many ties (rounded to whole days)
    event: np.ndarray  # bool: any event
    status: np.ndarray  # int64: 0 censored, 1 cause 1, 2 cause 2
    group: np.ndarray  # int64: 0/1
    x: np.ndarray  # float64 (n, 2): covariates for regression

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time": self.time,
                "event": self.event.astype(int),
                "status": self.status,
                "group": self.group,
                "x1": self.x[:, 0],
                "x2": self.x[:, 1],
            }
        )


def survival_data(n: int, seed: int = 20261124) -> SurvivalData:
    """Exponential times by group and covariates, two causes, ~30% censored, rounded to days."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 2))
    hazard = 1 / 400 * np.exp(0.4 * group + 0.3 * x[:, 0] - 0.2 * x[:, 1])
    t_event = rng.exponential(1 / hazard)
    t_censor = rng.uniform(0, 1500, n)
    cause = np.where(rng.random(n) < 0.6, 1, 2)
    observed = t_event <= t_censor
    time_ = np.ceil(np.minimum(t_event, t_censor))
    status = np.where(observed, cause, 0)
    return SurvivalData(
        time_.astype(float), observed, status.astype(np.int64), group.astype(np.int64), x
    )


def median_seconds(function: Callable[[], object], repeats: int = 5) -> float:
    """Median wall time of ``repeats`` calls (one warm-up call first)."""
    function()
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def r_available(*packages: str) -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = "quit(status = if (all(sapply(commandArgs(TRUE), requireNamespace, quietly = TRUE))) 0 else 1)"
    return (
        subprocess.run(
            ["Rscript", "-e", probe, *packages], capture_output=True, check=False
        ).returncode
        == 0
    )


def r_median_seconds(setup: str, expression: str, data: SurvivalData, repeats: int = 5) -> float:
    """Median seconds of ``expression`` in R (after ``setup``), on ``data`` read from a CSV.

    Reading the CSV is not timed; R's own clock (``proc.time``) times the expression only.
    """
    script = f"""
suppressPackageStartupMessages({{library(survival); library(cmprsk)}})
d <- read.csv("data.csv")
{setup}
invisible({expression})
times <- replicate({repeats}, {{ t0 <- proc.time()[["elapsed"]]; invisible({expression}); proc.time()[["elapsed"]] - t0 }})
cat(median(times))
"""
    with tempfile.TemporaryDirectory(prefix="inodli-bench-") as folder:
        work = Path(folder)
        data.frame().to_csv(work / "data.csv", index=False)
        (work / "bench.R").write_text(script, encoding="utf-8")
        out = subprocess.run(
            ["Rscript", "--vanilla", "bench.R"],
            cwd=work,
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.strip().split()[-1])


def print_table(title: str, rows: list[dict[str, object]]) -> None:
    """Print rows (dicts with the same keys) as an aligned text table."""
    print(f"\n{title}")
    if not rows:
        print("  (no rows)")
        return
    frame = pd.DataFrame(rows)
    print(frame.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
