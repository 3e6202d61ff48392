"""ADRS: response by visit, best overall response, CR/CRi at the primary assessment, MRD.

One row per subject and parameter (and per assessment for OVRLRESP). Every row names its source
record in SRCDOM/SRCVAR/SRCSEQ. Only the safety population (TRTSDT present) is included.

Parameters (PARAMCD)
--------------------
OVRLRESP  response at each RS assessment on or after the first dose; AVALC = RSSTRESC.
BOR       best overall response: the best-ranked OVRLRESP by :data:`RESPONSE_ORDER`
          (CR > CRI > MLFS > PR > REFRACTORY > AD > PD > RELAPSE > NE), the earliest on ties;
          ``NE`` without a source when the subject has no assessment.
CRCRI     CR or CRi at any assessment (AVALC Y/N; source: the first CR/CRi).
CRPRIM    the primary endpoint: CR or CRi at the primary assessment, "1 month after InO
          treatment" (trial record). The window is the PRIMARY visit of
          :func:`inodli.protocol.schedule.visit_schedule` (30 days after cycle 2 day 15, +-7
          days; cycle 1 counted as 28 days when cycle 2 started on Day 29 or later). The
          assessment closest to the target day is used (the earlier on ties). ``N`` when
          no assessment falls in the window, or a relapse/progression or death came first
          (non-responder imputation); source is then the record that decided it, if any.
MRDNEG    MRD negativity: ``Y`` if any marrow on or after the first dose has MBNEGFL ``Y``
          (source: the first such MB record), else ``N``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from inodli.adam._dates import study_day
from inodli.adam.raw import RawStudy
from inodli.errors import InputError
from inodli.protocol.schedule import visit_schedule

__all__ = [
    "RESPONSE_ORDER",
    "PrimaryWindow",
    "derive_adrs",
    "derive_param_bor",
    "derive_param_crcri",
    "derive_param_crprim",
    "derive_param_mrdneg",
    "derive_param_ovrlresp",
    "primary_windows",
]

RESPONSE_ORDER: tuple[str, ...] = (
    "CR",
    "CRI",
    "MLFS",
    "PR",
    "REFRACTORY",
    "AD",
    "PD",
    "RELAPSE",
    "NE",
)
"""Best first. MLFS and PR are not responses but rank above refractory or active disease."""
RESPONDER_CODES = ("CR", "CRI")
PROGRESSION_CODES = ("PD", "RELAPSE")
PARAMS = {
    "OVRLRESP": "Overall Response by Visit",
    "BOR": "Best Overall Response",
    "CRCRI": "CR or CRi at Any Assessment",
    "CRPRIM": "CR or CRi at Primary Assessment (1 Month)",
    "MRDNEG": "MRD Negative at Any Marrow",
}
_COLUMNS = [
    "STUDYID",
    "USUBJID",
    "PARAMCD",
    "PARAM",
    "AVALC",
    "AVAL",
    "ADT",
    "ADY",
    "VISIT",
    "SRCDOM",
    "SRCVAR",
    "SRCSEQ",
    "RSOVRFL",
]


@dataclass(frozen=True)
class PrimaryWindow:
    """The primary assessment window of one subject (closed interval of dates)."""

    usubjid: str
    target: pd.Timestamp
    start: pd.Timestamp
    end: pd.Timestamp


def _base(adsl: pd.DataFrame) -> pd.DataFrame:
    return adsl.loc[adsl["TRTSDT"].notna(), ["STUDYID", "USUBJID", "TRTSDT"]]


def _assessments(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    rs = raw.rs.merge(_base(adsl), on="USUBJID")
    rs = rs[rs["RSDTC"] >= rs["TRTSDT"]]
    return rs.sort_values(["USUBJID", "RSDTC", "RSSEQ"]).reset_index(drop=True)


def _finish(rows: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    rows = rows.copy()
    rows["PARAMCD"], rows["PARAM"] = paramcd, PARAMS[paramcd]
    rows["ADY"] = study_day(rows["ADT"].astype("datetime64[ns]"), rows["TRTSDT"])
    for column, default in (("VISIT", ""), ("RSOVRFL", ""), ("SRCDOM", ""), ("SRCVAR", "")):
        rows[column] = rows[column].fillna(default) if column in rows else default
    rows["AVAL"] = rows["AVAL"].astype("float64")
    rows["SRCSEQ"] = rows["SRCSEQ"].astype("float64")
    return rows[_COLUMNS]


def derive_param_ovrlresp(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """OVRLRESP rows: one per RS record on or after TRTSDT; AVAL is the rank in RESPONSE_ORDER
    (1 = CR)."""
    rs = _assessments(adsl, raw)
    rows = rs.assign(
        AVALC=rs["RSSTRESC"],
        ADT=rs["RSDTC"],
        SRCDOM="RS",
        SRCVAR="RSSTRESC",
        SRCSEQ=rs["RSSEQ"],
        AVAL=rs["RSSTRESC"].map(lambda c: RESPONSE_ORDER.index(c) + 1),
    )
    return _finish(rows, "OVRLRESP")


def derive_param_bor(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """BOR rows, one per treated subject (see the module docstring for the ordering)."""
    ovr = derive_param_ovrlresp(adsl, raw).sort_values(["USUBJID", "AVAL", "ADT", "SRCSEQ"])
    best = ovr.groupby("USUBJID").first().reset_index()
    rows = _base(adsl).merge(best.drop(columns=["STUDYID"]), on="USUBJID", how="left")
    none = rows["AVALC"].isna()
    rows.loc[none, "AVALC"] = "NE"
    rows.loc[none, "AVAL"] = float(len(RESPONSE_ORDER))
    return _finish(rows, "BOR")


def _flag_rows(base: pd.DataFrame, hits: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    rows = base.merge(hits, on="USUBJID", how="left")
    found = rows["ADT"].notna()
    rows["AVALC"] = found.map({True: "Y", False: "N"})
    rows["AVAL"] = found.astype("float64")
    return _finish(rows, paramcd)


def derive_param_crcri(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """CRCRI rows: ``Y`` with the first CR/CRi assessment as source, else ``N``."""
    rs = _assessments(adsl, raw)
    first = rs[rs["RSSTRESC"].isin(RESPONDER_CODES)].groupby("USUBJID").first().reset_index()
    hits = first.assign(ADT=first["RSDTC"], SRCDOM="RS", SRCVAR="RSSTRESC", SRCSEQ=first["RSSEQ"])
    return _flag_rows(
        _base(adsl),
        hits[["USUBJID", "ADT", "VISIT", "SRCDOM", "SRCVAR", "SRCSEQ", "RSOVRFL"]],
        "CRCRI",
    )


def primary_windows(adsl: pd.DataFrame, raw: RawStudy) -> dict[str, PrimaryWindow]:
    """The PRIMARY visit window of every treated subject, from the protocol's visit schedule."""
    cycle2 = raw.ex[(raw.ex["EXCYCLE"] == 2) & (raw.ex["EXDAY"] == 1)]
    c2d1 = {str(k): v for k, v in cycle2.groupby("USUBJID")["EXSTDTC"].min().items()}
    windows: dict[str, PrimaryWindow] = {}
    base = _base(adsl)
    for usubjid, first in zip(base["USUBJID"], base["TRTSDT"], strict=True):
        first = pd.Timestamp(first)
        start = c2d1.get(str(usubjid))
        extended = start is not None and (pd.Timestamp(start) - first).days >= 28
        visit = visit_schedule(first.date(), cycle1_days=28 if extended else 21)
        primary = visit.visit("PRIMARY")
        windows[str(usubjid)] = PrimaryWindow(
            str(usubjid),
            pd.Timestamp(primary.target_date),
            pd.Timestamp(primary.window_start),
            pd.Timestamp(primary.window_end),
        )
    return windows


def _hit(usubjid: str, flag: str, rec: dict[str, Any]) -> tuple[Any, ...]:
    return (
        usubjid,
        flag,
        rec["RSDTC"],
        rec["VISIT"],
        "RS",
        "RSSTRESC",
        rec["RSSEQ"],
        rec["RSOVRFL"],
    )


def derive_param_crprim(
    adsl: pd.DataFrame, raw: RawStudy, windows: dict[str, PrimaryWindow] | None = None
) -> pd.DataFrame:
    """CRPRIM rows, the primary endpoint (cases in the module docstring).

    ``windows`` overrides :func:`primary_windows` (e.g. for a sensitivity analysis).
    """
    windows = primary_windows(adsl, raw) if windows is None else windows
    rs = _assessments(adsl, raw)
    deaths = adsl.set_index("USUBJID")["DTHDT"]
    by_subject: dict[str, list[dict[str, Any]]] = {}
    for record in rs.to_dict(orient="records"):  # date order; plain dicts are fast to scan
        by_subject.setdefault(str(record["USUBJID"]), []).append(
            {str(k): v for k, v in record.items()}
        )
    hits = []
    for usubjid in _base(adsl)["USUBJID"]:
        if usubjid not in windows:
            raise InputError("windows", "a PrimaryWindow for every treated subject", usubjid)
        window = windows[usubjid]
        own = by_subject.get(str(usubjid), [])
        early = [r for r in own if r["RSSTRESC"] in PROGRESSION_CODES and r["RSDTC"] < window.start]
        inside = [r for r in own if window.start <= r["RSDTC"] <= window.end]
        death = deaths.get(usubjid)
        if early:
            hits.append(_hit(usubjid, "N", early[0]))
        elif pd.notna(death) and death < window.start:
            hits.append((usubjid, "N", death, "", "DM", "DTHDTC", float("nan"), ""))
        elif not inside:
            hits.append((usubjid, "N", pd.NaT, "", "", "", float("nan"), ""))
        else:
            # Closest to the target day; min() keeps the first (earlier) record on ties.
            rec = min(inside, key=lambda r: abs((r["RSDTC"] - window.target).days))
            hits.append(_hit(usubjid, "Y" if rec["RSSTRESC"] in RESPONDER_CODES else "N", rec))
    rows = pd.DataFrame(
        hits, columns=["USUBJID", "AVALC", "ADT", "VISIT", "SRCDOM", "SRCVAR", "SRCSEQ", "RSOVRFL"]
    )
    rows = _base(adsl).merge(rows, on="USUBJID")
    rows["ADT"] = rows["ADT"].astype("datetime64[ns]")
    rows["AVAL"] = (rows["AVALC"] == "Y").astype("float64")
    return _finish(rows, "CRPRIM")


def derive_param_mrdneg(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """MRDNEG rows: ``Y`` with the first MRD-negative marrow on or after TRTSDT, else ``N``."""
    mb = raw.mb.merge(_base(adsl), on="USUBJID")
    mb = mb[(mb["MBDTC"] >= mb["TRTSDT"]) & (mb["MBNEGFL"] == "Y")]
    first = mb.sort_values(["USUBJID", "MBDTC", "MBSEQ"]).groupby("USUBJID").first().reset_index()
    hits = pd.DataFrame(
        {
            "USUBJID": first["USUBJID"],
            "ADT": first["MBDTC"],
            "SRCDOM": "MB",
            "SRCVAR": "MBNEGFL",
            "SRCSEQ": first["MBSEQ"],
        }
    )
    return _flag_rows(_base(adsl), hits, "MRDNEG")


def derive_adrs(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """ADRS: OVRLRESP, BOR, CRCRI, CRPRIM and MRDNEG rows, sorted by USUBJID, PARAMCD, ADT."""
    parts = [
        derive_param_ovrlresp(adsl, raw),
        derive_param_bor(adsl, raw),
        derive_param_crcri(adsl, raw),
        derive_param_crprim(adsl, raw),
        derive_param_mrdneg(adsl, raw),
    ]
    filled = [p for p in parts if not p.empty]
    if not filled:
        return parts[0]
    adrs = pd.concat(filled, ignore_index=True)
    return adrs.sort_values(["USUBJID", "PARAMCD", "ADT"], kind="stable").reset_index(drop=True)
