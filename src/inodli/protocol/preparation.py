"""The pharmacy preparation sheet for one inotuzumab ozogamicin dose, and its text rendering.

Product, reconstitution, dilution, infusion, time limits and the rounding rule come from
``rules/ino_product.toml`` (BESPONSA US label section 2.4; HOPA 2018 for the 10% rule).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from inodli.protocol._dosing_inputs import as_number, decimal_of, round_half_up
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol.bsa import BodySurfaceArea
from inodli.protocol.ino import CyclePlan

__all__ = ["PreparationSheet", "preparation_sheet", "render_dosing_sheet"]


@dataclass(frozen=True)
class _Product:
    version: str
    product: str
    vial_mg: Decimal
    recon_diluent: str
    recon_ml: Decimal
    concentration: Decimal
    deliverable_ml: Decimal
    dilution_diluent: str
    total_volume_ml: Decimal
    rate_ml_per_h: Decimal
    duration_h: Decimal
    temperature: str
    max_total_h: int
    max_recon_to_dilution_h: int
    premedication: tuple[str, ...]
    materials: tuple[str, ...]
    observe_h: int
    dose_step: str
    volume_step: str
    max_deviation_percent: Decimal
    rounding_rule: str
    source_texts: tuple[str, ...]


def _materials(section: dict[str, Any]) -> tuple[str, ...]:
    lines = (
        f"infusion bag: {', '.join(section['bags'])}",
        f"in-line filter if used: {', '.join(section['filters_allowed'])}; "
        f"not {' or '.join(section['filters_not_allowed'])}",
    )
    return lines + (("do not mix with other drugs",) if section["do_not_mix"] else ())


@cache
def _product() -> _Product:
    data = load_rule_table("ino_product")
    try:
        recon, dil, inf = data["reconstitution"], data["dilution"], data["infusion"]
        limits, disp = data["time_limits"], data["dispensing"]
        product = _Product(
            version=str(data["version"]),
            product=str(data["vial"]["product"]),
            vial_mg=decimal_of(data["vial"]["vial_mg"]),
            recon_diluent=str(recon["diluent"]),
            recon_ml=decimal_of(recon["diluent_ml"]),
            concentration=decimal_of(recon["concentration_mg_per_ml"]),
            deliverable_ml=decimal_of(recon["deliverable_ml"]),
            dilution_diluent=str(dil["diluent"]),
            total_volume_ml=decimal_of(dil["total_volume_ml"]),
            rate_ml_per_h=decimal_of(inf["rate_ml_per_h"]),
            duration_h=decimal_of(inf["duration_h"]),
            temperature=str(inf["temperature"]),
            max_total_h=int(limits["reconstitution_to_end_of_administration_h"]),
            max_recon_to_dilution_h=int(limits["reconstitution_to_dilution_h"]),
            premedication=tuple(str(a) for a in data["premedication"]["agents"]),
            materials=_materials(data["materials"]),
            observe_h=int(data["observation"]["after_infusion_h"]),
            dose_step=str(disp["dose_step_mg"]),
            volume_step=str(disp["volume_step_ml"]),
            max_deviation_percent=decimal_of(disp["max_deviation_percent"]),
            rounding_rule=str(disp["rounding_rule"]),
            source_texts=tuple(
                str(data[key]["source_text"])
                for key in (
                    "reconstitution",
                    "dilution",
                    "infusion",
                    "time_limits",
                    "premedication",
                    "materials",
                    "observation",
                    "dispensing",
                )
            ),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise RuleTableError(f"rule table 'ino_product' is malformed: {error!r}") from error
    # The label's numbers must agree with each other: 0.9 mg = 3.6 mL x 0.25 mg/mL.
    if product.deliverable_ml * product.concentration != product.vial_mg:
        raise RuleTableError("ino_product: deliverable volume x concentration != vial content")
    return product


@dataclass(frozen=True)
class PreparationSheet:
    """How to prepare one dose; every quantity with the rule that produced it."""

    dose_mg: float
    concentration_mg_per_ml: float
    volume_exact_ml: float
    volume_to_withdraw_ml: float
    dispensed_mg: float
    deviation_percent: float
    deviation_flag: bool
    vials: int
    vial_mg: float
    reconstitution: str
    sodium_chloride_ml: float
    final_volume_ml: float
    dilution: str
    infusion: str
    premedication: tuple[str, ...]
    time_limits: tuple[str, ...]
    handling: tuple[str, ...]
    materials: tuple[str, ...]
    observation: str
    rounding: str
    source_texts: tuple[str, ...]
    rule_table_version: str


def preparation_sheet(dose_mg: Any) -> PreparationSheet:
    """Preparation of one InO dose from 0.9 mg vials reconstituted to 0.25 mg/mL.

    Parameters
    ----------
    dose_mg : float
        Calculated dose in mg (> 0 and at most 10 mg, far above any BSA-based dose).

    Returns
    -------
    PreparationSheet
        Volume to withdraw (0.1 mL), vials needed (each delivers 3.6 mL), 0.9% NaCl to add
        to reach 50 mL, infusion 1 h at 50 mL/h, premedication, the 4 h / 8 h limits and the
        deviation of the dispensed from the calculated dose (flagged when > 10%).

    References
    ----------
    .. [1] BESPONSA US prescribing information, section 2.4.
    .. [2] Fahrenbruch R et al. J Oncol Pract 2018;14:e130 (HOPA dose rounding, 10%).

    Examples
    --------
    >>> sheet = preparation_sheet(1.36)
    >>> sheet.volume_exact_ml, sheet.vials
    (5.44, 2)
    """
    p = _product()
    dose = round_half_up(
        decimal_of(as_number(dose_mg, "dose_mg", low=0, high=10, low_inclusive=False, unit="mg")),
        p.dose_step,
    )
    exact = dose / p.concentration
    withdraw = round_half_up(exact, p.volume_step)
    dispensed = withdraw * p.concentration
    deviation = (dispensed - dose) / dose * 100
    vials = math.ceil(exact / p.deliverable_ml)
    return PreparationSheet(
        dose_mg=float(dose),
        concentration_mg_per_ml=float(p.concentration),
        volume_exact_ml=float(exact),
        volume_to_withdraw_ml=float(withdraw),
        dispensed_mg=float(dispensed),
        deviation_percent=float(round_half_up(deviation, "0.01")),
        deviation_flag=abs(deviation) > p.max_deviation_percent,
        vials=vials,
        vial_mg=float(p.vial_mg),
        reconstitution=(
            f"Reconstitute each {p.vial_mg:g} mg vial with {p.recon_ml:g} mL "
            f"{p.recon_diluent} -> {p.concentration:g} mg/mL ({p.deliverable_ml:g} mL deliverable "
            "per vial). Swirl gently; do not shake."
        ),
        sodium_chloride_ml=float(p.total_volume_ml - withdraw),
        final_volume_ml=float(p.total_volume_ml),
        dilution=(
            f"Add {withdraw} mL to {p.dilution_diluent} to a total of {p.total_volume_ml:g} mL."
        ),
        infusion=f"Infuse over {p.duration_h:g} h at {p.rate_ml_per_h:g} mL/h, {p.temperature}.",
        premedication=p.premedication,
        time_limits=(
            f"at most {p.max_recon_to_dilution_h} h from reconstitution to dilution",
            f"at most {p.max_total_h} h from reconstitution to the end of administration",
        ),
        handling=("protect reconstituted and diluted solutions from light", "do not freeze"),
        materials=p.materials,
        observation=f"observe during and for at least {p.observe_h} h after the end of the infusion",
        rounding=p.rounding_rule,
        source_texts=p.source_texts,
        rule_table_version=p.version,
    )


def render_dosing_sheet(bsa: BodySurfaceArea, plan: CyclePlan) -> str:
    """A plain-text dosing and preparation sheet for the pharmacy (the ``inodli dose`` output)."""
    lines = [
        "INOTUZUMAB OZOGAMICIN (BESPONSA) - DOSING AND PREPARATION SHEET",
        f"Trial NCT06861348 - cycle {plan.cycle} "
        + (
            "(induction: the same doses whether or not in CR/CRi)"
            if plan.cycle == 1
            else f"({'in' if plan.in_remission else 'not in'} CR/CRi before this cycle)"
        ),
        "",
        f"Height {bsa.height_cm:g} cm, weight {bsa.weight_kg:g} kg ({bsa.weight_basis})",
        f"BSA ({bsa.formula}): {bsa.bsa_m2:.4f} m2 -> {bsa.bsa_for_dosing_m2:.2f} m2 used for dosing",
        f"  {bsa.rounding}",
        f"Cycle length: {plan.cycle_length_days} days"
        + (f" (may be extended to {plan.may_extend_to_days})" if plan.may_extend_to_days else ""),
        f"Days 8/15: +-2 days, at least {plan.minimum_days_between_doses} days between doses",
        "",
        "Day  Window  mg/m2   Dose mg  Withdraw mL  Vials  NaCl 0.9% mL  Dev %",
    ]
    sheets: dict[float, PreparationSheet] = {}
    for dose in plan.doses:
        sheet = sheets.setdefault(dose.dose_mg, preparation_sheet(dose.dose_mg))
        flag = " !>10%" if sheet.deviation_flag else ""
        lines.append(
            f"{dose.day:>3}  {dose.window_first_day:>2}-{dose.window_last_day:<3}  "
            f"{dose.mg_per_m2:<6g}  {dose.dose_mg:>7.2f}  {sheet.volume_to_withdraw_ml:>11.1f}  "
            f"{sheet.vials:>5}  {sheet.sodium_chloride_ml:>12.1f}  {sheet.deviation_percent:>5.2f}{flag}"
        )
    lines.append(f"Total this cycle: {plan.total_mg_per_m2:g} mg/m2 = {plan.total_mg:.2f} mg")
    lines.append(
        "Dev % = dose in the volume withdrawn (mL x 0.25 mg/mL) vs the calculated dose; "
        "'!>10%' marks more than 10%"
    )
    first = next(iter(sheets.values()))
    lines += [
        "",
        "Preparation (each dose):",
        f"  1. {first.reconstitution}",
        "  2. Withdraw the volume above; add it to 0.9% sodium chloride to a total of "
        f"{first.final_volume_ml:g} mL (the NaCl column).",
        f"  3. {first.infusion}",
        f"  Premedicate before each dose: {', '.join(first.premedication)}.",
        f"  Time limits: {'; '.join(first.time_limits)}.",
        f"  Handling: {'; '.join(first.handling)}.",
        f"  Materials: {'; '.join(first.materials)}.",
        f"  Observation: {first.observation}.",
        f"  Rounding: {first.rounding}.",
    ]
    if plan.notes:
        lines += ["", "Notes:", *(f"  - {note}" for note in plan.notes)]
    lines += [
        "",
        f"Rules: {', '.join(plan.rule_ids)} (ino_regimen {plan.rule_table_version}, "
        f"ino_product {first.rule_table_version}, bsa {bsa.rule_table_version})",
    ]
    return "\n".join(lines)
