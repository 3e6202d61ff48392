"""Whether an InO dose date keeps the protocol's windows, checked by ``inodli.protocol.ino``.

Days 8 and 15 are checked with :func:`inodli.protocol.ino.check_dose_day` (+-2 days, at least
6 days after the previous dose) in cycle days counted from the cycle's recorded day 1; day 1
of a later cycle must not come before the previous cycle's length (cycle 1: 21 days) has
passed. A dose outside its window is recorded with a reason (it happened; the deviation is
documented), never silently.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.apps import apps

from inodli.protocol.ino import check_dose_day, ino_cycle_plan

if TYPE_CHECKING:
    from inodli.edc.treatment.models import InoAdministration

__all__ = ["schedule_deviations"]


def _cycle_day(day1: dt.date, on: dt.date) -> int:
    return (on - day1).days + 1


def schedule_deviations(record: InoAdministration, bsa_m2: float) -> list[str]:
    """Why ``record``'s date is outside the protocol's windows (empty when it is inside)."""
    model = apps.get_model("treatment", "InoAdministration")
    doses = model.objects.filter(subject_id=record.subject_id).exclude(pk=record.pk)
    if record.day == 1:
        if record.cycle == 1:
            return []
        previous = doses.filter(cycle=record.cycle - 1, day=1).first()
        if previous is None:
            return []
        length = ino_cycle_plan(
            record.cycle - 1, bsa_m2, bool(record.in_remission)
        ).cycle_length_days
        earliest = previous.administered_on + dt.timedelta(days=length)
        if record.administered_on < earliest:
            return [
                f"cycle {record.cycle - 1} lasts {length} days: day 1 of cycle {record.cycle} is "
                f"due from {earliest.isoformat()}"
            ]
        return []
    day1 = doses.filter(cycle=record.cycle, day=1).first()
    if day1 is None:
        return [f"day 1 of cycle {record.cycle} is not recorded"]
    actual = _cycle_day(day1.administered_on, record.administered_on)
    if actual < 2:
        return [f"the date is not after day 1 of cycle {record.cycle} ({day1.administered_on})"]
    given_before = (
        doses.filter(
            cycle=record.cycle,
            day__lt=record.day,
            status="given",
            administered_on__lt=record.administered_on,
        )
        .order_by("-administered_on")
        .first()
    )
    previous_day = (
        _cycle_day(day1.administered_on, given_before.administered_on) if given_before else 1
    )
    return list(check_dose_day(record.day, actual, previous_dose_day=previous_day).reasons)
