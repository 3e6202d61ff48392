"""The primary analysis adjusted for the two-stage design, on literal frames and in the report.

Expected numbers from R, ``tests/data/two_stage_inference.R`` (an enumeration of the design's
outcomes in base R, written independently of the Python code), calls quoted beside each;
stage 1 is counted by hand from the literal enrolment dates.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Sequence

import pandas as pd
import pytest

from inodli.design.trial import TRIAL_DESIGN, TrialDesign
from inodli.errors import InputError
from inodli.report.efficacy import ADJUSTED_ESTIMATE, ADJUSTED_P, DesignAdjusted, response_rate
from inodli.report.html import render_report_html
from inodli.report.study import StudyReport
from tests.report import literal

# Evaluable S01-S07; responders among them S01, S03, S05 (literal.adrs).
IN_ORDER = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05",
            "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09"]  # fmt: skip


def adsl(dates: Sequence[str | None] = IN_ORDER) -> pd.DataFrame:
    return literal.adsl().assign(RFICDT=pd.to_datetime(pd.Series(list(dates), dtype=object)))


def design(n1: int, r1: int, n: int) -> TrialDesign:
    return dataclasses.replace(TRIAL_DESIGN, n1=n1, r1=r1, n=n)


def adjusted(
    frame: pd.DataFrame, plan: TrialDesign, exclude: Collection[str] = ()
) -> DesignAdjusted:
    result = response_rate(frame, literal.adrs(), design=plan, exclude=exclude)
    assert result.design_adjusted is not None
    return result.design_adjusted


def test_a_completed_stage_2_gets_the_stage_wise_analysis() -> None:
    # first three by enrolment: S01 (CR), S02 (no), S03 (CR): 2 > r1 = 0; 3 of 7 in total
    result = adjusted(adsl(), design(3, 0, 7))
    assert result.stage1_responders == 2
    inference = result.inference
    assert inference is not None
    assert (inference.stage, inference.x1, inference.x) == (2, 2, 3)
    # R: ts_inference(2, 2, 3, 3, 0, 7, 0.3)
    assert inference.p_value == pytest.approx(0.3242214, abs=1e-7)
    assert inference.lower == pytest.approx(0.103160780349584, abs=1e-10)
    assert inference.upper == pytest.approx(0.821604244169832, abs=1e-10)
    assert inference.umvue == pytest.approx(0.483870967741935, abs=1e-12)
    assert "The trial completed stage 2." in result.status


def test_a_stop_after_stage_1_is_the_exact_binomial_analysis_of_stage_1() -> None:
    # all seven evaluable form stage 1 of a 7-then-15 design: 3 <= r1 = 3, stopped
    result = adjusted(adsl(), design(7, 3, 15))
    inference = result.inference
    assert inference is not None
    assert (inference.stage, inference.x1) == (1, 3)
    # R: ts_inference(1, 3, 3, 7, 3, 15, 0.3); the same as binom.test(3, 7, 0.3, "greater")
    assert inference.p_value == pytest.approx(0.3529305, abs=1e-7)
    assert (inference.lower, inference.upper) == pytest.approx(
        (0.0989882784425085, 0.815948432359917), abs=1e-10
    )
    assert "stopped after stage 1" in result.status


def test_stage_1_follows_enrolment_order_not_the_subject_number() -> None:
    # S02, S04, S06 (no responders) consented first: 0 <= r1 = 1, yet seven are evaluable
    dates = ["2025-03-01", "2025-01-01", "2025-03-02", "2025-01-02", "2025-03-03",
             "2025-01-03", "2025-03-04", "2025-03-05", "2025-03-06"]  # fmt: skip
    result = adjusted(adsl(dates), design(3, 1, 7))
    assert result.stage1_responders == 0
    assert result.inference is None
    assert "yet 7 patients are evaluable" in result.status


def test_same_day_enrolments_across_the_stage_1_boundary_leave_the_count_undetermined() -> None:
    # S03 (CR) and S04 (no) consented the same day, third and fourth in line
    dates = [*IN_ORDER[:3], IN_ORDER[2], *IN_ORDER[4:]]
    result = adjusted(adsl(dates), design(3, 0, 7))
    assert (result.inference, result.stage1_responders) == (None, None)
    assert "2 patients enrolled on 2025-01-03 straddle the end of stage 1" in result.status
    assert "undetermined (1 to 2)" in result.status
    # a same-day pair that both did not respond (S06, S07) does not matter
    dates = [*IN_ORDER[:6], IN_ORDER[5], *IN_ORDER[7:]]
    assert adjusted(adsl(dates), design(6, 0, 7)).stage1_responders == 3


def test_missing_enrolment_dates_are_reported_not_guessed() -> None:
    result = adjusted(literal.adsl(), design(3, 0, 7))
    assert result.inference is None
    assert "ADSL has no enrolment date (RFICDT)" in result.status
    dates: list[str | None] = [*IN_ORDER]
    dates[4] = None
    assert (
        "1 evaluable patient(s) have no enrolment date"
        in adjusted(adsl(dates), design(3, 0, 7)).status
    )


def test_interim_and_overrunning_data_get_no_design_adjusted_result() -> None:
    assert "stage 1 is not complete (7 of 10 evaluable)" in adjusted(adsl(), TRIAL_DESIGN).status
    assert "more than the 5 planned" in adjusted(adsl(), design(3, 0, 5)).status
    waiting = adjusted(adsl(), design(3, 0, 7), exclude={"S07"})
    assert waiting.inference is None
    assert "1 patient(s) still await the primary assessment" in waiting.status
    under = adjusted(adsl(), design(3, 0, 9)).status
    assert "7 of the planned 9 patients are evaluable" in under
    assert "under-running stage 2" in under


def test_the_row_shows_both_analyses_and_names_the_primary() -> None:
    result = response_rate(adsl(), literal.adrs(), design=design(3, 0, 7))
    row = result.as_row()
    assert row["% (95% CI)"] == "42.9% (9.9% to 81.6%)"  # plain Clopper-Pearson, unchanged
    assert row[ADJUSTED_ESTIMATE] == "48.4% (10.3% to 82.2%)"
    assert row[ADJUSTED_P] == "0.3242"
    assert "primary" in ADJUSTED_ESTIMATE
    assert "design-adjusted UMVUE 48.4%" in repr(result)
    pending = response_rate(adsl(), literal.adrs(), design=TRIAL_DESIGN).as_row()
    assert pending[ADJUSTED_P] == "not available (see text)"
    assert ADJUSTED_P not in response_rate(adsl(), literal.adrs()).as_row()


def test_the_design_adjusted_test_needs_p0() -> None:
    with pytest.raises(InputError, match="p0: expected a null response rate") as caught:
        response_rate(adsl(), literal.adrs(), p0=None, design=TRIAL_DESIGN)
    assert caught.value.field == "p0"


def _text(document: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", document)).replace("&#x27;", "'")


def test_the_report_says_which_inference_is_primary_and_how_stage_1_is_taken(
    study_report: StudyReport,
) -> None:
    text = _text(render_report_html(study_report))
    assert "Primary inference, as the design prescribes" in text
    assert "shown for reference only" in text
    assert "Stage 1 is the first 10 efficacy-evaluable patients in order of enrolment" in text
    assert "date of informed consent, ADSL.RFICDT" in text
    adjusted_result = study_report.primary.design_adjusted
    assert adjusted_result is not None
    # the synthetic cut: 21 of 23 evaluable, so the design-adjusted result waits
    assert adjusted_result.inference is None
    assert "Design-adjusted analysis not available" in text
    assert "21 of the planned 23 patients are evaluable" in text
    assert "Design-adjusted UMVUE (95% CI), primary" in text


def test_a_finished_trial_shows_the_design_adjusted_numbers(study_report: StudyReport) -> None:
    primary = response_rate(adsl(), literal.adrs(), design=design(3, 0, 7))
    report = dataclasses.replace(study_report, primary=primary)
    text = _text(render_report_html(report))
    assert (
        "Design-adjusted (primary): UMVUE 48.4%, exact 95% CI 10.3% to 82.2% (stage-wise "
        "ordering), one-sided p 0.3242 against p0 = 0.3."
    ) in text
    # one definition of stage 1 (inodli.report.stage1): no "which stage 1?" check any more
    assert "Check: the monitoring counts" not in text
