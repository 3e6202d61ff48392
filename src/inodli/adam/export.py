"""Write the SDTM-style and ADaM datasets as SAS XPORT v5 or CSV, with a data dictionary.

Layout under ``out_dir``::

    sdtm/dm.xpt ... (or .csv)      adam/adsl.xpt, adrs.xpt, adtte.xpt, adae.xpt
    define.csv, define.json        the data dictionary of every dataset written
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pandas as pd

from inodli.adam.adae import TEAE_WINDOW_DAYS, derive_adae
from inodli.adam.adrs import derive_adrs
from inodli.adam.adsl import derive_adsl
from inodli.adam.adtte import derive_adtte
from inodli.adam.dictionary import data_dictionary, labels_for
from inodli.adam.raw import RawStudy
from inodli.adam.sdtm import sdtm_datasets
from inodli.adam.xport import validate_xport, write_xport
from inodli.errors import InputError

__all__ = ["DATASET_LABELS", "analysis_datasets", "export_datasets"]

DATASET_LABELS = {
    "DM": "Demographics and Baseline",
    "EX": "Exposure (InO)",
    "PR": "Procedures (DLI, IT)",
    "RS": "Disease Response",
    "MB": "Marrow and MRD",
    "AE": "Adverse Events",
    "DS": "Disposition",
    "LB": "Laboratory Test Results",
    "ADSL": "Subject-Level Analysis Dataset",
    "ADRS": "Response Analysis Dataset",
    "ADTTE": "Time-to-Event Analysis Dataset",
    "ADAE": "Adverse Event Analysis Dataset",
}


def analysis_datasets(
    raw: RawStudy, *, teae_window_days: int = TEAE_WINDOW_DAYS
) -> dict[str, pd.DataFrame]:
    """ADSL, ADRS, ADTTE and ADAE derived from ``raw``."""
    adsl = derive_adsl(raw)
    return {
        "ADSL": adsl,
        "ADRS": derive_adrs(adsl, raw),
        "ADTTE": derive_adtte(adsl, raw),
        "ADAE": derive_adae(adsl, raw, window_days=teae_window_days),
    }


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def export_datasets(
    raw: RawStudy,
    out_dir: str | Path,
    *,
    fmt: Literal["xpt", "csv"] = "xpt",
    teae_window_days: int = TEAE_WINDOW_DAYS,
) -> list[Path]:
    """Write SDTM-style (``sdtm/``) and ADaM (``adam/``) datasets plus ``define.csv`` and
    ``define.json``; returns the paths written. Every dataset is validated for XPORT v5 before
    anything is written, whatever ``fmt``, so CSV and XPORT exports hold the same data."""
    if fmt not in ("xpt", "csv"):
        raise InputError("format", "xpt or csv", fmt)
    groups = {
        "sdtm": sdtm_datasets(raw),
        "adam": analysis_datasets(raw, teae_window_days=teae_window_days),
    }
    for datasets in groups.values():
        for name, frame in datasets.items():
            validate_xport(frame, name, labels_for(name, frame), DATASET_LABELS[name])
    root = Path(out_dir)
    written = []
    for folder, datasets in groups.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, frame in datasets.items():
            path = root / folder / f"{name.lower()}.{fmt}"
            if fmt == "xpt":
                write_xport(frame, path, name, labels_for(name, frame), DATASET_LABELS[name])
            else:
                _csv_ready(frame).to_csv(path, index=False)
            written.append(path)
    dictionary = data_dictionary({**groups["sdtm"], **groups["adam"]})
    dictionary.to_csv(root / "define.csv", index=False)
    document = {
        "study": raw.study_id,
        "cutoff": raw.cutoff.isoformat(),
        "datasets": {name: DATASET_LABELS[name] for g in groups.values() for name in g},
        "variables": dictionary.to_dict(orient="records"),
    }
    (root / "define.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return [*written, root / "define.csv", root / "define.json"]
