"""The assessment form pages over HTTP: the lab grid, the response category on the page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from inodli.edc.assessments.models import LabResult, ResponseAssessment
from inodli.edc.assessments.services import record_extramedullary, record_marrow
from tests.edc.factories import enrolled_subject
from tests.edc.treatment.builders import blood_count

ON = dt.date(2026, 1, 27)


def url(subject, code):
    return reverse("subjects:form-new", args=[subject.pk, code])


def test_it_saves_a_lab_panel_from_the_grid(client, nurse):
    subject = enrolled_subject(nurse)
    client.force_login(nurse)
    assert "Platelets" in client.get(url(subject, "LABS")).content.decode()
    response = client.post(
        url(subject, "LABS"),
        {"collected_on": ON.isoformat(), "alt": "210", "alt_lln": "7", "alt_uln": "40", "platelets": "45",
         "platelets_lln": "125", "platelets_uln": "350", "save": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(LabResult.objects.values_list("analyte", flat=True)) == ["alt", "platelets"]


def test_it_puts_an_implausible_lab_value_beside_its_field(client, nurse):
    subject = enrolled_subject(nurse)
    client.force_login(nurse)
    response = client.post(
        url(subject, "LABS"), {"collected_on": ON.isoformat(), "platelets": "5000", "save": "1"}
    )
    assert response.status_code == 422
    assert 'id="errors-platelets"' in response.content.decode()
    assert not LabResult.objects.exists()


def test_it_shows_and_saves_the_computed_response_category(client, nurse):
    subject = enrolled_subject(nurse)
    record_marrow(
        subject, nurse, sampled_on=ON, blast_pct=3.0, mrd_level_pct=0.0, mrd_sensitivity_pct=0.01
    )
    blood_count(subject, nurse, ON, anc=0.8, platelets=80.0)
    record_extramedullary(subject, nurse, assessed_on=ON, method="clinical", status="none")
    client.force_login(nurse)
    data = {
        "assessed_on": ON.isoformat(),
        "after_cycle": "1",
        "investigator_category": "",
        "override_reason": "",
    }
    page = client.post(url(subject, "RESPONSE"), {**data, "preview": "1"}).content.decode()
    assert 'id="computed-category">CRi<' in page
    assert not ResponseAssessment.objects.exists()
    response = client.post(url(subject, "RESPONSE"), {**data, "save": "1"})
    assert response.status_code == 302
    saved = ResponseAssessment.objects.get()
    assert (saved.computed_category, saved.investigator_category) == ("CRi", "CRi")
    edit = reverse("subjects:form-edit", args=[subject.pk, "RESPONSE", saved.pk])
    assert 'id="recorded-category">CRi<' in client.get(edit).content.decode()


def test_it_asks_a_reason_for_another_category_beside_the_field(client, nurse):
    subject = enrolled_subject(nurse)
    record_marrow(
        subject, nurse, sampled_on=ON, blast_pct=3.0, mrd_level_pct=0.0, mrd_sensitivity_pct=0.01
    )
    blood_count(subject, nurse, ON, anc=0.8, platelets=80.0)
    record_extramedullary(subject, nurse, assessed_on=ON, method="clinical", status="none")
    client.force_login(nurse)
    response = client.post(
        url(subject, "RESPONSE"),
        {
            "assessed_on": ON.isoformat(),
            "after_cycle": "1",
            "investigator_category": "CR",
            "save": "1",
        },
    )
    assert response.status_code == 422
    assert 'id="errors-override_reason"' in response.content.decode()


def test_it_changes_and_removes_lab_values_only_with_a_reason(client, nurse):
    from inodli.edc.assessments.services import record_labs

    subject = enrolled_subject(nurse)
    panel = record_labs(
        subject,
        nurse,
        collected_on=ON,
        results={"alt": (210.0, 7.0, 40.0), "ast": (80.0, 10.0, 40.0)},
    )
    versions = {row.analyte: row.version for row in panel.results.all()}
    client.force_login(nurse)
    edit = reverse("subjects:form-edit", args=[subject.pk, "LABS", panel.pk])
    data = {"collected_on": ON.isoformat(), "version": "1", "alt": "120", "alt_lln": "7", "alt_uln": "40",
            "alt_version": str(versions["alt"]), "ast_version": str(versions["ast"]), "save": "1"}  # fmt: skip
    response = client.post(edit, data)
    assert response.status_code == 422
    assert 'id="errors-reason"' in response.content.decode()
    response = client.post(
        edit, {**data, "reason": "transcription error; AST belonged to another sample"}
    )
    assert response.status_code == 302
    assert list(LabResult.objects.values_list("analyte", "value", "version")) == [("alt", 120.0, 2)]
