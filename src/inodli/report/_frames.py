"""Checks shared by the analyses: a frame has the ADaM columns an analysis reads.

Every analysis takes ADaM frames (ADSL, ADRS, ADTTE, ADAE from :mod:`inodli.adam`) and names
the columns it needs here, so a frame from another source fails with one clear sentence
instead of a ``KeyError`` deep inside pandas.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from inodli.errors import InputError

DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_YEAR = 365.25
DLI_LABELS = {"Y": "DLI", "N": "No DLI"}
DLI_CAVEAT = (
    "DLI was not randomised: patients received it when eligible (no prior grade III-IV aGVHD, "
    "no HLA loss, no active GVHD), so DLI vs no DLI comparisons are descriptive and confounded "
    "by the reasons for giving it."
)


def require_columns(frame: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise :class:`InputError` naming the frame and the missing columns."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(name, "a pandas DataFrame", type(frame).__name__)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            name,
            f"a frame with columns {', '.join(columns)}",
            f"a frame without {', '.join(missing)}",
        )


def flag(series: pd.Series) -> pd.Series:
    """ADaM Y/N (or Y/blank) flag as booleans."""
    return series.fillna("").astype(str).str.upper().eq("Y")


def dli_group(adsl: pd.DataFrame) -> pd.Series:
    """'DLI' / 'No DLI' per subject, indexed by USUBJID."""
    require_columns(adsl, "adsl", ["USUBJID", "DLIFL"])
    labels = flag(adsl["DLIFL"]).map({True: DLI_LABELS["Y"], False: DLI_LABELS["N"]})
    return pd.Series(labels.to_numpy(), index=adsl["USUBJID"].to_numpy(), name="group")


def percent(count: int, total: int) -> str:
    """'n (x%)' with no decimal, or 'n' when the denominator is 0."""
    if total == 0:
        return f"{count}"
    return f"{count} ({100 * count / total:.0f}%)"


def format_p(p_value: float, digits: int = 4) -> str:
    """A p-value with ``digits`` decimals, or '< 0.0001' (at 4 digits) below that precision."""
    floor = 10.0**-digits
    if p_value < floor:
        return f"< {floor:.{digits}f}"
    return f"{p_value:.{digits}f}"
