"""Intrathecal CNS prophylaxis: cytarabine 50 mg + dexamethasone 5 mg + methotrexate 10 mg,
once a month after remission, 4-6 courses (trial record). Rules in ``rules/intrathecal.toml``.

The trial record does not say when course 1 is due nor how late a course may be; the rule
table states the assumption used (course 1 on the remission date, then monthly, +-7 days).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from inodli.errors import InputError
from inodli.protocol._calendar import add_months
from inodli.protocol._dosing_inputs import as_date
from inodli.protocol._ruletable import RuleTableError, load_rule_table

__all__ = ["IntrathecalCourse", "IntrathecalSchedule", "intrathecal_schedule"]

CourseStatus = Literal["given", "given_outside_window", "overdue", "due", "upcoming", "optional"]
ScheduleStatus = Literal["on_track", "overdue", "complete"]


@dataclass(frozen=True)
class _ItRules:
    version: str
    drugs: tuple[tuple[str, int], ...]
    route: str
    minimum: int
    maximum: int
    interval_months: int
    first_offset_months: int
    window_days: int
    source_text: str
    assumption: str


@cache
def _rules() -> _ItRules:
    data = load_rule_table("intrathecal")
    try:
        rules = _ItRules(
            version=str(data["version"]),
            drugs=tuple((str(d["name"]), int(d["dose_mg"])) for d in data["regimen"]["drugs"]),
            route=str(data["regimen"]["route"]),
            minimum=int(data["courses"]["minimum"]),
            maximum=int(data["courses"]["maximum"]),
            interval_months=int(data["timing"]["interval_months"]),
            first_offset_months=int(data["timing"]["first_course_offset_months"]),
            window_days=int(data["timing"]["window_days"]),
            source_text=str(data["regimen"]["source_text"]),
            assumption=str(data["timing"]["assumption"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RuleTableError(f"rule table 'intrathecal' is malformed: {error!r}") from error
    if not 1 <= rules.minimum <= rules.maximum or rules.interval_months < 1:
        raise RuleTableError(
            "rule table 'intrathecal': need 1 <= minimum <= maximum, interval >= 1"
        )
    return rules


@dataclass(frozen=True)
class IntrathecalCourse:
    """One IT course: when it is due (closed window) and whether and when it was given."""

    number: int
    required: bool
    due_date: date
    window_start: date
    window_end: date
    given_date: date | None
    status: CourseStatus


@dataclass(frozen=True)
class IntrathecalSchedule:
    """IT courses from the remission date, given vs due as of ``as_of``."""

    remission_date: date
    as_of: date
    regimen: tuple[tuple[str, int], ...]
    courses: tuple[IntrathecalCourse, ...]
    courses_given: int
    courses_due: int
    minimum_courses: int
    maximum_courses: int
    status: ScheduleStatus
    next_due: date | None
    assumption: str
    source_text: str
    rule_table_version: str

    def __str__(self) -> str:
        drugs = " + ".join(f"{name} {mg} mg" for name, mg in self.regimen)
        lines = [
            f"Intrathecal {drugs}; remission {self.remission_date}; as of {self.as_of}: "
            f"{self.courses_given} given, {self.courses_due} due -> {self.status}",
        ]
        for c in self.courses:
            given = f" given {c.given_date}" if c.given_date else ""
            lines.append(
                f"  course {c.number}{'' if c.required else ' (optional)'}: due {c.due_date} "
                f"[{c.window_start} .. {c.window_end}]{given} - {c.status}"
            )
        return "\n".join(lines)


def intrathecal_schedule(
    remission_date: Any, given_dates: Sequence[date] = (), *, as_of: Any
) -> IntrathecalSchedule:
    """Schedule of IT courses after remission and their status as of a date.

    Parameters
    ----------
    remission_date : datetime.date
        Date remission (CR/CRi) was first documented.
    given_dates : sequence of datetime.date
        Dates of the courses given, in order (each on or after the remission date, no later
        than ``as_of``, at most 6).
    as_of : datetime.date
        The day the status is computed for (pass "today" from the caller; never read here).

    Returns
    -------
    IntrathecalSchedule
        ``status`` is ``"complete"`` once the minimum of 4 courses is given (up to 6 allowed),
        ``"overdue"`` when a required course's window closed before ``as_of`` without it, else
        ``"on_track"``.

    Examples
    --------
    >>> s = intrathecal_schedule(date(2026, 3, 1), [date(2026, 3, 2)], as_of=date(2026, 4, 20))
    >>> s.status, s.courses_given, s.courses_due
    ('overdue', 1, 2)
    """
    rules = _rules()
    start = as_date(remission_date, "remission_date")
    today = as_date(as_of, "as_of")
    if today < start:
        raise InputError("as_of", f"a date on or after the remission date {start}", today)
    if isinstance(given_dates, str | bytes) or not isinstance(given_dates, Sequence):
        raise InputError("given_dates", "a sequence of dates", given_dates)
    given = [as_date(d, f"given_dates[{i}]") for i, d in enumerate(given_dates)]
    if len(given) > rules.maximum:
        raise InputError("given_dates", f"at most {rules.maximum} courses", len(given))
    for i, day in enumerate(given):
        if not start <= day <= today:
            raise InputError(f"given_dates[{i}]", f"a date in {start} .. {today}", day)
        if i and day <= given[i - 1]:
            raise InputError(f"given_dates[{i}]", f"a date after {given[i - 1]} (in order)", day)

    window = timedelta(days=rules.window_days)
    courses = []
    for number in range(1, rules.maximum + 1):
        due = add_months(start, rules.first_offset_months + (number - 1) * rules.interval_months)
        first, last = max(due - window, start), due + window
        required = number <= rules.minimum
        given_on = given[number - 1] if number <= len(given) else None
        status: CourseStatus
        if given_on is not None:
            status = "given" if first <= given_on <= last else "given_outside_window"
        elif not required:
            status = "optional"
        elif last < today:
            status = "overdue"
        elif due <= today:
            status = "due"
        else:
            status = "upcoming"
        courses.append(IntrathecalCourse(number, required, due, first, last, given_on, status))
    due_count = sum(1 for c in courses if c.required and c.due_date <= today)
    if len(given) >= rules.minimum:
        overall: ScheduleStatus = "complete"
    elif any(c.status == "overdue" for c in courses):
        overall = "overdue"
    else:
        overall = "on_track"
    pending = [c.due_date for c in courses if c.given_date is None]
    return IntrathecalSchedule(
        remission_date=start,
        as_of=today,
        regimen=rules.drugs,
        courses=tuple(courses),
        courses_given=len(given),
        courses_due=due_count,
        minimum_courses=rules.minimum,
        maximum_courses=rules.maximum,
        status=overall,
        next_due=pending[0] if pending and overall != "complete" else None,
        assumption=rules.assumption,
        source_text=rules.source_text,
        rule_table_version=rules.version,
    )
