"""The input contract of the analysis datasets: :class:`RawStudy`, SDTM-like pandas frames.

The EDC extract (``inodli.edc.extract.extract_raw_study``) produces a ``RawStudy``; tests and
the synthetic generator build one literally. Nothing here imports Django.

Frames (one row per record; ``USUBJID`` keys every frame; ``--SEQ`` is unique per subject)
------------------------------------------------------------------------------------------
DM  one row per enrolled (consented) subject: USUBJID, SUBJID, SITEID, RFICDTC (consent),
    RFSTDTC/RFENDTC (first/last InO dose, missing if never dosed), AGE, SEX (M/F/U), DISTYPE
    (B-ALL/LBL), PHSTAT (POSITIVE/NEGATIVE/UNKNOWN), CD22PCT, HSCTDTC (allogeneic HSCT),
    DONORTYP, RELAPDTC (qualifying post-HSCT relapse), DTHDTC, DTHFL (Y or missing). The
    baseline values (AGE to RELAPDTC) may be missing while the baseline forms are incomplete.
EX  InO administrations: EXSEQ, EXCYCLE, EXDAY (day of cycle), EXSTDTC, EXDOSE (mg/m2),
    EXDOSMG (mg), EXBSA (m2).
PR  procedures: PRSEQ, PRTRT (DLI/INTRATHECAL), PRSTDTC, PRCD3KG (CD3+ cells/kg for DLI).
RS  response assessments: RSSEQ, VISIT, RSDTC, RSSTRESC (CR, CRI, MLFS, PR, AD, REFRACTORY,
    PD, RELAPSE, NE), RSOVRFL (Y when the investigator overrode the computed category).
    An on-study relapse or progression is an RS record with RSSTRESC PD or RELAPSE.
MB  marrow and MRD: MBSEQ, MBDTC, MBBLAST (%), MBMRD (%), MBSENS (assay sensitivity %),
    MBNEGFL (Y = MRD negative).
AE  adverse events: AESEQ, AETERM, AESOC, AETOXGR (CTCAE v5.0 worst grade 1-5), AESTDTC,
    AEENDTC, AESER, AEREL (related to InO), AERELDLI (related to DLI), AESI (special interest);
    AETOXGR may be missing when no grade is recorded yet.
DS  disposition: DSSEQ, DSDECOD (DEATH, WITHDRAWAL, LOST TO FOLLOW-UP, LAST KNOWN ALIVE,
    COMPLETED, OFF STUDY for other reasons), DSSTDTC, DSCAUSE (for DEATH: RELAPSE, NON-RELAPSE or UNKNOWN).
LB  optional laboratory results: LBSEQ, LBTESTCD, LBDTC, LBSTRESN, LBSTRESU.

PR, MB and LB may be omitted (empty). Column kinds: ``date`` accepts ``datetime64`` values,
``datetime.date`` objects or ISO ``YYYY-MM-DD`` strings (parsed strictly) and is stored as
``datetime64[ns]`` at midnight; ``flag`` is ``"Y"``/``"N"``; ``code`` is one of the listed
values; missing values (``None``, ``NaN``, ``NaT``, ``""``) are allowed only in nullable
columns and are stored as ``""`` (text) or ``NaN``/``NaT``. Unknown columns are rejected so a
misspelt name cannot silently drop data. Every date must be on or before ``cutoff`` (the data
cut-off): the extract removes later records, so derivations never see the future.

Every problem raises :class:`inodli.errors.InputError` naming the frame and column (``"AE.AETOXGR"``),
what is allowed, the value received and the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from inodli.adam import _rawspec as spec
from inodli.errors import InputError

__all__ = ["RawStudy", "empty_frame"]


def empty_frame(name: str) -> pd.DataFrame:
    """An empty raw frame ``name`` (``"PR"``, ``"MB"``, ...) with its declared columns."""
    if name not in spec.FRAMES:
        raise InputError("frame", " or ".join(spec.FRAMES), name)
    return pd.DataFrame({c.name: pd.Series([], dtype=_dtype(c)) for c in spec.FRAMES[name]})


def _dtype(column: spec.Column) -> Any:
    return {"date": "datetime64[ns]", "int": "Int64", "float": "float64"}.get(column.kind, object)


@dataclass(frozen=True)
class RawStudy:
    """The captured data of the trial at a data cut-off, validated and normalised.

    Parameters
    ----------
    dm, ex, rs, ae, ds : pandas.DataFrame
        Demographics/baseline, InO exposure, responses, adverse events, disposition.
    cutoff : datetime.date or str
        Data cut-off date (ISO string accepted); no record may be dated later.
    pr, mb, lb : pandas.DataFrame, optional
        Procedures (DLI, intrathecal), marrow/MRD and laboratory results; empty if omitted.
    study_id : str
        STUDYID written into every exported dataset.
    """

    dm: pd.DataFrame
    ex: pd.DataFrame
    rs: pd.DataFrame
    ae: pd.DataFrame
    ds: pd.DataFrame
    cutoff: dt.date
    pr: pd.DataFrame = field(default_factory=lambda: empty_frame("PR"))
    mb: pd.DataFrame = field(default_factory=lambda: empty_frame("MB"))
    lb: pd.DataFrame = field(default_factory=lambda: empty_frame("LB"))
    study_id: str = "NCT06861348"

    def __post_init__(self) -> None:
        cutoff = _cutoff(self.cutoff)
        object.__setattr__(self, "cutoff", cutoff)
        for name in spec.FRAMES:
            attribute = name.lower()
            frame = _normalise(name, getattr(self, attribute))
            object.__setattr__(self, attribute, frame)
        _check_keys(self)
        _check_consistency(self)
        _check_cutoff(self, cutoff)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The frames by domain name (DM, EX, PR, RS, MB, AE, DS, LB), as copies."""
        return {name: getattr(self, name.lower()).copy() for name in spec.FRAMES}

    @property
    def cutoff_ts(self) -> pd.Timestamp:
        """The cut-off as a pandas timestamp (midnight)."""
        return pd.Timestamp(self.cutoff)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n}={len(getattr(self, n.lower()))}" for n in spec.FRAMES)
        return f"RawStudy({self.study_id}, cutoff={self.cutoff}, {counts})"


def _cutoff(value: Any) -> dt.date:
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError("cutoff", "a date (datetime.date or ISO YYYY-MM-DD)", value)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _where(frame: pd.DataFrame, position: int) -> str:
    subject = frame["USUBJID"].iloc[position] if "USUBJID" in frame else "?"
    return f"Row {position} (USUBJID {subject!r})."


def _normalise(name: str, frame: Any) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(name, "a pandas DataFrame", type(frame).__name__)
    columns = spec.FRAMES[name]
    declared = [c.name for c in columns]
    missing = [c for c in declared if c not in frame.columns]
    if missing:
        raise InputError(
            f"{name}.{missing[0]}",
            "a column of the frame",
            "no such column",
            f"{name} needs columns {', '.join(declared)}.",
        )
    unknown = [str(c) for c in frame.columns if c not in declared]
    if unknown:
        raise InputError(
            f"{name}.{unknown[0]}",
            f"one of {', '.join(declared)}",
            "an undeclared column",
            "Unknown columns are rejected.",
        )
    frame = frame.reset_index(drop=True)
    out = {c.name: _convert(name, c, frame) for c in columns}
    return pd.DataFrame(out, columns=declared)


def _convert(name: str, column: spec.Column, frame: pd.DataFrame) -> pd.Series:
    values = list(frame[column.name])
    label = f"{name}.{column.name}"
    for position, value in enumerate(values):
        if _missing(value) and not column.nullable:
            raise InputError(
                label, "a value (the column is required)", value, _where(frame, position)
            )
    if column.kind == "date":
        return pd.Series(
            [_date(label, v, frame, i) for i, v in enumerate(values)], dtype="datetime64[ns]"
        )
    if column.kind == "int":
        return pd.Series([_int(label, v, frame, i) for i, v in enumerate(values)], dtype="Int64")
    if column.kind == "float":
        return pd.Series(
            [_float(label, v, frame, i) for i, v in enumerate(values)], dtype="float64"
        )
    allowed = ("Y", "N") if column.kind == "flag" else column.allowed
    out = []
    for position, value in enumerate(values):
        if _missing(value):
            out.append("")
            continue
        if not isinstance(value, str):
            raise InputError(label, "text", value, _where(frame, position))
        if allowed and value not in allowed:
            raise InputError(label, f"one of {', '.join(allowed)}", value, _where(frame, position))
        out.append(value)
    return pd.Series(out, dtype=object)


def _date(label: str, value: Any, frame: pd.DataFrame, position: int) -> Any:
    if _missing(value):
        return pd.NaT
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or len(value) != 10:
            raise InputError(label, "an ISO date YYYY-MM-DD", value, _where(frame, position))
        return pd.Timestamp(parsed)
    if isinstance(value, dt.date | np.datetime64 | pd.Timestamp):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None or stamp != stamp.normalize():
            raise InputError(
                label, "a date without time of day or zone", value, _where(frame, position)
            )
        return stamp
    raise InputError(
        label, "a date (datetime64, datetime.date or YYYY-MM-DD)", value, _where(frame, position)
    )


def _int(label: str, value: Any, frame: pd.DataFrame, position: int) -> Any:
    if _missing(value):
        return pd.NA
    if isinstance(value, bool) or not isinstance(value, int | np.integer | float | np.floating):
        raise InputError(label, "a whole number", value, _where(frame, position))
    if float(value) != int(value):
        raise InputError(label, "a whole number", value, _where(frame, position))
    return int(value)


def _float(label: str, value: Any, frame: pd.DataFrame, position: int) -> float:
    if _missing(value):
        return float("nan")
    if isinstance(value, bool) or not isinstance(value, int | np.integer | float | np.floating):
        raise InputError(label, "a number", value, _where(frame, position))
    if not np.isfinite(float(value)):
        raise InputError(label, "a finite number", value, _where(frame, position))
    return float(value)


def _check_keys(study: RawStudy) -> None:
    dm = study.dm
    duplicated = dm["USUBJID"][dm["USUBJID"].duplicated()]
    if not duplicated.empty:
        raise InputError(
            "DM.USUBJID",
            "one row per subject",
            duplicated.iloc[0],
            "The subject appears more than once in DM.",
        )
    known = set(dm["USUBJID"])
    for name, seq in spec.SEQ_COLUMN.items():
        frame = getattr(study, name.lower())
        stray = frame.loc[~frame["USUBJID"].isin(known), "USUBJID"]
        if not stray.empty:
            raise InputError(f"{name}.USUBJID", "a subject present in DM", stray.iloc[0])
        repeated = frame[frame.duplicated(["USUBJID", seq])]
        if not repeated.empty:
            row = repeated.iloc[0]
            raise InputError(
                f"{name}.{seq}",
                "a number unique within the subject",
                int(row[seq]),
                f"USUBJID {row['USUBJID']!r}.",
            )


def _check_consistency(study: RawStudy) -> None:
    dm, ae, ds = study.dm, study.ae, study.ds
    bad = dm[dm["DTHDTC"].notna() != (dm["DTHFL"] == "Y")]
    if not bad.empty:
        row = bad.iloc[0]
        raise InputError(
            "DM.DTHFL",
            "Y exactly when DTHDTC is present",
            row["DTHFL"],
            f"USUBJID {row['USUBJID']!r}.",
        )
    grades = ae["AETOXGR"]
    bad_grade = ((grades < 1) | (grades > 5)).fillna(False).astype(bool)
    if bad_grade.any():
        row = ae[bad_grade].iloc[0]
        raise InputError(
            "AE.AETOXGR",
            "a CTCAE grade 1-5",
            int(row["AETOXGR"]),
            f"USUBJID {row['USUBJID']!r}, AESEQ {row['AESEQ']}.",
        )
    deaths = ds[ds["DSDECOD"] == "DEATH"]
    if (deaths["DSCAUSE"] == "").any():
        row = deaths[deaths["DSCAUSE"] == ""].iloc[0]
        raise InputError(
            "DS.DSCAUSE",
            "RELAPSE, NON-RELAPSE or UNKNOWN for a DEATH record",
            "",
            f"USUBJID {row['USUBJID']!r}, DSSEQ {row['DSSEQ']}.",
        )
    if deaths["USUBJID"].duplicated().any():
        raise InputError(
            "DS.DSDECOD",
            "at most one DEATH record per subject",
            deaths["USUBJID"][deaths["USUBJID"].duplicated()].iloc[0],
        )
    merged = deaths.merge(dm[["USUBJID", "DTHDTC"]], on="USUBJID")
    differ = merged[merged["DSSTDTC"] != merged["DTHDTC"]]
    if not differ.empty:
        row = differ.iloc[0]
        raise InputError(
            "DS.DSSTDTC",
            f"the DM.DTHDTC {row['DTHDTC']} for a DEATH record",
            row["DSSTDTC"],
            f"USUBJID {row['USUBJID']!r}.",
        )


def _check_cutoff(study: RawStudy, cutoff: dt.date) -> None:
    limit = pd.Timestamp(cutoff)
    for name, columns in spec.FRAMES.items():
        frame = getattr(study, name.lower())
        for column in columns:
            if column.kind != "date":
                continue
            late = frame[frame[column.name] > limit]
            if not late.empty:
                raise InputError(
                    f"{name}.{column.name}",
                    f"a date on or before the cut-off {cutoff}",
                    str(late[column.name].iloc[0].date()),
                    f"USUBJID {late['USUBJID'].iloc[0]!r}.",
                )
