"""Build subjects through the service layer (the same calls as the forms), for tests.

EDC-B's tests use these too: ``consented_subject(user)`` gives a registered, consented subject;
``enrolled_subject(user)`` adds eligibility, enrolment and a baseline height and weight.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from inodli.edc.core.services import save_record
from inodli.edc.subjects import models as m
from inodli.edc.subjects.eligibility import CRITERIA

CONSENT_DATE = dt.date(2026, 1, 5)


def registered_subject(
    user: Any, *, initials: str = "ABC", on: dt.date = CONSENT_DATE
) -> m.Subject:
    subject = m.Subject(
        screening_number=m.next_screening_number(), initials=initials, registered_on=on
    )
    save_record(subject, user)
    return subject


def consented_subject(user: Any, *, on: dt.date = CONSENT_DATE, **kwargs: Any) -> m.Subject:
    subject = registered_subject(user, on=on, **kwargs)
    save_record(
        m.Consent(subject=subject, consent_date=on, consent_version="1.0", obtained_by="Dr Chen"),
        user,
    )
    return subject


def all_eligible_answers() -> dict[str, str]:
    return {c.code: ("yes" if c.kind == "inclusion" else "no") for c in CRITERIA}


def enrolled_subject(
    user: Any,
    *,
    on: dt.date = CONSENT_DATE,
    study_id: str | None = None,
    height_cm: str = "170.0",
    weight_kg: str = "65.0",
    **kwargs: Any,
) -> m.Subject:
    subject = consented_subject(user, on=on, **kwargs)
    save_record(
        m.EligibilityAssessment(
            subject=subject, assessed_on=on, answers=all_eligible_answers(), assessed_by="Dr Chen"
        ),
        user,
    )
    save_record(
        m.Enrolment(subject=subject, study_id=study_id or m.next_study_id(), enrolled_on=on), user
    )
    save_record(
        m.BodyMeasurement(
            subject=subject,
            measured_on=on,
            height_cm=Decimal(height_cm),
            weight_kg=Decimal(weight_kg),
        ),
        user,
    )
    return subject
