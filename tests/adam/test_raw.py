"""The raw contract rejects bad input with InputError naming frame, column and row."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from tests.adam.literal import literal_frames, literal_study

from inodli.adam.raw import RawStudy, empty_frame
from inodli.errors import InputError


def test_it_normalises_dates_and_types() -> None:
    raw = literal_study()
    assert raw.dm["RFICDTC"].dtype == "datetime64[ns]"
    assert raw.ae["AETOXGR"].dtype == "Int64"
    assert raw.cutoff == dt.date(2025, 12, 31)
    assert raw.dm.loc[0, "DTHFL"] == ""  # missing text is stored as ""
    assert "DM=7" in repr(raw)


@pytest.mark.parametrize(
    ("frame", "column", "value", "message"),
    [
        ("ae", "AETOXGR", 6, "AE.AETOXGR: expected a CTCAE grade 1-5"),
        ("ae", "AETOXGR", 2.5, "AE.AETOXGR: expected a whole number"),
        ("ae", "AESER", "yes", "AE.AESER: expected one of Y, N"),
        ("rs", "RSSTRESC", "CRp", "RS.RSSTRESC: expected one of CR, CRI"),
        ("rs", "RSDTC", "2025/01/21", "RS.RSDTC: expected an ISO date YYYY-MM-DD"),
        ("rs", "RSDTC", "2025-02-30", "RS.RSDTC: expected an ISO date"),
        ("ex", "EXDOSE", None, "EX.EXDOSE: expected a value"),
        ("ex", "EXDOSE", "0.8", "EX.EXDOSE: expected a number"),
        ("dm", "SEX", "X", "DM.SEX: expected one of M, F, U"),
        ("ex", "EXSTDTC", pd.Timestamp("2025-01-01 10:30"), "without time of day"),
        ("ds", "DSSTDTC", "2026-01-02", "on or before the cut-off 2025-12-31"),
    ],
)
def test_it_rejects_bad_values(frame: str, column: str, value: object, message: str) -> None:
    frames = literal_frames()
    frames[frame][column] = frames[frame][column].astype(object)
    frames[frame].loc[0, column] = value
    with pytest.raises(InputError, match=message.replace("(", r"\(")) as error:
        RawStudy(cutoff="2025-12-31", **frames)
    if "cut-off" not in message and "grade" not in message:
        assert "Row 0" in str(error.value)


def test_it_rejects_missing_and_unknown_columns() -> None:
    frames = literal_frames()
    with pytest.raises(InputError, match=r"AE\.AETOXGR: expected a column"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ae": frames["ae"].drop(columns="AETOXGR")})
    with pytest.raises(InputError, match=r"AE\.AEGRADE: expected one of USUBJID"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ae": frames["ae"].assign(AEGRADE=1)})
    with pytest.raises(InputError, match="AE: expected a pandas DataFrame"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ae": [1, 2]})


def test_it_checks_keys_across_frames() -> None:
    frames = literal_frames()
    ex = frames["ex"].copy()
    ex.loc[0, "USUBJID"] = "S99"
    with pytest.raises(InputError, match=r"EX\.USUBJID: expected a subject present in DM"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ex": ex})
    ex = frames["ex"].copy()
    ex.loc[1, "EXSEQ"] = 1
    with pytest.raises(InputError, match=r"EX\.EXSEQ: expected a number unique"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ex": ex})
    dm = pd.concat([frames["dm"], frames["dm"].iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match=r"DM\.USUBJID: expected one row per subject"):
        RawStudy(cutoff="2025-12-31", **{**frames, "dm": dm})


def test_it_checks_death_records_agree() -> None:
    frames = literal_frames()
    dm = frames["dm"].copy()
    dm.loc[dm["USUBJID"] == "S03", "DTHFL"] = None
    with pytest.raises(InputError, match=r"DM\.DTHFL: expected Y exactly when DTHDTC"):
        RawStudy(cutoff="2025-12-31", **{**frames, "dm": dm})
    ds = frames["ds"].copy()
    ds.loc[ds["USUBJID"] == "S03", "DSCAUSE"] = None
    with pytest.raises(InputError, match=r"DS\.DSCAUSE"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ds": ds})
    ds = frames["ds"].copy()
    ds.loc[ds["USUBJID"] == "S03", "DSSTDTC"] = "2025-04-16"
    with pytest.raises(InputError, match=r"DS\.DSSTDTC: expected the DM\.DTHDTC"):
        RawStudy(cutoff="2025-12-31", **{**frames, "ds": ds})


def test_it_rejects_a_bad_cutoff_and_frame_name() -> None:
    with pytest.raises(InputError, match="cutoff"):
        literal_study(cutoff="31/12/2025")
    with pytest.raises(InputError, match="frame"):
        empty_frame("XX")
