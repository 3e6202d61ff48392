"""Labs (values with the laboratory's LLN/ULN), relapse, survival follow-up and death."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.assessments.models import Death, LabPanel, LabResult
from inodli.edc.assessments.services import (
    record_death,
    record_labs,
    record_relapse,
    record_survival,
)
from inodli.edc.treatment.services import record_ino_administration
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import liver_tests

ON = dt.date(2026, 1, 6)


def test_it_stores_each_result_with_its_unit_and_reference_range(nurse):
    subject = enrolled_subject(nurse)
    panel = record_labs(
        subject,
        nurse,
        collected_on=ON,
        results={"alt": (210.0, 7.0, 40.0), "platelets": (45.0, 125.0, 350.0)},
    )
    rows = {row.analyte: row for row in panel.results.all()}
    assert (rows["alt"].value, rows["alt"].unit, rows["alt"].uln) == (210.0, "U/L", 40.0)
    assert rows["platelets"].unit == "10^9/L"


@pytest.mark.parametrize(
    ("results", "field"),
    [
        ({"platelets": (5000.0, 125.0, 350.0)}, "platelets"),  # a typing error, far above plausible
        ({"anc": (-1.0, 1.8, 6.3)}, "anc"),
        ({"anc": (2.0, 6.3, 1.8)}, "anc_uln"),  # LLN above ULN
    ],
)
def test_it_refuses_implausible_values_and_keeps_nothing(nurse, results, field):
    subject = enrolled_subject(nurse)
    with pytest.raises(ValidationError) as caught:
        record_labs(subject, nurse, collected_on=ON, results=results)
    assert field in caught.value.message_dict
    assert not LabPanel.objects.exists()
    assert not LabResult.objects.exists()


def test_it_refuses_labs_before_consent(nurse):
    subject = enrolled_subject(nurse)
    with pytest.raises(ValidationError) as caught:
        record_labs(
            subject, nurse, collected_on=dt.date(2025, 12, 1), results={"anc": (2.0, 1.8, 6.3)}
        )
    assert "collected_on" in caught.value.message_dict


def test_it_records_a_death_after_the_last_record(nurse):
    subject = enrolled_subject(nurse)
    liver_tests(subject, nurse, ON)
    death = record_death(
        subject,
        nurse,
        died_on=ON + dt.timedelta(days=30),
        cause="relapse",
        primary_cause="Leukaemia progression",
    )
    assert death.cause == "relapse"


def test_it_refuses_a_death_before_a_later_visit(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, ON)
    record_ino_administration(subject, nurse, cycle=1, day=1, administered_on=ON)
    with pytest.raises(ValidationError) as caught:
        record_death(
            subject,
            nurse,
            died_on=ON - dt.timedelta(days=1),
            cause="non_relapse",
            primary_cause="Sepsis",
        )
    message = caught.value.message_dict["died_on"][0]
    assert "before a recorded" in message
    assert ON.isoformat() in message
    assert not Death.objects.exists()


def test_it_refuses_a_second_death(nurse):
    subject = enrolled_subject(nurse)
    record_death(subject, nurse, died_on=ON, cause="non_relapse", primary_cause="Sepsis")
    with pytest.raises(ValidationError):
        record_death(subject, nurse, died_on=ON, cause="non_relapse", primary_cause="Sepsis")


def test_it_refuses_a_survival_contact_after_death(nurse):
    subject = enrolled_subject(nurse)
    record_survival(subject, nurse, last_known_alive_on=ON)
    record_death(
        subject, nurse, died_on=ON + dt.timedelta(days=10), cause="unknown", primary_cause="Unknown"
    )
    with pytest.raises(ValidationError) as caught:
        record_survival(subject, nurse, last_known_alive_on=ON + dt.timedelta(days=20))
    assert "died" in caught.value.message_dict["last_known_alive_on"][0]


def test_it_needs_the_marrow_blasts_of_a_marrow_relapse(nurse):
    subject = enrolled_subject(nurse)
    with pytest.raises(ValidationError) as caught:
        record_relapse(subject, nurse, occurred_on=ON, site="marrow")
    assert "marrow_blast_pct" in caught.value.message_dict
    relapse = record_relapse(subject, nurse, occurred_on=ON, site="marrow", marrow_blast_pct=12.0)
    assert relapse.kind == "relapse"


def test_it_refuses_a_record_dated_after_the_death(nurse):
    subject = enrolled_subject(nurse, height_cm="170.0", weight_kg="61.2")
    liver_tests(subject, nurse, ON)
    record_death(
        subject,
        nurse,
        died_on=ON + dt.timedelta(days=2),
        cause="non_relapse",
        primary_cause="Sepsis",
    )
    with pytest.raises(ValidationError) as caught:
        record_ino_administration(
            subject, nurse, cycle=1, day=1, administered_on=ON + dt.timedelta(days=3)
        )
    assert "died on 2026-01-08" in caught.value.message_dict["administered_on"][0]
    with pytest.raises(ValidationError) as caught:
        liver_tests(subject, nurse, ON + dt.timedelta(days=3))
    assert "collected_on" in caught.value.message_dict


def test_it_finds_the_last_date_known_alive_across_all_records(nurse):
    from inodli.edc.assessments.derivations import last_known_alive

    subject = enrolled_subject(
        nurse
    )  # consent, eligibility, enrolment, height/weight on 2026-01-05
    assert last_known_alive(subject) == dt.date(2026, 1, 5)
    liver_tests(subject, nurse, ON)
    record_survival(subject, nurse, last_known_alive_on=dt.date(2026, 6, 30), method="phone")
    assert last_known_alive(subject) == dt.date(2026, 6, 30)
