"""A small literal study: one subject per censoring case, with dates chosen for hand arithmetic.

S01 responder alive at the cut-off      S02 refractory, lost to follow-up
S03 CR then death without relapse (NRM) S04 CR, DLI, relapse, then death from relapse
S05 CR, relapse after the 2-year horizon S06 enrolled, never treated
S07 one dose, withdrew consent before any assessment
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from inodli.adam.raw import RawStudy

CUTOFF = "2025-12-31"


def _dm(usubjid: str, first: str | None, death: str | None = None) -> dict[str, Any]:
    return {
        "USUBJID": usubjid,
        "SUBJID": usubjid[-2:],
        "SITEID": "ZJU1",
        "RFICDTC": "2022-12-01",
        "RFSTDTC": first,
        "RFENDTC": None,
        "AGE": 30 + int(usubjid[-1]) * 5,
        "SEX": "F" if int(usubjid[-1]) % 2 else "M",
        "DISTYPE": "B-ALL",
        "PHSTAT": "NEGATIVE",
        "CD22PCT": 90.0,
        "HSCTDTC": "2022-01-15",
        "DONORTYP": "HAPLOIDENTICAL",
        "RELAPDTC": "2022-11-20",
        "DTHDTC": death,
        "DTHFL": "Y" if death else None,
    }


def _ex(usubjid: str, seq: int, cycle: int, day: int, date: str, dose: float) -> dict[str, Any]:
    return {
        "USUBJID": usubjid,
        "EXSEQ": seq,
        "EXCYCLE": cycle,
        "EXDAY": day,
        "EXSTDTC": date,
        "EXDOSE": dose,
        "EXDOSMG": round(dose * 1.7, 2),
        "EXBSA": 1.7,
    }


def _rs(usubjid: str, seq: int, visit: str, date: str, code: str) -> dict[str, Any]:
    return {
        "USUBJID": usubjid,
        "RSSEQ": seq,
        "VISIT": visit,
        "RSDTC": date,
        "RSSTRESC": code,
        "RSOVRFL": "N",
    }


def _ae(
    usubjid: str, seq: int, term: str, soc: str, grade: int, start: str, **flags: Any
) -> dict[str, Any]:
    row = {
        "USUBJID": usubjid,
        "AESEQ": seq,
        "AETERM": term,
        "AESOC": soc,
        "AETOXGR": grade,
        "AESTDTC": start,
        "AEENDTC": None,
        "AESER": "N",
        "AEREL": "N",
        "AERELDLI": "N",
        "AESI": "N",
    }
    row.update(flags)
    return row


def _ds(usubjid: str, seq: int, decod: str, date: str, cause: str | None = None) -> dict[str, Any]:
    return {"USUBJID": usubjid, "DSSEQ": seq, "DSDECOD": decod, "DSSTDTC": date, "DSCAUSE": cause}


def literal_frames() -> dict[str, pd.DataFrame]:
    """The raw frames of the literal study (mutable copies, for bad-input tests)."""
    dm = [
        _dm("S01", "2025-01-01"),
        _dm("S02", "2025-02-01"),
        _dm("S03", "2025-01-10", "2025-04-15"),
        _dm("S04", "2025-01-01", "2025-06-10"),
        _dm("S05", "2023-01-01"),
        _dm("S06", None),
        _dm("S07", "2025-03-01"),
    ]
    ex = [
        _ex("S01", 1, 1, 1, "2025-01-01", 0.8),
        _ex("S01", 2, 1, 8, "2025-01-08", 0.5),
        _ex("S01", 3, 1, 15, "2025-01-15", 0.5),
        _ex("S01", 4, 2, 1, "2025-01-22", 0.5),
        _ex("S02", 1, 1, 1, "2025-02-01", 0.8),
        _ex("S03", 1, 1, 1, "2025-01-10", 0.8),
        _ex("S04", 1, 1, 1, "2025-01-01", 0.8),
        _ex("S05", 1, 1, 1, "2023-01-01", 0.8),
        _ex("S07", 1, 1, 1, "2025-03-01", 0.8),
    ]
    rs = [
        _rs("S01", 1, "EOC1", "2025-01-21", "CRI"),
        _rs("S01", 2, "PRIMARY", "2025-03-07", "CR"),
        _rs("S01", 3, "FU-M06", "2025-06-30", "CR"),
        _rs("S02", 1, "EOC1", "2025-02-21", "REFRACTORY"),
        _rs("S03", 1, "EOC1", "2025-01-31", "CR"),
        _rs("S04", 1, "EOC1", "2025-01-21", "CR"),
        _rs("S04", 2, "PRIMARY", "2025-03-07", "CR"),
        _rs("S04", 3, "FU-M04", "2025-05-01", "RELAPSE"),
        _rs("S05", 1, "EOC1", "2023-01-21", "CR"),
        _rs("S05", 2, "FU-M18", "2024-06-01", "CR"),
        _rs("S05", 3, "UNSCHED", "2025-03-01", "RELAPSE"),
    ]
    ae = [
        _ae("S01", 1, "Nausea", "Gastrointestinal disorders", 1, "2025-01-02"),
        _ae("S01", 2, "Nausea", "Gastrointestinal disorders", 2, "2025-01-10"),
        _ae(
            "S01",
            3,
            "Sinusoidal obstruction syndrome",
            "Hepatobiliary disorders",
            3,
            "2025-01-15",
            AESER="Y",
            AEREL="Y",
            AESI="Y",
        ),
        _ae("S01", 4, "Fatigue", "General disorders", 1, "2024-12-20"),
        _ae("S01", 5, "Rash maculo-papular", "Skin disorders", 1, "2025-02-21"),
        _ae("S01", 6, "Rash maculo-papular", "Skin disorders", 2, "2025-02-22"),
        {
            **_ae("S02", 1, "Febrile neutropenia", "Blood disorders", 3, "2025-03-10"),
            "AEENDTC": "2025-03-20",
        },
        _ae("S04", 1, "Acute GVHD", "Immune system disorders", 2, "2025-04-10", AERELDLI="Y"),
    ]
    ds = [
        _ds("S01", 1, "LAST KNOWN ALIVE", "2025-07-20"),
        _ds("S02", 1, "LOST TO FOLLOW-UP", "2025-05-01"),
        _ds("S03", 1, "DEATH", "2025-04-15", "NON-RELAPSE"),
        _ds("S04", 1, "DEATH", "2025-06-10", "RELAPSE"),
        _ds("S05", 1, "LAST KNOWN ALIVE", "2025-09-01"),
        _ds("S07", 1, "WITHDRAWAL", "2025-03-05"),
    ]
    pr = [{"USUBJID": "S04", "PRSEQ": 1, "PRTRT": "DLI", "PRSTDTC": "2025-03-20", "PRCD3KG": 1e7}]
    mb = [
        {
            "USUBJID": "S01",
            "MBSEQ": 1,
            "MBDTC": "2025-03-07",
            "MBBLAST": 1.0,
            "MBMRD": 0.0,
            "MBSENS": 0.01,
            "MBNEGFL": "Y",
        },
        {
            "USUBJID": "S04",
            "MBSEQ": 1,
            "MBDTC": "2025-03-07",
            "MBBLAST": 2.0,
            "MBMRD": 0.5,
            "MBSENS": 0.01,
            "MBNEGFL": "N",
        },
    ]
    frames = {"dm": dm, "ex": ex, "rs": rs, "ae": ae, "ds": ds, "pr": pr, "mb": mb}
    return {name: pd.DataFrame(rows) for name, rows in frames.items()}


def literal_study(**changes: Any) -> RawStudy:
    """The literal study; keyword arguments replace frames (``ae=...``)."""
    frames: dict[str, Any] = {**literal_frames(), **changes}
    return RawStudy(
        cutoff=changes.pop("cutoff", CUTOFF), **{k: v for k, v in frames.items() if k != "cutoff"}
    )
