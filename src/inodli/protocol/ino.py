"""The inotuzumab ozogamicin (InO) cycle plan: dose days, mg/m2, mg, cycle length, windows.

Rules in ``rules/ino_regimen.toml``: cycle 1 is 0.8/0.5/0.5 mg/m2 on days 1/8/15 (21 days,
extendable to 28); cycle 2 is 0.5/0.5/0.5 in CR/CRi, otherwise 0.8/0.5/0.5 (trial record); days
8 and 15 may move by +-2 days keeping at least 6 days between doses (label).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._dosing_inputs import as_flag, as_number, decimal_of, round_half_up
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["CyclePlan", "DoseDayCheck", "PlannedDose", "check_dose_day", "ino_cycle_plan"]


@dataclass(frozen=True)
class _Regimen:
    rule_id: str
    mg_per_m2: dict[int, Decimal]
    source_text: str


@dataclass(frozen=True)
class _RegimenRules:
    version: str
    dose_days: tuple[int, ...]
    rounding_step: str
    rounding_rule: str
    cycle1: _Regimen
    later_in_remission: _Regimen
    later_not_in_remission: _Regimen
    cycle1_days: int
    cycle1_extended_days: int
    later_days: int
    length_source_text: str
    window_days: tuple[int, ...]
    plus_minus: int
    min_gap: int
    window_source_text: str
    protocol_cycles: int
    label_max_cycles: int
    cycles_to_remission: int
    cycles_source_text: str
    no_reescalation_text: str


def _regimen(section: dict[str, Any], days: tuple[int, ...]) -> _Regimen:
    doses = {int(day): decimal_of(float(value)) for day, value in section["mg_per_m2"].items()}
    if tuple(sorted(doses)) != days or any(dose <= 0 for dose in doses.values()):
        raise RuleTableError(f"ino_regimen {section['rule_id']}: doses must cover days {days}")
    return _Regimen(str(section["rule_id"]), doses, str(section["source_text"]))


@cache
def _rules() -> _RegimenRules:
    data = load_rule_table("ino_regimen")
    try:
        days = tuple(int(d) for d in data["dose_days"])
        length, window, cycles = data["cycle_length"], data["window"], data["cycles"]
        return _RegimenRules(
            version=str(data["version"]),
            dose_days=days,
            rounding_step=str(data["dose_rounding_step_mg"]),
            rounding_rule=str(data["dose_rounding_rule"]),
            cycle1=_regimen(data["cycle1"], days),
            later_in_remission=_regimen(data["later_in_remission"], days),
            later_not_in_remission=_regimen(data["later_not_in_remission"], days),
            cycle1_days=int(length["cycle1_days"]),
            cycle1_extended_days=int(length["cycle1_extended_days"]),
            later_days=int(length["later_days"]),
            length_source_text=str(length["source_text"]),
            window_days=tuple(int(d) for d in window["days_varied"]),
            plus_minus=int(window["plus_minus_days"]),
            min_gap=int(window["minimum_days_between_doses"]),
            window_source_text=str(window["source_text"]),
            protocol_cycles=int(cycles["protocol_cycles"]),
            label_max_cycles=int(cycles["label_maximum_cycles"]),
            cycles_to_remission=int(cycles["cycles_to_reach_remission"]),
            cycles_source_text=str(cycles["source_text"]),
            no_reescalation_text=str(data["no_reescalation"]["source_text"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'ino_regimen' is malformed: {error!r}") from error


@dataclass(frozen=True)
class PlannedDose:
    """One InO infusion of the plan; the window is in cycle days, closed at both ends.

    The window is the label's +-2 days narrowed by the 6-day minimum spacing, assuming the
    previous dose was given on its earliest day; :func:`check_dose_day` checks an actual day.
    """

    day: int
    label_mg_per_m2: float
    mg_per_m2: float
    dose_mg: float
    window_first_day: int
    window_last_day: int

    def __str__(self) -> str:
        return (
            f"Day {self.day:>2} (window {self.window_first_day}-{self.window_last_day}): "
            f"{self.mg_per_m2:g} mg/m2 = {self.dose_mg:.2f} mg"
        )


@dataclass(frozen=True)
class CyclePlan:
    """The doses of one InO cycle for one patient, with the rules they came from."""

    cycle: int
    in_remission: bool
    bsa_m2: float
    doses: tuple[PlannedDose, ...]
    omitted_days: tuple[int, ...]
    cycle_length_days: int
    may_extend_to_days: int | None
    minimum_days_between_doses: int
    dose_reduction_fraction: float
    total_mg_per_m2: float
    total_mg: float
    rounding: str
    rule_ids: tuple[str, ...]
    source_texts: tuple[str, ...]
    notes: tuple[str, ...]
    rule_table_version: str

    def __str__(self) -> str:
        lines = [
            f"InO cycle {self.cycle} ({'in' if self.in_remission else 'not in'} CR/CRi), "
            f"BSA {self.bsa_m2:g} m2, {self.cycle_length_days}-day cycle",
            *(f"  {dose}" for dose in self.doses),
            f"  total {self.total_mg_per_m2:g} mg/m2 = {self.total_mg:.2f} mg",
        ]
        return "\n".join(lines)


def ino_cycle_plan(
    cycle: Any,
    bsa_m2: Any,
    in_remission: Any,
    *,
    max_cycles: Any = None,
    cycle1_extended: Any = False,
    dose_reduction_fraction: Any = 0.0,
    prior_reduction_fraction: Any = 0.0,
    omitted_days: tuple[int, ...] = (),
) -> CyclePlan:
    """Plan one InO cycle: dose days with mg/m2 and mg, cycle length and dose windows.

    Parameters
    ----------
    cycle : int
        Cycle number, 1 to ``max_cycles``.
    bsa_m2 : float
        The dosing BSA (``BodySurfaceArea.bsa_for_dosing_m2``), > 0 and <= 5 m2.
    in_remission : bool
        CR/CRi reached before this cycle (decides the day-1 dose of cycles >= 2; ignored in
        cycle 1, where every patient gets 0.8/0.5/0.5).
    max_cycles : int, optional
        Cycles allowed. Default: the protocol's 2. The label allows up to 6 (not proceeding
        to HSCT); larger values are refused.
    cycle1_extended : bool
        Cycle 1 extended from 21 to 28 days (CR/CRi reached and/or recovery from toxicity).
    dose_reduction_fraction : float
        Fraction by which the prescriber reduces every dose of this cycle (0 = none, 0.25 =
        25%), in [0, 1). Not derived here: see :func:`inodli.protocol.dose_modification.interruption_guidance`.
    prior_reduction_fraction : float
        Largest reduction already applied in an earlier cycle. A smaller
        ``dose_reduction_fraction`` would re-escalate and is refused (label: "the dose must
        not be re-escalated").
    omitted_days : tuple of int
        Dose days (8 and/or 15) the prescriber omits, e.g. to give 2 doses per cycle.

    Returns
    -------
    CyclePlan

    Raises
    ------
    InputError
        Bad cycle, BSA, flag, reduction or omitted day; a cycle beyond ``max_cycles``; a cycle
        beyond the 3rd without CR/CRi (label: discontinue); a re-escalation.

    References
    ----------
    .. [1] Trial record NCT06861348, intervention (cycle 1 and cycle 2 doses).
    .. [2] BESPONSA US prescribing information, section 2.1, Table 1 and its footnotes.

    Examples
    --------
    >>> [d.dose_mg for d in ino_cycle_plan(1, 1.70, False).doses]
    [1.36, 0.85, 0.85]
    """
    rules = _rules()
    limit = rules.protocol_cycles if max_cycles is None else max_cycles
    if (
        isinstance(limit, bool)
        or not isinstance(limit, int)
        or not 1 <= limit <= rules.label_max_cycles
    ):
        raise InputError(
            "max_cycles",
            f"an integer in 1-{rules.label_max_cycles} (label maximum)",
            max_cycles,
            rules.cycles_source_text,
        )
    if isinstance(cycle, bool) or not isinstance(cycle, int) or not 1 <= cycle <= limit:
        detail = f"The protocol gives {rules.protocol_cycles} cycles; max_cycles is {limit}."
        raise InputError("cycle", f"an integer in 1-{limit}", cycle, detail)
    bsa = as_number(bsa_m2, "bsa_m2", low=0, high=5, low_inclusive=False, unit="m2")
    remission = as_flag(in_remission, "in_remission")
    extended = as_flag(cycle1_extended, "cycle1_extended")
    reduction = as_number(dose_reduction_fraction, "dose_reduction_fraction", low=0, high=0.99)
    prior = as_number(prior_reduction_fraction, "prior_reduction_fraction", low=0, high=0.99)
    if cycle > rules.cycles_to_remission and not remission:
        raise InputError(
            "in_remission",
            f"True (CR/CRi reached) for cycle {cycle}, after cycle {rules.cycles_to_remission}",
            remission,
            "Label: patients who do not achieve a CR or CRi within 3 cycles should discontinue.",
        )
    if reduction < prior:
        raise InputError(
            "dose_reduction_fraction",
            f">= the prior reduction {prior:g}",
            reduction,
            rules.no_reescalation_text,
        )
    omitted = _check_omitted(omitted_days, rules)

    if cycle == 1:
        regimen = rules.cycle1
    else:
        regimen = rules.later_in_remission if remission else rules.later_not_in_remission
    factor = Decimal(1) - decimal_of(reduction)
    bsa_dec = decimal_of(bsa)
    doses = []
    previous_earliest: int | None = None
    for day in rules.dose_days:
        if day in omitted:
            continue
        per_m2 = regimen.mg_per_m2[day] * factor
        margin = rules.plus_minus if day in rules.window_days else 0
        # The +-2 day window is narrowed by the 6-day minimum after the previous dose:
        # day 8 can be no earlier than day 7 (day 1 + 6), although 8 - 2 = 6.
        earliest = day - margin
        if previous_earliest is not None:
            earliest = max(earliest, previous_earliest + rules.min_gap)
        previous_earliest = earliest
        doses.append(
            PlannedDose(
                day=day,
                label_mg_per_m2=float(regimen.mg_per_m2[day]),
                mg_per_m2=float(per_m2),
                dose_mg=float(round_half_up(per_m2 * bsa_dec, rules.rounding_step)),
                window_first_day=earliest,
                window_last_day=day + margin,
            )
        )
    notes = []
    if reduction:
        notes.append(
            f"every dose reduced by {reduction:.0%} by the prescriber; no re-escalation later"
        )
    if omitted:
        notes.append(f"day(s) {', '.join(map(str, omitted))} omitted by the prescriber")
    if cycle == 1 and not extended:
        notes.append("cycle 1 may be extended to 28 days for CR/CRi and/or recovery from toxicity")
    length = (
        (rules.cycle1_extended_days if extended else rules.cycle1_days)
        if cycle == 1
        else rules.later_days
    )
    total_per_m2 = sum((decimal_of(d.mg_per_m2) for d in doses), Decimal(0))
    return CyclePlan(
        cycle=cycle,
        in_remission=remission,
        bsa_m2=bsa,
        doses=tuple(doses),
        omitted_days=omitted,
        cycle_length_days=length,
        may_extend_to_days=rules.cycle1_extended_days if cycle == 1 and not extended else None,
        minimum_days_between_doses=rules.min_gap,
        dose_reduction_fraction=reduction,
        total_mg_per_m2=float(total_per_m2),
        total_mg=float(sum((decimal_of(d.dose_mg) for d in doses), Decimal(0))),
        rounding=rules.rounding_rule,
        rule_ids=(regimen.rule_id, "INO-REG-LENGTH", "INO-REG-WINDOW", "INO-REG-CYCLES"),
        source_texts=(regimen.source_text, rules.length_source_text, rules.window_source_text),
        notes=tuple(notes),
        rule_table_version=rules.version,
    )


def _check_omitted(omitted_days: Any, rules: _RegimenRules) -> tuple[int, ...]:
    allowed = rules.window_days
    if not isinstance(omitted_days, tuple | list):
        raise InputError("omitted_days", f"a tuple of days from {allowed}", omitted_days)
    for day in omitted_days:
        if isinstance(day, bool) or day not in allowed:
            raise InputError("omitted_days", f"days from {allowed} (day 1 is never omitted)", day)
    if len(set(omitted_days)) != len(omitted_days):
        raise InputError("omitted_days", "each day at most once", omitted_days)
    return tuple(sorted(omitted_days))


@dataclass(frozen=True)
class DoseDayCheck:
    """Whether a dose may be given on ``actual_day`` of the cycle."""

    scheduled_day: int
    actual_day: int
    previous_dose_day: int | None
    within_window: bool
    spacing_ok: bool
    earliest_allowed_day: int
    latest_allowed_day: int
    reasons: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        return self.within_window and self.spacing_ok


def check_dose_day(
    scheduled_day: Any, actual_day: Any, previous_dose_day: Any = None
) -> DoseDayCheck:
    """Check a dose date against the +-2 day window and the 6-day minimum spacing.

    Parameters
    ----------
    scheduled_day : {1, 8, 15}
        The cycle day the dose belongs to.
    actual_day : int
        The cycle day it is (to be) given on.
    previous_dose_day : int, optional
        Cycle day of the previous dose in this cycle; required for days 8 and 15.

    Examples
    --------
    >>> check_dose_day(15, 13, previous_dose_day=8).allowed
    False
    """
    rules = _rules()
    if isinstance(scheduled_day, bool) or scheduled_day not in rules.dose_days:
        raise InputError("scheduled_day", f"one of {rules.dose_days}", scheduled_day)
    if isinstance(actual_day, bool) or not isinstance(actual_day, int) or actual_day < 1:
        raise InputError("actual_day", "a cycle day >= 1 (integer)", actual_day)
    margin = rules.plus_minus if scheduled_day in rules.window_days else 0
    first, last = scheduled_day - margin, scheduled_day + margin
    reasons = []
    within = first <= actual_day <= last
    if not within:
        reasons.append(f"day {actual_day} is outside the day-{scheduled_day} window {first}-{last}")
    spacing_ok = True
    if scheduled_day != rules.dose_days[0]:
        if isinstance(previous_dose_day, bool) or not isinstance(previous_dose_day, int):
            raise InputError(
                "previous_dose_day",
                "the cycle day of the previous dose (integer)",
                previous_dose_day,
            )
        if not 1 <= previous_dose_day < actual_day:
            raise InputError(
                "previous_dose_day", f"an integer in 1-{actual_day - 1}", previous_dose_day
            )
        first = max(first, previous_dose_day + rules.min_gap)
        spacing_ok = actual_day - previous_dose_day >= rules.min_gap
        if not spacing_ok:
            reasons.append(
                f"only {actual_day - previous_dose_day} days after the previous dose "
                f"(minimum {rules.min_gap})"
            )
    elif previous_dose_day is not None:
        raise InputError("previous_dose_day", "None for day 1", previous_dose_day)
    return DoseDayCheck(
        scheduled_day=scheduled_day,
        actual_day=actual_day,
        previous_dose_day=previous_dose_day,
        within_window=within,
        spacing_ok=spacing_ok,
        earliest_allowed_day=first,
        latest_allowed_day=last,
        reasons=tuple(reasons),
    )
