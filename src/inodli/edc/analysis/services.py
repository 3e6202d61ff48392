"""Read the captured data for the analysis pages: extract, derive, analyse.

The pages never re-implement an analysis: they call :func:`inodli.edc.extract.extract_raw_study`
(the EDC -> :class:`~inodli.adam.raw.RawStudy` contract), then :mod:`inodli.report` and
:mod:`inodli.design`, exactly as ``inodli report --source db`` does.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from inodli.adam.raw import RawStudy
from inodli.design.trial import MonitoringStatus, trial_monitoring_status
from inodli.report.efficacy import P0_DEFAULT
from inodli.report.monitoring import MonitoringCounts
from inodli.report.study import StudyReport

__all__ = [
    "DataUnavailableError",
    "MonitoringSnapshot",
    "current_monitoring",
    "current_raw_study",
    "current_report",
]

EXTRACT_MODULE = "inodli.edc.extract"


class DataUnavailableError(Exception):
    """The captured data cannot be analysed yet; the message says why, for the page."""


def current_raw_study(cutoff: dt.date | None = None) -> RawStudy:
    """The captured data of this database as a RawStudy (all records up to ``cutoff``)."""
    if importlib.util.find_spec(EXTRACT_MODULE) is None:
        raise DataUnavailableError("The EDC extract (inodli.edc.extract) is not installed here.")
    extract: Any = importlib.import_module(EXTRACT_MODULE).extract_raw_study
    raw: RawStudy = extract(cutoff=cutoff) if cutoff is not None else extract()
    return raw


def _treated(raw: RawStudy) -> int:
    return int(raw.ex["USUBJID"].nunique())


def current_report(p0: float = P0_DEFAULT, cutoff: dt.date | None = None) -> StudyReport:
    """The study report built from the current data (``DataUnavailableError`` if nothing to show)."""
    from inodli.report.study import build_study_report

    raw = current_raw_study(cutoff)
    if _treated(raw) == 0:
        raise DataUnavailableError("No patient has received InO yet: there is nothing to analyse.")
    return build_study_report(raw, source="EDC database", p0=p0)


@dataclass(frozen=True)
class MonitoringSnapshot:
    """The counts from the captured data and the design's decision for them."""

    cutoff: dt.date
    counts: MonitoringCounts
    status: MonitoringStatus


def current_monitoring() -> MonitoringSnapshot:
    """Counts for the monitoring rules from the current data, and the decision."""
    from inodli.adam.adae import derive_adae
    from inodli.adam.adrs import derive_adrs, primary_windows
    from inodli.adam.adsl import derive_adsl
    from inodli.report.monitoring import monitoring_counts, monitoring_status, primary_pending

    raw = current_raw_study()
    if _treated(raw) == 0:
        counts = MonitoringCounts(0, 0, None, 0, 0, 0, 0)
        return MonitoringSnapshot(raw.cutoff, counts, trial_monitoring_status())
    adsl = derive_adsl(raw)
    adrs = derive_adrs(adsl, raw)
    pending = primary_pending(adrs, primary_windows(adsl, raw), raw.cutoff)
    counts = monitoring_counts(adsl, adrs, derive_adae(adsl, raw), pending=pending)
    return MonitoringSnapshot(raw.cutoff, counts, monitoring_status(counts))
