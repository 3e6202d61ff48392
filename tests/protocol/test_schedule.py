"""Visit schedule: study days (Day 1 = first InO dose, no Day 0), closed windows, dates, forms.

Sources: trial record (cycles 1-2 on d1/d8/d15; primary outcome "1 month after InO
treatment"; DLI; IT monthly after remission; 2-year outcomes); label Table 1 (cycle 1 21 days
or 28, days 8/15 +-2 days, 6 days between doses); issue 2 (follow-up monthly in year 1, every
3 months in year 2). Dates below are counted by hand on the 2026 calendar.
"""

from __future__ import annotations

from datetime import date

import pytest

from inodli.errors import InputError
from inodli.protocol.schedule import FORM_CODES, visit_schedule

DAY1 = date(2026, 1, 5)  # the example: inodli schedule --first-dose 2026-01-05


def test_it_places_cycle_1_visits_on_study_days() -> None:
    schedule = visit_schedule(DAY1)
    c1d1, c1d8, c1d15 = (schedule.visit(code) for code in ("C1D1", "C1D8", "C1D15"))
    assert (c1d1.study_day, c1d1.target_date) == (1, date(2026, 1, 5))
    assert (c1d8.study_day, c1d8.target_date) == (8, date(2026, 1, 12))
    # Label: +-2 days but at least 6 days after day 1, so days 7-10 (day 6 is too early).
    assert (c1d8.window_first_day, c1d8.window_last_day) == (7, 10)
    assert (c1d8.window_start, c1d8.window_end) == (date(2026, 1, 11), date(2026, 1, 14))
    assert (c1d15.window_first_day, c1d15.window_last_day) == (13, 17)


def test_it_has_no_day_zero() -> None:
    screening = visit_schedule(DAY1).visit("screening")
    assert (screening.window_first_day, screening.window_last_day) == (-28, -1)
    assert screening.window_end == date(2026, 1, 4)  # Day -1 is the day before Day 1
    assert screening.window_start == date(2025, 12, 8)  # Day -28


@pytest.mark.parametrize(
    ("cycle1_days", "c2d1_day", "c2d1_date"),
    [(21, 22, date(2026, 1, 26)), (28, 29, date(2026, 2, 2))],
)
def test_it_starts_cycle_2_after_cycle_1s_length(
    cycle1_days: int, c2d1_day: int, c2d1_date: date
) -> None:
    schedule = visit_schedule(DAY1, cycle1_days=cycle1_days)
    c2d1 = schedule.visit("C2D1")
    assert (c2d1.study_day, c2d1.target_date) == (c2d1_day, c2d1_date)
    c2d8 = schedule.visit("C2D8")
    assert c2d8.study_day == c2d1_day + 7
    assert (c2d8.window_first_day, c2d8.window_last_day) == (c2d1_day + 6, c2d1_day + 9)
    assert schedule.visit("C2D15").study_day == c2d1_day + 14
    eoc1 = schedule.visit("EOC1")
    assert eoc1.window_last_day == c2d1_day - 1  # response known before cycle 2's dose is chosen
    assert "marrow" in eoc1.forms
    assert "response" in eoc1.forms


def test_it_places_the_primary_assessment_a_month_after_the_last_ino_dose() -> None:
    schedule = visit_schedule(DAY1)
    primary = schedule.visit("PRIMARY")
    assert primary.study_day == 36 + 30  # C2D15 is Day 36
    assert (primary.window_first_day, primary.window_last_day) == (59, 73)
    assert any("1 month after InO treatment" in a for a in schedule.assumptions)


def test_it_marks_dli_as_conditional() -> None:
    dli = visit_schedule(DAY1).visit("DLI")
    assert dli.conditional is True
    assert "dli" in dli.forms


def test_it_follows_up_monthly_in_year_1_and_every_3_months_in_year_2() -> None:
    schedule = visit_schedule(DAY1)
    codes = [v.code for v in schedule.visits if v.code.startswith("FU-")]
    assert codes == [f"FU-M{m:02d}" for m in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 18, 21, 24)]
    last = schedule.visit("FU-M24")
    assert last.target_date == date(2028, 1, 5)
    assert last.study_day == 731  # 2026-01-05 to 2028-01-05 is 730 days
    assert (last.window_first_day, last.window_last_day) == (717, 745)
    assert "survival" in last.forms
    m12 = schedule.visit("FU-M12")
    assert (m12.window_first_day, m12.window_last_day) == (m12.study_day - 7, m12.study_day + 7)


def test_it_adds_intrathecal_courses_from_the_remission_date() -> None:
    schedule = visit_schedule(DAY1, remission_date=date(2026, 1, 25))
    it = [v for v in schedule.visits if v.code.startswith("IT")]
    assert [v.code for v in it] == ["IT1", "IT2", "IT3", "IT4", "IT5", "IT6"]
    assert it[0].target_date == date(2026, 1, 25)
    assert it[1].target_date == date(2026, 2, 25)
    assert [v.conditional for v in it] == [False] * 4 + [True] * 2
    assert it[0].forms == ("it", "labs", "ae")
    assert not any(v.code.startswith("IT") for v in visit_schedule(DAY1).visits)


def test_it_sorts_visits_by_date_and_uses_only_declared_forms() -> None:
    schedule = visit_schedule(DAY1, remission_date=date(2026, 1, 25))
    dates = [v.target_date for v in schedule.visits]
    assert dates == sorted(dates)
    for visit in schedule.visits:
        assert visit.window_start <= visit.target_date <= visit.window_end
        assert set(visit.forms) <= set(FORM_CODES)
    assert {"labs", "marrow", "response", "ae", "agvhd", "cgvhd", "ino_admin", "dli", "it",
            "vitals", "survival"} <= set(FORM_CODES)  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"first_dose": "2026-01-05"}, "first_dose"),
        ({"cycle1_days": 25}, "cycle1_days"),
        ({"cycle1_days": True}, "cycle1_days"),
        ({"remission_date": date(2026, 1, 5)}, "remission_date"),
        ({"remission_date": "2026-02-01"}, "remission_date"),
    ],
)
def test_it_refuses_bad_input(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"first_dose": DAY1, **kwargs}
    first = arguments.pop("first_dose")
    with pytest.raises(InputError) as caught:
        visit_schedule(first, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
