"""Morphologic response of B-ALL/LBL: CR, CRi, MLFS, refractory, progression and relapse.

The trial record's own CR and CRi definitions are the default (``criteria="trial_record"``):
marrow blasts <=5%, no evidence of active disease, and platelets >100 and ANC >1 x 10^9/L
(CR) or platelets >50 and ANC >0.5 x 10^9/L (CRi). The BESPONSA label's wording (<5%,
>=100, >=1, no CRi floor) is the named alternative ``criteria="label"``. Every threshold
comes from ``rules/response.toml``; missing inputs give "not evaluable" naming the missing
fields, never a guess. MRD is classified by :func:`inodli.protocol.mrd.classify_mrd`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from inodli.errors import InputError
from inodli.protocol._counts import count_limit
from inodli.protocol._thresholds import Threshold, as_number
from inodli.protocol.response_rules import ResponseCriteria, response_criteria, response_rules

__all__ = [
    "ExtramedullaryStatus",
    "ResponseAssessment",
    "ResponseCategory",
    "ResponseCriteria",
    "classify_response",
    "response_criteria",
]


class ResponseCategory(StrEnum):
    """Response categories; ``description`` is the sentence shown to people."""

    CR = "CR"
    CRI = "CRi"
    MLFS = "MLFS"
    REFRACTORY = "refractory"
    ACTIVE_DISEASE = "active disease"
    PROGRESSIVE_DISEASE = "progressive disease"
    RELAPSE = "relapse"
    NOT_EVALUABLE = "not evaluable"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    ResponseCategory.CR: "CR: complete remission",
    ResponseCategory.CRI: "CRi: complete remission with incomplete count recovery",
    ResponseCategory.MLFS: (
        "MLFS: morphologic leukaemia-free state (marrow blasts within the CR limit, counts "
        "below the CRi floor), not a response"
    ),
    ResponseCategory.REFRACTORY: "refractory: not in CR/CRi at the end of induction",
    ResponseCategory.ACTIVE_DISEASE: "active disease: not in CR/CRi",
    ResponseCategory.PROGRESSIVE_DISEASE: "progressive disease",
    ResponseCategory.RELAPSE: "relapse after CR/CRi",
    ResponseCategory.NOT_EVALUABLE: "not evaluable: required results are missing",
}


class ExtramedullaryStatus(StrEnum):
    """Extramedullary disease (EMD, including CNS) at this assessment."""

    NONE = "none"
    PRESENT = "present"  # persisting, without a >=25% increase
    INCREASED = "increased"  # burden up by >=25% from the reference assessment
    NEW = "new"  # a site not involved at the reference assessment


@dataclass(frozen=True)
class ResponseAssessment:
    """The response category with every reason that decided it.

    ``refractory`` is true when this is the end-of-induction assessment and the patient is
    not in CR/CRi (MLFS included). ``missing`` names inputs that were needed but absent.
    """

    category: ResponseCategory
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    criteria: str
    is_response: bool
    refractory: bool

    def __str__(self) -> str:
        lines = [f"{self.category.description} [criteria: {self.criteria}]"]
        lines += [f"  - {reason}" for reason in self.reasons]
        return "\n".join(lines)


def _emd(value: Any) -> ExtramedullaryStatus | None:
    if value is None or isinstance(value, ExtramedullaryStatus):
        return value
    try:
        return ExtramedullaryStatus(str(value).lower())
    except ValueError:
        allowed = ", ".join(status.value for status in ExtramedullaryStatus)
        raise InputError("extramedullary_disease", f"one of {allowed} (or None)", value) from None


def _optional(value: Any, field: str, high: float, unit: str) -> float | None:
    return None if value is None else as_number(value, field, low=0.0, high=high, unit=unit)


def _optional_bool(value: Any, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InputError(field, "True, False or None", value)


def classify_response(
    *,
    marrow_blasts_pct: float | None,
    anc: float | None,
    platelets: float | None,
    blood_blasts_present: bool | None,
    extramedullary_disease: ExtramedullaryStatus | str | None,
    prior_remission: bool = False,
    end_of_induction: bool = True,
    reference_marrow_blasts_pct: float | None = None,
    blood_blasts_abs: float | None = None,
    reference_blood_blasts_abs: float | None = None,
    imaging_deauville: int | None = None,
    criteria: str | ResponseCriteria | None = None,
    relapse_marrow_blasts: Threshold | None = None,
    max_deauville_without_active_disease: int | None = None,
) -> ResponseAssessment:
    """Classify one disease assessment.

    Parameters
    ----------
    marrow_blasts_pct : float or None
        Bone-marrow lymphoblasts, % (0-100).
    anc, platelets : float or None
        Absolute neutrophil count and platelet count, x 10^9/L.
    blood_blasts_present : bool or None
        Leukaemic blasts seen in peripheral blood.
    extramedullary_disease : ExtramedullaryStatus or str or None
        ``"none"``, ``"present"``, ``"increased"`` (>=25% more burden) or ``"new"``.
    prior_remission : bool
        The patient reached CR/CRi earlier: reappearing disease is a relapse.
    end_of_induction : bool
        This is the end-of-induction assessment: not CR/CRi means refractory.
    reference_marrow_blasts_pct, reference_blood_blasts_abs : float or None
        Baseline or nadir values for the progression rule; ``blood_blasts_abs`` (x 10^9/L)
        is the current circulating blast count compared with its reference.
    imaging_deauville : int or None
        LBL PET-CT Deauville score (1-5); above the table's maximum (3) is active disease.
    criteria : str or ResponseCriteria or None
        ``"trial_record"`` (default) or ``"label"``, or a custom set.
    relapse_marrow_blasts : Threshold or None
        Marrow-blast relapse threshold after CR; default ``>= 5`` % from the rule table.
    max_deauville_without_active_disease : int, optional
        Highest Deauville score still read as "no evidence of active disease" (default 3,
        Lugano complete metabolic response); the trial record does not state it.

    Returns
    -------
    ResponseAssessment

    Notes
    -----
    Order of the cases: progression (not after a remission), relapse (after a remission),
    active disease (refractory at end of induction), missing inputs (not evaluable), then
    CR, CRi and MLFS by the counts. A positive finding that decides a category by itself
    ("or" criteria) is used even when other fields are missing; the absence of disease is
    never assumed.

    References
    ----------
    .. [1] Trial record NCT06861348, primary outcome definitions of CR and CRi.
    .. [2] BBMT 2010;16(9):1187-1211, Table 4a (progressive disease).
    .. [3] Chinese consensus on post-transplant relapse, 2016 (relapse: BM blasts >=5%).

    Examples
    --------
    >>> classify_response(marrow_blasts_pct=5, anc=1.2, platelets=120,
    ...                   blood_blasts_present=False, extramedullary_disease="none").category
    <ResponseCategory.CR: 'CR'>
    """
    crit = criteria if isinstance(criteria, ResponseCriteria) else response_criteria(criteria)
    rules = response_rules()
    relapse_rule = rules.relapse_marrow_blasts
    if relapse_marrow_blasts is not None:
        if not isinstance(relapse_marrow_blasts, Threshold):
            raise InputError(
                "relapse_marrow_blasts", "a Threshold (e.g. >= 5 %)", relapse_marrow_blasts
            )
        # A NaN or out-of-range limit would make every relapse silently undetectable.
        as_number(
            relapse_marrow_blasts.limit, "relapse_marrow_blasts", low=0.0, high=100.0, unit="%"
        )
        relapse_rule = relapse_marrow_blasts
    blasts = _optional(marrow_blasts_pct, "marrow_blasts_pct", 100.0, "%")
    anc_value = _optional(anc, "anc", count_limit("anc"), "x10^9/L")
    plt_value = _optional(platelets, "platelets", count_limit("platelets"), "x10^9/L")
    ref_blasts = _optional(reference_marrow_blasts_pct, "reference_marrow_blasts_pct", 100.0, "%")
    pb_abs = _optional(blood_blasts_abs, "blood_blasts_abs", count_limit("blasts"), "x10^9/L")
    ref_pb_abs = _optional(
        reference_blood_blasts_abs, "reference_blood_blasts_abs", count_limit("blasts"), "x10^9/L"
    )
    pb_present = _optional_bool(blood_blasts_present, "blood_blasts_present")
    if pb_present is None and pb_abs is not None:
        pb_present = pb_abs > 0
    emd = _emd(extramedullary_disease)
    max_deauville = rules.max_deauville
    if max_deauville_without_active_disease is not None:
        if isinstance(max_deauville_without_active_disease, bool) or (
            max_deauville_without_active_disease not in (1, 2, 3, 4, 5)
        ):
            raise InputError(
                "max_deauville_without_active_disease",
                "a Deauville score 1-5",
                max_deauville_without_active_disease,
            )
        max_deauville = int(max_deauville_without_active_disease)
    deauville = None
    if imaging_deauville is not None:
        if isinstance(imaging_deauville, bool) or imaging_deauville not in (1, 2, 3, 4, 5):
            raise InputError(
                "imaging_deauville", "a Deauville score 1-5 (or None)", imaging_deauville
            )
        deauville = int(imaging_deauville)

    def result(
        category: ResponseCategory, reasons: list[str], missing: list[str]
    ) -> ResponseAssessment:
        is_response = category in (ResponseCategory.CR, ResponseCategory.CRI)
        refractory = (
            end_of_induction
            and not prior_remission
            and category
            in (
                ResponseCategory.REFRACTORY,
                ResponseCategory.MLFS,
                ResponseCategory.PROGRESSIVE_DISEASE,
            )
        )
        if refractory and category is ResponseCategory.MLFS:
            reasons = [*reasons, "not CR/CRi at the end of induction: counts as refractory"]
        return ResponseAssessment(
            category, tuple(reasons), tuple(missing), crit.name, is_response, refractory
        )

    notes: list[str] = []
    # 1. Progression (BBMT 2010 Table 4a); after a remission a rise is a relapse instead.
    if not prior_remission:
        progression = _progression_reasons(emd, blasts, ref_blasts, pb_abs, ref_pb_abs, notes)
        if progression:
            return result(
                ResponseCategory.PROGRESSIVE_DISEASE,
                [*progression, f"rule: {rules.progression_source_text}"],
                [],
            )

    # 2. Relapse after CR/CRi: any one positive criterion decides.
    if prior_remission:
        relapse = []
        if blasts is not None and relapse_rule.holds(blasts):
            relapse.append(f"marrow blasts {blasts:g}% {relapse_rule} % (relapse threshold)")
            if crit.marrow_blasts_pct.holds(blasts):
                relapse.append(
                    f"{blasts:g}% also meets the CR blast limit ({crit.marrow_blasts_pct} %); "
                    "after a remission the relapse threshold takes precedence"
                )
        if pb_present:
            relapse.append("leukaemic blasts in peripheral blood")
        if emd not in (None, ExtramedullaryStatus.NONE):
            relapse.append(f"extramedullary disease {emd.value}")
        if deauville is not None and deauville > max_deauville:
            relapse.append(f"PET-CT Deauville {deauville} > {max_deauville}")
        if relapse:
            return result(
                ResponseCategory.RELAPSE, [*relapse, f"rule: {rules.relapse_source_text}"], []
            )

    # 3. Evidence of active disease: not CR/CRi.
    active = []
    if blasts is not None and not crit.marrow_blasts_pct.holds(blasts):
        active.append(f"marrow blasts {blasts:g}% not {crit.marrow_blasts_pct} %")
    if pb_present:
        active.append("leukaemic blasts in peripheral blood")
    if emd not in (None, ExtramedullaryStatus.NONE):
        active.append(f"extramedullary disease {emd.value}")
    if deauville is not None and deauville > max_deauville:
        active.append(f"PET-CT Deauville {deauville} > {max_deauville} (active disease)")
    if active:
        category = (
            ResponseCategory.REFRACTORY
            if end_of_induction and not prior_remission
            else ResponseCategory.ACTIVE_DISEASE
        )
        return result(category, [*active, *notes], [])

    # 4. Nothing missing may remain before CR/CRi/MLFS is stated.
    needed = {
        "marrow_blasts_pct": blasts,
        "blood_blasts_present": pb_present,
        "extramedullary_disease": emd,
        "anc": anc_value,
        "platelets": plt_value,
    }
    missing = [name for name, value in needed.items() if value is None]
    if missing:
        return result(
            ResponseCategory.NOT_EVALUABLE,
            [f"missing: {', '.join(missing)}", *notes],
            missing,
        )
    if (
        blasts is None or anc_value is None or plt_value is None
    ):  # pragma: no cover - narrowed above
        raise AssertionError("unreachable")

    reasons = [
        f"marrow blasts {blasts:g}% {crit.marrow_blasts_pct} %",
        "no blasts in blood, no extramedullary disease",
    ]
    if deauville is not None:
        reasons.append(f"PET-CT Deauville {deauville} <= {max_deauville}")
    if crit.cr_platelets.holds(plt_value) and crit.cr_anc.holds(anc_value):
        reasons.append(
            f"platelets {plt_value:g} {crit.cr_platelets} and ANC {anc_value:g} {crit.cr_anc} x10^9/L"
        )
        return result(ResponseCategory.CR, [*reasons, f"rule: {crit.cr_source_text}"], [])
    cr_miss = _count_failures(crit.cr_platelets, crit.cr_anc, plt_value, anc_value)
    if crit.cri_platelets is None or crit.cri_anc is None:
        reasons.append(f"{cr_miss} (no CRi count floor in these criteria)")
        return result(ResponseCategory.CRI, [*reasons, f"rule: {crit.cri_source_text}"], [])
    if crit.cri_platelets.holds(plt_value) and crit.cri_anc.holds(anc_value):
        reasons.append(
            f"{cr_miss}; platelets {plt_value:g} {crit.cri_platelets} and ANC {anc_value:g} "
            f"{crit.cri_anc} x10^9/L"
        )
        return result(ResponseCategory.CRI, [*reasons, f"rule: {crit.cri_source_text}"], [])
    cri_miss = _count_failures(crit.cri_platelets, crit.cri_anc, plt_value, anc_value)
    reasons.append(f"{cri_miss} (below the CRi floor)")
    return result(ResponseCategory.MLFS, [*reasons, f"rule: {crit.cri_source_text}"], [])


def _count_failures(
    plt_rule: Threshold, anc_rule: Threshold, plt_value: float, anc_value: float
) -> str:
    failed = []
    if not plt_rule.holds(plt_value):
        failed.append(f"platelets {plt_value:g} not {plt_rule}")
    if not anc_rule.holds(anc_value):
        failed.append(f"ANC {anc_value:g} not {anc_rule}")
    return " and ".join(failed) + " x10^9/L"


def _progression_reasons(
    emd: ExtramedullaryStatus | None,
    blasts: float | None,
    ref_blasts: float | None,
    pb_abs: float | None,
    ref_pb_abs: float | None,
    notes: list[str],
) -> list[str]:
    rule = response_rules().progression_increase
    reasons = []
    if emd is ExtramedullaryStatus.NEW:
        reasons.append("new extramedullary disease")
    if emd is ExtramedullaryStatus.INCREASED:
        reasons.append("extramedullary disease increased by >=25%")
    if ref_blasts is None and ref_pb_abs is None:
        notes.append(
            "progression by blast counts not assessed: no reference (baseline/nadir) given"
        )
    for label, now, ref in (
        ("marrow blasts", blasts, ref_blasts),
        ("circulating blasts", pb_abs, ref_pb_abs),
    ):
        if ref is None:
            continue
        if now is None:
            notes.append(f"progression by {label} not assessed (current value missing)")
        elif ref <= 0:
            notes.append(f"progression by {label} not assessed (reference value is 0)")
        else:
            # Rounded so that 5% -> 6.25% is exactly the 25% the rule names, not 0.2499...
            increase = round((now - ref) / ref, 12)
            if rule.holds(increase):
                reasons.append(
                    f"{label} {now:g} vs reference {ref:g}: {increase:+.0%} (rule: {rule} increase)"
                )
    return reasons
