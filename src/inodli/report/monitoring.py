"""The counts that the trial's monitoring rules need, read from ADaM, and the decision.

The rules themselves (boundaries, thresholds, wording) live in :mod:`inodli.design.trial`;
this module only counts, from the captured data:

- CR/CRi at the primary assessment (ADRS.CRPRIM) among patients whose primary response is
  decided, in order of first dose (the first ``n1`` form stage 1);
- VOD/SOS: treated patients with a treatment-emergent AE "Sinusoidal obstruction syndrome"
  (CTCAE v5.0; "veno-occlusive" in the verbatim term is accepted too);
- grade III-IV acute GVHD after DLI: DLI recipients with an AE "Acute graft versus host
  disease" of grade >= 3 starting on or after their first DLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from inodli.adam.adrs import PrimaryWindow
from inodli.design.trial import TRIAL_DESIGN, MonitoringStatus, TrialDesign, trial_monitoring_status
from inodli.report._frames import flag, require_columns

__all__ = ["MonitoringCounts", "monitoring_counts", "monitoring_status", "primary_pending"]

VOD_PATTERN = r"sinusoidal obstruction|veno-?occlusive"
AGVHD_PATTERN = r"acute graft.versus.host"


def primary_pending(
    adrs: pd.DataFrame, windows: Mapping[str, PrimaryWindow], cutoff: dt.date
) -> frozenset[str]:
    """Subjects whose primary response is not known yet at ``cutoff``.

    ADRS.CRPRIM says ``N`` without a source record (ADT missing) both when the primary
    assessment was missed and when its window has not closed yet; only the second is
    pending. A subject is pending when CRPRIM has no ADT and the window ends after the
    cut-off. Interim analyses leave them out of the denominator instead of counting them as
    non-responders (which would push the futility rule early).
    """
    require_columns(adrs, "adrs", ["USUBJID", "PARAMCD", "ADT"])
    rows = adrs[(adrs["PARAMCD"] == "CRPRIM") & adrs["ADT"].isna()]
    limit = pd.Timestamp(cutoff)
    return frozenset(
        str(u) for u in rows["USUBJID"] if str(u) in windows and windows[str(u)].end > limit
    )


@dataclass(frozen=True)
class MonitoringCounts:
    """What the rules are applied to (see the module docstring for each definition)."""

    responses: int
    evaluable: int
    stage1_responses: int | None
    vod_events: int
    vod_patients: int
    agvhd_events: int
    agvhd_patients: int

    def toxicity_events(self) -> dict[str, tuple[int, int]]:
        return {
            "VOD/SOS": (self.vod_events, self.vod_patients),
            "grade III-IV acute GVHD after DLI": (self.agvhd_events, self.agvhd_patients),
        }

    def as_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                ("CR/CRi at the primary assessment", self.responses, self.evaluable,
                 "patients whose primary response is known"),
                ("VOD/SOS", self.vod_events, self.vod_patients, "treated patients"),
                ("Grade III-IV acute GVHD after DLI", self.agvhd_events, self.agvhd_patients,
                 "patients who received DLI"),
            ],
            columns=["Rule", "Events", "Patients", "Among"],
        )  # fmt: skip


def monitoring_counts(
    adsl: pd.DataFrame,
    adrs: pd.DataFrame,
    adae: pd.DataFrame,
    *,
    n1: int = TRIAL_DESIGN.n1,
    pending: Collection[str] = (),
) -> MonitoringCounts:
    """Count responses, VOD/SOS and grade III-IV aGVHD after DLI (module docstring).

    ``n1`` is the stage-1 size: ``stage1_responses`` counts the responses among the first
    ``n1`` evaluable patients by first-dose date (None while fewer are evaluable).
    ``pending`` (see :func:`primary_pending`) are left out of the response counts.
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL", "DLIFL", "DLIDT", "TRTSDT"])
    require_columns(adrs, "adrs", ["USUBJID", "PARAMCD", "AVALC"])
    require_columns(adae, "adae", ["USUBJID", "AETERM", "ATOXGR", "ASTDT", "TRTEMFL"])
    treated = adsl[flag(adsl["SAFFL"])]
    primary = adrs[
        (adrs["PARAMCD"] == "CRPRIM")
        & adrs["USUBJID"].isin(treated["USUBJID"])
        & ~adrs["USUBJID"].isin(list(pending))
    ]
    primary = primary.merge(treated[["USUBJID", "TRTSDT"]], on="USUBJID")
    primary = primary.sort_values(["TRTSDT", "USUBJID"]).reset_index(drop=True)
    responded = flag(primary["AVALC"])
    stage1 = int(responded.iloc[:n1].sum()) if len(primary) >= n1 else None
    emergent = adae[flag(adae["TRTEMFL"]) & adae["USUBJID"].isin(treated["USUBJID"])]
    terms = emergent["AETERM"].astype(str).str.lower()
    vod = emergent.loc[terms.str.contains(VOD_PATTERN, regex=True), "USUBJID"].nunique()
    dli = treated[flag(treated["DLIFL"])].set_index("USUBJID")["DLIDT"]
    gvhd = emergent[
        terms.str.contains(AGVHD_PATTERN, regex=True)
        & (pd.to_numeric(emergent["ATOXGR"], errors="coerce") >= 3)
        & emergent["USUBJID"].isin(dli.index)
    ]
    gvhd = gvhd[gvhd["ASTDT"] >= gvhd["USUBJID"].map(dli)]
    return MonitoringCounts(
        responses=int(responded.sum()),
        evaluable=len(primary),
        stage1_responses=stage1,
        vod_events=int(vod),
        vod_patients=len(treated),
        agvhd_events=int(gvhd["USUBJID"].nunique()),
        agvhd_patients=len(dli),
    )


def monitoring_status(
    counts: MonitoringCounts, design: TrialDesign = TRIAL_DESIGN
) -> MonitoringStatus:
    """The design's decision for ``counts`` (:func:`inodli.design.trial_monitoring_status`).

    More than ``design.n`` evaluable patients cannot happen in this trial; the counts are
    capped at ``n`` so the design can still speak (the extra patients are reported as such by
    the caller).
    """
    n = design.n
    evaluable = min(counts.evaluable, n)
    responses = min(counts.responses, evaluable)
    toxicity = {k: (min(e, min(p, n)), min(p, n)) for k, (e, p) in counts.toxicity_events().items()}
    return trial_monitoring_status(
        design,
        responses=responses,
        evaluable=evaluable,
        toxicity_events=toxicity,
        stage1_responses=counts.stage1_responses,
    )
