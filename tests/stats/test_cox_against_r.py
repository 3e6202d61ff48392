"""Live cross-check of cox_ph against R's survival::coxph on freshly generated data.

Random data with heavy ties (times rounded to whole units, censorings at event times), two
continuous covariates and a three-level factor, with and without strata; both tie methods.
R's numbers are read at full precision (``fit$wald.test``, not summary's rounded one).
Tolerance: 1e-8 relative; the fit repeats coxph's iterations, so the usual agreement is
~1e-12. Skipped without Rscript + survival + jsonlite (fails instead under INODLI_REQUIRE=r).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inodli.stats.cox import CoxConvergenceWarning, cox_ph
from tests.rbridge import require_r, run_r

pytestmark = pytest.mark.r

R_SCRIPT = """
suppressPackageStartupMessages(library(survival))
d <- read.csv("data.csv")
d$grade <- factor(d$grade)
one <- function(formula, ties) {
  m <- coxph(formula, data = d, ties = ties)
  list(coef = unname(coef(m)), se = unname(sqrt(diag(vcov(m)))), loglik = m$loglik,
       score = m$score, wald = unname(m$wald.test), iter = m$iter,
       lrt = 2 * diff(m$loglik), concordance = unname(m$concordance["concordance"]),
       counts = unname(m$concordance[c("concordant", "discordant", "tied.x")]),
       terms = names(coef(m)))
}
out <- list()
for (ties in c("efron", "breslow")) {
  out[[paste0("plain_", ties)]] <- one(Surv(time, event) ~ x1 + x2 + grade, ties)
  out[[paste0("strata_", ties)]] <- one(Surv(time, event) ~ x1 + x2 + strata(centre), ties)
}
jsonlite::write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""


def _random_frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.gamma(2.0, 3.0, size=n)
    grade = rng.choice(["G1", "G2", "G3"], size=n)
    hazard = 0.05 * np.exp(0.5 * x1 - 0.08 * x2 + 0.4 * (grade == "G3"))
    event_time = rng.exponential(1 / hazard)
    censor_time = rng.uniform(0, 40, size=n)
    return pd.DataFrame(
        {
            "time": np.ceil(np.minimum(event_time, censor_time)),  # whole units: many ties
            "event": (event_time <= censor_time).astype(int),
            "x1": np.round(x1, 2),
            "x2": np.round(x2, 1),
            "grade": grade,
            "centre": rng.integers(1, 5, size=n),
        }
    )


@pytest.mark.parametrize(("seed", "n"), [(11, 80), (12, 400), (13, 3000)])
def test_it_equals_r_coxph_on_random_tied_data(seed: int, n: int) -> None:
    require_r("survival")
    frame = _random_frame(seed, n)
    r = run_r(R_SCRIPT, {"data": frame})
    for ties in ("efron", "breslow"):
        fits = {
            "plain": cox_ph(frame["time"], frame["event"], frame[["x1", "x2", "grade"]], ties=ties),
            "strata": cox_ph(
                frame["time"],
                frame["event"],
                frame[["x1", "x2"]],
                ties=ties,
                strata=frame["centre"],
            ),
        }
        for kind, fit in fits.items():
            expected = r[f"{kind}_{ties}"]
            assert list(fit.terms) == expected["terms"]
            np.testing.assert_allclose(fit.coef, expected["coef"], rtol=1e-8)
            np.testing.assert_allclose(fit.se, expected["se"], rtol=1e-8)
            np.testing.assert_allclose(fit.loglik, expected["loglik"], rtol=1e-10)
            np.testing.assert_allclose(fit.score_test.statistic, expected["score"], rtol=1e-8)
            np.testing.assert_allclose(fit.wald_test.statistic, expected["wald"], rtol=1e-8)
            np.testing.assert_allclose(
                fit.likelihood_ratio_test.statistic, expected["lrt"], rtol=1e-8
            )
            counts = fit.concordance_counts
            assert [counts.concordant, counts.discordant, counts.tied_risk] == expected["counts"]
            np.testing.assert_allclose(fit.concordance, expected["concordance"], rtol=1e-12)
            assert fit.iterations == expected["iter"]


def test_it_warns_like_r_about_an_infinite_coefficient() -> None:
    require_r("survival")
    rng = np.random.default_rng(5)
    n = 60
    frame = pd.DataFrame(
        {"time": rng.integers(1, 20, n).astype(float), "event": rng.random(n) < 0.7}
    )
    frame["x"] = rng.normal(size=n)
    # Every event of the "marked" group precedes every time of the others: monotone likelihood.
    frame["marked"] = (frame["time"] <= 5) & frame["event"]
    script = """
suppressPackageStartupMessages(library(survival))
d <- read.csv("data.csv")
d$marked <- as.integer(d$marked == "True")
msg <- character(0)
m <- withCallingHandlers(coxph(Surv(time, event == "True") ~ x + marked, data = d),
  warning = function(w) { msg <<- c(msg, conditionMessage(w)); invokeRestart("muffleWarning") })
jsonlite::write_json(list(warnings = msg, coef = unname(coef(m)), iter = m$iter),
                     "out.json", digits = NA, auto_unbox = TRUE)
"""
    r = run_r(script, {"data": frame})
    assert any("Loglik converged before variable  2" in w for w in np.atleast_1d(r["warnings"]))
    with pytest.warns(CoxConvergenceWarning, match="before variable marked; coefficient may be"):
        fit = cox_ph(frame["time"], frame["event"], frame[["x", "marked"]].astype(float))
    assert fit.possibly_infinite == ("marked",)
    assert fit.iterations == r["iter"]
    np.testing.assert_allclose(fit.coef, r["coef"], rtol=1e-8)


def test_it_equals_r_with_continuous_times_and_near_ties() -> None:
    # Mostly distinct times (the one-cumulative-sum path), some exact ties, and ties broken by
    # one ulp that R's timefix (aeqSurv) merges back; 17 significant digits reach R exactly.
    require_r("survival")
    frame = _random_frame(21, 1500)
    rng = np.random.default_rng(22)
    time = frame["time"].to_numpy(float) - rng.random(len(frame))  # continuous
    time[1::7] = time[0:-1:7]  # exact ties
    time[3::11] = np.nextafter(time[2:-1:11], np.inf)  # ties broken by one ulp
    frame["time"] = np.abs(time) + 0.5
    r = run_r(R_SCRIPT, {"data": frame})
    for ties in ("efron", "breslow"):
        fit = cox_ph(frame["time"], frame["event"], frame[["x1", "x2", "grade"]], ties=ties)
        expected = r[f"plain_{ties}"]
        np.testing.assert_allclose(fit.coef, expected["coef"], rtol=1e-8)
        np.testing.assert_allclose(fit.se, expected["se"], rtol=1e-8)
        np.testing.assert_allclose(fit.loglik, expected["loglik"], rtol=1e-10)
        np.testing.assert_allclose(fit.score_test.statistic, expected["score"], rtol=1e-8)
        counts = fit.concordance_counts
        assert [counts.concordant, counts.discordant, counts.tied_risk] == expected["counts"]
