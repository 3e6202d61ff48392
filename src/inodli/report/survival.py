"""Time-to-event analyses over ADTTE: Kaplan-Meier OS, PFS, DOR and competing risks.

Conventions stated in the report (:data:`SURVIVAL_METHODS`): Day 0 = first InO dose; times in
ADTTE.AVAL are days and are shown in months (30.44 days); Kaplan-Meier limits use the log-log
transform (R ``survfit(conf.type = "log-log")``), medians' limits follow Brookmeyer-Crowley;
cumulative incidence is Aalen-Johansen with the variance ``cmprsk::cuminc`` reports and
log-log limits; groups are compared with Gray's test (rho = 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inodli.errors import InputError
from inodli.report._frames import (
    DAYS_PER_MONTH,
    dli_group,
    format_p,
    require_columns,
)
from inodli.stats.cumulative_incidence import (
    CumulativeIncidence,
    cumulative_incidence,
    cumulative_incidence_by_group,
)
from inodli.stats.gray import GrayTest, gray_test
from inodli.stats.kaplan_meier import KaplanMeierResult, kaplan_meier

__all__ = [
    "HORIZONS_DAYS",
    "SURVIVAL_METHODS",
    "CompetingRisksSummary",
    "TimeToEventSummary",
    "competing_risks_summary",
    "time_to_event_summary",
]

HORIZONS_DAYS = (365.0, 730.0)
"""1 and 2 years as ADTTE counts them (its 2-year horizon is 730 days)."""
SURVIVAL_METHODS = (
    "Day 0 is the date of the first InO dose; times are counted in days from Day 0 and shown "
    "in months (1 month = 365.25/12 days); 1- and 2-year rates are read at days 365 and 730, "
    "the 2-year horizon of the analysis datasets (events after day 730 are censored there).",
    "Kaplan-Meier estimates with Greenwood variance; pointwise 95% confidence limits on the "
    'log-log scale (R survfit conf.type = "log-log"); median limits by Brookmeyer & Crowley.',
    "Cumulative incidence of relapse/progression and of non-relapse mortality (competing "
    "risks) by the Aalen-Johansen estimator with the variance reported by cmprsk::cuminc "
    "(Gray 1988) and log-log 95% limits; DLI vs no DLI by Gray's test (rho = 0).",
)


@dataclass(frozen=True)
class TimeToEventSummary:
    """One Kaplan-Meier endpoint: counts, median (95% CI) and landmark rates.

    ``rates`` maps a horizon in days to (estimate, lower, upper); NaN where the curve ends
    before it. Times (median and limits) are in days.
    """

    paramcd: str
    label: str
    group: str
    fit: KaplanMeierResult

    def __repr__(self) -> str:
        return (
            f"TimeToEventSummary({self.paramcd} {self.group}: n={self.n}, events={self.events}, "
            f"median={self.median[0]:g} days)"
        )

    @property
    def n(self) -> int:
        return self.fit.n

    @property
    def events(self) -> int:
        return int(self.fit.n_event.sum())

    @property
    def median(self) -> tuple[float, float, float]:
        low, high = self.fit.median_ci
        return self.fit.median, low, high

    def rate_at(self, days: float) -> tuple[float, float, float]:
        """Survival at ``days`` with its limits.

        After the last follow-up time the rate is unknown (NaN), unless the curve has already
        reached 0: then it stays 0 (with no interval).
        """
        if days > float(self.fit.time[-1]):
            if self.fit.survival[-1] == 0:
                return 0.0, float("nan"), float("nan")
            return (float("nan"),) * 3
        row = self.fit.survival_at([days]).iloc[0]
        return float(row["survival"]), float(row["lower"]), float(row["upper"])

    def as_row(self) -> dict[str, object]:
        median, low, high = self.median
        row: dict[str, object] = {
            "Endpoint": self.label,
            "Group": self.group,
            "N": self.n,
            "Events": self.events,
            "Median, months (95% CI)": _months_ci(median, low, high),
        }
        for years, days in zip((1, 2), HORIZONS_DAYS, strict=True):
            row[f"{years}-year % (95% CI)"] = _percent_ci(*self.rate_at(days))
        return row


def _months(days: float) -> str:
    return "NR" if np.isnan(days) else f"{days / DAYS_PER_MONTH:.1f}"


def _months_ci(median: float, low: float, high: float) -> str:
    return f"{_months(median)} ({_months(low)} to {_months(high)})"


def _percent_ci(estimate: float, low: float, high: float) -> str:
    if np.isnan(estimate):
        return "-"
    if np.isnan(low) or low == high == estimate:  # no interval (estimate 0 or 1)
        return f"{100 * estimate:.1f}"
    limits = f" ({100 * low:.1f} to {100 * high:.1f})"
    return f"{100 * estimate:.1f}{limits}"


def _param(adtte: pd.DataFrame, paramcd: str) -> pd.DataFrame:
    require_columns(adtte, "adtte", ["USUBJID", "PARAMCD", "AVAL", "CNSR"])
    rows = adtte[adtte["PARAMCD"] == paramcd]
    return rows


def time_to_event_summary(
    adtte: pd.DataFrame,
    paramcd: str,
    *,
    label: str | None = None,
    adsl: pd.DataFrame | None = None,
) -> dict[str, TimeToEventSummary]:
    """Kaplan-Meier summary of ``paramcd`` overall and, with ``adsl``, by DLI.

    Parameters
    ----------
    adtte : DataFrame
        USUBJID, PARAMCD, AVAL (days from Day 0 or, for DOR, from first CR/CRi), CNSR
        (0 = event, > 0 = censored).
    paramcd : str
        "OS", "PFS", "DOR", ...
    adsl : DataFrame, optional
        USUBJID, DLIFL: adds "DLI" and "No DLI" summaries (descriptive).

    Returns
    -------
    dict
        "All" (and "DLI", "No DLI") -> :class:`TimeToEventSummary`; empty when no subject
        has the parameter.

    References
    ----------
    .. [1] Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481.
    .. [2] Brookmeyer R, Crowley J. Biometrics 1982;38:29-41.
    """
    rows = _param(adtte, paramcd)
    name = label or paramcd
    if rows.empty:
        return {}
    subsets = {"All": rows}
    if adsl is not None:
        groups = dli_group(adsl)
        labels = rows["USUBJID"].map(groups)
        for group in ("DLI", "No DLI"):
            subsets[group] = rows[labels == group]
    out = {}
    for group, subset in subsets.items():
        if subset.empty:
            continue
        fit = kaplan_meier(
            subset["AVAL"].to_numpy(float), (subset["CNSR"] == 0).to_numpy(), conf_type="log-log"
        )
        out[group] = TimeToEventSummary(paramcd, name, group, fit)
    return out


@dataclass(frozen=True)
class CompetingRisksSummary:
    """Cumulative incidence of each cause overall and by DLI, with Gray's tests.

    ``curves[cause_label][group]`` is a :class:`CumulativeIncidence` (days);
    ``tests[cause_label]`` is Gray's test DLI vs no DLI (None when a group is empty or the
    cause never occurs).
    """

    causes: dict[str, int]
    curves: dict[str, dict[str, CumulativeIncidence]]
    tests: dict[str, GrayTest | None]

    def rows(self) -> list[dict[str, object]]:
        """One display row per cause and group: events, 1- and 2-year % (95% CI)."""
        out = []
        for cause, by_group in self.curves.items():
            for group, curve in by_group.items():
                row: dict[str, object] = {"Outcome": cause, "Group": group}
                row["N"] = int(curve.table["n_risk"].iloc[0])
                row["Events"] = int(curve.table["n_event"].sum())
                for years, days in zip((1, 2), HORIZONS_DAYS, strict=True):
                    at = curve.at([days]).iloc[0]
                    row[f"{years}-year % (95% CI)"] = _percent_ci(
                        float(at["estimate"]), float(at["lower"]), float(at["upper"])
                    )
                test = self.tests.get(cause)
                row["Gray's test p (DLI vs no DLI)"] = (
                    "" if group != "All" else ("-" if test is None else format_p(test.p_value, 3))
                )
                out.append(row)
        return out


def competing_risks_summary(
    adtte: pd.DataFrame,
    paramcd: str,
    causes: dict[str, int],
    *,
    status_column: str = "CRSTAT",
    adsl: pd.DataFrame | None = None,
) -> CompetingRisksSummary:
    """Aalen-Johansen cumulative incidence of each cause in ``causes`` and Gray's tests.

    Parameters
    ----------
    adtte : DataFrame
        USUBJID, PARAMCD, AVAL (days), CNSR and ``status_column`` (0 = censored, 1.. = cause).
    paramcd : str
        The competing-risks parameter (one row per subject).
    causes : dict
        Display label -> status code, e.g. ``{"Relapse/progression": 1, "NRM": 2}``.
    adsl : DataFrame, optional
        USUBJID, DLIFL: adds DLI / no-DLI curves and Gray's test per cause.

    References
    ----------
    .. [1] Gray RJ. Ann Statist 1988;16:1141-1154.
    .. [2] Pintilie M. Competing Risks: A Practical Perspective. Wiley 2006, ch. 4-5.
    """
    rows = _param(adtte, paramcd)
    require_columns(rows, "adtte", [status_column])
    if rows.empty:
        raise InputError("adtte", f"rows with PARAMCD = {paramcd!r}", "none")
    time = rows["AVAL"].to_numpy(float)
    status = rows[status_column].fillna(0).to_numpy(int)
    curves: dict[str, dict[str, CumulativeIncidence]] = {}
    tests: dict[str, GrayTest | None] = {}
    groups = None if adsl is None else rows["USUBJID"].map(dli_group(adsl)).to_numpy()
    for label, code in causes.items():
        if not (status == code).any():
            continue
        curves[label] = {"All": cumulative_incidence(time, status, cause=code)}
        tests[label] = None
        if groups is None:
            continue
        by_group = cumulative_incidence_by_group(time, status, groups, cause=code)
        curves[label].update({str(k): v for k, v in by_group.items()})
        if len(by_group) == 2:
            tests[label] = gray_test(time, status, groups, cause=code)
    return CompetingRisksSummary(dict(causes), curves, tests)
