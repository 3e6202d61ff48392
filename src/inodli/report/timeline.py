"""Per-patient timelines (swimmer plot) and marrow blast change (waterfall) from the records.

Both read ADSL (TRTSDT = Day 0, populations, DLI, progression, death, last known alive) and
the raw frames that ADaM does not summarise per visit (EX cycles, PR procedures, RS, MB).
Days are counted from Day 0 = first InO dose (TRTSDT).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inodli.adam.raw import RawStudy
from inodli.report._frames import flag, require_columns

__all__ = ["CYCLE_TAIL_DAYS", "blast_change", "swimmer_data"]

CYCLE_TAIL_DAYS = 7
"""A cycle is drawn from its first dose to 7 days after its last dose (the weekly dosing
interval), or to the next cycle's first dose if that comes sooner."""

RESPONSE_CODES = ("CR", "CRI")


def _days(dates: pd.Series, day0: pd.Series) -> pd.Series:
    return (pd.to_datetime(dates) - pd.to_datetime(day0)).dt.days.astype("float64")


def swimmer_data(raw: RawStudy, adsl: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lanes (one per treated subject) and the events drawn on them.

    Returns
    -------
    lanes : DataFrame
        USUBJID, DLIFL, END (days from Day 0 to LSTALVDT, which is the death date for those
        who died).
    events : DataFrame
        USUBJID, KIND, DAY, CYCLE, END: InO cycles (KIND CYCLE), DLI and INTRATHECAL
        procedures (PR), the first CR/CRi (RS), relapse/progression (ADSL.PROGDT) and death
        (ADSL.DTHDT).
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL", "TRTSDT", "LSTALVDT", "DLIFL"])
    treated = adsl[flag(adsl["SAFFL"])].set_index("USUBJID")
    day0 = treated["TRTSDT"]
    lanes = pd.DataFrame(
        {
            "USUBJID": treated.index,
            "DLIFL": treated["DLIFL"].to_numpy(),
            "END": _days(treated["LSTALVDT"], day0).clip(lower=1.0).to_numpy(),
        }
    )
    pieces = [_cycles(raw.ex, day0)]
    pr = raw.pr[raw.pr["USUBJID"].isin(day0.index)]
    pieces.append(
        pd.DataFrame(
            {
                "USUBJID": pr["USUBJID"],
                "KIND": pr["PRTRT"],
                "DAY": _days(pr["PRSTDTC"], pr["USUBJID"].map(day0)),
            }
        )
    )
    rs = raw.rs[raw.rs["USUBJID"].isin(day0.index) & raw.rs["RSSTRESC"].isin(RESPONSE_CODES)]
    rs = rs.assign(DAY=_days(rs["RSDTC"], rs["USUBJID"].map(day0)))
    first = rs[rs["DAY"] >= 0].sort_values("DAY").groupby("USUBJID", as_index=False).first()
    pieces.append(
        pd.DataFrame({"USUBJID": first["USUBJID"], "KIND": "CR/CRi", "DAY": first["DAY"]})
    )
    for kind, column in (("RELAPSE", "PROGDT"), ("DEATH", "DTHDT")):
        if column not in treated.columns:
            continue
        dates = treated[column].dropna()
        pieces.append(
            pd.DataFrame(
                {
                    "USUBJID": dates.index,
                    "KIND": kind,
                    "DAY": _days(dates, day0[dates.index]).to_numpy(),
                }
            )
        )
    events = pd.concat(pieces, ignore_index=True)
    for column in ("CYCLE", "END"):
        if column not in events.columns:
            events[column] = np.nan
    events = events[events["DAY"].notna() & (events["DAY"] >= 0)]
    return lanes, events[["USUBJID", "KIND", "DAY", "CYCLE", "END"]].reset_index(drop=True)


def _cycles(ex: pd.DataFrame, day0: pd.Series) -> pd.DataFrame:
    ex = ex[ex["USUBJID"].isin(day0.index)]
    if ex.empty:
        return pd.DataFrame(columns=["USUBJID", "KIND", "DAY", "CYCLE", "END"])
    days = ex.assign(D=_days(ex["EXSTDTC"], ex["USUBJID"].map(day0)))
    cycles = days.groupby(["USUBJID", "EXCYCLE"], as_index=False).agg(
        DAY=("D", "min"), LAST=("D", "max")
    )
    cycles = cycles.sort_values(["USUBJID", "EXCYCLE"])
    following = cycles.groupby("USUBJID")["DAY"].shift(-1)
    end = np.minimum(cycles["LAST"] + CYCLE_TAIL_DAYS, following.fillna(np.inf))
    return pd.DataFrame(
        {
            "USUBJID": cycles["USUBJID"],
            "KIND": "CYCLE",
            "DAY": cycles["DAY"],
            "CYCLE": cycles["EXCYCLE"].astype("float64"),
            "END": end,
        }
    )


def blast_change(raw: RawStudy, adsl: pd.DataFrame, best_response: pd.Series) -> pd.DataFrame:
    """Best (lowest) post-baseline marrow blasts against baseline, per treated subject.

    Baseline is the last MB.MBBLAST on or before Day 0; post-baseline values are those after
    Day 0. PCHG = 100 (best - baseline) / baseline, capped at +100 so that one large rise
    does not flatten the plot. Subjects without a baseline > 0 or without a post-baseline
    value are left out (they cannot have a percent change).

    Parameters
    ----------
    best_response : Series
        Best overall response per USUBJID (colours the bars; "" where unknown).

    Returns
    -------
    DataFrame
        USUBJID, BASE, BEST, PCHG, BOR.
    """
    require_columns(adsl, "adsl", ["USUBJID", "SAFFL", "TRTSDT"])
    day0 = adsl[flag(adsl["SAFFL"])].set_index("USUBJID")["TRTSDT"]
    mb = raw.mb[raw.mb["USUBJID"].isin(day0.index)].dropna(subset=["MBBLAST"])
    mb = mb.assign(DAY=_days(mb["MBDTC"], mb["USUBJID"].map(day0)))
    base = mb[mb["DAY"] <= 0].sort_values(["DAY", "MBSEQ"]).groupby("USUBJID")["MBBLAST"].last()
    best = mb[mb["DAY"] > 0].groupby("USUBJID")["MBBLAST"].min()
    both = pd.concat({"BASE": base, "BEST": best}, axis=1).dropna()
    both = both[both["BASE"] > 0]
    both["PCHG"] = np.minimum(100.0 * (both["BEST"] - both["BASE"]) / both["BASE"], 100.0)
    both["BOR"] = best_response.reindex(both.index).fillna("").astype(str).to_numpy()
    return both.rename_axis("USUBJID").reset_index()


def baseline_blasts(raw: RawStudy, adsl: pd.DataFrame) -> pd.Series:
    """Marrow blasts (%) at baseline (last MB on or before TRTSDT) per USUBJID."""
    day0 = adsl.set_index("USUBJID")["TRTSDT"].dropna()
    mb = raw.mb[raw.mb["USUBJID"].isin(day0.index)].dropna(subset=["MBBLAST"])
    mb = mb.assign(DAY=_days(mb["MBDTC"], mb["USUBJID"].map(day0)))
    return mb[mb["DAY"] <= 0].sort_values(["DAY", "MBSEQ"]).groupby("USUBJID")["MBBLAST"].last()
