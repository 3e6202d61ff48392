"""Adverse events: CTCAE v5.0 terms and grades, AEs of special interest, grade changes as rows,
grades suggested from the labs. Expected grades: CTCAE v5.0 (clinical-facts.md section 2):
ALT >5.0-20.0 x ULN is grade 3 (210 U/L with ULN 40 is 5.25 x ULN); febrile neutropenia has
grades 3-5 only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inodli.edc.assessments.services import record_labs
from inodli.edc.safety.adverse_events import lab_grade_suggestions
from inodli.edc.safety.models import AdverseEvent, AdverseEventGrade
from inodli.edc.safety.services import record_adverse_event, record_grade_change
from tests.edc.factories import enrolled_subject

ON = dt.date(2026, 1, 10)


def ae(subject, user, **kwargs):
    values = {"term": "Nausea", "started_on": ON, "grade": 1, "relationship_ino": "not_related"}
    values.update(kwargs)
    if values["term"] == "Nausea":
        values["term"], values["other_specify"] = "Other, specify", "Nausea"
    return record_adverse_event(subject, user, **values)


@pytest.mark.parametrize(
    ("term", "grade", "category"),
    [
        ("Sinusoidal obstruction syndrome", 3, "vod_sos"),
        ("Infusion related reaction", 2, "infusion_reaction"),
        ("Febrile neutropenia", 3, "febrile_neutropenia"),
        ("Acute graft versus host disease", 2, "gvhd"),
        ("Alanine aminotransferase increased", 1, ""),
    ],
)
def test_it_flags_aes_of_special_interest_from_the_term(nurse, term, grade, category):
    event = ae(enrolled_subject(nurse), nurse, term=term, grade=grade)
    assert event.special_interest == category


def test_it_refuses_a_grade_ctcae_does_not_define_for_the_term(nurse):
    with pytest.raises(ValidationError) as caught:
        ae(enrolled_subject(nurse), nurse, term="Febrile neutropenia", grade=2)
    assert "3, 4, 5" in caught.value.message_dict["grade"][0]
    assert (
        not AdverseEvent.objects.exists()
    )  # the AE and its grade are saved together or not at all


def test_it_records_grade_changes_as_new_rows(nurse):
    event = ae(enrolled_subject(nurse), nurse, grade=1)
    record_grade_change(event, nurse, effective_on=ON + dt.timedelta(days=3), grade=3)
    record_grade_change(event, nurse, effective_on=ON + dt.timedelta(days=9), grade=1)
    assert AdverseEventGrade.objects.filter(adverse_event=event).count() == 3
    assert event.current_grade(ON + dt.timedelta(days=4)) == 3
    assert event.current_grade() == 1
    assert event.worst_grade() == 3


def test_it_refuses_a_grade_outside_the_event_dates(nurse):
    event = ae(
        enrolled_subject(nurse), nurse, stopped_on=ON + dt.timedelta(days=5), outcome="recovered"
    )
    with pytest.raises(ValidationError) as caught:
        record_grade_change(event, nurse, effective_on=ON + dt.timedelta(days=6), grade=2)
    assert "effective_on" in caught.value.message_dict


def test_it_suggests_lab_grades_and_keeps_the_suggestion_beside_the_grade(nurse):
    subject = enrolled_subject(nurse)
    record_labs(
        subject, nurse, collected_on=ON, results={"alt": (210.0, 7.0, 40.0), "anc": (2.5, 1.8, 6.3)}
    )
    suggested = {g.term: g.grade for g in lab_grade_suggestions(subject, ON).suggested}
    assert suggested == {"Alanine aminotransferase increased": 3}
    event = ae(subject, nurse, term="Alanine aminotransferase increased", grade=3)
    row = event.grades.get()
    assert row.suggested_grade == 3
    assert "Alanine aminotransferase" in row.suggestion_detail


def test_it_suggests_high_sodium_magnesium_and_calcium_grades_and_offers_their_terms(nurse):
    """CTCAE v5.0: hypernatremia >155-160 mmol/L is grade 3; hypermagnesemia >ULN-1.23 mmol/L
    is grade 1; hypercalcemia (corrected) >2.9-3.1 mmol/L is grade 2."""
    from inodli.edc.safety.adverse_events import term_choices

    subject = enrolled_subject(nurse)
    record_labs(
        subject,
        nurse,
        collected_on=ON,
        results={
            "sodium": (157.0, 135.0, 145.0),
            "magnesium": (1.1, 0.7, 1.0),
            "calcium": (3.0, 2.1, 2.6),
        },
    )
    suggested = {g.term: g.grade for g in lab_grade_suggestions(subject, ON).suggested}
    assert suggested == {"Hypernatremia": 3, "Hypermagnesemia": 1, "Hypercalcemia": 2}
    offered = {value for value, _label in term_choices()}
    assert {"Hypernatremia", "Hypermagnesemia", "Hypercalcemia"} <= offered


def test_it_needs_dli_given_before_a_dli_related_event(nurse):
    with pytest.raises(ValidationError) as caught:
        ae(enrolled_subject(nurse), nurse, relationship_dli="probable")
    assert "No DLI" in caught.value.message_dict["relationship_dli"][0]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stopped_on": ON - dt.timedelta(days=1)}, "stopped_on"),
        ({"outcome": "fatal"}, "results_in_death"),
        ({"serious": ("results_in_death",)}, "results_in_death"),
        ({"other_specify": " "}, "other_specify"),
    ],
)
def test_it_refuses_inconsistent_entries(nurse, kwargs, field):
    subject = enrolled_subject(nurse)
    values = {"term": "Other, specify", "other_specify": "Vomiting", "started_on": ON, "grade": 1}
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        record_adverse_event(subject, nurse, relationship_ino="not_related", **values)
    assert field in caught.value.message_dict


def test_it_records_a_serious_fatal_event(nurse):
    event = ae(
        enrolled_subject(nurse), nurse, outcome="fatal", serious=("results_in_death",), grade=5
    )
    assert event.serious is True
