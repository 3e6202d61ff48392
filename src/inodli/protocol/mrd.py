"""Measurable residual disease (MRD): negative, positive or indeterminate.

MRD-negative means a level below 0.01% (1 x 10^-4) measured by an assay at least that
sensitive (INO-VATE; ASH-SAP "MRD CR"). A level of 0.01% or more is positive. A low or
undetectable level from an assay whose sensitivity is worse than 0.01% (or unrecorded)
proves nothing: indeterminate. The threshold is in ``rules/response.toml`` ([mrd]).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import as_number

__all__ = ["MrdAssessment", "MrdStatus", "classify_mrd"]


class MrdStatus(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate (assay not sensitive enough)"
    NOT_EVALUABLE = "not evaluable"


@dataclass(frozen=True)
class MrdAssessment:
    status: MrdStatus
    level_pct: float | None
    sensitivity_pct: float | None
    threshold_pct: float
    reason: str


@cache
def _threshold() -> tuple[float, str]:
    data = load_rule_table("response")
    try:
        return float(data["mrd"]["negative_below_pct"]), str(data["mrd"]["source_text"])
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'response' [mrd] is malformed: {error!r}") from error


def classify_mrd(
    level_pct: float | None,
    *,
    sensitivity_pct: float | None,
    threshold_pct: float | None = None,
) -> MrdAssessment:
    """Classify one MRD result.

    Parameters
    ----------
    level_pct : float or None
        Measured MRD level in % of marrow cells (0 when not detected); ``0.01`` % = 1e-4.
    sensitivity_pct : float or None
        The assay's sensitivity (lowest level it detects), in %; ``0.01`` = 1 in 10,000.
    threshold_pct : float, optional
        Negativity threshold in %; default 0.01 from the rule table.

    Returns
    -------
    MrdAssessment

    References
    ----------
    .. [1] Kantarjian HM et al. N Engl J Med 2016;375:740-753 (MRD negativity <0.01%).
    .. [2] ASH-SAP response terminology (MRD CR: negative with minimum sensitivity 0.01%).

    Examples
    --------
    >>> classify_mrd(0.0, sensitivity_pct=0.001).status
    <MrdStatus.NEGATIVE: 'negative'>
    >>> classify_mrd(0.0, sensitivity_pct=0.1).status.value
    'indeterminate (assay not sensitive enough)'
    """
    default, source_text = _threshold()
    threshold = (
        default
        if threshold_pct is None
        else as_number(threshold_pct, "threshold_pct", low=0.0, high=100.0, unit="%")
    )
    if threshold <= 0:
        threshold = as_number(threshold_pct, "threshold_pct", low=1e-12, high=100.0, unit="%")
    sensitivity = (
        None
        if sensitivity_pct is None
        else as_number(sensitivity_pct, "sensitivity_pct", low=0.0, high=100.0, unit="%")
    )
    if level_pct is None:
        return MrdAssessment(
            MrdStatus.NOT_EVALUABLE, None, sensitivity, threshold, "MRD level missing"
        )
    level = as_number(level_pct, "level_pct", low=0.0, high=100.0, unit="%")
    if level >= threshold:
        return MrdAssessment(
            MrdStatus.POSITIVE,
            level,
            sensitivity,
            threshold,
            f"MRD {level:g}% >= {threshold:g}%. {source_text}",
        )
    if sensitivity is None:
        return MrdAssessment(
            MrdStatus.INDETERMINATE,
            level,
            None,
            threshold,
            f"MRD {level:g}% < {threshold:g}% but the assay sensitivity is not recorded",
        )
    if sensitivity > threshold:
        return MrdAssessment(
            MrdStatus.INDETERMINATE,
            level,
            sensitivity,
            threshold,
            f"MRD {level:g}% < {threshold:g}% by an assay of sensitivity {sensitivity:g}% "
            f"(worse than {threshold:g}%)",
        )
    detail = (
        f"; detectable below the threshold (ASH-SAP would call {level:g}% 'MRD intermediate')"
        if level > 0
        else ""
    )
    return MrdAssessment(
        MrdStatus.NEGATIVE,
        level,
        sensitivity,
        threshold,
        f"MRD {level:g}% < {threshold:g}% with assay sensitivity {sensitivity:g}%{detail}. "
        f"{source_text}",
    )
