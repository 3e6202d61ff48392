"""Calendar arithmetic for schedules: months, and study days (Day 1 = first InO dose)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = ["add_months", "date_of_study_day", "study_day_of"]


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, clamped to the month's last day.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def date_of_study_day(first_dose: date, study_day: int) -> date:
    """Date of a study day; Day 1 is the first dose and there is no Day 0 (Day -1 precedes Day 1).

    >>> date_of_study_day(date(2026, 1, 5), -1)
    datetime.date(2026, 1, 4)
    """
    if study_day == 0:
        raise ValueError("there is no study day 0")
    return first_dose + timedelta(days=study_day - 1 if study_day > 0 else study_day)


def study_day_of(first_dose: date, when: date) -> int:
    """Study day of a date (inverse of :func:`date_of_study_day`)."""
    offset = (when - first_dose).days
    return offset + 1 if offset >= 0 else offset
