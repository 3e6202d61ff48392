"""Live R cross-check: the results summary equals R on the exported ADTTE/ADRS of synthetic
studies (survival::survfit with log-log limits, cmprsk::cuminc/timepoints, binom.test)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.rbridge import require_r, run_r

from inodli.adam.ctgov import ctgov_summary
from inodli.adam.export import analysis_datasets
from inodli.adam.synthetic import synthetic_raw_study

pytestmark = pytest.mark.r

SCRIPT = r"""
library(survival); library(cmprsk)
tte <- read.csv("adtte.csv"); rs <- read.csv("adrs.csv"); sl <- read.csv("adsl.csv")
out <- list()
for (p in c("OS", "PFS", "DOR")) {
  d <- tte[tte$PARAMCD == p, ]
  fit <- survfit(Surv(AVAL, CNSR == 0) ~ 1, data = d, conf.type = "log-log")
  tab <- summary(fit)$table
  s <- summary(fit, times = c(365, 730), extend = TRUE)$surv
  out[[p]] <- list(median = unname(tab["median"]), lcl = unname(tab["0.95LCL"]),
                   ucl = unname(tab["0.95UCL"]), s1 = s[1], s2 = s[2])
}
d <- tte[tte$PARAMCD == "CIR", ]
ci <- timepoints(cuminc(d$AVAL, d$CRSTAT, cencode = 0), c(365, 730))$est
out$CIR <- list(y1 = ci["1 1", 1], y2 = ci["1 1", 2])
out$NRM <- list(y1 = ci["1 2", 1], y2 = ci["1 2", 2])
ev <- sl$USUBJID[sl$EFFFL == "Y"]
p <- rs[rs$PARAMCD == "CRPRIM" & rs$USUBJID %in% ev, ]
k <- sum(p$AVALC == "Y"); n <- nrow(p)
out$CR <- list(k = k, n = n, low = binom.test(k, n)$conf.int[1], high = binom.test(k, n)$conf.int[2],
               p = binom.test(k, n, p = 0.3, alternative = "greater")$p.value)
jsonlite::write_json(out, "out.json", digits = NA, auto_unbox = TRUE, na = "null")
"""


def _close(ours: float | None, theirs: float | None, tol: float) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return abs(ours - theirs) <= tol


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_matches_r_on_the_exported_datasets(seed: int) -> None:
    require_r("survival", "cmprsk")
    raw = synthetic_raw_study(n=23, seed=seed)
    data = analysis_datasets(raw)
    frames = {name.lower(): data[name] for name in ("ADTTE", "ADRS", "ADSL")}
    frames = {
        k: v.assign(
            **{
                c: v[c].dt.strftime("%Y-%m-%d")
                for c in v.columns
                if pd.api.types.is_datetime64_any_dtype(v[c])
            }
        )
        for k, v in frames.items()
    }
    r = run_r(SCRIPT, frames)
    ours = ctgov_summary(raw)["outcome_measures"]
    # The summary rounds rates to 4 decimals and times to 0.1 day.
    for param, key in (
        ("OS", "overall_survival"),
        ("PFS", "progression_free_survival"),
        ("DOR", "duration_of_remission"),
    ):
        mine = ours[key]
        assert _close(mine["median_days"], r[param]["median"], 0.05), (param, mine, r[param])
        assert _close(mine["median_ci95"][0], r[param]["lcl"], 0.05), param
        assert _close(mine["median_ci95"][1], r[param]["ucl"], 0.05), param
        assert _close(mine["rate_1y"], r[param]["s1"], 5e-5), param
        assert _close(mine["rate_2y"], r[param]["s2"], 5e-5), param
    cir, nrm = ours["cumulative_incidence_relapse"], ours["non_relapse_mortality"]
    assert _close(cir["incidence_1y"], r["CIR"]["y1"], 5e-5)
    assert _close(cir["incidence_2y"], r["CIR"]["y2"], 5e-5)
    assert _close(nrm["incidence_1y"], r["NRM"]["y1"], 5e-5)
    assert _close(nrm["incidence_2y"], r["NRM"]["y2"], 5e-5)
    primary = ours["primary_cr_cri_at_1_month"]
    assert (primary["count"], primary["n"]) == (r["CR"]["k"], r["CR"]["n"])
    assert _close(primary["ci95"][0], r["CR"]["low"], 5e-5)
    assert _close(primary["ci95"][1], r["CR"]["high"], 5e-5)
    assert _close(primary["test"]["p_value"], r["CR"]["p"], 5e-7)
