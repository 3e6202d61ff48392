"""Run an R script on data frames and read its JSON answer, for the live cross-checks.

Used by tests marked ``r``: they generate fresh random data, give it to R (survival, cmprsk)
and compare inodli's numbers with R's. Where Rscript or a package is missing the test is
skipped locally and fails in CI (``INODLI_REQUIRE=r``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from tests.conftest import require_or_skip


@cache
def r_packages_available(*packages: str) -> bool:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return False
    probe = "quit(status = if (all(sapply(commandArgs(TRUE), requireNamespace, quietly = TRUE))) 0 else 1)"
    result = subprocess.run([rscript, "-e", probe, *packages], capture_output=True, check=False)
    return result.returncode == 0


def require_r(*packages: str) -> None:
    """Skip (or fail under INODLI_REQUIRE=r) unless Rscript and ``packages`` are installed."""
    needed = ("jsonlite", *packages)
    require_or_skip("r", r_packages_available(*needed), f"Rscript with {', '.join(needed)}")


def run_r(script: str, frames: dict[str, pd.DataFrame], *, timeout: float = 300) -> Any:
    """Write each frame to ``<name>.csv``, run ``script`` in that folder, return ``out.json``.

    The script reads its inputs with ``read.csv("<name>.csv")`` and must write its answer with
    ``jsonlite::write_json(x, "out.json", digits = NA, auto_unbox = TRUE)``.
    """
    with tempfile.TemporaryDirectory(prefix="inodli-r-") as folder:
        work = Path(folder)
        for name, frame in frames.items():
            frame.to_csv(work / f"{name}.csv", index=False, float_format="%.17g")
        (work / "script.R").write_text(script, encoding="utf-8")
        result = subprocess.run(
            ["Rscript", "--vanilla", "script.R"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"R failed ({result.returncode}):\n{result.stderr[-4000:]}")
        return json.loads((work / "out.json").read_text(encoding="utf-8"))
