"""Intrathecal courses: the schedule of courses given vs due from ``inodli.protocol.intrathecal``.

The remission date that starts the schedule is the first response assessment whose
investigator's category is CR or CRi.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError

from inodli.edc.treatment import facts
from inodli.edc.treatment.validators import AfterEnrolmentValidator, IntrathecalDoseValidator
from inodli.errors import InputError
from inodli.protocol._ruletable import load_rule_table
from inodli.protocol.intrathecal import IntrathecalSchedule, intrathecal_schedule

if TYPE_CHECKING:
    from inodli.edc.treatment.models import IntrathecalCourse

__all__ = ["complete_intrathecal_course", "protocol_doses_mg", "remission_date", "schedule_for"]


@cache
def protocol_doses_mg() -> dict[str, Decimal]:
    """The protocol's fixed intrathecal doses, by drug (``rules/intrathecal.toml``)."""
    drugs = load_rule_table("intrathecal")["regimen"]["drugs"]
    return {str(drug["name"]): Decimal(str(drug["dose_mg"])) for drug in drugs}


def remission_date(subject: Any, on: dt.date | None = None) -> dt.date | None:
    """The first CR/CRi recorded (investigator's category), on or before ``on`` if given."""
    responses = apps.get_model("assessments", "ResponseAssessment").objects.filter(
        subject=subject, investigator_category__in=facts.REMISSION
    )
    if on is not None:
        responses = responses.filter(assessed_on__lte=on)
    first = responses.order_by("assessed_on", "id").first()
    return first.assessed_on if first is not None else None


def schedule_for(subject: Any, as_of: dt.date) -> IntrathecalSchedule | None:
    """Courses given vs due as of ``as_of``; None before any remission is recorded."""
    start = remission_date(subject, as_of)
    if start is None:
        return None
    course = apps.get_model("treatment", "IntrathecalCourse")
    given = list(
        course.objects.filter(subject=subject, given_on__lte=as_of)
        .order_by("given_on", "id")
        .values_list("given_on", flat=True)
    )
    return intrathecal_schedule(start, given, as_of=as_of)


def complete_intrathecal_course(record: IntrathecalCourse) -> IntrathecalSchedule:
    """Apply the course's rules: after enrolment and after remission, at most the protocol's
    number of courses, numbered in date order, doses other than the protocol's with a reason."""
    subject = record.subject
    AfterEnrolmentValidator("given_on")(facts.enrolment_date(subject), record.given_on)
    start = remission_date(subject, record.given_on)
    if start is None:
        raise ValidationError(
            {
                "given_on": (
                    "The protocol gives intrathecal courses after remission; no CR/CRi is "
                    f"recorded on or before {record.given_on.isoformat()}."
                )
            }
        )
    course = apps.get_model("treatment", "IntrathecalCourse")
    others = course.objects.filter(subject=subject).exclude(pk=record.pk)
    given = sorted([*others.values_list("given_on", flat=True), record.given_on])
    expected_number = given.index(record.given_on) + 1
    if record.course_number != expected_number:
        raise ValidationError(
            {
                "course_number": f"By date this is course {expected_number}, not {record.course_number}."
            }
        )
    try:
        schedule = intrathecal_schedule(start, given, as_of=max(given))
    except InputError as error:
        raise ValidationError({"course_number": str(error)}) from error
    IntrathecalDoseValidator(protocol_doses_mg())(
        {
            "cytarabine": record.cytarabine_mg,
            "dexamethasone": record.dexamethasone_mg,
            "methotrexate": record.methotrexate_mg,
        },
        record.dose_difference_reason,
    )
    return schedule
