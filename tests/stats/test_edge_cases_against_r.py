"""Live cross-check against R on many tiny adversarial data sets (marker ``r``).

Each run draws 60 small data sets (n = 1 to 14) of the kinds that break survival code:
times on a coarse grid with zeros and heavy ties, events and censorings at the same time,
everything censored or everything an event, curves that sit at exactly S = 0.5, one group
or one stratum without events, single-subject strata, separating covariates; and random text
labels, whose factor-level order R takes from its collation. One Rscript run
(survival, cmprsk) answers for all of them; inodli must give the same numbers, and must raise
an InputError exactly where R stops with an error or where coxph has no information on the
coefficient (it reports NA, or coef 0 with variance 0 after running out of iterations).
Skipped where Rscript or the packages are missing, a failure under INODLI_REQUIRE=r (CI).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from inodli.errors import InputError
from inodli.stats import cox_ph, exact_binomial_test, fine_gray, kaplan_meier, logrank_test
from tests.rbridge import require_r, run_r
from tests.stats._reference import assert_close

pytestmark = pytest.mark.r

CONF_TYPES = ["log", "log-log", "plain", "logit", "arcsin"]

SCRIPT = r"""
suppressPackageStartupMessages({library(survival); library(cmprsk); library(jsonlite)})
d <- read.csv("d.csv", stringsAsFactors = FALSE)
attempt <- function(expr) {
  warns <- character(0)
  value <- withCallingHandlers(tryCatch(expr, error = function(e) structure(conditionMessage(e), class = "failed")),
                               warning = function(w) {warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning")})
  list(value = value, warnings = warns, failed = inherits(value, "failed"))
}
out <- list()
for (k in unique(d$case)) {
  x <- d[d$case == k, ]
  o <- list()
  for (ct in c("log", "log-log", "plain", "logit", "arcsin")) {
    f <- survfit(Surv(time, event) ~ 1, data = x, conf.type = ct)
    tab <- summary(f)$table
    q <- quantile(f, c(0.1, 0.25, 0.5, 0.75, 0.9))
    o$km[[ct]] <- list(time = f$time, surv = f$surv, std_err_log = f$std.err, lower = f$lower,
                       upper = f$upper, median = unname(tab[c("median", "0.95LCL", "0.95UCL")]),
                       rmean = unname(tab[c("rmean", "se(rmean)")]), quantile = unname(q$quantile),
                       quantile_lower = unname(q$lower), quantile_upper = unname(q$upper))
  }
  for (rho in c(0, 1)) {
    s <- attempt(survdiff(Surv(time, event) ~ group + strata(stratum), data = x, rho = rho))
    o$logrank[[paste0("rho", rho)]] <- if (s$failed) list(failed = TRUE) else
      list(failed = FALSE, chisq = s$value$chisq, observed = as.vector(rowSums(as.matrix(s$value$obs))),
           expected = as.vector(rowSums(as.matrix(s$value$exp))))
  }
  for (ties in c("efron", "breslow")) {
    r <- attempt(coxph(Surv(time, event) ~ x1 + strata(stratum), data = x, ties = ties))
    # NA coefficient, or zero variance (no information: coxph then reports coef 0, var 0)
    o$cox[[ties]] <- if (r$failed || any(is.na(coef(r$value))) || any(diag(as.matrix(r$value$var)) == 0)) list(failed = TRUE) else
      list(failed = FALSE, coef = unname(coef(r$value)), variance = as.vector(r$value$var),
           loglik = r$value$loglik, iter = r$value$iter, warnings = r$warnings)
  }
  out[[k]] <- o
}
cr <- d[d$cr_status >= 0, ]
for (k in unique(cr$case)) {
  x <- cr[cr$case == k, ]
  r <- attempt(crr(x$time, x$cr_status, cbind(x1 = x$x1), failcode = 1, cencode = 0))
  out[[k]]$finegray <- if (r$failed) list(failed = TRUE) else
    list(failed = FALSE, coef = unname(r$value$coef), variance = as.vector(r$value$var),
         converged = r$value$converged)
}
b <- read.csv("binom.csv", stringsAsFactors = FALSE)
out$binomial <- lapply(seq_len(nrow(b)), function(i) {
  t <- binom.test(b$x[i], b$n[i], b$p0[i], alternative = b$alternative[i], conf.level = b$conf[i])
  c(t$p.value, t$conf.int)
})
labels <- read.csv("labels.csv", stringsAsFactors = FALSE, encoding = "UTF-8")$label
out$levels <- levels(factor(labels))
write_json(out, "out.json", digits = NA, auto_unbox = TRUE, na = "string")
"""


def _one_case(rng: np.random.Generator, index: int) -> pd.DataFrame:
    n = int(rng.integers(1, 15))
    style = index % 5
    time = rng.integers(0, 6, n).astype(float)  # a coarse grid with zeros: heavy ties
    if style == 1:
        time = np.full(n, 3.0)  # every time tied
    event = (rng.random(n) < rng.choice([0.0, 0.5, 0.8, 1.0])).astype(int)
    if style == 2 and n >= 2:
        # S falls to exactly 0.5 and stays there to the end, or drops again later
        half = n // 2
        time = np.concatenate((np.arange(1, half + 1), half + 1 + rng.integers(0, 3, n - half)))
        event = np.concatenate((np.ones(half, int), (rng.random(n - half) < 0.3).astype(int)))
        time = time.astype(float)
    group = rng.choice(["a", "b"], n)
    stratum = rng.choice([1, 2], n) if style == 3 else np.ones(n, int)
    x1 = rng.choice([0.0, 1.0], n) if style == 4 else np.round(rng.normal(size=n), 1)
    if style == 4 and n >= 2:
        x1 = (time <= np.median(time)).astype(float)  # separates early from late times
    cr_status = np.where(event == 1, rng.choice([1, 2], n), 0)
    return pd.DataFrame(
        {
            "case": f"c{index}",
            "time": time,
            "event": event,
            "group": group,
            "stratum": stratum,
            "x1": x1,
            "cr_status": cr_status if index % 2 else -1,  # every other case also goes to crr
        }
    )


@pytest.fixture(scope="module")
def cases_and_r() -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, Any]]:
    require_r("survival", "cmprsk")
    rng = np.random.default_rng(20261125)
    frames = [_one_case(rng, i) for i in range(60)]
    binom = pd.DataFrame(
        [
            (x, n, p0, alternative, conf)
            for n in (1, 2, 7, 20)
            for x in sorted({0, 1, n // 2, n - 1, n})
            for p0 in (0.05, 0.5, 0.95)
            for alternative in ("two.sided", "less", "greater")
            for conf in (0.95, 0.8)
            if 0 <= x <= n
        ],
        columns=["x", "n", "p0", "alternative", "conf"],
    )
    alphabet = list("aAbBeEzZ _-.,()/+129\u00e9\u00c9\u00e4\u00d6")
    labels = sorted({"".join(rng.choice(alphabet, rng.integers(1, 5))) for _ in range(150)})
    frames_in = {"d": pd.concat(frames), "binom": binom, "labels": pd.DataFrame({"label": labels})}
    answer = run_r(SCRIPT, frames_in)
    answer["labels"] = labels
    return {str(f["case"].iloc[0]): f for f in frames}, binom, answer


def _r(values: Any) -> Any:
    if isinstance(values, list):
        return [_r(v) for v in values]
    return {"NA": np.nan, "NaN": np.nan, "Inf": np.inf, "-Inf": -np.inf}.get(values, values)


def test_kaplan_meier_equals_survfit_on_adversarial_data(cases_and_r: Any) -> None:
    cases, _, answer = cases_and_r
    for name, frame in cases.items():
        for conf_type in CONF_TYPES:
            want = {key: _r(value) for key, value in answer[name]["km"][conf_type].items()}
            fit = kaplan_meier(frame["time"], frame["event"], conf_type=conf_type)
            context = f"{name} {conf_type}: {frame[['time', 'event']].values.tolist()}"
            for ours, theirs in [
                (fit.time, "time"),
                (fit.survival, "surv"),
                (fit.std_err_log, "std_err_log"),
                (fit.lower, "lower"),
                (fit.upper, "upper"),
                ([fit.median, *fit.median_ci], "median"),
                (
                    [fit.restricted_mean().estimate, fit.restricted_mean().std_err],
                    "rmean",
                ),
            ]:
                try:
                    assert_close(ours, want[theirs])
                except AssertionError as error:
                    raise AssertionError(f"{theirs} differs for {context}") from error
            quantiles = np.array(
                [fit.quantile(q, rule="quantile.survfit") for q in (0.1, 0.25, 0.5, 0.75, 0.9)]
            )
            for column, theirs in enumerate(("quantile", "quantile_lower", "quantile_upper")):
                try:
                    assert_close(quantiles[:, column], want[theirs])
                except AssertionError as error:
                    raise AssertionError(f"{theirs} differs for {context}") from error


def test_logrank_equals_survdiff_or_both_refuse(cases_and_r: Any) -> None:
    cases, _, answer = cases_and_r
    for name, frame in cases.items():
        for rho in (0, 1):
            want = answer[name]["logrank"][f"rho{rho}"]
            context = (
                f"{name} rho={rho}: {frame[['time', 'event', 'group', 'stratum']].values.tolist()}"
            )
            if want["failed"]:
                with pytest.raises(InputError):
                    logrank_test(
                        frame["time"],
                        frame["event"],
                        frame["group"],
                        strata=frame["stratum"],
                        rho=rho,
                    )
                continue
            test = logrank_test(
                frame["time"], frame["event"], frame["group"], strata=frame["stratum"], rho=rho
            )
            try:
                assert_close(test.statistic, _r(want["chisq"]), abs_=1e-10)
                assert_close(test.observed, _r(want["observed"]))
                assert_close(test.expected, _r(want["expected"]))
            except AssertionError as error:
                raise AssertionError(context) from error


def test_cox_equals_coxph_or_refuses_where_r_gives_na(cases_and_r: Any) -> None:
    cases, _, answer = cases_and_r
    for name, frame in cases.items():
        for ties in ("efron", "breslow"):
            want = answer[name]["cox"][ties]
            context = f"{name} {ties}: {frame[['time', 'event', 'x1', 'stratum']].values.tolist()}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if want["failed"]:
                    with pytest.raises(InputError):
                        cox_ph(
                            frame["time"],
                            frame["event"],
                            frame[["x1"]],
                            strata=frame["stratum"],
                            ties=ties,
                        )
                    continue
                fit = cox_ph(
                    frame["time"], frame["event"], frame[["x1"]], strata=frame["stratum"], ties=ties
                )
            try:
                assert fit.iterations == want["iter"]
                assert_close(fit.coef, _r(want["coef"]), rel=1e-7)
                assert_close(fit.loglik, _r(want["loglik"]), rel=1e-8, abs_=1e-9)
                assert_close(fit.variance.ravel(), _r(want["variance"]), rel=1e-5)
            except AssertionError as error:
                raise AssertionError(context) from error


def test_fine_gray_equals_crr_or_both_refuse(cases_and_r: Any) -> None:
    cases, _, answer = cases_and_r
    for name, frame in cases.items():
        want = answer[name].get("finegray")
        if want is None:
            continue
        context = f"{name}: {frame[['time', 'cr_status', 'x1']].values.tolist()}"
        if want["failed"]:
            with pytest.raises(InputError):
                fine_gray(frame["time"], frame["cr_status"], frame[["x1"]])
            continue
        fit = fine_gray(frame["time"], frame["cr_status"], frame[["x1"]])
        try:
            assert fit.converged == want["converged"]
            assert_close(fit.coef, _r(want["coef"]), rel=1e-6, abs_=1e-9)
            assert_close(fit.variance.ravel(), _r(want["variance"]), rel=1e-5)
        except AssertionError as error:
            raise AssertionError(context) from error


def test_exact_binomial_test_equals_binom_test_at_the_edges(cases_and_r: Any) -> None:
    _, binom, answer = cases_and_r
    for row, want in zip(binom.itertuples(), answer["binomial"], strict=True):
        alternative = "two-sided" if row.alternative == "two.sided" else row.alternative
        test = exact_binomial_test(row.x, row.n, row.p0, alternative, confidence_level=row.conf)
        assert_close([test.p_value, test.ci.lower, test.ci.upper], want)


def test_text_group_labels_come_in_rs_factor_level_order(cases_and_r: Any) -> None:
    _, _, answer = cases_and_r
    labels = answer["labels"]
    test = logrank_test(np.arange(1.0, len(labels) + 1), np.ones(len(labels)), labels[::-1])
    assert test.groups == answer["levels"]
