"""The study report's content: ADaM derivation, every analysis, the monitoring status.

:func:`build_study_report` is the one entry point the CLI and the web page share: it derives
ADSL/ADRS/ADTTE/ADAE from a :class:`~inodli.adam.raw.RawStudy` (through :mod:`inodli.adam`)
and runs the analyses of :mod:`inodli.report`; rendering is in :mod:`inodli.report.html`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from inodli import __version__
from inodli.adam.adae import derive_adae
from inodli.adam.adrs import derive_adrs, primary_windows
from inodli.adam.adsl import derive_adsl
from inodli.adam.adtte import derive_adtte
from inodli.adam.raw import RawStudy
from inodli.design.trial import TRIAL_DESIGN, MonitoringStatus
from inodli.errors import InputError
from inodli.report.baseline import ConsortCounts, baseline_table, consort_counts
from inodli.report.efficacy import (
    P0_DEFAULT,
    ResponseRate,
    mrd_negative_rate,
    response_rate,
    response_rate_by_dli,
)
from inodli.report.monitoring import (
    MonitoringCounts,
    monitoring_counts,
    monitoring_status,
    primary_pending,
)
from inodli.report.safety import ae_incidence
from inodli.report.survival import (
    CompetingRisksSummary,
    TimeToEventSummary,
    competing_risks_summary,
    time_to_event_summary,
)
from inodli.report.timeline import baseline_blasts, blast_change, swimmer_data

__all__ = ["KM_ENDPOINTS", "StudyReport", "build_study_report"]

KM_ENDPOINTS = {
    "OS": "Overall survival",
    "PFS": "Progression-free survival",
    "DOR": "Duration of remission (from first CR/CRi)",
}
CAUSES = {"Relapse/progression": 1, "Non-relapse mortality": 2}


@dataclass(frozen=True, repr=False)
class StudyReport:
    """Everything the report shows, computed once from one data cut."""

    source: str
    cutoff: dt.date
    analysis_date: dt.date
    software_version: str
    p0: float
    adsl: pd.DataFrame
    adrs: pd.DataFrame
    adtte: pd.DataFrame
    adae: pd.DataFrame
    consort: ConsortCounts
    baseline: pd.DataFrame
    primary: ResponseRate
    primary_by_dli: dict[str, ResponseRate]
    mrd: ResponseRate
    mrd_by_dli: dict[str, ResponseRate]
    survival: dict[str, dict[str, TimeToEventSummary]]
    competing: CompetingRisksSummary | None
    ae_counts: pd.DataFrame
    swimmer_lanes: pd.DataFrame
    swimmer_events: pd.DataFrame
    waterfall: pd.DataFrame
    monitoring_counts: MonitoringCounts
    monitoring: MonitoringStatus
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return (
            f"StudyReport({self.source}, cut-off {self.cutoff}, {len(self.adsl)} enrolled, "
            f"primary {self.primary!r})"
        )


def build_study_report(
    raw: RawStudy,
    *,
    source: str = "synthetic",
    p0: float = P0_DEFAULT,
    analysis_date: dt.date | None = None,
) -> StudyReport:
    """Derive the analysis datasets from ``raw`` and run every analysis of the report.

    Parameters
    ----------
    raw : RawStudy
        The captured data at a cut-off (``raw.cutoff`` is the report's data cut-off).
    source : str
        Where the data came from, as shown on the report ("synthetic", "database", ...).
    p0 : float, default 0.30
        Null CR/CRi rate of the one-sided exact test and of the design-adjusted (stage-wise)
        test of the trial's two-stage design.
    analysis_date : date, optional
        Defaults to today (UTC).
    """
    if raw.ex.empty:
        raise InputError(
            "raw", "captured data with at least one InO administration", "none recorded"
        )
    adsl = derive_adsl(raw)
    adrs = derive_adrs(adsl, raw)
    adtte = derive_adtte(adsl, raw)
    adae = derive_adae(adsl, raw)
    notes: list[str] = []
    survival = {}
    for paramcd, label in KM_ENDPOINTS.items():
        summaries = time_to_event_summary(adtte, paramcd, label=label, adsl=adsl)
        if summaries:
            survival[paramcd] = summaries
        else:
            notes.append(f"{label}: no patient has this endpoint yet.")
    cir = adtte[adtte["PARAMCD"] == "CIR"]
    competing = None
    if cir["CRSTAT"].fillna(0).gt(0).any():
        competing = competing_risks_summary(adtte, "CIR", CAUSES, adsl=adsl)
    else:
        notes.append("Cumulative incidence: no relapse or non-relapse death yet.")
    bor = adrs[adrs["PARAMCD"] == "BOR"].set_index("USUBJID")["AVALC"]
    lanes, events = swimmer_data(raw, adsl)
    with_blasts = adsl.assign(BLASTBL=adsl["USUBJID"].map(baseline_blasts(raw, adsl)))
    pending = primary_pending(adrs, primary_windows(adsl, raw), raw.cutoff)
    if pending:
        notes.append(
            f"{len(pending)} treated patient(s) had not reached the end of the primary "
            "assessment window at the cut-off; they are left out of the CR/CRi denominator "
            "and the stopping rules until their response is known."
        )
    counts = monitoring_counts(adsl, adrs, adae, pending=pending)
    return StudyReport(
        source=source,
        cutoff=raw.cutoff,
        analysis_date=analysis_date or dt.datetime.now(dt.UTC).date(),
        software_version=__version__,
        p0=p0,
        adsl=adsl,
        adrs=adrs,
        adtte=adtte,
        adae=adae,
        consort=consort_counts(adsl),
        baseline=baseline_table(with_blasts),
        primary=response_rate(adsl, adrs, p0=p0, exclude=pending, design=TRIAL_DESIGN),
        primary_by_dli=response_rate_by_dli(adsl, adrs, exclude=pending),
        mrd=mrd_negative_rate(adsl, adrs),
        mrd_by_dli=response_rate_by_dli(adsl, adrs, paramcd="MRDNEG", endpoint="MRD negativity"),
        survival=survival,
        competing=competing,
        ae_counts=ae_incidence(adae, adsl, by_dli=True),
        swimmer_lanes=lanes,
        swimmer_events=events,
        waterfall=blast_change(raw, adsl, bor),
        monitoring_counts=counts,
        monitoring=monitoring_status(counts),
        notes=tuple(notes),
    )
