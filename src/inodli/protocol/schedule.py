"""The trial's visit schedule: declared visits with study-day windows, dates and forms.

Visits are declared in ``rules/visit_schedule.toml``; this module turns them into dated
:class:`Visit` objects for one patient. Study days: Day 1 is the first InO dose, the day
before is Day -1 (there is no Day 0), and every window is a closed interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from inodli.errors import InputError
from inodli.protocol._calendar import add_months, date_of_study_day, study_day_of
from inodli.protocol._dosing_inputs import as_date
from inodli.protocol._ruletable import RuleTableError, load_rule_table
from inodli.protocol.intrathecal import intrathecal_schedule

__all__ = ["FORM_CODES", "Visit", "VisitSchedule", "visit_schedule"]

_ANCHORS = ("study_day", "c2d1", "primary")


@dataclass(frozen=True)
class _VisitSpec:
    code: str
    name: str
    anchor: str
    offset: int
    window: tuple[int, int]
    forms: tuple[str, ...]
    conditional: bool
    source: str


@dataclass(frozen=True)
class _ScheduleRules:
    version: str
    forms: tuple[tuple[str, str], ...]
    cycle1_days_allowed: tuple[int, ...]
    primary_after_last_dose: int
    visits: tuple[_VisitSpec, ...]
    fu_year1_every: int
    fu_year2_every: int
    fu_last_month: int
    fu_year1_window: int
    fu_year2_window: int
    fu_forms: tuple[str, ...]
    fu_source: str
    it_forms: tuple[str, ...]
    it_source: str
    assumptions: tuple[str, ...]


@cache
def _rules() -> _ScheduleRules:
    data = load_rule_table("visit_schedule")
    try:
        forms = tuple((str(code), str(text)) for code, text in data["forms"].items())
        treatment, fu = data["treatment"], data["follow_up"]
        visits = tuple(
            _VisitSpec(
                code=str(v["code"]),
                name=str(v["name"]),
                anchor=str(v["anchor"]),
                offset=int(v["offset"]),
                window=(int(v["window"][0]), int(v["window"][1])),
                forms=tuple(str(f) for f in v["forms"]),
                conditional=bool(v.get("conditional", False)),
                source=str(v["source"]),
            )
            for v in data["visits"]
        )
        rules = _ScheduleRules(
            version=str(data["version"]),
            forms=forms,
            cycle1_days_allowed=tuple(int(d) for d in treatment["cycle1_days_allowed"]),
            primary_after_last_dose=int(treatment["primary_assessment_days_after_last_dose"]),
            visits=visits,
            fu_year1_every=int(fu["year1_every_months"]),
            fu_year2_every=int(fu["year2_every_months"]),
            fu_last_month=int(fu["last_month"]),
            fu_year1_window=int(fu["year1_window_days"]),
            fu_year2_window=int(fu["year2_window_days"]),
            fu_forms=tuple(str(f) for f in fu["forms"]),
            fu_source=str(fu["source_text"]),
            it_forms=tuple(str(f) for f in data["intrathecal"]["forms"]),
            it_source=str(data["intrathecal"]["source_text"]),
            assumptions=(
                str(treatment["primary_assessment_assumption"]),
                str(fu["assumption"]),
                *(f"{v.code}: {v.source}" for v in visits if "assumption" in v.source),
            ),
        )
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise RuleTableError(f"rule table 'visit_schedule' is malformed: {error!r}") from error
    known = {code for code, _ in forms}
    for spec in visits:
        unknown = set(spec.forms) - known
        first, last = spec.window
        if spec.anchor not in _ANCHORS or unknown or not first <= spec.offset <= last:
            raise RuleTableError(f"visit_schedule: visit {spec.code} is inconsistent")
    if set(rules.fu_forms) - known or set(rules.it_forms) - known:
        raise RuleTableError("visit_schedule: follow-up or intrathecal forms are not declared")
    return rules


FORM_CODES: tuple[str, ...] = tuple(code for code, _ in _rules().forms)


@dataclass(frozen=True)
class Visit:
    """One planned visit: target and closed window as study days and as dates."""

    code: str
    name: str
    study_day: int
    window_first_day: int
    window_last_day: int
    target_date: date
    window_start: date
    window_end: date
    forms: tuple[str, ...]
    conditional: bool
    source: str

    def __str__(self) -> str:
        flag = " (conditional)" if self.conditional else ""
        return (
            f"{self.code:<10} day {self.study_day:>4} [{self.window_first_day}, "
            f"{self.window_last_day}]  {self.target_date} [{self.window_start} .. "
            f"{self.window_end}]  {','.join(self.forms)}{flag}"
        )


@dataclass(frozen=True)
class VisitSchedule:
    """All visits of one patient in date order, with the assumptions they rest on."""

    first_dose: date
    cycle1_days: int
    remission_date: date | None
    visits: tuple[Visit, ...]
    assumptions: tuple[str, ...]
    rule_table_version: str

    def visit(self, code: str) -> Visit:
        for visit in self.visits:
            if visit.code == code:
                return visit
        raise KeyError(code)

    def __str__(self) -> str:
        return "\n".join(str(v) for v in self.visits)


def _study_days(anchor_day: int, offset: int, window: tuple[int, int]) -> tuple[int, int, int]:
    return anchor_day + offset, anchor_day + window[0], anchor_day + window[1]


def visit_schedule(
    first_dose: Any, *, cycle1_days: Any = 21, remission_date: Any = None
) -> VisitSchedule:
    """Dated visit schedule from the first InO dose (Day 1) to the end of follow-up (2 years).

    Parameters
    ----------
    first_dose : datetime.date
        Date of the first InO dose (Day 1).
    cycle1_days : {21, 28}
        Length of cycle 1 (28 when extended); cycle 2 day 1 is Day ``cycle1_days + 1``.
    remission_date : datetime.date, optional
        Date CR/CRi was first documented; adds the intrathecal courses (4 required + 2
        optional) from :func:`inodli.protocol.intrathecal.intrathecal_schedule`.

    Returns
    -------
    VisitSchedule
        Screening, C1D1/D8/D15, end-of-cycle-1 response, C2D1/D8/D15, primary assessment,
        DLI (conditional), IT courses, then follow-up monthly in year 1 and every 3 months
        in year 2, sorted by target date.

    Examples
    --------
    >>> s = visit_schedule(date(2026, 1, 5))
    >>> s.visit("C1D8").window_start, s.visit("C1D8").window_end
    (datetime.date(2026, 1, 11), datetime.date(2026, 1, 14))
    """
    rules = _rules()
    day1 = as_date(first_dose, "first_dose")
    if isinstance(cycle1_days, bool) or cycle1_days not in rules.cycle1_days_allowed:
        allowed = " or ".join(map(str, rules.cycle1_days_allowed))
        raise InputError("cycle1_days", allowed, cycle1_days)
    remission = None if remission_date is None else as_date(remission_date, "remission_date")
    if remission is not None and remission <= day1:
        raise InputError("remission_date", f"a date after the first dose {day1}", remission)

    c2d1 = cycle1_days + 1
    anchors = {"study_day": 0, "c2d1": c2d1, "primary": c2d1 + 14 + rules.primary_after_last_dose}
    visits = []
    for spec in rules.visits:
        target, first, last = _study_days(anchors[spec.anchor], spec.offset, spec.window)
        visits.append(_visit(day1, spec.code, spec.name, target, first, last, spec.forms,
                             spec.conditional, spec.source))  # fmt: skip
    # Follow-up starts after the last unconditional treatment-period window (the primary
    # assessment); the conditional DLI visit may overlap the first follow-up visit.
    treatment_end = max(visit.window_end for visit in visits if not visit.conditional)
    if remission is not None:
        it = intrathecal_schedule(remission, (), as_of=remission)
        for course in it.courses:
            optional = "" if course.required else " (optional)"
            visits.append(
                Visit(
                    code=f"IT{course.number}",
                    name=f"Intrathecal course {course.number}{optional}",
                    study_day=study_day_of(day1, course.due_date),
                    window_first_day=study_day_of(day1, course.window_start),
                    window_last_day=study_day_of(day1, course.window_end),
                    target_date=course.due_date,
                    window_start=course.window_start,
                    window_end=course.window_end,
                    forms=rules.it_forms,
                    conditional=not course.required,
                    source=rules.it_source + "; " + it.assumption,
                )
            )
    visits += _follow_up(day1, treatment_end, rules)
    visits.sort(key=lambda v: (v.target_date, v.code))
    return VisitSchedule(
        first_dose=day1,
        cycle1_days=cycle1_days,
        remission_date=remission,
        visits=tuple(visits),
        assumptions=rules.assumptions,
        rule_table_version=rules.version,
    )


def _visit(
    day1: date, code: str, name: str, target: int, first: int, last: int,
    forms: tuple[str, ...], conditional: bool, source: str,
) -> Visit:  # fmt: skip
    return Visit(
        code=code,
        name=name,
        study_day=target,
        window_first_day=first,
        window_last_day=last,
        target_date=date_of_study_day(day1, target),
        window_start=date_of_study_day(day1, first),
        window_end=date_of_study_day(day1, last),
        forms=forms,
        conditional=conditional,
        source=source,
    )


def _follow_up(day1: date, after: date, rules: _ScheduleRules) -> list[Visit]:
    months = list(range(rules.fu_year1_every, 13, rules.fu_year1_every))
    months += list(range(12 + rules.fu_year2_every, rules.fu_last_month + 1, rules.fu_year2_every))
    visits = []
    for month in months:
        target = add_months(day1, month)
        margin = timedelta(days=rules.fu_year1_window if month <= 12 else rules.fu_year2_window)
        if target - margin <= after:
            continue  # still inside the treatment and primary-assessment period
        visits.append(
            Visit(
                code=f"FU-M{month:02d}",
                name=f"Follow-up month {month}",
                study_day=study_day_of(day1, target),
                window_first_day=study_day_of(day1, target - margin),
                window_last_day=study_day_of(day1, target + margin),
                target_date=target,
                window_start=target - margin,
                window_end=target + margin,
                forms=rules.fu_forms,
                conditional=False,
                source=rules.fu_source,
            )
        )
    return visits
