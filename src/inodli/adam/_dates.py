"""Date helpers shared by the derivations."""

from __future__ import annotations

import numpy as np
import pandas as pd


def study_day(dates: pd.Series, first_dose: pd.Series) -> pd.Series:
    """Study day with Day 1 = first InO dose and no Day 0 (the day before is Day -1),
    as in :mod:`inodli.protocol.schedule`; missing when either date is missing."""
    delta = (dates - first_dose).dt.days.astype("float64")
    return pd.Series(np.where(delta >= 0, delta + 1, delta), index=dates.index, dtype="float64")


def lookup(keys: pd.Series, mapping: pd.Series) -> pd.Series:
    """``mapping[key]`` for every key (missing where absent), keeping ``mapping``'s dtype even
    when it is empty (``Series.map`` casts an empty mapping to float and fails on dates)."""
    values = mapping[~mapping.index.duplicated()].reindex(keys.to_numpy())
    return pd.Series(values.to_numpy(), index=keys.index, dtype=values.dtype)
