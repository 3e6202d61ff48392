"""Load the R reference curves in tests/data as (label, time, event, expected) cases.

Each case names its JSON file and key; numbers were produced by R 4.2.2 / survival 3.5.3
(tests/data/make_reference.R). JSON ``null`` is R's NA/NaN/Inf and becomes NaN here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Dataset:
    name: str  # json/csv stem
    csv: str
    time: str
    event: str
    event_code: int  # value of the event column meaning "event"
    group: str | None  # column of the by-group curves
    km_key: str  # json key of the by-group KM tables
    medians_key: str | None
    at_times_key: str | None  # prefix: <key>_log / <key>_loglog


DATASETS = [
    Dataset("aml", "aml.csv", "time", "status", 1, "x", "km_by_x", "medians_by_x", "at_times_by_x"),
    Dataset("lung", "lung.csv", "time", "status", 2, "sex", "km_by_sex", "medians_by_sex", "at_times_by_sex"),
    Dataset("freireich_6mp", "freireich_6mp.csv", "time", "status", 1, "arm", "km_by_arm", "medians_by_arm", "at_times_by_arm"),
    Dataset("kmsurv_bmt_competing_risks", "kmsurv_bmt.csv", "t2", "d3", 1, "group", "dfs_km_by_group", "dfs_medians_by_group", None),
]  # fmt: skip


@cache
def reference(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text())


@cache
def frame(csv: str) -> pd.DataFrame:
    return pd.read_csv(DATA / csv)


def arrays(dataset: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    data = frame(dataset.csv)
    time = data[dataset.time].to_numpy(float)
    event = (data[dataset.event] == dataset.event_code).to_numpy()
    group = data[dataset.group].to_numpy() if dataset.group else None
    return time, event, group


def as_float(values: Any) -> np.ndarray:
    if not isinstance(values, list):
        values = [values]
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def label_of(stratum: str, group_values: np.ndarray) -> Any:
    """'x=Maintained' -> the group label as it appears in the data ('Maintained', or 1)."""
    text = stratum.split("=", 1)[1]
    return type(group_values[0].item() if hasattr(group_values[0], "item") else group_values[0])(
        text
    )


def assert_close(actual: Any, expected: Any, rel: float = 1e-10, abs_: float = 1e-13) -> None:
    """Equal within ``rel`` (and ``abs_`` near 0); NaN only where R has NA/NaN/Inf."""
    got = np.atleast_1d(np.asarray(actual, dtype=float))
    want = as_float(expected) if not isinstance(expected, np.ndarray) else expected
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got, want, rtol=rel, atol=abs_, equal_nan=True)
