"""Live cross-check against R on freshly generated data (marker ``r``).

Random tied data (times on a 0.5 grid, events and censorings at the same times, three groups,
two strata) go to R survival (survfit for all five conf.types, summary tables, summary at
times, survdiff rho 0 and 1, stratified survdiff); every number must agree to 1e-10 relative.
Skipped where Rscript or survival is missing, a failure under INODLI_REQUIRE=r (CI).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inodli.stats.groups import kaplan_meier_by_group, restricted_means_by_group
from inodli.stats.logrank import logrank_test
from tests.rbridge import require_r, run_r
from tests.stats._reference import assert_close

pytestmark = pytest.mark.r

CONF_TYPES = ["log", "log-log", "plain", "logit", "arcsin"]
TIMES = [1, 5, 10, 20, 40]

SCRIPT = """
suppressPackageStartupMessages({library(survival); library(jsonlite)})
d <- read.csv("km.csv")
out <- list()
for (ct in c("log", "log-log", "plain", "logit", "arcsin")) {
  f <- survfit(Surv(time, event) ~ group, data = d, conf.type = ct)
  tab <- summary(f)$table
  curves <- list()
  for (nm in names(f$strata)) {
    g <- f[nm]
    curves[[nm]] <- list(time = g$time, n_risk = g$n.risk, n_event = g$n.event,
                         n_censor = g$n.censor, surv = g$surv, std_err = g$std.err,
                         lower = g$lower, upper = g$upper)
  }
  at <- summary(f, times = c(1, 5, 10, 20, 40), extend = TRUE)
  out[[ct]] <- list(curves = curves, median = unname(tab[, "median"]),
                    lcl = unname(tab[, "0.95LCL"]), ucl = unname(tab[, "0.95UCL"]),
                    rmean = unname(tab[, "rmean"]), se_rmean = unname(tab[, "se(rmean)"]),
                    at = list(strata = as.character(at$strata), n_risk = at$n.risk,
                              surv = at$surv, std_err = at$std.err, lower = at$lower,
                              upper = at$upper))
}
for (rho in c(0, 1)) {
  s <- survdiff(Surv(time, event) ~ group, data = d, rho = rho)
  out[[paste0("rho", rho)]] <- list(chisq = s$chisq, obs = as.vector(s$obs),
                                    exp = as.vector(s$exp), var = unname(s$var))
}
s <- survdiff(Surv(time, event) ~ group + strata(stratum), data = d)
out$stratified <- list(chisq = s$chisq, obs = as.vector(s$obs), exp = as.vector(s$exp))
write_json(out, "out.json", digits = NA, auto_unbox = TRUE, na = "null")
"""


@pytest.fixture(scope="module")
def data_and_r() -> tuple[pd.DataFrame, dict]:
    require_r("survival")
    rng = np.random.default_rng(20261124)
    n = 400
    group = rng.choice(["A", "B", "C"], n)
    hazard = np.select([group == "A", group == "B"], [1 / 12, 1 / 8], 1 / 6)
    time = np.round(2 * rng.exponential(1 / hazard)) / 2 + 0.5  # 0.5-grid: many ties
    event = (rng.random(n) < 0.7).astype(int)
    stratum = rng.integers(1, 3, n)
    frame = pd.DataFrame({"time": time, "event": event, "group": group, "stratum": stratum})
    return frame, run_r(SCRIPT, {"km": frame})


@pytest.mark.parametrize("conf_type", CONF_TYPES)
def test_survfit_equals_kaplan_meier_on_random_tied_data(
    data_and_r: tuple[pd.DataFrame, dict], conf_type: str
) -> None:
    frame, r = data_and_r
    want = r[conf_type]
    fits = kaplan_meier_by_group(frame["time"], frame["event"], frame["group"], conf_type=conf_type)
    for label, fit in fits.items():
        curve = want["curves"][f"group={label}"]
        assert fit.time.tolist() == curve["time"]
        assert fit.n_risk.tolist() == curve["n_risk"]
        assert fit.n_event.tolist() == curve["n_event"]
        assert fit.n_censor.tolist() == curve["n_censor"]
        assert_close(fit.survival, curve["surv"])
        se_log = np.where(np.isinf(fit.std_err_log), np.nan, fit.std_err_log)
        assert_close(se_log, curve["std_err"])
        assert_close(fit.lower, curve["lower"])
        assert_close(fit.upper, curve["upper"])
    curves = list(fits.values())
    assert_close([f.median for f in curves], want["median"])
    assert_close([f.median_ci[0] for f in curves], want["lcl"])
    assert_close([f.median_ci[1] for f in curves], want["ucl"])
    means = list(restricted_means_by_group(fits).values())
    assert_close([m.estimate for m in means], want["rmean"])
    assert_close([m.std_err for m in means], want["se_rmean"])
    strata = np.array(want["at"]["strata"])
    for label, fit in fits.items():
        rows = strata == f"group={label}"
        at = fit.survival_at(np.array(TIMES, dtype=float)[: rows.sum()])
        assert at["n_risk"].tolist() == np.array(want["at"]["n_risk"])[rows].tolist()
        for column, key in [("survival", "surv"), ("std_err", "std_err"), ("lower", "lower"), ("upper", "upper")]:  # fmt: skip
            expected = np.array([np.nan if v is None else v for v in want["at"][key]], dtype=float)
            assert_close(at[column], expected[rows])


@pytest.mark.parametrize("rho", [0, 1])
def test_survdiff_equals_logrank_test(data_and_r: tuple[pd.DataFrame, dict], rho: int) -> None:
    frame, r = data_and_r
    want = r[f"rho{rho}"]
    test = logrank_test(frame["time"], frame["event"], frame["group"], rho=rho)
    assert_close(test.observed, want["obs"])
    assert_close(test.expected, want["exp"])
    assert_close(test.variance, np.array(want["var"], dtype=float), abs_=1e-12)
    assert_close(test.statistic, want["chisq"])


def test_stratified_survdiff_equals_logrank_test(data_and_r: tuple[pd.DataFrame, dict]) -> None:
    frame, r = data_and_r
    want = r["stratified"]
    test = logrank_test(frame["time"], frame["event"], frame["group"], strata=frame["stratum"])
    assert test.observed_by_stratum is not None
    assert test.expected_by_stratum is not None
    assert_close(test.observed_by_stratum.ravel(order="F"), want["obs"])
    assert_close(test.expected_by_stratum.ravel(order="F"), want["exp"])
    assert_close(test.statistic, want["chisq"])


TIMEFIX_SCRIPT = """
suppressPackageStartupMessages({library(survival); library(jsonlite)})
d <- read.csv("near.csv")
f <- survfit(Surv(time, event) ~ 1, data = d)
s <- survdiff(Surv(time, event) ~ group, data = d)
write_json(list(time = f$time, n_risk = f$n.risk, n_event = f$n.event, surv = f$surv,
                chisq = s$chisq), "out.json", digits = NA, auto_unbox = TRUE, na = "null")
"""


def test_timefix_merges_near_ties_like_r() -> None:
    require_r("survival")
    from inodli.stats.kaplan_meier import kaplan_meier

    rng = np.random.default_rng(11)
    base = np.repeat(np.arange(1.0, 31.0), 4)
    # near-ties from floating-point arithmetic (1e-12 .. 1e-9 apart), as R's timefix expects
    time = base + rng.choice([0.0, 1e-12, 1e-10, 1e-9], base.size)
    frame = pd.DataFrame(
        {"time": time, "event": (rng.random(base.size) < 0.7).astype(int),
         "group": rng.integers(0, 2, base.size)}
    )  # fmt: skip
    want = run_r(TIMEFIX_SCRIPT, {"near": frame})
    fit = kaplan_meier(frame["time"], frame["event"], timefix=True)
    assert fit.n_risk.tolist() == want["n_risk"]
    assert fit.n_event.tolist() == want["n_event"]
    assert_close(fit.time, want["time"], rel=1e-15)
    assert_close(fit.survival, want["surv"])
    test = logrank_test(frame["time"], frame["event"], frame["group"], timefix=True)
    assert_close(test.statistic, want["chisq"])
    assert kaplan_meier(frame["time"], frame["event"]).time.size > fit.time.size  # exact default
