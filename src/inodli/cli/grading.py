"""``inodli grade``, ``agvhd``, ``cgvhd`` and ``response``: thin over inodli.protocol."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import click

from inodli.errors import InputError

T = TypeVar("T")


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(value, "roman"):
            out["roman"] = value.roman
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return float(value)
    return value


def _emit(payload: Any) -> None:
    click.echo(json.dumps(_jsonable(payload), indent=2, ensure_ascii=False))


def _call(flags: dict[str, str], function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run an API call; an InputError names the command-line flag, not the Python parameter."""
    try:
        return function(*args, **kwargs)
    except InputError as error:
        flag = flags.get(error.field, error.field)
        message = f"expected {error.allowed}, got {error.received!r}"
        if error.detail:
            message += f". {error.detail}"
        raise click.BadParameter(message, param_hint=flag) from error


# ------------------------------------------------------------------------------ grade
# ignore_unknown_options: a negative VALUE ("-5") reaches the range check and gets its
# "expected a number >= 0" message instead of click's "No such option '-5'".
@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("term")
@click.argument("value", type=float)
@click.option("--lln", type=float, default=None, help="Lower limit of normal (same unit).")
@click.option("--uln", type=float, default=None, help="Upper limit of normal (same unit).")
@click.option("--baseline", type=float, default=None, help="Baseline value (same unit).")
@click.option("--unit", default=None, help="Unit of all numbers (default: the term's own).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def grade(
    term: str,
    value: float,
    lln: float | None,
    uln: float | None,
    baseline: float | None,
    unit: str | None,
    as_json: bool,
) -> None:
    """Grade a lab value (or QTc) by CTCAE v5.0.

    TERM is a CTCAE term or alias (ALT, AST, bilirubin, ALP, GGT, creatinine, ANC,
    platelets, WBC, lymphocytes, Hgb, potassium, sodium, magnesium, calcium, glucose,
    albumin, QTc, ...). When the value alone cannot decide (hyponatremia 125-129,
    hypokalemia <LLN-3.0, hyperglycemia) the possible grades are listed for the clinician.

    \b
    Examples:
      inodli grade ALT 210 --uln 40
      inodli grade bilirubin 2.1 --uln 1.2 --baseline 1.5 --unit mg/dL
      inodli grade ANC 800 --unit /mm3
      inodli grade sodium 127 --lln 135 --uln 145 --json
      inodli grade QTc 470 --baseline 400
    """
    from inodli.protocol.ctcae import ctcae_grade

    flags = {"term": "TERM", "value": "VALUE", "lln": "--lln", "uln": "--uln"}
    flags |= {"baseline": "--baseline", "unit": "--unit", "lln/uln": "--lln/--uln"}
    result = _call(flags, ctcae_grade, term, value, lln=lln, uln=uln, baseline=baseline, unit=unit)
    if as_json:
        _emit(result)
        return
    shown = "?" if result.grade is None else str(result.grade)
    click.echo(f"{result.term}: grade {shown}")
    if result.needs_clinician:
        options = ", ".join(str(g) for g in result.possible_grades) or "none in this table"
        click.echo(f"  clinician to decide; possible grades: {options}")
    click.echo(f"  {result.reason}")


# ------------------------------------------------------------------------------ agvhd
@click.command()
@click.option("--skin", type=int, default=None, help="Skin stage 0-4 (or give --skin-bsa).")
@click.option("--liver", type=int, default=None, help="Liver stage 0-4 (or give --bilirubin).")
@click.option(
    "--upper-gi", type=int, default=None, help="Upper-GI stage 0-1 (or --upper-gi-symptoms)."
)
@click.option("--lower-gi", type=int, default=None, help="Lower-GI stage 0-4 (or stool findings).")
@click.option("--skin-bsa", type=float, default=None, help="% BSA with active erythema.")
@click.option(
    "--bullae-bsa",
    type=float,
    default=0.0,
    show_default=True,
    help="% BSA with bullae/desquamation.",
)
@click.option("--bilirubin", type=float, default=None, help="Total bilirubin.")
@click.option(
    "--bilirubin-unit", type=click.Choice(["mg/dL", "umol/L"]), default="mg/dL", show_default=True
)
@click.option(
    "--upper-gi-symptoms",
    type=click.Choice(["persistent", "none"]),
    default=None,
    help="Persistent nausea/vomiting/anorexia, or none/intermittent.",
)
@click.option("--stool-ml", type=float, default=None, help="Diarrhoea volume, mL/day.")
@click.option("--stool-episodes", type=int, default=None, help="Liquid stool episodes per day.")
@click.option(
    "--unquantified-episodes",
    type=int,
    default=0,
    help="Episodes without volume (200 mL or 3 mL/kg each).",
)
@click.option("--weight", type=float, default=None, help="Weight in kg (adult stool rules >50 kg).")
@click.option(
    "--severe-pain", is_flag=True, help="Severe abdominal pain (opioids + impact on performance)."
)
@click.option("--bloody-stool", is_flag=True, help="Grossly bloody stool.")
@click.option(
    "--stool-mixed-with-urine", is_flag=True, help="--stool-ml is a stool/urine mix (stool = 50%)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def agvhd(**options: Any) -> None:
    """Acute GVHD overall grade (MAGIC) from organ stages or organ findings.

    For each organ give either its stage or the findings; the grade follows the MAGIC
    pattern rules (stage-3 skin alone is grade II; stage-2 lower GI alone is grade III).

    \b
    Examples:
      inodli agvhd --skin 3 --liver 0 --upper-gi 0 --lower-gi 0
      inodli agvhd --skin-bsa 30 --bilirubin 2.5 --upper-gi-symptoms none --stool-ml 800 --weight 70
      inodli agvhd --skin 1 --liver 0 --upper-gi 1 --stool-episodes 6 --weight 20 --json
    """
    from inodli.protocol import gvhd_acute as ga

    flags = {
        "erythema_bsa_pct": "--skin-bsa", "bullae_desquamation_bsa_pct": "--bullae-bsa",
        "bilirubin": "--bilirubin", "unit": "--bilirubin-unit", "weight_kg": "--weight",
        "stool_ml_per_day": "--stool-ml", "episodes_per_day": "--stool-episodes",
        "unquantified_episodes": "--unquantified-episodes", "skin": "--skin", "liver": "--liver",
        "upper_gi": "--upper-gi", "lower_gi": "--lower-gi", "persistent_symptoms": "--upper-gi-symptoms",
    }  # fmt: skip
    o = options
    findings = {
        "skin": o["skin_bsa"] is not None,
        "liver": o["bilirubin"] is not None,
        "upper_gi": o["upper_gi_symptoms"] is not None,
        "lower_gi": any(
            (o["stool_ml"] is not None, o["stool_episodes"] is not None,
             o["unquantified_episodes"], o["severe_pain"], o["bloody_stool"],
             o["stool_mixed_with_urine"])
        ),
    }  # fmt: skip
    stages: dict[str, ga.OrganStage] = {}
    for organ, has_findings in findings.items():
        stage = o[organ]
        flag = flags[organ]
        if stage is not None and has_findings:
            raise click.UsageError(f"{flag}: give the stage or the findings for {organ}, not both")
        if stage is None and not has_findings:
            raise click.UsageError(f"{flag}: give a stage or findings for {organ}")
        if stage is not None:
            stages[organ] = ga.OrganStage(organ, stage, "stage given")
    if "skin" not in stages:
        stages["skin"] = _call(flags, ga.stage_skin, o["skin_bsa"], o["bullae_bsa"])
    if "liver" not in stages:
        stages["liver"] = _call(flags, ga.stage_liver, o["bilirubin"], o["bilirubin_unit"])
    if "upper_gi" not in stages:
        stages["upper_gi"] = ga.stage_upper_gi(o["upper_gi_symptoms"] == "persistent")
    if "lower_gi" not in stages:
        if o["weight"] is None:
            raise click.UsageError("--weight: needed to stage the lower GI from stool findings")
        stages["lower_gi"] = _call(
            flags, ga.stage_lower_gi, weight_kg=o["weight"], stool_ml_per_day=o["stool_ml"],
            episodes_per_day=o["stool_episodes"], unquantified_episodes=o["unquantified_episodes"],
            severe_abdominal_pain=o["severe_pain"], grossly_bloody_stool=o["bloody_stool"],
            stool_mixed_with_urine=o["stool_mixed_with_urine"],
        )  # fmt: skip
    ordered = tuple(stages[organ] for organ in ga.ORGANS)
    overall = _call(flags, ga.agvhd_overall_grade, *(s.stage for s in ordered))
    if o["as_json"]:
        _emit(ga.AgvhdAssessment(ordered, overall))
        return
    click.echo(f"Acute GVHD grade {overall.roman} (MAGIC)")
    for stage in ordered:
        click.echo(f"  {stage.organ:<9} stage {stage.stage}: {stage.reason}")
    click.echo(f"  rule: {overall.rule}")
    click.echo(f"  status: {overall.verification}")


# ------------------------------------------------------------------------------ cgvhd
_ORGAN_FLAGS = {
    "skin": "--skin", "mouth": "--mouth", "eyes": "--eyes", "gi": "--gi", "liver": "--liver",
    "lungs": "--lungs", "joints_fascia": "--joints", "genital": "--genital",
}  # fmt: skip


@click.command()
@click.option("--skin", type=int, default=None, help="Skin score 0-3 (or the two scores below).")
@click.option("--skin-bsa-score", type=int, default=None, help="Skin BSA score 0-3.")
@click.option(
    "--skin-sclerosis-score", type=int, default=None, help="Skin sclerotic-feature score 0-3."
)
@click.option("--mouth", type=int, default=None, help="Mouth score 0-3.")
@click.option("--eyes", type=int, default=None, help="Eyes score 0-3.")
@click.option("--gi", type=int, default=None, help="GI tract score 0-3.")
@click.option("--liver", type=int, default=None, help="Liver score 0-3.")
@click.option("--lungs", type=int, default=None, help="Lung score 0-3 (FEV1-based).")
@click.option("--joints", type=int, default=None, help="Joints and fascia score 0-3.")
@click.option("--genital", type=int, default=None, help="Genital tract score 0-3.")
@click.option(
    "--exclude",
    multiple=True,
    type=click.Choice(list(_ORGAN_FLAGS)),
    help="Organ explained by a documented non-GVHD cause (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cgvhd(**options: Any) -> None:
    """Chronic GVHD global severity (NIH 2014) from organ scores 0-3.

    Organs not given are taken as score 0, and the output says so.

    \b
    Examples:
      inodli cgvhd --skin 1 --mouth 2
      inodli cgvhd --skin-bsa-score 1 --skin-sclerosis-score 2 --lungs 1 --json
      inodli cgvhd --liver 3 --mouth 1 --exclude liver
    """
    from inodli.protocol.gvhd_chronic import cgvhd_global_severity

    o = options
    scores = {organ: o[key] for organ, key in (
        ("skin", "skin"), ("mouth", "mouth"), ("eyes", "eyes"), ("gi", "gi"), ("liver", "liver"),
        ("lungs", "lungs"), ("joints_fascia", "joints"), ("genital", "genital"),
    ) if o[key] is not None}  # fmt: skip
    pair = (o["skin_bsa_score"], o["skin_sclerosis_score"])
    skin_scores = None
    if any(s is not None for s in pair):
        if None in pair:
            raise click.UsageError("--skin-bsa-score and --skin-sclerosis-score go together")
        skin_scores = (int(pair[0]), int(pair[1]))
    flags = {**_ORGAN_FLAGS, "skin_scores": "--skin-bsa-score/--skin-sclerosis-score"}
    result = _call(
        flags, cgvhd_global_severity, scores, skin_scores=skin_scores,
        excluded=set(o["exclude"]), unscored_as_zero=True,
    )  # fmt: skip
    if o["as_json"]:
        _emit(result)
        return
    click.echo(f"Chronic GVHD global severity: {result.severity.value} (NIH 2014)")
    click.echo("  scores: " + ", ".join(f"{k} {v}" for k, v in result.scores.items()))
    for reason in result.reasons:
        click.echo(f"  - {reason}")
    click.echo(f"  rule: {result.rule}")
    click.echo(f"  status: {result.verification}")


# ---------------------------------------------------------------------------- response
_YES_NO = {"yes": True, "no": False}


@click.command()
@click.option("--blasts", type=float, default=None, help="Marrow blasts, %.")
@click.option("--anc", type=float, default=None, help="ANC, x10^9/L.")
@click.option("--platelets", type=float, default=None, help="Platelets, x10^9/L.")
@click.option(
    "--blood-blasts",
    type=click.Choice(["yes", "no"]),
    default=None,
    help="Blasts in peripheral blood.",
)
@click.option(
    "--emd",
    type=click.Choice(["none", "present", "increased", "new"]),
    default=None,
    help="Extramedullary disease status.",
)
@click.option(
    "--timepoint",
    type=click.Choice(["end-of-induction", "during-treatment", "after-remission"]),
    default="end-of-induction",
    show_default=True,
    help="after-remission: the patient was in CR/CRi (relapse assessment).",
)
@click.option(
    "--reference-blasts",
    type=float,
    default=None,
    help="Baseline/nadir marrow blasts % (progression).",
)
@click.option("--blood-blasts-abs", type=float, default=None, help="Circulating blasts, x10^9/L.")
@click.option(
    "--reference-blood-blasts-abs",
    type=float,
    default=None,
    help="Baseline/nadir circulating blasts.",
)
@click.option("--deauville", type=int, default=None, help="LBL PET-CT Deauville score 1-5.")
@click.option(
    "--criteria",
    type=click.Choice(["trial_record", "label"]),
    default="trial_record",
    show_default=True,
)
@click.option(
    "--relapse-blasts",
    type=float,
    default=None,
    help="Relapse threshold, marrow blasts % (>=; default 5).",
)
@click.option("--mrd", type=float, default=None, help="MRD level, % (0 when undetected).")
@click.option(
    "--mrd-sensitivity", type=float, default=None, help="MRD assay sensitivity, % (0.01 = 1e-4)."
)
@click.option(
    "--mrd-not-quantifiable", is_flag=True, help="MRD detected but not quantifiable (no --mrd)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def response(**options: Any) -> None:
    """Classify a B-ALL/LBL response (trial-record CR/CRi by default) and MRD.

    Missing results give "not evaluable" with the missing fields named.

    \b
    Examples:
      inodli response --blasts 3 --anc 1.2 --platelets 120 --blood-blasts no --emd none
      inodli response --blasts 5 --anc 1.0 --platelets 100 --blood-blasts no --emd none --criteria label
      inodli response --blasts 6 --timepoint after-remission --json
      inodli response --blasts 1 --anc 2 --platelets 150 --blood-blasts no --emd none --mrd 0 --mrd-sensitivity 0.001
    """
    from inodli.protocol._thresholds import Operator, Threshold
    from inodli.protocol.mrd import classify_mrd
    from inodli.protocol.response import classify_response

    o = options
    flags = {
        "marrow_blasts_pct": "--blasts", "anc": "--anc", "platelets": "--platelets",
        "reference_marrow_blasts_pct": "--reference-blasts", "blood_blasts_abs": "--blood-blasts-abs",
        "reference_blood_blasts_abs": "--reference-blood-blasts-abs", "imaging_deauville": "--deauville",
        "level_pct": "--mrd", "sensitivity_pct": "--mrd-sensitivity",
        "relapse_marrow_blasts": "--relapse-blasts",
    }  # fmt: skip
    relapse = None
    if o["relapse_blasts"] is not None:
        relapse = Threshold(Operator.GE, o["relapse_blasts"])
    result = _call(
        flags, classify_response,
        marrow_blasts_pct=o["blasts"], anc=o["anc"], platelets=o["platelets"],
        blood_blasts_present=None if o["blood_blasts"] is None else _YES_NO[o["blood_blasts"]],
        extramedullary_disease=o["emd"],
        prior_remission=o["timepoint"] == "after-remission",
        end_of_induction=o["timepoint"] == "end-of-induction",
        reference_marrow_blasts_pct=o["reference_blasts"], blood_blasts_abs=o["blood_blasts_abs"],
        reference_blood_blasts_abs=o["reference_blood_blasts_abs"],
        imaging_deauville=o["deauville"], criteria=o["criteria"], relapse_marrow_blasts=relapse,
    )  # fmt: skip
    mrd = None
    if o["mrd"] is not None or o["mrd_sensitivity"] is not None or o["mrd_not_quantifiable"]:
        mrd = _call(
            flags, classify_mrd, o["mrd"], sensitivity_pct=o["mrd_sensitivity"],
            detected_not_quantifiable=o["mrd_not_quantifiable"],
        )  # fmt: skip
    if o["as_json"]:
        _emit({"response": result, "mrd": mrd})
        return
    click.echo(str(result))
    if mrd is not None:
        ash = f" (ASH-SAP: {mrd.ash_sap_category})" if mrd.ash_sap_category else ""
        click.echo(f"MRD: {mrd.status.value}{ash}. {mrd.reason}")
