"""``inodli dose``, ``inodli dli``, ``inodli schedule`` and ``inodli it``: thin over inodli.protocol."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click

from inodli.errors import InputError

T = TypeVar("T")

_YES_NO = {"yes": True, "no": False, "unknown": None}


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _emit(payload: dict[str, Any]) -> None:
    click.echo(json.dumps(_jsonable(payload), indent=2, ensure_ascii=False))


def _call(flags: dict[str, str], function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run an API call; an InputError names the command-line flag, not the Python parameter."""
    try:
        return function(*args, **kwargs)
    except InputError as error:
        flag = flags.get(error.field.split("[")[0], error.field)
        received = error.received
        # A date is shown as typed on the command line, not as datetime.date(2026, 1, 1).
        shown = received.isoformat() if isinstance(received, date) else repr(received)
        message = f"expected {error.allowed}, got {shown}"
        if error.detail:
            message += f". {error.detail}"
        raise click.BadParameter(message, param_hint=flag) from error


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            self.fail(f"expected a date as YYYY-MM-DD, got {value!r}", param, ctx)


DATE = _Date()


@click.command()
@click.option("--height", type=float, required=True, help="Height in cm (30-250).")
@click.option("--weight", type=float, required=True, help="Actual body weight in kg (2-350).")
@click.option("--cycle", type=int, required=True, help="InO cycle number (protocol: 1-2).")
@click.option("--in-remission", is_flag=True, help="CR/CRi reached before this cycle (cycle >= 2).")
@click.option(
    "--formula",
    type=click.Choice(["mosteller", "dubois", "haycock"]),
    default="mosteller",
    show_default=True,
    help="BSA formula.",
)
@click.option(
    "--cap", "cap_m2", type=float, default=None, help="Cap the dosing BSA (m2); default none."
)
@click.option(
    "--max-cycles", type=int, default=None, help="Cycles allowed (default 2; label max 6)."
)
@click.option("--cycle1-extended", is_flag=True, help="Cycle 1 extended to 28 days.")
@click.option("--dose-reduction", type=float, default=0.0, show_default=True,
              help="Prescriber's reduction of every dose, fraction (0.25 = 25%).")  # fmt: skip
@click.option("--prior-reduction", type=float, default=0.0, show_default=True,
              help="Largest reduction in an earlier cycle (no re-escalation).")  # fmt: skip
@click.option("--omit-day", "omit_days", type=click.Choice(["8", "15"]), multiple=True,
              help="Dose day omitted by the prescriber (repeatable).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def dose(
    height: float, weight: float, cycle: int, in_remission: bool, formula: str,
    cap_m2: float | None, max_cycles: int | None, cycle1_extended: bool,
    dose_reduction: float, prior_reduction: float, omit_days: tuple[str, ...], as_json: bool,
) -> None:  # fmt: skip
    """Print the inotuzumab ozogamicin dosing and preparation sheet for one cycle.

    BSA from height and actual weight (rounded to 0.01 m2), the cycle's doses in mg/m2 and mg
    (0.01 mg), and for each dose the volume of 0.25 mg/mL solution to withdraw (0.1 mL), the
    0.9 mg vials needed, the 0.9% NaCl to reach 50 mL, premedication and time limits.

    \b
    Examples:
      inodli dose --height 170 --weight 65 --cycle 1
      inodli dose --height 170 --weight 65 --cycle 2 --in-remission
      inodli dose --height 158 --weight 49 --cycle 1 --formula dubois --json
      inodli dose --height 170 --weight 65 --cycle 2 --in-remission --dose-reduction 0.25
    """
    from inodli.protocol.bsa import body_surface_area
    from inodli.protocol.ino import ino_cycle_plan
    from inodli.protocol.preparation import preparation_sheet, render_dosing_sheet

    flags = {"height_cm": "--height", "weight_kg": "--weight", "formula": "--formula",
             "cap_m2": "--cap", "cycle": "--cycle", "in_remission": "--in-remission",
             "max_cycles": "--max-cycles", "dose_mg": "--height/--weight",
             "dose_reduction_fraction": "--dose-reduction",
             "prior_reduction_fraction": "--prior-reduction", "omitted_days": "--omit-day"}  # fmt: skip
    bsa = _call(flags, body_surface_area, height, weight, formula, cap_m2=cap_m2)
    plan = _call(
        flags, ino_cycle_plan, cycle, bsa.bsa_for_dosing_m2, in_remission,
        max_cycles=max_cycles, cycle1_extended=cycle1_extended,
        dose_reduction_fraction=dose_reduction, prior_reduction_fraction=prior_reduction,
        omitted_days=tuple(int(day) for day in omit_days),
    )  # fmt: skip
    if as_json:
        sheets = {str(d.day): _call(flags, preparation_sheet, d.dose_mg) for d in plan.doses}
        _emit({"bsa": bsa, "plan": plan, "preparation": sheets})
    else:
        click.echo(render_dosing_sheet(bsa, plan))


@click.command()
@click.option("--weight", type=float, required=True, help="Recipient's actual weight in kg.")
@click.option("--cd3-per-ml", type=float, required=True, help="CD3+ cells per mL of product.")
@click.option("--cd3-per-kg", type=float, default=None, help="Target CD3+/kg (default 1e7).")
@click.option("--prior-grade34-agvhd", type=click.Choice(list(_YES_NO)), required=True,
              help="Any previous grade III-IV acute GVHD.")  # fmt: skip
@click.option("--hla-loss", type=click.Choice(["loss", "no_loss", "not_informative", "missing"]),
              required=True, help="HLA-loss test result.")  # fmt: skip
@click.option("--active-agvhd", type=click.Choice(list(_YES_NO)), required=True,
              help="Acute GVHD present now.")  # fmt: skip
@click.option("--active-cgvhd", type=click.Choice(list(_YES_NO)), required=True,
              help="Chronic GVHD present now.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def dli(
    weight: float, cd3_per_ml: float, cd3_per_kg: float | None, prior_grade34_agvhd: str,
    hla_loss: str, active_agvhd: str, active_cgvhd: str, as_json: bool,
) -> None:  # fmt: skip
    """Check the DLI indication and compute the DLI dose and product volume.

    Every failed criterion is listed; "unknown" or "missing" never makes a patient eligible.
    The dose (CD3+ cells and mL of product, 0.1 mL) is shown only when the patient is eligible.

    \b
    Examples:
      inodli dli --weight 60 --cd3-per-ml 5e7 --prior-grade34-agvhd no \\
        --hla-loss no_loss --active-agvhd no --active-cgvhd no
      inodli dli --weight 60 --cd3-per-ml 5e7 --prior-grade34-agvhd no \\
        --hla-loss missing --active-agvhd no --active-cgvhd unknown --json
    """
    from inodli.protocol.dli import dli_dose, dli_eligibility

    flags = {"weight_kg": "--weight", "product_cd3_per_ml": "--cd3-per-ml",
             "cd3_per_kg": "--cd3-per-kg"}  # fmt: skip
    eligibility = dli_eligibility(
        _YES_NO[prior_grade34_agvhd],
        None if hla_loss == "missing" else hla_loss,
        _YES_NO[active_agvhd],
        _YES_NO[active_cgvhd],
    )
    dose_result = _call(flags, dli_dose, weight, cd3_per_ml, cd3_per_kg)
    if as_json:
        _emit(
            {
                "eligible": eligibility.eligible,
                "criteria": eligibility.criteria,
                "failed": [c.criterion for c in eligibility.failed],
                "dose": dose_result if eligibility.eligible else None,
            }
        )
        return
    click.echo(str(eligibility))
    if eligibility.eligible:
        d = dose_result
        click.echo(
            f"\nDose: {d.cd3_per_kg:.3g} CD3+/kg x {d.weight_kg:g} kg = {d.cd3_cells:.4g} CD3+ cells"
            f"\nProduct: {d.cd3_cells:.4g} / {d.product_cd3_per_ml:.4g} per mL = "
            f"{d.volume_exact_ml:.3f} mL -> give {d.volume_ml:.1f} mL "
            f"({d.cd3_cells_in_volume:.4g} CD3+ cells)\nRounding: {d.rounding}"
        )
        if d.deviates_from_protocol:
            click.echo(f"WARNING: dose differs from the protocol's {d.protocol_cd3_per_kg:.3g}/kg")


@click.command()
@click.option("--first-dose", type=DATE, required=True, help="Date of the first InO dose (Day 1).")
@click.option("--cycle1-days", type=click.Choice(["21", "28"]), default="21", show_default=True,
              help="Length of cycle 1.")  # fmt: skip
@click.option("--remission-date", type=DATE, default=None, help="Adds the intrathecal courses.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def schedule(
    first_dose: date, cycle1_days: str, remission_date: date | None, as_json: bool
) -> None:
    """Print the visit schedule: study-day windows, dates and forms for each visit.

    Day 1 is the first InO dose; windows are closed intervals; follow-up is monthly in year 1
    and every 3 months in year 2.

    \b
    Examples:
      inodli schedule --first-dose 2026-01-05
      inodli schedule --first-dose 2026-01-05 --cycle1-days 28 --remission-date 2026-02-01
      inodli schedule --first-dose 2026-01-05 --json
    """
    from inodli.protocol.schedule import visit_schedule

    flags = {"first_dose": "--first-dose", "remission_date": "--remission-date",
             "cycle1_days": "--cycle1-days"}  # fmt: skip
    result = _call(
        flags,
        visit_schedule,
        first_dose,
        cycle1_days=int(cycle1_days),
        remission_date=remission_date,
    )
    if as_json:
        _emit({"schedule": result})
        return
    click.echo(
        f"Visit schedule from Day 1 = {result.first_dose} (cycle 1: {result.cycle1_days} days)"
    )
    click.echo("code       study day [window]  target [window dates]  forms")
    click.echo(str(result))
    click.echo("\nAssumptions (not in the trial record):")
    for assumption in result.assumptions:
        click.echo(f"  - {assumption}")


@click.command(name="it")
@click.option("--remission-date", type=DATE, required=True, help="Date CR/CRi was documented.")
@click.option("--given", "given", type=DATE, multiple=True, help="Date of a course given (repeat).")
@click.option("--as-of", type=DATE, default=None, help="Status date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def intrathecal(
    remission_date: date, given: tuple[date, ...], as_of: date | None, as_json: bool
) -> None:
    """Intrathecal cytarabine 50 mg + dexamethasone 5 mg + methotrexate 10 mg: courses due vs given.

    Monthly after remission, 4-6 courses; status is on_track, overdue or complete.

    \b
    Examples:
      inodli it --remission-date 2026-02-01
      inodli it --remission-date 2026-02-01 --given 2026-02-02 --given 2026-03-03 --as-of 2026-04-20
      inodli it --remission-date 2026-02-01 --as-of 2026-03-15 --json
    """
    from inodli.protocol.intrathecal import intrathecal_schedule

    flags = {"remission_date": "--remission-date", "given_dates": "--given", "as_of": "--as-of"}
    today = as_of if as_of is not None else date.today()
    result = _call(flags, intrathecal_schedule, remission_date, list(given), as_of=today)
    if as_json:
        _emit({"intrathecal": result})
        return
    click.echo(str(result))
    click.echo(f"\nAssumption: {result.assumption}")


@click.command(name="next-dose")
@click.option("--cycle", type=int, required=True, help="Cycle of the dose being decided.")
@click.option(
    "--day", "dose_day", type=click.Choice(["1", "8", "15"]), required=True, help="Dose day."
)
@click.option("--bilirubin", type=float, default=None, help="Total bilirubin (any unit).")
@click.option(
    "--bilirubin-uln", type=float, default=None, help="ULN of total bilirubin, same unit."
)
@click.option("--ast", type=float, default=None, help="AST.")
@click.option("--ast-uln", type=float, default=None, help="ULN of AST.")
@click.option("--alt", type=float, default=None, help="ALT.")
@click.option("--alt-uln", type=float, default=None, help="ULN of ALT.")
@click.option(
    "--gilbert-or-hemolysis", is_flag=True, help="Bilirubin rise due to Gilbert's/haemolysis."
)
@click.option("--vod", is_flag=True, help="VOD/SOS or other severe liver toxicity.")
@click.option(
    "--liver-not-recovered", is_flag=True, help="Liver tests did not recover (investigator)."
)
@click.option(
    "--irr-grade", type=click.IntRange(0, 5), default=None, help="Infusion reaction grade."
)
@click.option(
    "--nonheme-grade", type=click.IntRange(0, 5), default=0, help="Worst other non-haem. grade."
)
@click.option(
    "--nonheme-baseline-grade",
    type=click.IntRange(0, 5),
    default=0,
    help="Its pre-treatment grade.",
)
@click.option("--anc", type=float, default=None, help="ANC 10^9/L (day 1 of cycle >= 2).")
@click.option(
    "--platelets", type=float, default=None, help="Platelets 10^9/L, transfusion-independent."
)
@click.option("--baseline-anc", type=float, default=None, help="ANC before the prior cycle.")
@click.option(
    "--baseline-platelets", type=float, default=None, help="Platelets before the prior cycle."
)
@click.option("--low-days", type=click.IntRange(0), default=0, help="Days counts have stayed low.")
@click.option("--drug-related", type=click.Choice(list(_YES_NO)), default="unknown",
              help="Low counts suspected BESPONSA-related.")  # fmt: skip
@click.option(
    "--marrow-stable", is_flag=True, help="Investigator: stable marrow, cytopenia from disease."
)
@click.option("--blood-blasts", type=float, default=None,
              help="Circulating blasts 10^9/L before the first dose (cytoreduce if > 10).")  # fmt: skip
@click.option("--liver-trigger", type=click.Choice(["and", "either"]), default="and", show_default=True,
              help="How bilirubin and AST/ALT combine (label: and).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def next_dose(**options: Any) -> None:
    """Give, hold or discontinue the next InO dose, with every rule that fired (label 2.3).

    \b
    Examples:
      inodli next-dose --cycle 1 --day 8 --bilirubin 40 --bilirubin-uln 20 --ast 110 --ast-uln 40
      inodli next-dose --cycle 2 --day 1 --bilirubin 10 --bilirubin-uln 20 --alt 30 --alt-uln 40 \\
        --anc 0.8 --platelets 60 --baseline-anc 1.5 --baseline-platelets 120 --json
    """
    from inodli.protocol.dose_modification import next_dose_decision

    flags = {"total_bilirubin": "--bilirubin", "bilirubin_uln": "--bilirubin-uln", "ast": "--ast",
             "ast_uln": "--ast-uln", "alt": "--alt", "alt_uln": "--alt-uln", "anc": "--anc",
             "platelets": "--platelets", "pretreatment_anc": "--baseline-anc",
             "pretreatment_platelets": "--baseline-platelets", "cycle": "--cycle",
             "peripheral_blasts": "--blood-blasts"}  # fmt: skip
    decision = _call(
        flags,
        next_dose_decision,
        cycle=options["cycle"],
        dose_day=int(options["dose_day"]),
        total_bilirubin=options["bilirubin"],
        bilirubin_uln=options["bilirubin_uln"],
        ast=options["ast"],
        ast_uln=options["ast_uln"],
        alt=options["alt"],
        alt_uln=options["alt_uln"],
        gilbert_or_hemolysis=options["gilbert_or_hemolysis"],
        liver_not_recovered=options["liver_not_recovered"],
        vod_sos=options["vod"],
        infusion_reaction_grade=options["irr_grade"],
        other_nonheme_grade=options["nonheme_grade"],
        other_nonheme_baseline_grade=options["nonheme_baseline_grade"],
        anc=options["anc"],
        platelets=options["platelets"],
        pretreatment_anc=options["baseline_anc"],
        pretreatment_platelets=options["baseline_platelets"],
        low_counts_days=options["low_days"],
        low_counts_drug_related=_YES_NO[options["drug_related"]],
        marrow_stable_and_cytopenia_from_disease=options["marrow_stable"],
        liver_trigger=options["liver_trigger"],
        peripheral_blasts=options["blood_blasts"],
    )
    if options["as_json"]:
        _emit({"decision": decision})
        return
    click.echo(str(decision))
    for reason in decision.reasons:
        click.echo(f"\n[{reason.rule_id}] label: {reason.source_text}")
