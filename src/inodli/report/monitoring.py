"""The counts that the trial's monitoring rules need, read from ADaM, and the decision.

The rules themselves (boundaries, thresholds, wording) live in :mod:`inodli.design.trial`;
this module only counts, from the captured data:

- CR/CRi at the primary assessment (ADRS.CRPRIM) among the efficacy-evaluable patients
  (ADSL.EFFFL) whose primary response is decided - the primary analysis's denominator - and
  the stage-1 count, both from :func:`inodli.report.stage1.stage1_cohort`, the one
  definition of stage 1 that the design-adjusted primary analysis uses too;
- VOD/SOS: treated patients with a treatment-emergent AE "Sinusoidal obstruction syndrome"
  (CTCAE v5.0; "veno-occlusive" in the verbatim term is accepted too);
- grade III-IV acute GVHD after DLI: DLI recipients with an AE "Acute graft versus host
  disease" of grade >= 3 starting on or after their first DLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import pandas as pd

from inodli.adam.adrs import PrimaryWindow
from inodli.design.trial import TRIAL_DESIGN, MonitoringStatus, TrialDesign, trial_monitoring_status
from inodli.report._frames import flag, require_columns
from inodli.report.stage1 import Stage1Cohort, stage1_cohort

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
    """What the rules are applied to (see the module docstring for each definition).

    ``stage1`` is the stage-1 cohort the counts came from (None for counts given by hand);
    :func:`monitoring_status` reads it when the stage-1 count is not settled.
    """

    responses: int
    evaluable: int
    stage1_responses: int | None
    vod_events: int
    vod_patients: int
    agvhd_events: int
    agvhd_patients: int
    stage1: Stage1Cohort | None = field(default=None, repr=False)

    def toxicity_events(self) -> dict[str, tuple[int, int]]:
        return {
            "VOD/SOS": (self.vod_events, self.vod_patients),
            "grade III-IV acute GVHD after DLI": (self.agvhd_events, self.agvhd_patients),
        }

    def as_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                ("CR/CRi at the primary assessment", self.responses, self.evaluable,
                 "efficacy-evaluable patients whose primary response is known"),
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

    ``n1`` is the stage-1 size: ``stage1_responses`` is the stage-1 count of
    :func:`inodli.report.stage1.stage1_cohort` (None while stage 1 is incomplete or its
    count undetermined). ``pending`` (see :func:`primary_pending`) are left out of the
    response counts. ADSL needs EFFFL, EOSSTT and RFICDT for the response counts.
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL", "DLIFL", "DLIDT", "TRTSDT"])
    require_columns(adae, "adae", ["USUBJID", "AETERM", "ATOXGR", "ASTDT", "TRTEMFL"])
    cohort = stage1_cohort(adsl, adrs, n1=n1, pending=pending)
    treated = adsl[flag(adsl["SAFFL"])]
    emergent = adae[flag(adae["TRTEMFL"]) & adae["USUBJID"].isin(treated["USUBJID"])]
    terms = emergent["AETERM"].astype(str).str.lower()
    vod = emergent.loc[terms.str.contains(VOD_PATTERN, regex=True), "USUBJID"].nunique()
    dli = treated[flag(treated["DLIFL"])].set_index("USUBJID")["DLIDT"]
    gvhd = emergent[
        terms.str.contains(AGVHD_PATTERN, regex=True)
        & (pd.to_numeric(emergent["ATOXGR"], errors="coerce") >= 3)
        & emergent["USUBJID"].isin(dli.index)
    ]
    # A merge, not Series.map: pandas cannot map through an empty datetime Series (no DLI
    # recipient yet), it raises TypeError.
    first_dli = dli.rename("FIRSTDLI").reset_index()
    gvhd = gvhd[["USUBJID", "ASTDT"]].merge(first_dli, on="USUBJID")
    gvhd = gvhd[gvhd["ASTDT"] >= gvhd["FIRSTDLI"]]
    return MonitoringCounts(
        responses=len(cohort.responders),
        evaluable=len(cohort.evaluable),
        stage1_responses=cohort.count,
        vod_events=int(vod),
        vod_patients=len(treated),
        agvhd_events=int(gvhd["USUBJID"].nunique()),
        agvhd_patients=len(dli),
        stage1=cohort,
    )


def monitoring_status(
    counts: MonitoringCounts, design: TrialDesign = TRIAL_DESIGN
) -> MonitoringStatus:
    """The design's decision for ``counts`` (:func:`inodli.design.trial_monitoring_status`).

    More than ``design.n`` evaluable patients cannot happen in this trial; the counts are
    capped at ``n`` so the design can still speak (the extra patients are reported as such by
    the caller).

    When ``n1`` or more patients are evaluable but the stage-1 count is not settled (a
    patient who may still belong to stage 1 awaits the primary assessment, or same-day
    consents leave it undetermined), the stage-1 rule cannot have been decided yet: the
    efficacy rule is applied to the patients certainly in stage 1 (fewer than ``n1``, so the
    design can only continue) and a last sentence gives the reason from ``counts.stage1``.
    """
    n = design.n
    evaluable = min(counts.evaluable, n)
    responses = min(counts.responses, evaluable)
    toxicity = {k: (min(e, min(p, n)), min(p, n)) for k, (e, p) in counts.toxicity_events().items()}
    cohort = counts.stage1
    if counts.stage1_responses is None and cohort is not None and evaluable >= design.n1:
        known = cohort.members
        status = trial_monitoring_status(
            design,
            responses=sum(u in cohort.responders for u in known),
            evaluable=len(known),
            toxicity_events=toxicity,
        )
        reason = cohort.status[:1].upper() + cohort.status[1:]
        note = (
            f"{reason} The stage-1 rule is applied above to the {len(known)} patient(s) "
            f"certainly in stage 1; {counts.evaluable} patients are evaluable in all "
            f"({counts.responses} with CR/CRi)."
        )
        return MonitoringStatus(
            status.decision, status.boundary_crossed, (*status.explanation, note)
        )
    return trial_monitoring_status(
        design,
        responses=responses,
        evaluable=evaluable,
        toxicity_events=toxicity,
        stage1_responses=counts.stage1_responses,
    )
