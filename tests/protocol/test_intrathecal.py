"""Intrathecal schedule against the trial record.

Trial record NCT06861348: "Lumbar puncture: cytarabine 50mg+dexamethasone 5mg+methotrexate 10mg,
intrathecal injection, once a month after remission, a total of 4-6 courses of treatment."
Timing convention (rule table, an assumption): course 1 due on the remission date, then every
calendar month, +-7 days.
"""

from __future__ import annotations

from datetime import date

import pytest

from inodli.errors import InputError
from inodli.protocol.intrathecal import intrathecal_schedule

REMISSION = date(2026, 3, 1)


def test_it_encodes_the_trial_record_regimen() -> None:
    schedule = intrathecal_schedule(REMISSION, as_of=REMISSION)
    assert schedule.regimen == (("cytarabine", 50), ("dexamethasone", 5), ("methotrexate", 10))
    assert (schedule.minimum_courses, schedule.maximum_courses) == (4, 6)
    assert "4-6 courses" in schedule.source_text


def test_it_schedules_monthly_courses_from_the_remission_date() -> None:
    schedule = intrathecal_schedule(REMISSION, as_of=REMISSION)
    assert [c.due_date for c in schedule.courses] == [
        date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1),
        date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1),
    ]  # fmt: skip
    assert [c.required for c in schedule.courses] == [True] * 4 + [False] * 2
    second = schedule.courses[1]
    assert (second.window_start, second.window_end) == (date(2026, 3, 25), date(2026, 4, 8))
    # Course 1's window never opens before remission.
    assert schedule.courses[0].window_start == REMISSION


def test_it_clamps_month_ends() -> None:
    schedule = intrathecal_schedule(date(2026, 1, 31), as_of=date(2026, 1, 31))
    assert [c.due_date for c in schedule.courses[:3]] == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31),
    ]  # fmt: skip


def test_it_is_on_track_when_every_closed_window_has_its_course() -> None:
    schedule = intrathecal_schedule(REMISSION, [date(2026, 3, 2)], as_of=date(2026, 4, 8))
    assert schedule.status == "on_track"
    assert schedule.courses_given == 1
    assert schedule.courses_due == 2  # course 2 due 1 April, its window still open on 8 April
    assert schedule.courses[1].status == "due"
    assert schedule.next_due == date(2026, 4, 1)


def test_it_is_overdue_the_day_after_a_window_closes() -> None:
    schedule = intrathecal_schedule(REMISSION, [date(2026, 3, 2)], as_of=date(2026, 4, 9))
    assert schedule.status == "overdue"
    assert schedule.courses[1].status == "overdue"


def test_it_is_complete_after_four_courses_and_allows_two_more() -> None:
    given = [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    schedule = intrathecal_schedule(REMISSION, given, as_of=date(2026, 9, 1))
    assert schedule.status == "complete"
    assert schedule.next_due is None
    assert [c.status for c in schedule.courses[4:]] == ["optional", "optional"]


def test_it_marks_a_course_given_outside_its_window() -> None:
    schedule = intrathecal_schedule(REMISSION, [date(2026, 3, 20)], as_of=date(2026, 3, 25))
    assert schedule.courses[0].status == "given_outside_window"


@pytest.mark.parametrize(
    ("given", "as_of", "field"),
    [
        ([date(2026, 2, 28)], date(2026, 4, 1), "given_dates[0]"),  # before remission
        ([date(2026, 4, 2)], date(2026, 4, 1), "given_dates[0]"),  # after as_of
        (
            [date(2026, 3, 5), date(2026, 3, 5)],
            date(2026, 4, 1),
            "given_dates[1]",
        ),  # not increasing
        ([date(2026, 3, d) for d in range(1, 8)], date(2026, 4, 1), "given_dates"),  # 7 > 6
        (["2026-03-05"], date(2026, 4, 1), "given_dates[0]"),
        ("2026-03-05", date(2026, 4, 1), "given_dates"),
        ([], date(2026, 2, 1), "as_of"),
        ([], "2026-04-01", "as_of"),
    ],
)
def test_it_refuses_bad_input(given: object, as_of: object, field: str) -> None:
    with pytest.raises(InputError) as caught:
        intrathecal_schedule(REMISSION, given, as_of=as_of)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_it_refuses_a_datetime_for_the_remission_date() -> None:
    from datetime import datetime

    with pytest.raises(InputError, match="remission_date"):
        intrathecal_schedule(datetime(2026, 3, 1, 8, 0), as_of=REMISSION)
