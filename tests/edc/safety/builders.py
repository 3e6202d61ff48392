"""A subject on treatment for the AE review tests: enrolled, then the first InO dose.

Day 1 is 2026-01-06, so by the protocol's visit schedule (label Table 1: days 8 and 15 may move
by +-2 days, keeping 6 days between doses) the AE reviews are expected on C1D1 (2026-01-06),
in the C1D8 window 2026-01-12..2026-01-15 (study days 7-10) and in the C1D15 window
2026-01-18..2026-01-22 (study days 13-17).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from inodli.edc.treatment.services import record_ino_administration
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import blood_count, liver_tests

DAY1 = dt.date(2026, 1, 6)
C1D8 = (dt.date(2026, 1, 12), dt.date(2026, 1, 15))
C1D15 = (dt.date(2026, 1, 18), dt.date(2026, 1, 22))


def dosed_subject(user: Any, **kwargs: Any) -> Any:
    """Enrolled on 2026-01-05 with normal liver tests and counts, first InO dose on DAY1."""
    subject = enrolled_subject(user, height_cm="170.0", weight_kg="61.2", **kwargs)
    liver_tests(subject, user, DAY1)
    blood_count(subject, user, DAY1, anc=1.2, platelets=60.0)
    record_ino_administration(subject, user, cycle=1, day=1, administered_on=DAY1)
    return subject
