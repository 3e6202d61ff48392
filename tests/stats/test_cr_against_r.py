"""Live cross-checks against R cmprsk on the BMT data and on freshly generated random data.

Marker ``r``: skipped locally without Rscript + cmprsk, required in CI (INODLI_REQUIRE=r).
Expected numbers are R's own output (cuminc, timepoints, Tests, crr), read back as JSON at
full precision (jsonlite digits = NA).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inodli.stats.cumulative_incidence import cumulative_incidence, cumulative_incidence_by_group
from inodli.stats.fine_gray import fine_gray
from inodli.stats.gray import gray_test
from tests.rbridge import require_r, run_r
from tests.stats.cr_blocks import block_size, continuous_competing_risks

pytestmark = pytest.mark.r

BMT = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "kmsurv_bmt.csv")

CUMINC_SCRIPT = """
suppressPackageStartupMessages(library(cmprsk))
d <- read.csv("d.csv")
out <- list()
for (rho in c(0, 1)) {
  ci <- cuminc(d$time, d$status, d$group, strata = d$stratum, rho = rho)
  out[[paste0("tests_rho", rho)]] <- list(stat = unname(ci$Tests[, "stat"]),
    pv = unname(ci$Tests[, "pv"]), causes = rownames(ci$Tests))
}
ci <- cuminc(d$time, d$status, d$group)
out$curves <- lapply(ci[names(ci) != "Tests"], function(x) list(time = x$time, est = x$est, var = x$var))
out$tests_unstratified <- list(stat = unname(ci$Tests[, "stat"]))
tp <- timepoints(cuminc(d$time, d$status), c(0.5, 1, 2.5, 4, 7))
out$timepoints <- list(est = unname(tp$est), var = unname(tp$var))
jsonlite::write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""

CRR_SCRIPT = """
suppressPackageStartupMessages(library(cmprsk))
d <- read.csv("d.csv")
X <- as.matrix(d[, grep("^x", names(d))])
out <- list()
for (cause in c(1, 2)) {
  f <- crr(d$time, d$status, X, failcode = cause)
  out[[paste0("cause", cause)]] <- list(coef = unname(f$coef), var = c(f$var), inf = c(f$inf),
    loglik = f$loglik, loglik_null = f$loglik.null, converged = f$converged)
}
jsonlite::write_json(out, "out.json", digits = NA, auto_unbox = TRUE)
"""


def _random_competing_risks(seed: int, n: int) -> pd.DataFrame:
    """Three groups, two strata, two causes, heavy ties (times rounded to 0.5)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(1, 4, n)
    x = rng.normal(size=(n, 2))
    hazard = 0.3 * np.exp(0.3 * (group - 2) + 0.4 * x[:, 0])
    event = rng.exponential(1 / hazard)
    censor = rng.uniform(0, 8, n)
    cause = np.where(rng.random(n) < 0.55 + 0.1 * (group == 3), 1, 2)
    time = np.round(np.minimum(event, censor) * 2) / 2
    status = np.where(event <= censor, cause, 0)
    return pd.DataFrame(
        {
            "time": time,
            "status": status,
            "group": group,
            "stratum": rng.integers(0, 2, n),
            "x1": x[:, 0],
            "x2": (x[:, 1] > 0).astype(float),
        }
    )


@pytest.mark.parametrize("seed", [11, 12])
def test_it_equals_cuminc_curves_tests_and_timepoints_on_fresh_random_data(seed: int) -> None:
    require_r("cmprsk")
    d = _random_competing_risks(seed, 400)
    r = run_r(CUMINC_SCRIPT, {"d": d})
    for cause in (1, 2):
        curves = cumulative_incidence_by_group(d.time, d.status, d.group, cause=cause)
        for label, curve in curves.items():
            expected = r["curves"][f"{label} {cause}"]
            steps = curve.steps()
            np.testing.assert_allclose(steps["time"], expected["time"], rtol=0)
            np.testing.assert_allclose(steps["estimate"], expected["est"], rtol=1e-10, atol=1e-15)
            np.testing.assert_allclose(steps["variance"], expected["var"], rtol=1e-10, atol=1e-16)
        at = cumulative_incidence(d.time, d.status, cause=cause).at([0.5, 1, 2.5, 4, 7])
        np.testing.assert_allclose(at["estimate"], r["timepoints"]["est"][cause - 1], rtol=1e-10)
        np.testing.assert_allclose(at["variance"], r["timepoints"]["var"][cause - 1], rtol=1e-10)
        unstratified = gray_test(d.time, d.status, d.group, cause=cause)
        assert unstratified.statistic == pytest.approx(
            r["tests_unstratified"]["stat"][cause - 1], rel=1e-9
        )
        for rho in (0, 1):
            expected_test = r[f"tests_rho{rho}"]
            result = gray_test(d.time, d.status, d.group, cause=cause, strata=d.stratum, rho=rho)
            assert result.statistic == pytest.approx(expected_test["stat"][cause - 1], rel=1e-9)
            assert result.p_value == pytest.approx(
                expected_test["pv"][cause - 1], rel=1e-8, abs=1e-15
            )


@pytest.mark.parametrize(("seed", "size"), [(13, None), (14, 64)])
def test_it_equals_cuminc_on_continuous_times_without_ties(seed: int, size: int | None) -> None:
    # the sorting route and the block-wise passes (blocks of 64 rows: many boundaries)
    require_r("cmprsk")
    data = continuous_competing_risks(seed, 3000, groups=3)
    d = pd.DataFrame({**data, "group": data["group"] + 1})
    r = run_r(CUMINC_SCRIPT, {"d": d})
    with block_size(size):
        for cause in (1, 2):
            curves = cumulative_incidence_by_group(d.time, d.status, d.group, cause=cause)
            for label, curve in curves.items():
                expected = r["curves"][f"{label} {cause}"]
                steps = curve.steps()
                # jsonlite writes 15 significant digits: the times come back rounded
                np.testing.assert_allclose(steps["time"], expected["time"], rtol=1e-14)
                np.testing.assert_allclose(
                    steps["estimate"], expected["est"], rtol=1e-10, atol=1e-15
                )
                np.testing.assert_allclose(
                    steps["variance"], expected["var"], rtol=1e-10, atol=1e-16
                )
            at = cumulative_incidence(d.time, d.status, cause=cause).at([0.5, 1, 2.5, 4, 7])
            timepoints = r["timepoints"]
            np.testing.assert_allclose(at["estimate"], timepoints["est"][cause - 1], rtol=1e-10)
            np.testing.assert_allclose(at["variance"], timepoints["var"][cause - 1], rtol=1e-10)
            unstratified = gray_test(d.time, d.status, d.group, cause=cause)
            assert unstratified.statistic == pytest.approx(
                r["tests_unstratified"]["stat"][cause - 1], rel=1e-9
            )
            for rho in (0, 1):
                result = gray_test(
                    d.time, d.status, d.group, cause=cause, strata=d.stratum, rho=rho
                )
                expected_test = r[f"tests_rho{rho}"]
                assert result.statistic == pytest.approx(expected_test["stat"][cause - 1], rel=1e-9)


def _check_crr(d: pd.DataFrame, r: dict, columns: list[str]) -> None:
    for cause in (1, 2):
        expected = r[f"cause{cause}"]
        fit = fine_gray(d.time, d.status, d[columns], cause=cause)
        assert fit.converged == expected["converged"]
        p = len(columns)
        # crr stops at its gtol on the gradient; both take the same Newton steps
        np.testing.assert_allclose(fit.coef, expected["coef"], rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(fit.variance.ravel(order="F"), expected["var"], rtol=1e-7)
        np.testing.assert_allclose(fit.information.ravel(order="F"), expected["inf"], rtol=1e-8)
        assert fit.loglik == pytest.approx(expected["loglik"], rel=1e-11)
        assert fit.loglik_null == pytest.approx(expected["loglik_null"], rel=1e-11)
        assert fit.variance.shape == (p, p)


def test_it_equals_crr_on_the_bmt_data() -> None:
    require_r("cmprsk")
    d = pd.DataFrame(
        {
            "time": BMT.t2,
            "status": BMT.cr_status,
            "x_age": BMT.z1,
            "x_donor_age": BMT.z2,
            "x_aml_low": (BMT.group == 2).astype(float),
            "x_aml_high": (BMT.group == 3).astype(float),
        }
    )
    r = run_r(CRR_SCRIPT, {"d": d})
    _check_crr(d, r, ["x_age", "x_donor_age", "x_aml_low", "x_aml_high"])


@pytest.mark.parametrize("seed", [21, 22])
def test_it_equals_crr_on_fresh_random_data_with_ties(seed: int) -> None:
    require_r("cmprsk")
    d = _random_competing_risks(seed, 300)
    r = run_r(CRR_SCRIPT, {"d": d[["time", "status", "x1", "x2"]]})
    _check_crr(d, r, ["x1", "x2"])


def test_it_equals_cmprsk_on_edge_data_zero_times_absent_groups_and_a_missing_cause() -> None:
    require_r("cmprsk")
    rng = np.random.default_rng(5)
    n = 120
    d = pd.DataFrame(
        {
            "time": rng.integers(0, 6, n).astype(float),  # heavy ties and times equal to 0
            "status": rng.integers(0, 3, n),
            "group": rng.integers(1, 4, n),
            "stratum": rng.integers(0, 2, n),
            "x1": rng.normal(size=n),
            "x2": rng.integers(0, 2, n).astype(float),
        }
    )
    d.loc[(d.group == 3) & (d.stratum == 1), "stratum"] = 0  # group 3 absent from stratum 1
    d.loc[(d.group == 2) & (d.status == 2), "status"] = 0  # group 2 never has cause 2
    r = run_r(CUMINC_SCRIPT, {"d": d})
    for cause in (1, 2):
        for rho in (0, 1):
            result = gray_test(d.time, d.status, d.group, cause=cause, strata=d.stratum, rho=rho)
            assert result.statistic == pytest.approx(
                r[f"tests_rho{rho}"]["stat"][cause - 1], rel=1e-9
            )
        for label, curve in cumulative_incidence_by_group(
            d.time, d.status, d.group, cause=cause
        ).items():
            expected = r["curves"][f"{label} {cause}"]
            steps = curve.steps()
            np.testing.assert_allclose(steps["time"], expected["time"], rtol=0)
            np.testing.assert_allclose(steps["estimate"], expected["est"], rtol=1e-10, atol=1e-15)
            np.testing.assert_allclose(steps["variance"], expected["var"], rtol=1e-10, atol=1e-16)
    _check_crr(d, run_r(CRR_SCRIPT, {"d": d[["time", "status", "x1", "x2"]]}), ["x1", "x2"])
