"""Intrathecal courses: the trial record's regimen ("cytarabine 50mg+dexamethasone 5mg+
methotrexate 10mg, intrathecal injection, once a month after remission, a total of 4-6
courses"), courses given vs due from ``inodli.protocol.intrathecal``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.treatment.intrathecal import protocol_doses_mg, schedule_for
from inodli.edc.treatment.services import record_intrathecal_course
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import remission_after_cycle_1

REMISSION = dt.date(2026, 2, 2)


@pytest.fixture
def in_remission(nurse):
    subject = enrolled_subject(nurse)
    remission_after_cycle_1(subject, nurse, REMISSION, in_remission=True)
    return subject


def test_it_proposes_the_protocol_doses():
    assert protocol_doses_mg() == {
        "cytarabine": Decimal(50),
        "dexamethasone": Decimal(5),
        "methotrexate": Decimal(10),
    }


def test_it_records_courses_and_counts_them_against_the_schedule(in_remission, nurse):
    first = record_intrathecal_course(
        in_remission, nurse, given_on=REMISSION + dt.timedelta(days=1)
    )
    second = record_intrathecal_course(in_remission, nurse, given_on=dt.date(2026, 3, 3))
    assert (first.course_number, second.course_number) == (1, 2)
    assert first.cytarabine_mg == Decimal(50)
    schedule = schedule_for(in_remission, dt.date(2026, 3, 10))
    assert schedule is not None
    assert schedule.courses_given == 2
    assert (schedule.minimum_courses, schedule.maximum_courses) == (4, 6)


def test_it_refuses_a_course_before_remission(in_remission, nurse):
    with pytest.raises(ValidationError) as caught:
        record_intrathecal_course(in_remission, nurse, given_on=REMISSION - dt.timedelta(days=3))
    assert "after remission" in caught.value.message_dict["given_on"][0]


def test_it_refuses_a_seventh_course(in_remission, nurse):
    for month in range(6):
        record_intrathecal_course(in_remission, nurse, given_on=dt.date(2026, 2 + month, 3))
    with pytest.raises(ValidationError) as caught:
        record_intrathecal_course(in_remission, nurse, given_on=dt.date(2026, 8, 3))
    assert "at most 6" in caught.value.message_dict["course_number"][0]


def test_it_refuses_a_course_number_out_of_date_order(in_remission, nurse):
    with pytest.raises(ValidationError) as caught:
        record_intrathecal_course(
            in_remission, nurse, given_on=dt.date(2026, 2, 3), course_number=2
        )
    assert "course 1" in caught.value.message_dict["course_number"][0]


def test_it_needs_a_reason_for_other_doses(in_remission, nurse):
    with pytest.raises(ValidationError) as caught:
        record_intrathecal_course(
            in_remission, nurse, given_on=dt.date(2026, 2, 3), doses_mg={"methotrexate": 12}
        )
    assert "methotrexate" in caught.value.message_dict["dose_difference_reason"][0]
    course = record_intrathecal_course(
        in_remission, nurse, given_on=dt.date(2026, 2, 3), doses_mg={"methotrexate": 12},
        dose_difference_reason="Protocol amendment 2",
    )  # fmt: skip
    assert course.methotrexate_mg == Decimal(12)


def test_it_has_no_schedule_before_remission(nurse):
    assert schedule_for(enrolled_subject(nurse), dt.date(2026, 3, 1)) is None
