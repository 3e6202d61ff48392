"""Measurable residual disease (MRD): negative, positive or indeterminate.

MRD-negative means a level below 0.01% (1 x 10^-4) measured by an assay at least that
sensitive (INO-VATE; ASH-SAP "MRD CR"). A level of 0.01% or more is positive. A low or
undetectable level from an assay whose sensitivity is worse than 0.01% (or unrecorded)
proves nothing: indeterminate. The threshold is in ``rules/response.toml`` ([mrd]).

The two sources disagree on one case: a level detected *below* 0.01% by a sensitive assay is
MRD-negative by the INO-VATE threshold (``status``) but "MRD intermediate" in the ASH-SAP
terminology. Both are reported: ``status`` follows INO-VATE, ``ash_sap_category`` ASH-SAP.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import as_number

__all__ = ["MrdAssessment", "MrdStatus", "classify_mrd"]


class MrdStatus(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate (assay not sensitive enough)"
    NOT_EVALUABLE = "not evaluable"


ASH_MRD_CR = "MRD CR"
ASH_MRD_FAILURE = "MRD failure"
ASH_MRD_INTERMEDIATE = "MRD intermediate"


@dataclass(frozen=True)
class MrdAssessment:
    """One MRD result.

    ``status`` applies the INO-VATE threshold; ``ash_sap_category`` is the ASH-SAP term
    ("MRD CR", "MRD failure", "MRD intermediate"; None when not evaluable).
    """

    status: MrdStatus
    level_pct: float | None
    sensitivity_pct: float | None
    threshold_pct: float
    reason: str
    ash_sap_category: str | None = None


@cache
def _threshold() -> tuple[float, str]:
    data = load_rule_table("response")
    try:
        return float(data["mrd"]["negative_below_pct"]), str(data["mrd"]["source_text"])
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'response' [mrd] is malformed: {error!r}") from error


def _positive_pct(value: float, field: str) -> float:
    allowed = "a number > 0 and <= 100 (%)"
    number = as_number(value, field, high=100.0, unit="%")
    if number <= 0:
        raise InputError(field, allowed, value)
    return number


def classify_mrd(
    level_pct: float | None,
    *,
    sensitivity_pct: float | None,
    threshold_pct: float | None = None,
    detected_not_quantifiable: bool = False,
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
    detected_not_quantifiable : bool
        MRD was detected but could not be quantified (``level_pct`` must then be None):
        indeterminate against the threshold, "MRD intermediate" for ASH-SAP.

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
    threshold = default if threshold_pct is None else _positive_pct(threshold_pct, "threshold_pct")
    sensitivity = (
        None if sensitivity_pct is None else _positive_pct(sensitivity_pct, "sensitivity_pct")
    )
    if not isinstance(detected_not_quantifiable, bool):
        raise InputError("detected_not_quantifiable", "True or False", detected_not_quantifiable)
    if detected_not_quantifiable:
        if level_pct is not None:
            raise InputError(
                "level_pct", "no level (None) when MRD is detected but not quantifiable", level_pct
            )
        return MrdAssessment(
            MrdStatus.INDETERMINATE,
            None,
            sensitivity,
            threshold,
            f"MRD detected but not quantifiable: cannot be compared with {threshold:g}%",
            ASH_MRD_INTERMEDIATE,
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
            ASH_MRD_FAILURE,
        )
    if sensitivity is None:
        return MrdAssessment(
            MrdStatus.INDETERMINATE,
            level,
            None,
            threshold,
            f"MRD {level:g}% < {threshold:g}% but the assay sensitivity is not recorded",
            ASH_MRD_INTERMEDIATE,
        )
    if sensitivity > threshold:
        return MrdAssessment(
            MrdStatus.INDETERMINATE,
            level,
            sensitivity,
            threshold,
            f"MRD {level:g}% < {threshold:g}% by an assay of sensitivity {sensitivity:g}% "
            f"(worse than {threshold:g}%)",
            ASH_MRD_INTERMEDIATE,
        )
    detail = (
        f"; detected below the threshold: negative by INO-VATE (<{threshold:g}%), "
        "'MRD intermediate' by ASH-SAP (positive <0.01%)"
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
        ASH_MRD_INTERMEDIATE if level > 0 else ASH_MRD_CR,
    )
