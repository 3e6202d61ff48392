"""Kaplan-Meier and competing-risks summaries on literal ADTTE.

Expected values: R 4.x, survival and cmprsk, script

    t <- c(100, 200, 300, 400, 500, 600, 800, 900); e <- c(1,0,1,1,0,1,0,0)
    g <- rep(c("DLI", "No DLI"), each = 4); st <- c(1,0,2,1,0,1,2,0)
    f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log")
    quantile(f, 0.5)                      # 600 (100, NA)
    summary(f, times = c(365, 730))  # 0.7291666667 (0.27639022034, 0.9253531813),
                                          # 0.3888888889 (0.06300281147, 0.7242227555)
    print(survfit(Surv(t, e) ~ g, conf.type = "log-log"))  # DLI: 4, 3 events, median 300
    ci <- cuminc(t, st, g); timepoints(ci, c(365, 730)); ci$Tests
    timepoints(cuminc(t, st), c(365, 730))
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inodli.errors import InputError
from inodli.report.survival import competing_risks_summary, time_to_event_summary
from tests.report import literal


def test_it_summarises_os_like_survfit_log_log() -> None:
    summary = time_to_event_summary(literal.adtte(), "OS", label="Overall survival")["All"]
    assert (summary.n, summary.events) == (8, 4)
    median, low, high = summary.median
    assert (median, low) == (600.0, 100.0)
    assert math.isnan(high)
    one = summary.rate_at(365)
    assert one == pytest.approx((0.7291666667, 0.27639022034, 0.9253531813), abs=1e-9)
    two = summary.rate_at(730)
    assert two == pytest.approx((0.3888888889, 0.06300281147, 0.7242227555), abs=1e-9)


def test_it_adds_dli_groups_when_given_adsl() -> None:
    summaries = time_to_event_summary(literal.adtte(), "OS", adsl=literal.adsl())
    assert list(summaries) == ["All", "DLI", "No DLI"]
    assert (summaries["DLI"].n, summaries["DLI"].events) == (4, 3)
    assert summaries["DLI"].median[0] == 300.0
    assert math.isnan(summaries["No DLI"].median[0])
    row = summaries["All"].as_row()
    assert row["Median, months (95% CI)"] == "19.7 (3.3 to NR)"  # 600/30.4375, 100/30.4375
    assert row["1-year % (95% CI)"] == "72.9 (27.6 to 92.5)"


def test_it_returns_nothing_for_an_absent_parameter() -> None:
    assert time_to_event_summary(literal.adtte(), "DOR") == {}


def test_it_gives_cumulative_incidence_and_gray_tests_like_cmprsk() -> None:
    result = competing_risks_summary(
        literal.adtte(), "CIR", {"Relapse": 1, "NRM": 2}, adsl=literal.adsl()
    )
    relapse = result.curves["Relapse"]
    at = relapse["All"].at([365, 730])
    assert at["estimate"].tolist() == pytest.approx([0.125, 0.4652777778], abs=1e-9)
    assert at["variance"].tolist() == pytest.approx([0.015625, 0.05772762346], abs=1e-9)
    assert relapse["DLI"].at([365])["estimate"].iloc[0] == pytest.approx(0.25)
    assert math.isnan(relapse["DLI"].at([730])["estimate"].iloc[0])  # beyond follow-up: NA
    nrm = result.curves["NRM"]["DLI"].at([365])
    assert nrm["estimate"].iloc[0] == pytest.approx(0.375)
    assert nrm["variance"].iloc[0] == pytest.approx(0.15625)
    assert result.tests["Relapse"].statistic == pytest.approx(2.491629536, abs=1e-7)  # type: ignore[union-attr]
    assert result.tests["Relapse"].p_value == pytest.approx(0.1144531669, abs=1e-8)  # type: ignore[union-attr]
    assert result.tests["NRM"].p_value == pytest.approx(0.2267648835, abs=1e-8)  # type: ignore[union-attr]
    rows = result.rows()
    assert rows[0]["Outcome"] == "Relapse"
    assert rows[0]["1-year % (95% CI)"].startswith("12.5 (")
    assert rows[0]["Gray's test p (DLI vs no DLI)"] == "0.114"


def test_it_refuses_an_absent_competing_risks_parameter() -> None:
    with pytest.raises(InputError, match="PARAMCD = 'XX'"):
        competing_risks_summary(literal.adtte(), "XX", {"Relapse": 1})


def test_it_keeps_a_curve_at_zero_after_everyone_has_died() -> None:
    # hand arithmetic: both subjects die by day 20, so S(365) = 0 although follow-up ended
    adtte = pd.DataFrame({"USUBJID": ["A", "B"], "PARAMCD": "OS", "AVAL": [10, 20], "CNSR": [0, 0]})
    summary = time_to_event_summary(adtte, "OS")["All"]
    estimate, low, high = summary.rate_at(365)
    assert estimate == 0.0
    assert math.isnan(low)
    assert math.isnan(high)
    assert summary.as_row()["1-year % (95% CI)"] == "0.0"
