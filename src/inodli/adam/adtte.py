"""ADTTE: OS, PFS, DOR and the competing risks of relapse (CIR) and non-relapse mortality (NRM).

Conventions
-----------
- Day 0 is the first InO dose (ADSL.TRTSDT); AVAL = ADT - STARTDT in days, so an event on
  the day of the first dose has AVAL 0. R's ``survival`` and ``cmprsk`` take these times as
  given (no +1). DOR starts at the first CR/CRi (STARTDT = that assessment date).
- Only the safety population (TRTSDT present) has ADTTE rows; DOR only responders.
- Event: the earliest date among the parameter's event sources (the first declared source
  wins a tie). Censoring, when there is no event: the first declared censoring source that
  applies to the subject and has a record.
- Two-year horizon: the trial record's time frame for every time-to-event outcome is 2 years,
  counted from the first dose. An event or censoring date later than TRTSDT + 730 days is
  replaced by that date with CNSR 4 (administrative censoring).
- CNSR: 0 event; 1 event-free at the data cut-off (last assessment or last known alive);
  2 lost to follow-up; 3 withdrew consent; 4 administrative censoring at 730 days; 5 no
  assessment after the start (censored at Day 0); 6 the competing event occurred first
  (CIR: death without relapse; NRM: relapse/progression); 7 off study for another reason.
- CRSTAT, on CIR and NRM rows: 0 censored, 1 relapse/progression, 2 death without prior
  relapse/progression (NRM, whatever the recorded cause, the usual transplant definition),
  except that a death with DSCAUSE ``RELAPSE`` and no recorded relapse counts as relapse.
  Use AVAL with CRSTAT for cumulative incidence (``cmprsk::cuminc(ftime, fstatus)``).

Every row names its source record in SRCDOM/SRCVAR/SRCSEQ and its reason in EVNTDESC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from inodli.adam.adrs import PROGRESSION_CODES, RESPONDER_CODES
from inodli.adam.raw import RawStudy

__all__ = [
    "HORIZON_DAYS",
    "TteSource",
    "derive_adtte",
    "derive_param_cir_nrm",
    "derive_param_dor",
    "derive_param_os",
    "derive_param_pfs",
    "derive_param_tte",
    "tte_records",
]

HORIZON_DAYS = 730
"""Two years (2 x 365 days): the trial record's time frame for OS, PFS, DOR, CIR and NRM."""
HORIZON_CNSR = 4
Record = dict[str, Any]


@dataclass(frozen=True)
class TteSource:
    """An event or censoring source: which records (``kind`` in :func:`tte_records`), which
    CNSR code and description, for which subjects (``when``: a DCSREAS value or ``None`` for
    all), and the competing-risk status it sets (``crstat``)."""

    kind: str
    cnsr: int
    evntdesc: str
    when: str | None = None
    crstat: int = 0


def tte_records(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """Candidate dated records for time-to-event sources, one frame with KIND, USUBJID, ADT,
    SRCDOM, SRCVAR, SRCSEQ. Kinds: DEATH, DEATH_RELAPSE (death with cause RELAPSE),
    DEATH_NONREL (other causes), PROGRESSION (RS PD/RELAPSE), RESPONSE (RS CR/CRi),
    ASSESSMENT_FREE (RS neither progression nor NE), LAST_ALIVE (ADSL.LSTALVDT, traced to
    its record through LALVDOM/LALVVAR/LALVSEQ), FIRST_DOSE (ADSL.TRTSDT)."""
    treated = adsl[adsl["TRTSDT"].notna()]
    rs = raw.rs.merge(treated[["USUBJID", "TRTSDT"]], on="USUBJID")
    rs = rs[rs["RSDTC"] >= rs["TRTSDT"]]
    parts = []

    def add(kind: str, frame: pd.DataFrame, date: str, dom: str, var: str, seq: str | None) -> None:
        parts.append(
            pd.DataFrame(
                {
                    "KIND": kind,
                    "USUBJID": frame["USUBJID"],
                    "ADT": frame[date],
                    "SRCDOM": dom,
                    "SRCVAR": var,
                    "SRCSEQ": frame[seq] if seq else float("nan"),
                }
            )
        )

    dead = treated[treated["DTHDT"].notna()]
    add("DEATH", dead, "DTHDT", "DM", "DTHDTC", None)
    add("DEATH_RELAPSE", dead[dead["DTHCAUS"] == "RELAPSE"], "DTHDT", "DM", "DTHDTC", None)
    add("DEATH_NONREL", dead[dead["DTHCAUS"] != "RELAPSE"], "DTHDT", "DM", "DTHDTC", None)
    add(
        "PROGRESSION",
        rs[rs["RSSTRESC"].isin(PROGRESSION_CODES)],
        "RSDTC",
        "RS",
        "RSSTRESC",
        "RSSEQ",
    )
    add("RESPONSE", rs[rs["RSSTRESC"].isin(RESPONDER_CODES)], "RSDTC", "RS", "RSSTRESC", "RSSEQ")
    free = rs[~rs["RSSTRESC"].isin((*PROGRESSION_CODES, "NE"))]
    add("ASSESSMENT_FREE", free, "RSDTC", "RS", "RSDTC", "RSSEQ")
    parts.append(
        pd.DataFrame(
            {
                "KIND": "LAST_ALIVE",
                "USUBJID": treated["USUBJID"],
                "ADT": treated["LSTALVDT"],
                "SRCDOM": treated["LALVDOM"],
                "SRCVAR": treated["LALVVAR"],
                "SRCSEQ": treated["LALVSEQ"],
            }
        )
    )
    add("FIRST_DOSE", treated, "TRTSDT", "ADSL", "TRTSDT", None)
    out = pd.concat(parts, ignore_index=True)
    out["SRCSEQ"] = out["SRCSEQ"].astype("float64")
    return out.sort_values(["USUBJID", "ADT", "SRCSEQ"], kind="stable").reset_index(drop=True)


def derive_param_tte(
    adsl: pd.DataFrame,
    records: pd.DataFrame,
    *,
    paramcd: str,
    param: str,
    events: tuple[TteSource, ...],
    censors: tuple[TteSource, ...],
    start: pd.Series | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> pd.DataFrame:
    """One time-to-event parameter from declared sources (rules in the module docstring).

    ``start`` maps USUBJID to the origin date (default TRTSDT); subjects absent from it get no
    row. Creates STUDYID, USUBJID, PARAMCD, PARAM, STARTDT, ADT, AVAL, CNSR, CRSTAT, EVNTDESC,
    SRCDOM, SRCVAR, SRCSEQ, DLIFL.
    """
    treated = adsl[adsl["TRTSDT"].notna()].set_index("USUBJID")
    origin = treated["TRTSDT"] if start is None else start.dropna()
    subjects = treated.to_dict(orient="index")
    # Plain records grouped by subject and kind, in date order (pandas row access is slow).
    by_subject: dict[str, dict[str, list[Record]]] = {}
    for record in _plain(records):
        by_subject.setdefault(str(record["USUBJID"]), {}).setdefault(
            str(record["KIND"]), []
        ).append(record)
    rows = []
    for usubjid, startdt in origin.items():
        subject = subjects[str(usubjid)]
        own = {
            kind: [r for r in found if r["ADT"] >= startdt]
            for kind, found in by_subject.get(str(usubjid), {}).items()
        }
        chosen = _first_event(own, events)
        if chosen is None:
            chosen = _censoring(own, censors, str(subject["DCSREAS"]))
        source, chosen_record = chosen
        adt, cnsr, desc, crstat = chosen_record["ADT"], source.cnsr, source.evntdesc, source.crstat
        horizon = subject["TRTSDT"] + pd.Timedelta(days=horizon_days)
        srcdom, srcvar, srcseq = (chosen_record[k] for k in ("SRCDOM", "SRCVAR", "SRCSEQ"))
        if adt > horizon:
            adt, cnsr, crstat = horizon, HORIZON_CNSR, 0
            desc = f"ADMINISTRATIVE CENSORING AT {horizon_days} DAYS"
            srcdom, srcvar, srcseq = "ADSL", "TRTSDT", float("nan")
        rows.append(
            {
                "STUDYID": subject["STUDYID"],
                "USUBJID": usubjid,
                "PARAMCD": paramcd,
                "PARAM": param,
                "STARTDT": startdt,
                "ADT": adt,
                "AVAL": float((adt - startdt).days),
                "CNSR": cnsr,
                "CRSTAT": crstat,
                "EVNTDESC": desc,
                "SRCDOM": srcdom,
                "SRCVAR": srcvar,
                "SRCSEQ": srcseq,
                "DLIFL": subject["DLIFL"],
            }
        )
    columns = [
        "STUDYID",
        "USUBJID",
        "PARAMCD",
        "PARAM",
        "STARTDT",
        "ADT",
        "AVAL",
        "CNSR",
        "CRSTAT",
        "EVNTDESC",
        "SRCDOM",
        "SRCVAR",
        "SRCSEQ",
        "DLIFL",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["SRCSEQ"] = out["SRCSEQ"].astype("float64")
    out["AVAL"] = out["AVAL"].astype("float64")
    for column in ("CNSR", "CRSTAT"):
        out[column] = out[column].astype("int64")
    for column in ("STARTDT", "ADT"):
        out[column] = out[column].astype("datetime64[ns]")
    return out


def _plain(frame: pd.DataFrame) -> list[Record]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _first_event(
    own: dict[str, list[Record]], events: tuple[TteSource, ...]
) -> tuple[TteSource, Record] | None:
    best: tuple[TteSource, Record] | None = None
    for source in events:
        hits = own.get(source.kind, [])
        if hits and (best is None or hits[0]["ADT"] < best[1]["ADT"]):
            best = (source, hits[0])
    return best


def _censoring(
    own: dict[str, list[Record]], censors: tuple[TteSource, ...], reason: str
) -> tuple[TteSource, Record]:
    for source in censors:
        if source.when is not None and source.when != reason:
            continue
        hits = own.get(source.kind, [])
        if hits:
            return source, hits[-1]
    raise AssertionError("every parameter ends with the FIRST_DOSE/start censoring source")


def _censor_set(kind: str, what: str) -> tuple[TteSource, ...]:
    return (
        TteSource(kind, 2, f"LOST TO FOLLOW-UP: {what.upper()}", when="LOST TO FOLLOW-UP"),
        TteSource(kind, 3, f"WITHDREW CONSENT: {what.upper()}", when="WITHDRAWAL"),
        TteSource(kind, 7, f"OFF STUDY: {what.upper()}", when="OFF STUDY"),
        TteSource(kind, 1, f"{what.upper()}"),
    )


DEATH = TteSource("DEATH", 0, "DEATH")
PROGRESSION = TteSource("PROGRESSION", 0, "RELAPSE OR PROGRESSION")
NO_ASSESSMENT = TteSource("FIRST_DOSE", 5, "NO ASSESSMENT AFTER START")


def derive_param_os(adsl: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """OS: first InO dose to death from any cause; censored at the last date known alive."""
    return derive_param_tte(
        adsl,
        records,
        paramcd="OS",
        param="Overall Survival (days)",
        events=(DEATH,),
        censors=_censor_set("LAST_ALIVE", "last known alive"),
    )


def derive_param_pfs(adsl: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """PFS: first InO dose to the first relapse/progression or death; censored at the last
    assessment free of relapse/progression (trial record), or Day 0 without one."""
    censors = (*_censor_set("ASSESSMENT_FREE", "last assessment free of relapse"), NO_ASSESSMENT)
    return derive_param_tte(
        adsl,
        records,
        paramcd="PFS",
        param="Progression-Free Survival (days)",
        events=(PROGRESSION, DEATH),
        censors=censors,
    )


def derive_param_dor(adsl: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """DOR: first CR/CRi to relapse/progression or death, responders only; censored at the last
    assessment free of relapse. STARTDT is the first CR/CRi assessment."""
    first = records[records["KIND"] == "RESPONSE"].groupby("USUBJID")["ADT"].min()
    censors = (
        *_censor_set("ASSESSMENT_FREE", "last assessment free of relapse"),
        TteSource("RESPONSE", 5, "NO ASSESSMENT AFTER START"),
    )
    return derive_param_tte(
        adsl,
        records,
        paramcd="DOR",
        param="Duration of Remission (days)",
        events=(PROGRESSION, DEATH),
        censors=censors,
        start=first,
    )


def derive_param_cir_nrm(adsl: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """CIR and NRM rows from one competing-risks derivation (CRSTAT 1 relapse, 2 NRM)."""
    events = (
        TteSource("PROGRESSION", 0, "RELAPSE OR PROGRESSION", crstat=1),
        TteSource("DEATH_RELAPSE", 0, "DEATH FROM RELAPSE (NO RECORDED RELAPSE)", crstat=1),
        TteSource("DEATH_NONREL", 0, "DEATH WITHOUT RELAPSE", crstat=2),
    )
    censors = (*_censor_set("ASSESSMENT_FREE", "last assessment free of relapse"), NO_ASSESSMENT)
    both = derive_param_tte(adsl, records, paramcd="CIR", param="", events=events, censors=censors)
    cir = both.assign(PARAMCD="CIR", PARAM="Cumulative Incidence of Relapse (days)")
    cir.loc[cir["CRSTAT"] == 2, "CNSR"] = 6
    nrm = both.assign(PARAMCD="NRM", PARAM="Non-Relapse Mortality (days)")
    nrm.loc[nrm["CRSTAT"] == 1, "CNSR"] = 6
    nrm.loc[nrm["CRSTAT"] == 2, "CNSR"] = 0
    cir.loc[cir["CRSTAT"] == 1, "CNSR"] = 0
    return pd.concat([cir, nrm], ignore_index=True)


def derive_adtte(adsl: pd.DataFrame, raw: RawStudy) -> pd.DataFrame:
    """ADTTE with OS, PFS, DOR, CIR and NRM rows, sorted by USUBJID and PARAMCD."""
    records = tte_records(adsl, raw)
    parts = [
        derive_param_os(adsl, records),
        derive_param_pfs(adsl, records),
        derive_param_dor(adsl, records),
        derive_param_cir_nrm(adsl, records),
    ]
    filled = [p for p in parts if not p.empty]
    out = pd.concat(filled, ignore_index=True) if filled else parts[0]
    return out.sort_values(["USUBJID", "PARAMCD"], kind="stable").reset_index(drop=True)
