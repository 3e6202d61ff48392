"""Donor lymphocyte infusion (DLI): who may receive it, and how much product to give.

Trial record: "DLI dose: CD3 positive cells 1x10^7/kg; DLI indication: no previous grade
III-IV aGVHD, negative HLALOSS test and no present aGVHD and cGVHD". Rules in
``rules/dli.toml``. Unknown is never eligible: a missing answer fails its criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._dosing_inputs import as_number, decimal_of, round_half_up
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = [
    "HLA_LOSS_RESULTS",
    "DliCriterion",
    "DliDose",
    "DliEligibility",
    "dli_dose",
    "dli_eligibility",
]

HLA_LOSS_RESULTS = ("loss", "no_loss", "not_informative")


@dataclass(frozen=True)
class _Rule:
    rule_id: str
    label: str
    source_text: str


@dataclass(frozen=True)
class _DliRules:
    version: str
    prior_agvhd: _Rule
    hla_loss: _Rule
    active_agvhd: _Rule
    active_cgvhd: _Rule
    not_informative_counts_as_negative: bool
    protocol_cd3_per_kg: float
    concentration_range: tuple[float, float]
    dose_range: tuple[float, float]
    volume_step: str
    rounding_rule: str
    dose_source_text: str


@cache
def _table() -> _DliRules:
    data = load_rule_table("dli")
    try:
        criteria, dose = data["criteria"], data["dose"]
        hla = criteria["hla_loss_negative"]
        declared = (
            set(hla["negative_values"])
            | set(hla["positive_values"])
            | set(hla["not_informative_values"])
        )

        def rule(key: str) -> _Rule:
            spec = criteria[key]
            return _Rule(str(spec["rule_id"]), str(spec["label"]), str(spec["source_text"]))

        low_c, high_c = (float(x) for x in dose["product_cd3_per_ml_range"])
        low_d, high_d = (float(x) for x in dose["cd3_per_kg_range"])
        rules = _DliRules(
            version=str(data["version"]),
            prior_agvhd=rule("no_prior_grade_3_4_agvhd"),
            hla_loss=rule("hla_loss_negative"),
            active_agvhd=rule("no_active_agvhd"),
            active_cgvhd=rule("no_active_cgvhd"),
            not_informative_counts_as_negative=hla["not_informative_counts_as_negative"],
            protocol_cd3_per_kg=float(dose["cd3_per_kg"]),
            concentration_range=(low_c, high_c),
            dose_range=(low_d, high_d),
            volume_step=str(dose["volume_step_ml"]),
            rounding_rule=str(dose["rounding_rule"]),
            dose_source_text=str(dose["source_text"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'dli' is malformed: {error!r}") from error
    if declared != set(HLA_LOSS_RESULTS):
        raise RuleTableError(f"rule table 'dli': HLA-loss values {declared} != {HLA_LOSS_RESULTS}")
    if not isinstance(rules.not_informative_counts_as_negative, bool):
        raise RuleTableError("rule table 'dli': not_informative_counts_as_negative must be a bool")
    return rules


@dataclass(frozen=True)
class DliCriterion:
    """One indication criterion, whether it is met, and why."""

    rule_id: str
    criterion: str
    met: bool
    explanation: str
    source_text: str


@dataclass(frozen=True)
class DliEligibility:
    """Eligible only when every criterion is met; ``failed`` names each one that is not."""

    eligible: bool
    criteria: tuple[DliCriterion, ...]
    rule_table_version: str

    @property
    def failed(self) -> tuple[DliCriterion, ...]:
        return tuple(c for c in self.criteria if not c.met)

    def __str__(self) -> str:
        head = "ELIGIBLE for DLI" if self.eligible else "NOT ELIGIBLE for DLI"
        rows = [
            f"  [{'x' if c.met else ' '}] {c.criterion}: {c.explanation}" for c in self.criteria
        ]
        return "\n".join([head, *rows])


def _yes_no(value: Any, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InputError(field, "True, False or None (unknown)", value)


def dli_eligibility(
    prior_grade_3_4_agvhd: Any,
    hla_loss_test: Any,
    active_agvhd: Any,
    active_cgvhd: Any,
    *,
    not_informative_counts_as_negative: bool | None = None,
) -> DliEligibility:
    """Check the trial record's DLI indication and name every criterion that fails.

    Parameters
    ----------
    prior_grade_3_4_agvhd : bool or None
        Any grade III-IV acute GVHD before now. None (unknown) fails the criterion.
    hla_loss_test : {"loss", "no_loss", "not_informative"} or None
        Result of the HLA-loss test on the relapsed leukaemia. Only ``"no_loss"`` is the
        negative test the record requires. None (test missing) fails. ``"not_informative"``
        (e.g. HLA-identical donor, no mismatched haplotype to lose) fails too unless the
        protocol team documents that it counts as negative (rule-table parameter, or the
        keyword below for a documented per-study override).
    active_agvhd, active_cgvhd : bool or None
        Acute / chronic GVHD present now. None (not assessed) fails.
    not_informative_counts_as_negative : bool, optional
        Overrides the rule-table parameter (default False).

    Returns
    -------
    DliEligibility

    Examples
    --------
    >>> result = dli_eligibility(False, None, False, False)
    >>> result.eligible, result.failed[0].explanation
    (False, 'HLA-loss test missing')
    """
    rules = _table()
    prior = _yes_no(prior_grade_3_4_agvhd, "prior_grade_3_4_agvhd")
    acute = _yes_no(active_agvhd, "active_agvhd")
    chronic = _yes_no(active_cgvhd, "active_cgvhd")
    hla_rule = rules.hla_loss
    if hla_loss_test is not None and hla_loss_test not in HLA_LOSS_RESULTS:
        raise InputError(
            "hla_loss_test",
            f"one of {', '.join(HLA_LOSS_RESULTS)} or None (missing)",
            hla_loss_test,
        )
    accept_ni = (
        rules.not_informative_counts_as_negative
        if not_informative_counts_as_negative is None
        else not_informative_counts_as_negative
    )
    if not isinstance(accept_ni, bool):
        raise InputError("not_informative_counts_as_negative", "True, False or None", accept_ni)

    def absent(rule: _Rule, value: bool | None, what: str) -> DliCriterion:
        if value is None:
            met, why = False, f"{what} unknown (not recorded)"
        else:
            met, why = (not value), (f"{what} present" if value else f"no {what}")
        return DliCriterion(rule.rule_id, rule.label, met, why, rule.source_text)

    if hla_loss_test is None:
        hla_met, hla_why = False, "HLA-loss test missing"
    elif hla_loss_test == "no_loss":
        hla_met, hla_why = True, "HLA-loss test negative (no loss)"
    elif hla_loss_test == "loss":
        hla_met, hla_why = False, "HLA loss detected: DLI from the original donor unlikely to help"
    elif accept_ni:
        hla_met, hla_why = (
            True,
            "HLA-loss test not informative, counted as negative (documented parameter)",
        )
    else:
        hla_met, hla_why = False, "HLA-loss test not informative: not a negative test"
    results = (
        absent(rules.prior_agvhd, prior, "prior grade III-IV acute GVHD"),
        DliCriterion(hla_rule.rule_id, hla_rule.label, hla_met, hla_why, hla_rule.source_text),
        absent(rules.active_agvhd, acute, "active acute GVHD"),
        absent(rules.active_cgvhd, chronic, "active chronic GVHD"),
    )
    return DliEligibility(all(c.met for c in results), results, rules.version)


@dataclass(frozen=True)
class DliDose:
    """CD3+ cells to give and the product volume that contains them."""

    weight_kg: float
    cd3_per_kg: float
    product_cd3_per_ml: float
    cd3_cells: float
    volume_exact_ml: float
    volume_ml: float
    cd3_cells_in_volume: float
    protocol_cd3_per_kg: float
    deviates_from_protocol: bool
    rounding: str
    source_text: str

    def __str__(self) -> str:
        return (
            f"DLI {self.cd3_per_kg:.3g} CD3+/kg x {self.weight_kg:g} kg = {self.cd3_cells:.3g} "
            f"CD3+ cells -> {self.volume_ml:.1f} mL of product at {self.product_cd3_per_ml:.3g}/mL"
        )


def dli_dose(weight_kg: Any, product_cd3_per_ml: Any, cd3_per_kg: Any = 1e7) -> DliDose:
    """CD3+ cells for a DLI and the product volume holding them.

    Parameters
    ----------
    weight_kg : float
        Recipient's actual body weight, 2-350 kg.
    product_cd3_per_ml : float
        CD3+ cells per mL of the product (1e4-1e10; guards against unit slips).
    cd3_per_kg : float, optional
        Target dose; default 1e7 CD3+/kg, the trial record's dose (``rules/dli.toml``
        ``cd3_per_kg``; a test keeps the two equal). ``None`` also means the protocol's dose.
        Accepted range 1e5-1e8.

    Returns
    -------
    DliDose
        ``cd3_cells = cd3_per_kg x weight``; ``volume_ml`` rounded half-up to 0.1 mL.

    Examples
    --------
    >>> d = dli_dose(60, 5e7)
    >>> d.cd3_cells, d.volume_ml
    (600000000.0, 12.0)
    """
    rules = _table()
    protocol_dose = rules.protocol_cd3_per_kg
    weight = as_number(weight_kg, "weight_kg", low=2, high=350, unit="kg")
    low_c, high_c = rules.concentration_range
    concentration = as_number(
        product_cd3_per_ml, "product_cd3_per_ml", low=low_c, high=high_c, unit="CD3+ cells/mL"
    )
    low_d, high_d = rules.dose_range
    dose = (
        protocol_dose
        if cd3_per_kg is None
        else as_number(cd3_per_kg, "cd3_per_kg", low=low_d, high=high_d, unit="CD3+ cells/kg")
    )
    cells = decimal_of(dose) * decimal_of(weight)
    exact = cells / decimal_of(concentration)
    volume = round_half_up(exact, rules.volume_step)
    if volume <= 0:
        raise InputError(
            "product_cd3_per_ml",
            "a concentration giving at least 0.1 mL",
            concentration,
            "The product is too concentrated to measure the dose; dilute it first.",
        )
    return DliDose(
        weight_kg=weight,
        cd3_per_kg=dose,
        product_cd3_per_ml=concentration,
        cd3_cells=float(cells),
        volume_exact_ml=float(exact),
        volume_ml=float(volume),
        cd3_cells_in_volume=float(volume * decimal_of(concentration)),
        protocol_cd3_per_kg=protocol_dose,
        deviates_from_protocol=Decimal(repr(dose)) != Decimal(repr(protocol_dose)),
        rounding=rules.rounding_rule,
        source_text=rules.dose_source_text,
    )
