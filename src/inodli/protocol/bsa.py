"""Body surface area for BSA-based dosing (inotuzumab ozogamicin is dosed in mg/m2).

Three formulas (Mosteller, DuBois, Haycock) from ``rules/bsa.toml``; actual body weight; the
BSA used for dosing is rounded half-up to 0.01 m2 and capped only when a cap is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._dosing_inputs import as_number, decimal_of, round_half_up
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["BSA_FORMULAS", "BodySurfaceArea", "BsaFormula", "body_surface_area"]


@dataclass(frozen=True)
class BsaFormula:
    """``BSA = (numerator / denominator) * H**height_exponent * W**weight_exponent``."""

    name: str
    coefficient_numerator: float
    coefficient_denominator: float
    height_exponent: float
    weight_exponent: float
    source_text: str

    def evaluate(self, height_cm: float, weight_kg: float) -> float:
        coefficient = self.coefficient_numerator / self.coefficient_denominator
        return float(
            coefficient * height_cm**self.height_exponent * weight_kg**self.weight_exponent
        )


@dataclass(frozen=True)
class _BsaRules:
    version: str
    formulas: dict[str, BsaFormula]
    height_range: tuple[float, float]
    weight_range: tuple[float, float]
    rounding_step: str
    rounding_rule: str
    weight_basis: str


@cache
def _rules() -> _BsaRules:
    data = load_rule_table("bsa")
    try:
        formulas = {
            name: BsaFormula(
                name=name,
                coefficient_numerator=float(spec["coefficient_numerator"]),
                coefficient_denominator=float(spec["coefficient_denominator"]),
                height_exponent=float(spec["height_exponent"]),
                weight_exponent=float(spec["weight_exponent"]),
                source_text=str(spec["source_text"]),
            )
            for name, spec in data["formulas"].items()
        }
        low_h, high_h = (float(x) for x in data["plausible"]["height_cm"])
        low_w, high_w = (float(x) for x in data["plausible"]["weight_kg"])
        rules = _BsaRules(
            version=str(data["version"]),
            formulas=formulas,
            height_range=(low_h, high_h),
            weight_range=(low_w, high_w),
            rounding_step=str(data["dosing"]["rounding_step_m2"]),
            rounding_rule=str(data["dosing"]["rounding_rule"]),
            weight_basis=str(data["dosing"]["weight_basis"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'bsa' is malformed: {error!r}") from error
    if data["default_formula"] not in formulas or not formulas:
        raise RuleTableError("rule table 'bsa': default_formula is not a declared formula")
    return rules


BSA_FORMULAS: tuple[str, ...] = tuple(_rules().formulas)


@dataclass(frozen=True)
class BodySurfaceArea:
    """A BSA calculation with everything a dosing record has to keep.

    Attributes
    ----------
    bsa_m2 : float
        Unrounded value from the formula.
    bsa_for_dosing_m2 : float
        The value doses are computed from: rounded (``rounding``) and, if ``cap_m2`` was given
        and exceeded, capped.
    capped : bool
        True when the cap lowered the dosing BSA.
    """

    bsa_m2: float
    bsa_for_dosing_m2: float
    formula: str
    formula_text: str
    height_cm: float
    weight_kg: float
    weight_basis: str
    rounding: str
    cap_m2: float | None
    capped: bool
    rule_table_version: str

    def __str__(self) -> str:
        cap = f", capped at {self.cap_m2:g} m2" if self.capped else ""
        return (
            f"BSA {self.bsa_for_dosing_m2:.2f} m2 ({self.formula}; height {self.height_cm:g} cm, "
            f"weight {self.weight_kg:g} kg, {self.weight_basis}; unrounded {self.bsa_m2:.4f}{cap})"
        )


def body_surface_area(
    height_cm: Any,
    weight_kg: Any,
    formula: str = "mosteller",
    *,
    cap_m2: Any = None,
) -> BodySurfaceArea:
    """Body surface area in m2 from height and actual body weight.

    Parameters
    ----------
    height_cm : float
        Height in cm, 30-250.
    weight_kg : float
        Actual body weight in kg, 2-350 (ASCO: no ideal or adjusted weight for cytotoxics).
    formula : {"mosteller", "dubois", "haycock"}
    cap_m2 : float, optional
        Upper limit for the dosing BSA. None (default) means no cap, as ASCO recommends.

    Returns
    -------
    BodySurfaceArea

    Raises
    ------
    InputError
        Non-numeric, NaN, infinite or boolean input, a height or weight outside the plausible
        range, an unknown formula, or a non-positive cap.

    References
    ----------
    .. [1] Mosteller RD. N Engl J Med 1987;317:1098 (BSA = sqrt(H x W / 3600)).
    .. [2] DuBois D, DuBois EF. Arch Intern Med 1916;17:863.
    .. [3] Haycock GB et al. J Pediatr 1978;93:62.
    .. [4] Griggs JJ et al. J Clin Oncol 2012;30(13) (actual body weight, no capping;
       first page 1553 recalled, not verified).

    Examples
    --------
    >>> body_surface_area(180, 80).bsa_for_dosing_m2
    2.0
    """
    rules = _rules()
    height = as_number(
        height_cm, "height_cm", low=rules.height_range[0], high=rules.height_range[1], unit="cm"
    )
    weight = as_number(
        weight_kg, "weight_kg", low=rules.weight_range[0], high=rules.weight_range[1], unit="kg"
    )
    if not isinstance(formula, str) or formula not in rules.formulas:
        raise InputError("formula", f"one of {', '.join(rules.formulas)}", formula)
    cap = None if cap_m2 is None else as_number(cap_m2, "cap_m2", low=0, low_inclusive=False)
    spec = rules.formulas[formula]
    raw = spec.evaluate(height, weight)
    rounded = round_half_up(Decimal(repr(raw)), rules.rounding_step)
    capped = cap is not None and rounded > decimal_of(cap)
    dosing = decimal_of(cap) if capped and cap is not None else rounded
    rounding = rules.rounding_rule + (f"; capped at {cap:g} m2 as configured" if cap else "")
    return BodySurfaceArea(
        bsa_m2=raw,
        bsa_for_dosing_m2=float(dosing),
        formula=formula,
        formula_text=spec.source_text,
        height_cm=height,
        weight_kg=weight,
        weight_basis=rules.weight_basis,
        rounding=rounding,
        cap_m2=cap,
        capped=capped,
        rule_table_version=rules.version,
    )
