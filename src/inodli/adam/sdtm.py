"""SDTM-style datasets from a :class:`~inodli.adam.raw.RawStudy`.

Each raw frame becomes a domain with STUDYID and DOMAIN first and its dates as ISO 8601
character values (SDTM --DTC variables are text). These are "SDTM-like": the trial's own
variables (DISTYPE, PRCD3KG, MBNEGFL, ...) are kept beside the standard ones, and MB holds
marrow MRD rather than microbiology.
"""

from __future__ import annotations

import pandas as pd

from inodli.adam.raw import RawStudy

__all__ = ["sdtm_datasets"]


def _iso(series: pd.Series) -> pd.Series:
    return pd.Series(
        [v.strftime("%Y-%m-%d") if pd.notna(v) else "" for v in series],
        index=series.index,
        dtype=object,
    )


def sdtm_datasets(raw: RawStudy, *, include_empty: bool = False) -> dict[str, pd.DataFrame]:
    """DM, EX, PR, RS, MB, AE, DS (and LB) as SDTM-style frames; empty optional domains
    (PR, MB, LB) are left out unless ``include_empty``."""
    out = {}
    for name, frame in raw.frames().items():
        if frame.empty and name in ("PR", "MB", "LB") and not include_empty:
            continue
        domain = frame.copy()
        for column in domain.columns:
            if pd.api.types.is_datetime64_any_dtype(domain[column]):
                domain[column] = _iso(domain[column])
            elif str(domain[column].dtype) == "Int64":
                domain[column] = domain[column].astype("float64")
        domain.insert(0, "DOMAIN", name)
        domain.insert(0, "STUDYID", raw.study_id)
        out[name] = domain.reset_index(drop=True)
    return out
