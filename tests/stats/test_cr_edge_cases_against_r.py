"""Live cross-check of cumulative incidence and Gray's test on tiny adversarial data (marker ``r``).

60 small data sets (n = 1 to 14): times on a coarse grid with zeros, every time tied in some,
up to three causes, causes tied with each other and with censorings, everything censored,
causes that never occur, strata. ``cmprsk::cuminc`` (with ``timepoints`` at every observed
time and half-way between) must give the same estimates and variances, and the same Gray
statistics; where cuminc stops with an error inodli must raise an InputError.

Known, documented difference: where the variance of Gray's score is singular cmprsk reports
the statistic -1 (p-value 1); inodli reports NaN (see :mod:`inodli.stats.gray`). Those cases
are checked for NaN here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from inodli.errors import InputError
from inodli.stats import cumulative_incidence, gray_test
from tests.rbridge import require_r, run_r
from tests.stats._reference import assert_close

pytestmark = pytest.mark.r

SCRIPT = r"""
suppressPackageStartupMessages({library(cmprsk); library(jsonlite)})
d <- read.csv("d.csv", stringsAsFactors = FALSE)
failed <- function(e) list(failed = TRUE)
out <- list()
for (k in unique(d$case)) {
  x <- d[d$case == k, ]
  at <- sort(unique(c(0, x$time, x$time + 0.5)))
  o <- list(at = at)
  for (cause in 1:3) {
    name <- paste("1", cause)
    o$cuminc[[cause]] <- tryCatch({
      fit <- cuminc(x$time, x$status, cencode = 0)
      if (!(name %in% names(fit))) list(failed = TRUE) else {
        tp <- timepoints(fit, at)
        list(failed = FALSE, estimate = as.vector(tp$est[name, ]),
             variance = as.vector(tp$var[name, ]))
      }
    }, error = failed)
    o$gray[[cause]] <- tryCatch({
      fit <- cuminc(x$time, x$status, x$group, strata = x$stratum, cencode = 0)
      if (!(as.character(cause) %in% rownames(fit$Tests))) list(failed = TRUE) else
        c(list(failed = FALSE), as.list(fit$Tests[as.character(cause), ]))
    }, error = failed)
  }
  out[[k]] <- o
}
write_json(out, "out.json", digits = NA, auto_unbox = TRUE, na = "string")
"""


def _one_case(rng: np.random.Generator, index: int) -> pd.DataFrame:
    n = int(rng.integers(1, 15))
    time = np.full(n, 3.0) if index % 4 == 1 else rng.integers(0, 6, n).astype(float)
    has_event = rng.random(n) < rng.choice([0.0, 0.5, 0.8, 1.0])
    status = np.where(has_event, rng.integers(1, 4, n), 0)
    return pd.DataFrame(
        {
            "case": f"c{index}",
            "time": time,
            "status": status,
            "group": rng.choice(["a", "b"], n),
            "stratum": rng.choice([1, 2], n) if index % 4 == 2 else np.ones(n, int),
        }
    )


def _r(values: Any) -> Any:
    if isinstance(values, list):
        return [_r(v) for v in values]
    return {"NA": np.nan, "NaN": np.nan, "Inf": np.inf}.get(values, values)


@pytest.fixture(scope="module")
def cases_and_r() -> tuple[list[pd.DataFrame], dict[str, Any]]:
    require_r("cmprsk")
    rng = np.random.default_rng(20261126)
    frames = [_one_case(rng, i) for i in range(60)]
    return frames, run_r(SCRIPT, {"d": pd.concat(frames)})


def test_cumulative_incidence_equals_cuminc_on_adversarial_data(cases_and_r: Any) -> None:
    frames, answer = cases_and_r
    for frame in frames:
        want_case = answer[frame["case"].iloc[0]]
        for cause in (1, 2, 3):
            want = want_case["cuminc"][cause - 1]
            context = f"cause {cause}: {frame[['time', 'status']].values.tolist()}"
            if want["failed"]:
                with pytest.raises(InputError):
                    cumulative_incidence(frame["time"], frame["status"], cause=cause)
                continue
            at = cumulative_incidence(frame["time"], frame["status"], cause=cause).at(
                want_case["at"]
            )
            try:
                assert_close(at["estimate"], _r(want["estimate"]))
                assert_close(at["variance"], _r(want["variance"]), abs_=1e-15)
            except AssertionError as error:
                raise AssertionError(context) from error


def test_gray_test_equals_cuminc_on_adversarial_data(cases_and_r: Any) -> None:
    frames, answer = cases_and_r
    for frame in frames:
        for cause in (1, 2, 3):
            want = answer[frame["case"].iloc[0]]["gray"][cause - 1]
            context = (
                f"cause {cause}: {frame[['time', 'status', 'group', 'stratum']].values.tolist()}"
            )
            arguments = (frame["time"], frame["status"], frame["group"])
            if want["failed"]:
                with pytest.raises(InputError):
                    gray_test(*arguments, cause=cause, strata=frame["stratum"])
                continue
            test = gray_test(*arguments, cause=cause, strata=frame["stratum"])
            try:
                assert test.df == want["df"]
                if want["stat"] == -1:  # cmprsk's mark of a singular variance
                    assert np.isnan(test.statistic)
                    continue
                assert_close(test.statistic, _r(want["stat"]), abs_=1e-10)
                assert_close(test.p_value, _r(want["pv"]), abs_=1e-12)
            except AssertionError as error:
                raise AssertionError(context) from error
