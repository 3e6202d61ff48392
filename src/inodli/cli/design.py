"""``inodli design ...``: trial designs and monitoring rules, explained one rule per line."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from inodli import design as d

_SCENARIO_RATES = (0.30, 0.45, 0.60)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if hasattr(value, "rule_in_words"):
            out["explanation"] = value.rule_in_words()
        return out
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def _emit(payload: Any) -> None:
    click.echo(json.dumps(_jsonable(payload), indent=2, ensure_ascii=False))


def _lines(lines: list[str] | tuple[str, ...]) -> None:
    for line in lines:
        click.echo(line)


@click.group()
def design() -> None:
    """Trial design and interim monitoring rules (Simon, exact, Bayesian, BOP2).

    \b
    Examples:
      inodli design trial
      inodli design simon --p0 0.3 --p1 0.6 --alpha 0.05 --power 0.8
      inodli design toxicity --p-max 0.2 --prior 1 4 --threshold 0.9 --n 23
      inodli design infer --x1 6 --x 11
    """


@design.command()
@click.option("--p0", type=float, required=True, help="Response rate not worth pursuing.")
@click.option("--p1", type=float, required=True, help="Response rate worth pursuing.")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Type I error bound.")
@click.option("--power", type=float, default=0.80, show_default=True, help="Power bound.")
@click.option("--nmax", type=int, default=100, show_default=True, help="Largest n searched.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def simon(p0: float, p1: float, alpha: float, power: float, nmax: int, as_json: bool) -> None:
    """Simon two-stage designs: minimax, admissible and optimal.

    \b
    Examples:
      inodli design simon --p0 0.3 --p1 0.6 --alpha 0.05 --power 0.8
      inodli design simon --p0 0.05 --p1 0.2 --alpha 0.1 --power 0.9 --json
    """
    result = d.simon_two_stage(p0, p1, alpha, power, nmax)
    if as_json:
        _emit({"designs": result.admissible})
        return
    click.echo(
        f"Simon two-stage designs for {p0:.0%} (not worth pursuing) vs {p1:.0%} (worth pursuing)."
    )
    for item in result.admissible:
        assert item.q_range is not None
        click.echo("")
        click.echo(
            f"{item.kind.capitalize()} design (best when the weight on the maximum size is "
            f"{item.q_range[0]:.3f}-{item.q_range[1]:.3f}):"
        )
        _lines(item.rule_in_words())


@design.command(name="single-stage")
@click.option("--p0", type=float, required=True, help="Response rate not worth pursuing.")
@click.option("--p1", type=float, required=True, help="Response rate worth pursuing.")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="Type I error bound.")
@click.option("--power", type=float, default=0.80, show_default=True, help="Power bound.")
@click.option(
    "--designs", "n_designs", type=int, default=5, show_default=True, help="How many to list."
)
@click.option(
    "--n", type=int, default=None, help="Evaluate this n (with --r) instead of searching."
)
@click.option("--r", type=int, default=None, help="Promising if more than r respond (with --n).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def single_stage(
    p0: float,
    p1: float,
    alpha: float,
    power: float,
    n_designs: int,
    n: int | None,
    r: int | None,
    as_json: bool,
) -> None:
    """Exact single-stage designs (clinfun ph2single), or the error rates of one rule.

    \b
    Examples:
      inodli design single-stage --p0 0.3 --p1 0.6 --alpha 0.05 --power 0.8
      inodli design single-stage --p0 0.3 --p1 0.6 --n 23 --r 11
    """
    if (n is None) != (r is None):
        raise click.UsageError("give --n and --r together")
    if n is not None and r is not None:
        designs: tuple[d.SingleStageDesign, ...] = (d.single_stage_design(n, r, p0, p1),)
    else:
        designs = d.exact_single_stage(p0, p1, alpha, power, n_designs)
    if as_json:
        _emit({"designs": designs})
        return
    for index, item in enumerate(designs):
        if index:
            click.echo("")
        click.echo(f"Design {index + 1}: {item.r + 1} or more responders out of {item.n}.")
        _lines(item.rule_in_words())


@design.command()
@click.option("--p-max", type=float, required=True, help="Largest acceptable event rate.")
@click.option(
    "--prior", type=(float, float), default=(1.0, 1.0), show_default=True, help="Beta prior a b."
)
@click.option(
    "--threshold", type=float, default=0.9, show_default=True, help="Posterior probability to stop."
)
@click.option("--n", "n_max", type=int, required=True, help="Maximum number of patients.")
@click.option(
    "--cohort-size", type=int, default=1, show_default=True, help="Check every this many."
)
@click.option("--event", default="toxicity", show_default=True, help="Name of the event.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def toxicity(
    p_max: float,
    prior: tuple[float, float],
    threshold: float,
    n_max: int,
    cohort_size: int,
    event: str,
    as_json: bool,
) -> None:
    """Bayesian toxicity stopping boundaries (Thall, Simon & Estey 1995).

    \b
    Examples:
      inodli design toxicity --p-max 0.2 --prior 1 4 --threshold 0.9 --n 23
      inodli design toxicity --p-max 0.25 --prior 1 3 --n 23 --event "grade III-IV aGVHD" --json
    """
    boundary = d.toxicity_stopping_boundaries(p_max, prior, threshold, n_max, cohort_size, event)
    if as_json:
        _emit(
            {
                "event": event,
                "rule": boundary.criterion,
                "table": [
                    {"n": n, "stop_if_at_least": b} for n, b in zip(boundary.n, boundary.bound)
                ],
            }
        )
        return
    _lines(boundary.rule_in_words())


@design.command()
@click.option("--responses", type=int, required=True, help="Responses so far.")
@click.option("--n", type=int, required=True, help="Patients evaluated so far.")
@click.option("--n-max", type=int, required=True, help="Planned maximum number of patients.")
@click.option("--p0", type=float, required=True, help="Rate the treatment must beat.")
@click.option(
    "--theta-t", type=float, default=0.9, show_default=True, help="Final posterior threshold."
)
@click.option(
    "--theta-l", type=float, default=None, help="Also print futility boundaries (PP < theta-l)."
)
@click.option(
    "--prior", type=(float, float), default=(1.0, 1.0), show_default=True, help="Beta prior a b."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def predictive(
    responses: int,
    n: int,
    n_max: int,
    p0: float,
    theta_t: float,
    theta_l: float | None,
    prior: tuple[float, float],
    as_json: bool,
) -> None:
    """Predictive probability of trial success (Lee & Liu 2008).

    \b
    Examples:
      inodli design predictive --responses 16 --n 23 --n-max 40 --p0 0.6 --theta-t 0.9 --prior 0.6 0.4
      inodli design predictive --responses 5 --n 10 --n-max 23 --p0 0.3 --theta-l 0.05
    """
    pp = d.predictive_probability(responses, n, n_max, p0, theta_t, prior)
    boundary = (
        None
        if theta_l is None
        else d.predictive_stopping_boundaries(n_max, p0, theta_t, theta_l, prior)
    )
    if as_json:
        payload: dict[str, Any] = {"predictive_probability": pp}
        if boundary is not None:
            payload["futility"] = [
                {"n": a, "stop_if_at_most": b} for a, b in zip(boundary.n, boundary.bound)
            ]
        _emit(payload)
        return
    click.echo(f"{responses} of {n} patients have responded; {n_max - n} remain.")
    click.echo(
        f"If the trial continues to {n_max}, the chance that it ends convincing (more than "
        f"{theta_t:.0%} sure the response rate exceeds {p0:.0%}) is {pp:.1%}."
    )
    if boundary is not None:
        _lines(boundary.rule_in_words())


@design.command()
@click.option("--p0", type=float, required=True, help="Response rate not worth pursuing.")
@click.option("--p1", type=float, required=True, help="Response rate worth pursuing.")
@click.option("--looks", required=True, help="Cumulative patients at each analysis, e.g. 10,16,23.")
@click.option("--alpha", type=float, default=0.10, show_default=True, help="Type I error bound.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def bop2(p0: float, p1: float, looks: str, alpha: float, as_json: bool) -> None:
    """BOP2 futility boundaries, lambda and gamma tuned for power (Zhou, Lee & Yuan 2017).

    \b
    Examples:
      inodli design bop2 --p0 0.3 --p1 0.6 --looks 10,16,23 --alpha 0.05
      inodli design bop2 --p0 0.2 --p1 0.4 --looks 10,20,30,40 --json
    """
    try:
        sizes = [int(part) for part in looks.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(
            f"expected whole numbers separated by commas, got {looks!r}", param_hint="--looks"
        ) from None
    result = d.bop2_design(p0, p1, sizes, alpha)
    if as_json:
        _emit(result)
        return
    click.echo(f"BOP2 design: lambda = {result.lambda_:g}, gamma = {result.gamma:g}.")
    _lines(result.rule_in_words())


@design.command()
@click.option(
    "--n", type=int, default=None, help="Total patients of a custom design (default: the trial's)."
)
@click.option(
    "--r", type=int, default=None, help="Promising if more than r respond (custom design)."
)
@click.option("--n1", type=int, default=None, help="Stage-1 size (custom two-stage design).")
@click.option("--r1", type=int, default=None, help="Stop after stage 1 if r1 or fewer respond.")
@click.option("--response", "responses", type=float, multiple=True, help="True response rate(s).")
@click.option("--toxicity", "toxicities", type=float, multiple=True, help="True VOD/SOS rate(s).")
@click.option(
    "--simulate", "n_trials", type=int, default=None, help="Simulate this many trials instead."
)
@click.option(
    "--seed", type=int, default=20261124, show_default=True, help="Random seed for --simulate."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def oc(
    n: int | None,
    r: int | None,
    n1: int | None,
    r1: int | None,
    responses: tuple[float, ...],
    toxicities: tuple[float, ...],
    n_trials: int | None,
    seed: int,
    as_json: bool,
) -> None:
    """Operating characteristics over scenarios (exact, or simulated with --simulate).

    Uses the trial's design with its VOD/SOS monitoring unless --n and --r are given.

    \b
    Examples:
      inodli design oc --response 0.3 --response 0.6 --toxicity 0.14 --toxicity 0.3
      inodli design oc --n 23 --r 11 --response 0.3 --response 0.6
      inodli design oc --simulate 1000000 --seed 1 --json
    """
    plan = _plan(n, r, n1, r1)
    scenarios = [
        (p, q) for q in (toxicities or (0.0, 0.14, 0.30)) for p in (responses or _SCENARIO_RATES)
    ]
    method = "exact" if n_trials is None else "simulation"
    rows = d.operating_characteristics(plan, scenarios, method, n_trials or 100_000, seed)
    if as_json:
        _emit({"plan": plan, "scenarios": rows})
        return
    click.echo(f"Design: {plan.name} ({method}).")
    for row in rows:
        click.echo(
            f"If the true CR/CRi rate is {row.response_rate:.0%} and the true VOD/SOS rate is "
            f"{row.toxicity_rate:.0%}: promising {row.promising:.1%}, stopped early for futility "
            f"{row.early_futility:.1%}, stopped for safety {row.toxicity_stop:.1%}, "
            f"{row.expected_n:.1f} patients on average."
        )


def _plan(n: int | None, r: int | None, n1: int | None, r1: int | None) -> d.MonitoringPlan:
    if n is None and r is None and n1 is None and r1 is None:
        trial = d.TRIAL_DESIGN
        return trial.plan.with_toxicity(trial.toxicity_rules[0].boundary(trial.n))
    if n is None or r is None:
        raise click.UsageError(
            "a custom design needs --n and --r (and --n1 with --r1 for two stages)"
        )
    if (n1 is None) != (r1 is None):
        raise click.UsageError("give --n1 and --r1 together")
    if n1 is None or r1 is None:
        return d.MonitoringPlan(f"single stage, promising if > {r}/{n}", (n,), (r,))
    return d.MonitoringPlan(f"two-stage {r1}/{n1}, {r}/{n}", (n1, n), (r1, r))


@design.command()
@click.option("--responses", type=int, default=None, help="CR/CRi so far among evaluable patients.")
@click.option(
    "--evaluable", type=int, default=None, help="Patients with the primary response assessed."
)
@click.option(
    "--stage1-responses", type=int, default=None, help="CR/CRi among the first 10 (once past 10)."
)
@click.option("--vod", type=(int, int), default=None, help="VOD/SOS: events and patients treated.")
@click.option(
    "--gvhd", type=(int, int), default=None, help="Grade III-IV aGVHD: events and DLI recipients."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def trial(
    responses: int | None,
    evaluable: int | None,
    stage1_responses: int | None,
    vod: tuple[int, int] | None,
    gvhd: tuple[int, int] | None,
    as_json: bool,
) -> None:
    """The design chosen for this trial, why, and (given counts) the decision now.

    \b
    Examples:
      inodli design trial
      inodli design trial --responses 3 --evaluable 7 --vod 1 7
      inodli design trial --responses 12 --evaluable 15 --stage1-responses 7 --vod 2 15 --gvhd 1 4
    """
    chosen = d.TRIAL_DESIGN
    events: dict[str, tuple[int, int]] = {}
    if vod is not None:
        events[chosen.toxicity_rules[0].event] = vod
    if gvhd is not None:
        events[chosen.toxicity_rules[1].event] = gvhd
    status = None
    if responses is not None or evaluable is not None or events:
        status = d.trial_monitoring_status(
            chosen, responses or 0, evaluable or 0, events, stage1_responses
        )
    if as_json:
        alpha, power, pet, en = chosen.attained()
        payload: dict[str, Any] = {
            "design": chosen,
            "attained": {"alpha": alpha, "power": power, "pet0": pet, "expected_n0": en},
            "rules": chosen.rule_in_words(),
            "candidates": [
                {"label": c.label, "alpha": c.alpha, "power": c.power, "note": c.note}
                for c in d.candidate_designs()
            ],
        }
        if status is not None:
            payload["status"] = {
                "decision": status.decision,
                "boundary_crossed": status.boundary_crossed,
                "explanation": list(status.explanation),
            }
        _emit(payload)
        return
    if status is not None:
        _lines(status.explanation)
        click.echo("")
    click.echo(f"Design: {chosen.name}.")
    _lines(chosen.rule_in_words())
    click.echo("")
    click.echo("Why this design:")
    _lines(chosen.justification)
    for rule in chosen.toxicity_rules:
        click.echo(f"{rule.event}: {rule.justification}")
    click.echo("")
    click.echo("Designs considered (exact type I error at 30%, power at 60%):")
    for candidate in d.candidate_designs():
        click.echo(
            f"{candidate.label}: type I {candidate.alpha:.3f}, power {candidate.power:.3f}. {candidate.note}"
        )


@design.command()
@click.option("--x1", type=int, required=True, help="Responses among the stage-1 patients.")
@click.option("--x", type=int, default=None, help="Total responses among all n (after stage 2).")
@click.option(
    "--stage",
    type=click.IntRange(1, 2),
    default=None,
    help="Stage the trial ended at [default: 1 if x1 <= r1, else 2].",
)
@click.option("--n1", type=int, default=None, help="Stage-1 size [default: the trial's, 10].")
@click.option("--r1", type=int, default=None, help="Stop if r1 or fewer respond [default: 4].")
@click.option("--n", type=int, default=None, help="Total size [default: the trial's, 23].")
@click.option("--p0", type=float, default=None, help="Null response rate [default: 0.30].")
@click.option(
    "--confidence-level", type=float, default=0.95, show_default=True, help="Two-sided CI level."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def infer(
    x1: int,
    x: int | None,
    stage: int | None,
    n1: int | None,
    r1: int | None,
    n: int | None,
    p0: float | None,
    confidence_level: float,
    as_json: bool,
) -> None:
    """Design-adjusted p-value, exact CI and UMVUE after a two-stage design (Koyama & Chen 2008).

    Uses the trial's design (stop if <= 4 of 10 respond, 23 in total, p0 = 0.30) unless
    --n1, --r1, --n, --p0 are given. The plain exact binomial test is printed beside it.

    \b
    Examples:
      inodli design infer --x1 6 --x 11
      inodli design infer --x1 3
      inodli design infer --x1 2 --x 7 --n1 13 --r1 1 --n 40 --p0 0.1 --json
    """
    from inodli.stats.binomial import exact_binomial_test

    trial = d.TRIAL_DESIGN
    n1 = trial.n1 if n1 is None else n1
    r1 = trial.r1 if r1 is None else r1
    n = trial.n if n is None else n
    p0 = trial.p0 if p0 is None else p0
    if stage is None:
        stage = 1 if x1 <= r1 else 2
    result = d.two_stage_inference(
        stage, x1, x, n1=n1, r1=r1, n=n, p0=p0, confidence_level=confidence_level
    )
    plain = exact_binomial_test(result.x, result.patients, p0, "greater")
    if as_json:
        _emit({"design_adjusted": result, "plain_exact_p_value": plain.p_value})
        return
    click.echo(f"Design: stop after {n1} patients if {r1} or fewer respond; {n} in total.")
    _lines(result.rule_in_words())
    click.echo(
        f"For comparison, the plain exact binomial test of {result.x}/{result.patients} "
        f"(ignores the design): one-sided p = {plain.p_value:.4f}."
    )
