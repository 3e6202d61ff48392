"""XPORT v5 validation and round trips, CSV export and the data dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.adam.literal import literal_study

from inodli.adam.export import analysis_datasets, export_datasets
from inodli.adam.sdtm import sdtm_datasets
from inodli.adam.xport import XPORT_HEADER, read_xport, validate_xport, write_xport
from inodli.errors import InputError

LABELS = {"USUBJID": "Unique Subject Identifier", "AVAL": "Analysis Value", "ADT": "Date"}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "USUBJID": ["S01", "S02"],
            "AVAL": [1.5, np.nan],
            "ADT": pd.to_datetime(["2025-01-01", None]).astype("datetime64[ns]"),
        }
    )


def test_it_writes_version_5_and_reads_it_back(tmp_path: Path) -> None:
    path = write_xport(_frame(), tmp_path / "x.xpt", "ADX", LABELS, "A test dataset")
    # SAS XPORT v5 library header record (v8 would read "LIBV8 HEADER RECORD").
    assert path.read_bytes()[:80] == XPORT_HEADER + b"0" * 30 + b"  "
    back, meta = read_xport(path)
    pd.testing.assert_frame_equal(back, _frame(), check_dtype=False)
    assert meta.table_name == "ADX"
    assert meta.file_label == "A test dataset"
    assert meta.column_labels == list(LABELS.values())
    assert meta.original_variable_types["ADT"] == "DATE"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f, lab: (f.rename(columns={"AVAL": "AVALUE123"}), lab),
            r"ADX\.AVALUE123: expected a variable name",
        ),
        (
            lambda f, lab: (f.rename(columns={"AVAL": "aval"}), {**lab, "aval": "x"}),
            r"ADX\.aval: expected a variable name",
        ),
        (
            lambda f, lab: (f.rename(columns={"AVAL": "1AVAL"}), {**lab, "1AVAL": "x"}),
            "variable name",
        ),
        (
            lambda f, lab: (f, {**lab, "AVAL": "A" * 41}),
            r"ADX\.AVAL label: expected label of at most 40",
        ),
        (
            lambda f, lab: (f, {k: v for k, v in lab.items() if k != "AVAL"}),
            r"ADX\.AVAL: expected a variable label",
        ),
        (
            lambda f, lab: (f.assign(USUBJID=["S01", "x" * 201]), lab),
            r"ADX\.USUBJID: expected text of at most 200",
        ),
        (
            lambda f, lab: (f.assign(USUBJID=["S01", "Müller"]), lab),
            r"ADX\.USUBJID: expected ASCII text",
        ),
        (lambda f, lab: (f.assign(USUBJID=["S01", 3]), lab), "one type per column"),
    ],
)
def test_it_rejects_what_xport_v5_cannot_hold(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    frame, labels = change(_frame(), LABELS)
    with pytest.raises(InputError, match=message) as error:
        write_xport(frame, tmp_path / "x.xpt", "ADX", labels)
    if "200" in message or "ASCII" in message:
        assert "Row 1" in str(error.value)
    assert not (tmp_path / "x.xpt").exists()


def test_it_rejects_bad_dataset_names_and_labels() -> None:
    with pytest.raises(InputError, match="dataset: expected a name"):
        validate_xport(_frame(), "ADVERYLONG", LABELS)
    with pytest.raises(InputError, match="dataset label"):
        validate_xport(_frame(), "ADX", LABELS, "Ä label")


def test_it_round_trips_every_dataset(tmp_path: Path) -> None:
    raw = literal_study()
    paths = export_datasets(raw, tmp_path)
    assert {p.name for p in paths} >= {"dm.xpt", "adsl.xpt", "adtte.xpt", "define.json"}
    datasets = {**sdtm_datasets(raw), **analysis_datasets(raw)}
    for name, frame in datasets.items():
        folder = "adam" if name.startswith("AD") else "sdtm"
        back, _ = read_xport(tmp_path / folder / f"{name.lower()}.xpt")
        expected = frame.copy()
        for column in expected.columns:  # XPORT: numbers are doubles, missing text is blank
            if pd.api.types.is_numeric_dtype(expected[column]):
                expected[column] = expected[column].astype("float64")
            elif pd.api.types.is_datetime64_any_dtype(expected[column]):
                expected[column] = expected[column].astype("datetime64[ns]")
        pd.testing.assert_frame_equal(back, expected, check_dtype=False, obj=name)


def test_it_writes_csv_and_a_dictionary(tmp_path: Path) -> None:
    export_datasets(literal_study(), tmp_path, fmt="csv")
    adtte = pd.read_csv(tmp_path / "adam" / "adtte.csv")
    row = adtte[(adtte["USUBJID"] == "S04") & (adtte["PARAMCD"] == "PFS")].iloc[0]
    assert (row["AVAL"], row["CNSR"], row["ADT"]) == (120.0, 0, "2025-05-01")
    define = json.loads((tmp_path / "define.json").read_text())
    assert define["cutoff"] == "2025-12-31"
    cnsr = [v for v in define["variables"] if v["DATASET"] == "ADTTE" and v["VARIABLE"] == "CNSR"]
    assert cnsr[0]["LABEL"] == "Censor"
    with pytest.raises(InputError, match="format"):
        export_datasets(literal_study(), tmp_path, fmt="sas7bdat")  # type: ignore[arg-type]


@pytest.mark.parametrize("subjects", [[], ["S06"], ["S01"], ["S03"], ["S07"], ["S02", "S06"]])
def test_it_exports_and_summarises_an_early_small_study(
    tmp_path: Path, subjects: list[str]
) -> None:
    # Early in the trial the database holds a few subjects, some without any event, response
    # or DLI: every dataset, export and summary must still be produced.
    from tests.adam.literal import literal_frames

    from inodli.adam.ctgov import ctgov_summary
    from inodli.adam.raw import RawStudy

    frames = {k: v[v["USUBJID"].isin(subjects)] for k, v in literal_frames().items()}
    raw = RawStudy(cutoff="2025-12-31", **frames)
    export_datasets(raw, tmp_path)
    summary = ctgov_summary(raw)
    assert summary["participant_flow"]["enrolled"] == len(subjects)
    adtte, _ = read_xport(tmp_path / "adam" / "adtte.xpt")
    assert set(adtte["USUBJID"]) == set(subjects) - {"S06"}  # S06 was never dosed


def test_it_builds_sdtm_style_domains_with_iso_dates() -> None:
    domains = sdtm_datasets(literal_study())
    assert list(domains) == ["DM", "EX", "PR", "RS", "MB", "AE", "DS"]  # LB is empty: left out
    dm = domains["DM"].set_index("USUBJID")
    assert list(domains["DM"].columns[:3]) == ["STUDYID", "DOMAIN", "USUBJID"]
    assert (dm.loc["S01", "DOMAIN"], dm.loc["S01", "RFICDTC"]) == ("DM", "2022-12-01")
    assert (dm.loc["S01", "DTHDTC"], dm.loc["S03", "DTHDTC"]) == ("", "2025-04-15")
    assert domains["EX"]["EXSEQ"].dtype == "float64"  # XPORT numerics are doubles
