"""One synthetic study report shared by the figure, HTML and PDF tests (it takes seconds)."""

from __future__ import annotations

import datetime as dt

import pytest

from inodli.adam.synthetic import synthetic_raw_study
from inodli.report.study import StudyReport, build_study_report

SEED = 20261124


@pytest.fixture(scope="session")
def study_report() -> StudyReport:
    raw = synthetic_raw_study(n=23, seed=SEED)
    return build_study_report(raw, source="synthetic", analysis_date=dt.date(2026, 11, 24))
