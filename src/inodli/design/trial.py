"""The design of this trial (NCT06861348, n = 23), its justification, and the monitoring status.

The registry record gives n = 23 and no statistical design. The design below is a
reconstruction for the trial statistician to confirm, not a quotation of the protocol.
:func:`trial_monitoring_status` is the one function the CLI and the web page share: given the
current counts it returns the decision and explains it in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inodli.design._validation import check_count
from inodli.design.bayes import StoppingBoundary, toxicity_stopping_boundaries
from inodli.design.oc import MonitoringPlan
from inodli.design.simon import simon_operating_characteristics
from inodli.design.single_stage import single_stage_design
from inodli.errors import InputError

__all__ = [
    "TRIAL_DESIGN",
    "CandidateDesign",
    "MonitoringStatus",
    "ToxicityRule",
    "TrialDesign",
    "candidate_designs",
    "trial_monitoring_status",
]


@dataclass(frozen=True)
class ToxicityRule:
    """Bayesian monitoring of one adverse event (Thall, Simon & Estey 1995)."""

    event: str
    p_max: float
    prior: tuple[float, float]
    threshold: float
    population: str
    justification: str

    def boundary(self, n_max: int) -> StoppingBoundary:
        return toxicity_stopping_boundaries(
            self.p_max, self.prior, self.threshold, n_max, name=self.event
        )


@dataclass(frozen=True)
class TrialDesign:
    """The efficacy rule (a two-stage design at the registered n) and the safety rules."""

    name: str
    p0: float
    p1: float
    alpha: float
    power: float
    r1: int
    n1: int
    r: int
    n: int
    toxicity_rules: tuple[ToxicityRule, ...]
    justification: tuple[str, ...] = field(repr=False)

    @property
    def plan(self) -> MonitoringPlan:
        return MonitoringPlan(self.name, (self.n1, self.n), (self.r1, self.r))

    def attained(self) -> tuple[float, float, float, float]:
        """Exact (alpha, power, PET(p0), EN(p0)) of the efficacy rule."""
        alpha, pet, en = simon_operating_characteristics(self.r1, self.n1, self.r, self.n, self.p0)
        power, _, _ = simon_operating_characteristics(self.r1, self.n1, self.r, self.n, self.p1)
        return alpha, power, pet, en

    def rule_in_words(self) -> list[str]:
        alpha, power, pet, _en = self.attained()
        lines = [
            f"Primary endpoint: CR/CRi one month after InO, among {self.n} evaluable patients.",
            f"Stage 1: the first {self.n1} evaluable patients.",
            f"If {self.r1} or fewer of them respond, the trial stops: InO +/- DLI is not promising.",
            f"Otherwise {self.n - self.n1} more patients are treated ({self.n} in total).",
            f"At the end, InO +/- DLI is promising if at least {self.r + 1} of {self.n} respond.",
            f"If the true CR/CRi rate were {self.p0:.0%}, the trial would stop after stage 1 "
            f"{pet:.0%} of the time and wrongly call the treatment promising {alpha:.1%} of the time.",
            f"If the true CR/CRi rate were {self.p1:.0%}, it would call the treatment promising "
            f"{power:.1%} of the time.",
        ]
        for rule in self.toxicity_rules:
            lines.append(
                f"Safety ({rule.event}, {rule.population}): stop if the chance that the true rate "
                f"exceeds {rule.p_max:.0%} is above {rule.threshold:.0%}."
            )
        return lines


TRIAL_DESIGN = TrialDesign(
    name="Simon-type two-stage design at n = 23 (p0 = 0.30, p1 = 0.60)",
    p0=0.30,
    p1=0.60,
    alpha=0.05,
    power=0.80,
    r1=4,
    n1=10,
    r=10,
    n=23,
    toxicity_rules=(
        ToxicityRule(
            event="VOD/SOS",
            p_max=0.20,
            prior=(1.0, 4.0),
            threshold=0.90,
            population="all treated patients",
            justification=(
                "VOD/SOS occurred in 14% (23/164) of InO patients in INO-VATE (Kantarjian, "
                "Cancer 2019) and the label says the risk is greater after HSCT; every patient "
                "here has had a transplant, so up to 20% is tolerated. Prior Beta(1, 4): mean "
                "20%, worth 5 patients."
            ),
        ),
        ToxicityRule(
            event="grade III-IV acute GVHD after DLI",
            p_max=0.25,
            prior=(1.0, 3.0),
            threshold=0.90,
            population="patients who received DLI",
            justification=(
                "DLI after relapse carries a substantial acute GVHD risk (acute GVHD 37%, grade "
                "II-IV 25% after unrelated-donor DLI, Porter, Blood 2000); severe (grade III-IV) "
                "aGVHD above 25% of DLI recipients would be unacceptable. Prior Beta(1, 3): mean "
                "25%, worth 4 patients."
            ),
        ),
    ),
    justification=(
        "The registry record (NCT06861348) fixes n = 23 but publishes no design; this one is "
        "reconstructed and must be confirmed by the trial statistician.",
        "p0 = 0.30: the trial record says the CR rate after relapse following HSCT can be as "
        "low as 30%.",
        "p1 = 0.60: a clinically meaningful doubling, consistent with 74-81% CR/CRi with InO in "
        "unselected relapsed/refractory ALL (INO-VATE) and the 6/8 CR cited by the trial "
        "record for InO + DLI.",
        "Among designs meeting alpha < 0.05 and power > 0.80 with exactly 23 patients, Simon's "
        "search gives stage 1 = 10 patients (stop if <= 4 respond) and promising if >= 11/23; "
        "it stops early 85% of the time when InO +/- DLI is no better than 30%.",
        "The exact single-stage alternative (promising if >= 12/23; alpha 0.021, power 0.84) "
        "has no early stop for futility.",
        "Safety is monitored continuously with Bayesian rules (Thall, Simon & Estey 1995) for "
        "VOD/SOS and for grade III-IV acute GVHD after DLI.",
    ),
)


@dataclass(frozen=True)
class CandidateDesign:
    """One design considered for n near 23, with its exact error rates."""

    label: str
    plan: MonitoringPlan
    alpha: float
    power: float
    note: str


def candidate_designs(p0: float = 0.30, p1: float = 0.60) -> tuple[CandidateDesign, ...]:
    """Designs that give (or bracket) n = 23 for p0 = 0.30 vs p1 = 0.60, with exact errors."""
    from inodli.design.simon import simon_two_stage

    out = []
    chosen = TRIAL_DESIGN
    alpha, power, _, _ = chosen.attained()
    out.append(
        CandidateDesign(
            "two-stage at n = 23 (chosen)", chosen.plan, alpha, power, "Stops early for futility."
        )
    )
    for r in (11, 10):
        single = single_stage_design(23, r, p0, p1)
        note = "No early stop." if single.type1 < 0.05 else "Type I error above 0.05."
        out.append(
            CandidateDesign(
                f"single stage >= {r + 1}/23",
                MonitoringPlan.from_single_stage(single),
                single.type1,
                single.power,
                note,
            )
        )
    simon = simon_two_stage(p0, p1, 0.05, 0.80)
    for design in (simon.minimax, simon.optimal):
        out.append(
            CandidateDesign(
                f"Simon {design.kind} (n = {design.n})",
                MonitoringPlan.from_simon(design),
                design.alpha,
                design.power,
                f"EN(p0) = {design.expected_n0:.1f}; n differs from the registered 23.",
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class MonitoringStatus:
    """The current decision and the sentences that explain it to a clinician."""

    decision: str
    boundary_crossed: bool
    explanation: tuple[str, ...]

    def __repr__(self) -> str:
        return f"MonitoringStatus({self.decision!r}, crossed = {self.boundary_crossed})"


def trial_monitoring_status(
    design: TrialDesign = TRIAL_DESIGN,
    responses: int = 0,
    evaluable: int = 0,
    toxicity_events: Mapping[str, tuple[int, int]] | None = None,
    stage1_responses: int | None = None,
) -> MonitoringStatus:
    """Where the trial stands against its efficacy and safety rules, in plain words.

    Parameters
    ----------
    design : TrialDesign, default TRIAL_DESIGN
    responses : int
        CR/CRi so far among the ``evaluable`` patients.
    evaluable : int
        Patients whose primary response has been assessed (0 to n).
    toxicity_events : mapping, optional
        ``{event: (patients with the event, patients monitored)}`` for the design's rules,
        e.g. ``{"VOD/SOS": (1, 7)}``. Rules without counts are reported as "no data yet".
    stage1_responses : int, optional
        Responses among the first n1 evaluable patients; needed once more than n1 are
        evaluable (it equals ``responses`` while evaluable <= n1).

    Returns
    -------
    MonitoringStatus
        ``decision`` is one of "continue", "stop: futility", "stop: <event>",
        "promising", "not promising"; toxicity stops take precedence.
    """
    n = design.n
    evaluable = check_count(evaluable, "evaluable", minimum=0, maximum=n)
    responses = check_count(responses, "responses", minimum=0, maximum=evaluable)
    lines: list[str] = []
    decision = "continue"
    crossed = False
    for rule in design.toxicity_rules:
        counts = (toxicity_events or {}).get(rule.event)
        if counts is None:
            lines.append(f"{rule.event}: no counts given yet ({rule.population}).")
            continue
        events, patients = counts
        patients = check_count(patients, f"{rule.event} patients", minimum=0, maximum=n)
        events = check_count(events, f"{rule.event} events", minimum=0, maximum=patients)
        if patients == 0:
            lines.append(f"{rule.event}: no patients monitored yet.")
            continue
        boundary = rule.boundary(n)
        bound = boundary.bound_at(patients)
        if bound is not None and events >= bound:
            crossed = True
            if not decision.startswith("stop"):
                decision = f"stop: {rule.event}"
            lines.append(
                f"STOP for safety: {events} of {patients} monitored patients ({rule.population}) "
                f"had {rule.event}; "
                f"the limit at {patients} patients is {bound - 1}."
            )
            lines.append(
                f"There is more than a {rule.threshold:.0%} chance that the true {rule.event} rate "
                f"is above {rule.p_max:.0%}."
            )
        else:
            limit = "any number" if bound is None else f"{bound} or more"
            lines.append(
                f"{rule.event}: {events} of {patients} monitored patients ({rule.population}); "
                f"the rule would stop "
                f"the trial at {limit} among {patients}. Below the safety boundary."
            )
    lines += _efficacy_lines(design, responses, evaluable, stage1_responses)
    efficacy = lines.pop()
    if not decision.startswith("stop"):
        decision = efficacy
        crossed = crossed or efficacy in ("stop: futility", "promising", "not promising")
    lines.insert(0, _headline(decision))
    return MonitoringStatus(decision, crossed, tuple(lines))


def _efficacy_lines(
    design: TrialDesign, responses: int, evaluable: int, stage1_responses: int | None
) -> list[str]:
    """Sentences about the CR/CRi rule; the last element is the efficacy decision."""
    n, n1, r1, r = design.n, design.n1, design.r1, design.r
    lines = [f"CR/CRi: {responses} of {evaluable} evaluable patients so far."]
    if evaluable < n1:
        needed = r1 + 1
        remaining = n1 - evaluable
        lines.append(
            f"Stage 1 continues to {n1} evaluable patients; stage 2 opens only if at least "
            f"{needed} of the first {n1} respond."
        )
        if responses >= needed:
            lines.append(f"The stage-1 target ({needed} responses) is already reached.")
        elif responses + remaining < needed:
            lines.append(
                f"Even if all {remaining} remaining stage-1 patients respond, the stage-1 target "
                f"cannot be reached: the futility boundary will be crossed."
            )
        else:
            lines.append(
                f"{needed - responses} more response(s) needed among the next {remaining}."
            )
        return [*lines, "continue"]
    first = responses if evaluable == n1 else stage1_responses
    if first is None:
        raise InputError(
            "stage1_responses",
            f"the number of responses among the first {n1} evaluable patients",
            None,
            f"Needed once more than {n1} patients are evaluable.",
        )
    first = check_count(first, "stage1_responses", minimum=0, maximum=min(n1, responses))
    if first <= r1:
        lines.append(
            f"Stage 1 ended with {first} of {n1} responding ({r1} or fewer): the futility "
            "boundary is crossed and the trial stops; InO +/- DLI is not promising."
        )
        return [*lines, "stop: futility"]
    if evaluable < n:
        lines.append(f"Stage 1 passed ({first} of {n1} responded); stage 2 is enrolling.")
        remaining = n - evaluable
        if responses > r:
            lines.append(
                f"{responses} responses already exceed {r}: the efficacy threshold is met "
                "whatever the remaining patients show."
            )
        elif responses + remaining <= r:
            lines.append(
                f"Even if all {remaining} remaining patients respond, the total cannot exceed {r}."
            )
        else:
            lines.append(
                f"At least {r + 1 - responses} more response(s) needed among the remaining {remaining}."
            )
        return [*lines, "continue"]
    if responses > r:
        lines.append(
            f"Final analysis: {responses} of {n} responded, more than {r}: InO +/- DLI is promising."
        )
        return [*lines, "promising"]
    lines.append(
        f"Final analysis: {responses} of {n} responded, not more than {r}: InO +/- DLI is not promising."
    )
    return [*lines, "not promising"]


def _headline(decision: str) -> str:
    if decision == "continue":
        return "Decision: continue the trial; no boundary has been crossed."
    if decision == "stop: futility":
        return "Decision: stop the trial for futility."
    if decision.startswith("stop: "):
        return f"Decision: stop the trial for safety ({decision[6:]})."
    return f"Decision: the trial is complete; InO +/- DLI is {decision}."
