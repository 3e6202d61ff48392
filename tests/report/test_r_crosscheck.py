"""Live cross-check: the report's analyses of the synthetic study equal R's on exported ADaM.

R receives the ADTTE and ADRS/ADSL exactly as :func:`inodli.adam.export.analysis_datasets`
derives them and computes, independently: ``survfit(Surv(AVAL, CNSR == 0) ~ 1)`` overall and within DLIFL (
conf.type = "log-log")`` (median and limits, ``summary(times = c(365, 730))``),
``cmprsk::cuminc(AVAL, CRSTAT, DLIFL)`` (``timepoints`` at 365/730 and ``$Tests``) and
``binom.test(x, n, 0.3, alternative = "greater")`` / ``binom.test(x, n)$conf.int``.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inodli.adam.export import analysis_datasets
from inodli.adam.synthetic import synthetic_raw_study
from inodli.report.efficacy import response_rate
from inodli.report.study import CAUSES
from inodli.report.survival import competing_risks_summary, time_to_event_summary
from tests.rbridge import require_r, run_r

pytestmark = pytest.mark.r

SCRIPT = r"""
suppressMessages({library(survival); library(cmprsk); library(jsonlite)})
adtte <- read.csv("adtte.csv"); adsl <- read.csv("adsl.csv"); adrs <- read.csv("adrs.csv")
num <- function(x) ifelse(is.na(x), NA, x)
out <- list(km = list(), ci = list(), gray = list())
for (p in c("OS", "PFS", "DOR")) {
  d <- adtte[adtte$PARAMCD == p, ]
  fits <- list(All = survfit(Surv(AVAL, CNSR == 0) ~ 1, data = d, conf.type = "log-log"))
  for (g in unique(d$DLIFL)) {
    fits[[g]] <- survfit(Surv(AVAL, CNSR == 0) ~ 1, data = d[d$DLIFL == g, ], conf.type = "log-log")
  }
  for (name in names(fits)) {
    f <- fits[[name]]; q <- quantile(f, 0.5)
    s <- summary(f, times = c(365, 730), extend = TRUE)
    out$km[[paste(p, name)]] <- list(
      median = num(unname(q$quantile)), lower = num(unname(q$lower)), upper = num(unname(q$upper)),
      time = s$time, surv = s$surv, slower = s$lower, supper = s$upper, maxtime = max(f$time))
  }
}
d <- adtte[adtte$PARAMCD == "CIR", ]
all <- cuminc(d$AVAL, d$CRSTAT, cencode = 0)
by <- cuminc(d$AVAL, d$CRSTAT, d$DLIFL, cencode = 0)
tp <- timepoints(all, c(365, 730)); tb <- timepoints(by, c(365, 730))
out$ci$all <- list(rows = rownames(tp$est), est = unname(tp$est), var = unname(tp$var))
out$ci$by <- list(rows = rownames(tb$est), est = unname(tb$est), var = unname(tb$var))
out$gray <- list(rows = rownames(by$Tests), stat = unname(by$Tests[, "stat"]),
                 pv = unname(by$Tests[, "pv"]))
ev <- adsl$USUBJID[adsl$EFFFL == "Y"]
resp <- adrs$USUBJID[adrs$PARAMCD == "CRPRIM" & adrs$AVALC == "Y"]
x <- sum(ev %in% resp); n <- length(ev)
out$binom <- list(x = x, n = n, p = binom.test(x, n, 0.3, alternative = "greater")$p.value,
                  ci = binom.test(x, n)$conf.int[1:2])
write_json(out, "out.json", digits = NA, auto_unbox = TRUE, na = "null")
"""


def _close(ours: float, theirs: float | None, tol: float = 1e-9) -> bool:
    if theirs is None:
        return math.isnan(ours)
    return ours == pytest.approx(theirs, abs=tol)


@pytest.mark.parametrize("seed", [20261124, 7])
def test_it_equals_r_on_the_exported_synthetic_study(seed: int) -> None:
    require_r("survival", "cmprsk")
    raw = synthetic_raw_study(n=23, seed=seed)
    data = analysis_datasets(raw)
    frames = {
        "adtte": data["ADTTE"][["USUBJID", "PARAMCD", "AVAL", "CNSR", "CRSTAT", "DLIFL"]],
        "adsl": data["ADSL"][["USUBJID", "EFFFL", "DLIFL"]],
        "adrs": data["ADRS"][["USUBJID", "PARAMCD", "AVALC"]],
    }
    r = run_r(SCRIPT, frames)
    adsl, adtte, adrs = data["ADSL"], data["ADTTE"], data["ADRS"]
    labels = {"All": "All", "DLI": "Y", "No DLI": "N"}
    for paramcd in ("OS", "PFS", "DOR"):
        for group, summary in time_to_event_summary(adtte, paramcd, adsl=adsl).items():
            ref = r["km"][f"{paramcd} {labels[group]}"]
            median, low, high = summary.median
            assert _close(median, ref["median"]), (paramcd, group)
            assert _close(low, ref["lower"]), (paramcd, group)
            assert _close(high, ref["upper"]), (paramcd, group)
            for i, days in enumerate((365, 730)):
                ours = summary.rate_at(days)
                if days > ref["maxtime"] and ours[0] != 0.0:
                    assert math.isnan(ours[0])  # we do not extend an unfinished curve
                    continue
                assert ours[0] == pytest.approx(ref["surv"][i], abs=1e-9), (paramcd, group, days)
                if not math.isnan(ours[1]):
                    assert ours[1] == pytest.approx(ref["slower"][i], abs=1e-9)
                    assert ours[2] == pytest.approx(ref["supper"][i], abs=1e-9)
    competing = competing_risks_summary(adtte, "CIR", CAUSES, adsl=adsl)
    rows = dict(zip(r["ci"]["by"]["rows"], zip(r["ci"]["by"]["est"], r["ci"]["by"]["var"])))
    all_rows = dict(zip(r["ci"]["all"]["rows"], zip(r["ci"]["all"]["est"], r["ci"]["all"]["var"])))
    for cause, code in CAUSES.items():
        if cause not in competing.curves:
            continue
        curves = competing.curves[cause]
        at = curves["All"].at([365, 730])
        est, var = all_rows[f"1 {code}"]
        assert all(_close(a, b) for a, b in zip(at["estimate"], est))
        assert all(_close(a, b) for a, b in zip(at["variance"], var))
        for group, flag in (("DLI", "Y"), ("No DLI", "N")):
            if group not in curves:
                continue
            at = curves[group].at([365, 730])
            est, var = rows[f"{flag} {code}"]
            assert all(_close(a, b) for a, b in zip(at["estimate"], est)), (cause, group)
            assert all(_close(a, b) for a, b in zip(at["variance"], var)), (cause, group)
        test = competing.tests[cause]
        gray = dict(zip(r["gray"]["rows"], zip(r["gray"]["stat"], r["gray"]["pv"])))
        assert test is not None
        assert test.statistic == pytest.approx(gray[str(code)][0], rel=1e-7)
        assert test.p_value == pytest.approx(gray[str(code)][1], rel=1e-6)
    primary = response_rate(adsl, adrs)
    assert (primary.responders, primary.n) == (r["binom"]["x"], r["binom"]["n"])
    assert primary.test is not None
    assert primary.ci is not None
    assert primary.test.p_value == pytest.approx(r["binom"]["p"], rel=1e-9)
    assert [primary.ci.lower, primary.ci.upper] == pytest.approx(r["binom"]["ci"], abs=1e-9)
    assert isinstance(frames["adtte"], pd.DataFrame)
