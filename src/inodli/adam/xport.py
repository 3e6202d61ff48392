"""SAS transport (XPORT version 5) files, validated before writing.

FDA's Study Data Technical Conformance Guide asks for SAS XPORT version 5: dataset and
variable names of at most 8 characters (letters, digits, underscore; not starting with a
digit), labels of at most 40 characters, character values of at most 200 bytes, ASCII text.
pyreadstat writes version 8 unless told otherwise, so :func:`write_xport` always passes
``file_format_version=5``, and checks every rule first so that a violation is a clear
:class:`~inodli.errors.InputError` (dataset, variable, row, value) instead of a truncated or
unreadable file. Dates (``datetime64`` columns) are written as SAS dates (format DATE9.).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyreadstat

from inodli.errors import InputError

__all__ = ["XPORT_HEADER", "read_xport", "validate_xport", "write_xport"]

XPORT_HEADER = b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!"
"""The first 48 bytes of every SAS XPORT v5 library (the v8 header says LIBV8)."""
_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,7}$")
MAX_LABEL = 40
MAX_CHAR_BYTES = 200


def _check_text(field: str, value: str, limit: int, what: str, detail: str = "") -> None:
    if not value.isascii():
        raise InputError(field, f"ASCII {what}", value, detail)
    if len(value.encode("ascii")) > limit:
        raise InputError(field, f"{what} of at most {limit} characters", value, detail)


def validate_xport(
    frame: pd.DataFrame, dataset: str, labels: dict[str, str], dataset_label: str = ""
) -> None:
    """Raise :class:`InputError` unless ``frame`` can be written as XPORT v5 without loss.

    Checks the dataset name and label, every variable name and label (``labels`` must name
    every column), the column types (text, numbers, booleans or dates) and every character
    value (ASCII, at most 200 bytes).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{dataset}", "a pandas DataFrame", type(frame).__name__)
    if not isinstance(dataset, str) or not _NAME.match(dataset):
        raise InputError(
            "dataset",
            "a name of 1-8 uppercase letters, digits or _, not starting with a digit",
            dataset,
        )
    _check_text(f"{dataset} label", dataset_label, MAX_LABEL, "dataset label")
    for column in frame.columns:
        name = str(column)
        if not _NAME.match(name):
            raise InputError(
                f"{dataset}.{name}",
                "a variable name of 1-8 uppercase letters, digits or _, not starting with a digit",
                name,
            )
        if name not in labels:
            raise InputError(f"{dataset}.{name}", "a variable label", "no label")
        _check_text(f"{dataset}.{name} label", labels[name], MAX_LABEL, "label")
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            continue
        for position, value in enumerate(series):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            where = f"Row {position}."
            if not isinstance(value, str):
                raise InputError(
                    f"{dataset}.{name}", "text or numbers (one type per column)", value, where
                )
            _check_text(f"{dataset}.{name}", value, MAX_CHAR_BYTES, "text", where)


def _for_pyreadstat(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = pd.Series(
                [None if pd.isna(v) else v.date() for v in series], dtype=object
            )
        elif pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            out[column] = series.astype("float64")
        else:
            out[column] = series.map(
                lambda v: (
                    "" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
                )
            ).astype(object)
    return pd.DataFrame(out, columns=list(frame.columns))


def write_xport(
    frame: pd.DataFrame,
    path: str | Path,
    dataset: str,
    labels: dict[str, str],
    dataset_label: str = "",
) -> Path:
    """Validate ``frame`` (:func:`validate_xport`) and write it as a SAS XPORT v5 file.

    Numbers are written as 8-byte SAS numerics, missing text as blanks, dates as SAS dates.
    """
    validate_xport(frame, dataset, labels, dataset_label)
    target = Path(path)
    pyreadstat.write_xport(
        _for_pyreadstat(frame),
        str(target),
        file_label=dataset_label,
        column_labels=[labels[str(c)] for c in frame.columns],
        table_name=dataset,
        file_format_version=5,
    )
    return target


def read_xport(path: str | Path) -> tuple[pd.DataFrame, Any]:
    """Read an XPORT file back: (frame with dates as ``datetime64``, pyreadstat metadata)."""
    frame, meta = pyreadstat.read_xport(str(path), dates_as_pandas_datetime=True)
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].astype("datetime64[ns]")
    return frame, meta
