"""CNS status of ALL from the cerebrospinal fluid: CNS1, CNS2 or CNS3 (COG criteria).

CNS1 = no blasts in the CSF; CNS2 = blasts with a CSF white-cell count below 5/uL; CNS3 =
blasts with 5/uL or more, or clinical signs of CNS leukaemia. The 5/uL limit and the source
wording are in ``rules/response.toml`` ([cns]). The CNS2 a/b/c sub-classes (red cells,
traumatic tap) are not encoded: their thresholds were not in the retrieved source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol._thresholds import Threshold, as_number, parse_threshold

__all__ = ["CnsAssessment", "CnsStatus", "classify_cns_status"]


class CnsStatus(StrEnum):
    CNS1 = "CNS1"
    CNS2 = "CNS2"
    CNS3 = "CNS3"


@dataclass(frozen=True)
class CnsAssessment:
    status: CnsStatus
    reason: str
    source_text: str


@cache
def _rule() -> tuple[Threshold, str]:
    data = load_rule_table("response")
    try:
        section = data["cns"]
        return (
            parse_threshold(section["csf_wbc_per_ul_cns3"], "response.cns"),
            str(section["source_text"]),
        )
    except (KeyError, TypeError) as error:
        raise RuleTableError(f"rule table 'response' [cns] is malformed: {error!r}") from error


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(field, "True or False", value)
    return value


def classify_cns_status(
    csf_wbc_per_ul: Any, csf_blasts_present: Any, *, clinical_signs: Any = False
) -> CnsAssessment:
    """Classify the CNS status from one CSF examination.

    Parameters
    ----------
    csf_wbc_per_ul : float
        CSF white-cell count, cells/uL (>= 0).
    csf_blasts_present : bool
        Leukaemic blasts seen in the CSF (cytospin).
    clinical_signs : bool
        Clinical signs of CNS leukaemia (e.g. cranial nerve palsy): CNS3 whatever the CSF.

    Returns
    -------
    CnsAssessment

    References
    ----------
    .. [1] Children's Oncology Group CNS status definitions, as summarised in a BMJ Best
       Practice-style criteria page (clinical-facts.md 4.3).

    Examples
    --------
    >>> classify_cns_status(3, True).status
    <CnsStatus.CNS2: 'CNS2'>
    >>> classify_cns_status(5, True).status
    <CnsStatus.CNS3: 'CNS3'>
    """
    rule, source_text = _rule()
    wbc = as_number(csf_wbc_per_ul, "csf_wbc_per_ul", low=0.0, unit="cells/uL")
    blasts = _flag(csf_blasts_present, "csf_blasts_present")
    signs = _flag(clinical_signs, "clinical_signs")
    if signs:
        return CnsAssessment(CnsStatus.CNS3, "clinical signs of CNS leukaemia", source_text)
    if not blasts:
        return CnsAssessment(CnsStatus.CNS1, f"no blasts in CSF (WBC {wbc:g}/uL)", source_text)
    if rule.holds(wbc):
        return CnsAssessment(
            CnsStatus.CNS3, f"blasts in CSF with WBC {wbc:g}/uL {rule}/uL", source_text
        )
    return CnsAssessment(
        CnsStatus.CNS2, f"blasts in CSF with WBC {wbc:g}/uL (< {rule.limit:g}/uL)", source_text
    )
