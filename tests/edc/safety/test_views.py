"""The safety form pages over HTTP: lab-based grade suggestions on the AE form, an AE saved with
its onset grade, the aGVHD grade on the page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from inodli.edc.assessments.services import record_labs
from inodli.edc.safety.models import AcuteGvhdAssessment, AdverseEvent
from tests.edc.factories import enrolled_subject

ON = dt.date(2026, 1, 10)


def url(subject, code):
    return reverse("subjects:form-new", args=[subject.pk, code])


def test_it_shows_the_grade_suggested_from_the_labs(client, nurse):
    subject = enrolled_subject(nurse)
    record_labs(subject, nurse, collected_on=ON, results={"alt": (210.0, 7.0, 40.0)})
    client.force_login(nurse)
    page = client.post(
        url(subject, "AE"), {"started_on": ON.isoformat(), "preview": "1"}
    ).content.decode()
    assert 'id="lab-grade-suggestions"' in page
    assert "Alanine aminotransferase increased" in page


def test_it_saves_an_ae_with_its_onset_grade(client, nurse):
    subject = enrolled_subject(nurse)
    client.force_login(nurse)
    response = client.post(
        url(subject, "AE"),
        {"term": "Febrile neutropenia", "started_on": ON.isoformat(), "grade": "3", "hospitalisation": "on",
         "relationship_ino": "not_related", "relationship_dli": "not_applicable", "outcome": "ongoing", "save": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    event = AdverseEvent.objects.get()
    assert (event.special_interest, event.serious, event.current_grade()) == (
        "febrile_neutropenia",
        True,
        3,
    )


def test_it_puts_an_undefined_grade_beside_the_grade_field(client, nurse):
    subject = enrolled_subject(nurse)
    client.force_login(nurse)
    response = client.post(
        url(subject, "AE"),
        {"term": "Febrile neutropenia", "started_on": ON.isoformat(), "grade": "2",
         "relationship_ino": "not_related", "relationship_dli": "not_applicable", "outcome": "ongoing", "save": "1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="errors-grade"' in response.content.decode()
    assert not AdverseEvent.objects.exists()


def test_it_shows_the_acute_gvhd_grade(client, nurse):
    subject = enrolled_subject(nurse)
    client.force_login(nurse)
    data = {"assessed_on": ON.isoformat(), "skin_erythema_bsa_pct": "0", "skin_bullae_bsa_pct": "0",
            "bilirubin": "10", "bilirubin_unit": "umol/L", "weight_kg": "60", "stool_ml_per_day": "1200",
            "unquantified_episodes": "0"}  # fmt: skip
    page = client.post(url(subject, "AGVHD"), {**data, "preview": "1"}).content.decode()
    assert 'id="agvhd-grade">III<' in page
    assert client.post(url(subject, "AGVHD"), {**data, "save": "1"}).status_code == 302
    assert AcuteGvhdAssessment.objects.get().overall_grade == 3


def test_it_records_a_grade_change_as_a_new_row(client, nurse):
    from inodli.edc.safety.services import record_adverse_event

    subject = enrolled_subject(nurse)
    event = record_adverse_event(subject, nurse, term="Febrile neutropenia", started_on=ON, grade=3,
                                 relationship_ino="not_related", serious=("hospitalisation",))  # fmt: skip
    client.force_login(nurse)
    response = client.post(
        url(subject, "AE_GRADE"),
        {
            "adverse_event": str(event.pk),
            "effective_on": (ON + dt.timedelta(days=2)).isoformat(),
            "grade": "4",
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert list(event.grades.values_list("grade", flat=True)) == [3, 4]
    assert event.worst_grade() == 4


def test_it_shows_the_ctcae_grade_definitions_of_the_chosen_term(client, nurse):
    subject = enrolled_subject(nurse)
    client.force_login(nurse)
    page = client.post(
        url(subject, "AE"),
        {"term": "Sinusoidal obstruction syndrome", "started_on": ON.isoformat(), "preview": "1"},
    ).content.decode()
    grades = page[page.index('id="ctcae-grades"') :]
    assert "Blood bilirubin &gt;5 mg/dL" in grades  # CTCAE v5.0 SOS grade 3
