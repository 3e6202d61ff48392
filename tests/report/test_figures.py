"""Figures carry what they claim: lanes per patient, at-risk counts, bars, boxes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from inodli.report import figures
from inodli.report.baseline import consort_counts
from inodli.report.study import StudyReport
from inodli.report.survival import time_to_event_summary
from tests.report import literal


def _gid(figure: Figure, gid: str) -> list[object]:
    return [a for a in figure.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def _texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]


def test_it_draws_km_curves_with_censor_marks_and_the_at_risk_counts() -> None:
    summaries = time_to_event_summary(literal.adtte(), "OS", adsl=literal.adsl())
    shown = {k: v for k, v in summaries.items() if k != "All"}
    figure = figures.km_figure(shown, "OS")
    assert len(_gid(figure, "estimate")) == 2
    assert len(_gid(figure, "censor marks")) == 2  # both groups have censored subjects
    at_risk = [t.get_text() for t in _gid(figure, "at risk")]  # type: ignore[attr-defined]
    # follow-up reaches 900 days (29.6 months), so ticks are every 6 months: days 0, 182.6,
    # 365.25, 547.9, 730.5. Hand count of DLI times 100, 200, 300, 400 still at risk: 4 3 1 0 0
    assert at_risk[:2] == ["Number at risk", "DLI"]
    dli_row = at_risk[2 : 2 + len(at_risk[2:]) // 2 - 1]
    assert dli_row[:5] == ["4", "3", "1", "0", "0"]
    assert figures.figure_to_png(figure)[:8] == b"\x89PNG\r\n\x1a\n"


def test_it_draws_one_swimmer_lane_per_treated_patient(study_report: StudyReport) -> None:
    figure = figures.swimmer_figure(study_report.swimmer_lanes, study_report.swimmer_events)
    treated = int((study_report.adsl["SAFFL"] == "Y").sum())
    assert len(_gid(figure, "lane")) == treated == len(study_report.swimmer_lanes)
    dli_marks = _gid(figure, "marker DLI")
    assert len(dli_marks) == 1
    n_dli = int((study_report.swimmer_events["KIND"] == "DLI").sum())
    assert len(dli_marks[0].get_xdata()) == n_dli > 0  # type: ignore[attr-defined]
    deaths = _gid(figure, "marker DEATH")[0]
    assert len(deaths.get_xdata()) == int((study_report.adsl["DTHFL"] == "Y").sum())  # type: ignore[attr-defined]


def test_it_draws_one_waterfall_bar_per_patient_sorted() -> None:
    change = pd.DataFrame(
        {"USUBJID": ["A", "B", "C"], "PCHG": [-100.0, 40.0, -60.0], "BOR": ["CR", "AD", "CRI"]}
    )
    figure = figures.waterfall_figure(change)
    bars = _gid(figure, "waterfall bar")
    assert len(bars) == 3
    heights = [b.get_height() for b in bars]  # type: ignore[attr-defined]
    assert heights == [40.0, -60.0, -100.0]


def test_it_draws_the_flow_diagram_with_the_counts() -> None:
    counts = consort_counts(literal.adsl())
    figure = figures.consort_figure(counts)
    assert len(_gid(figure, "consort box")) == 8
    texts = "\n".join(_texts(figure))
    assert "Enrolled (consented)\nn = 9" in texts
    assert "Received InO (safety population)\nn = 8" in texts
    assert "Evaluable for CR/CRi at 1 month\nn = 7" in texts


def test_it_draws_cumulative_incidence_overall_and_by_dli(study_report: StudyReport) -> None:
    assert study_report.competing is not None
    figure = figures.cumulative_incidence_figure(study_report.competing, "CI")
    assert len(figure.axes) == 2
    curves = study_report.competing.curves
    overall = len(curves)
    by_group = sum(len(v) - 1 for v in curves.values())
    assert len(_gid(figure, "estimate")) == overall + by_group
    first = next(iter(curves.values()))["All"]
    counts = [t.get_text() for t in _gid(figure, "at risk")][2:]  # type: ignore[attr-defined]
    assert counts[0] == str(int(first.at_risk(np.array([0.0]))[0]))
