"""``inodli demo``: the synthetic study built through the services, then served."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inodli.cli import main
from inodli.edc.core.models import AuditEvent
from inodli.edc.subjects.models import Consent, Enrolment, Subject

pytestmark = pytest.mark.django_db


def test_it_builds_23_enrolled_patients_through_the_services_and_refuses_to_rebuild():
    runner = CliRunner()
    result = runner.invoke(main, ["demo", "--no-serve", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["created"] is True
    assert summary["subjects"] == 23
    assert {login["role"] for login in summary["logins"]} >= {
        "investigator",
        "nurse",
        "pharmacist",
        "data_manager",
        "monitor",
        "statistician",
    }
    study_ids = sorted(Enrolment.objects.values_list("study_id", flat=True))
    assert study_ids == [f"INODLI-{n:03d}" for n in range(1, 24)]
    # every subject (screen failures included) has a consent and an audit trail
    assert Consent.objects.count() == Subject.objects.count() == 23 + summary["screen_failures"]
    for subject in Subject.objects.all():
        assert AuditEvent.objects.filter(subject=subject, model_label="subjects.consent").exists()
    _check_clinical_course()
    again = runner.invoke(main, ["demo", "--no-serve", "--port", "8123"])
    assert again.exit_code == 0, again.output
    assert "Demo study not rebuilt: the database already holds a study" in again.output
    assert "investigator  demo-investigator" in again.output
    assert "URL: http://127.0.0.1:8123/" in again.output
    assert Enrolment.objects.count() == 23


def test_it_has_examples_in_the_help_of_demo_and_serve():
    for command in ("demo", "serve"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output


def test_it_passes_manage_arguments_to_django():
    result = CliRunner().invoke(main, ["manage", "check"])
    assert result.exit_code == 0, result.output
    assert "System check identified no issues" in result.output


def _check_clinical_course():
    """The synthetic study looks like the trial it imitates (ranges, not exact numbers: the
    generator draws outcomes, the protocol engine classifies them)."""
    from django.apps import apps

    if not apps.is_installed("inodli.edc.treatment"):
        pytest.skip("the clinical apps are not installed")
    from inodli.edc.assessments.models import Death, RelapseEvent, ResponseAssessment
    from inodli.edc.safety.models import AdverseEvent
    from inodli.edc.treatment.models import DliInfusion, InoAdministration

    enrolled = Enrolment.objects.values_list("subject_id", flat=True)
    responders = set(
        ResponseAssessment.objects.filter(investigator_category__in=("CR", "CRi")).values_list(
            "subject_id", flat=True
        )
    )
    # INO-VATE: CR/CRi 80.7% (95% CI 72.1-87.7; Kantarjian 2016); with n = 23 allow 55-95%
    assert 0.55 <= len(responders) / 23 <= 0.95
    assert InoAdministration.objects.filter(subject_id__in=enrolled, cycle=1, day=1).count() == 23
    # DLI only for the eligible (computed by the protocol from GVHD history and HLA loss)
    assert DliInfusion.objects.exists()
    assert not DliInfusion.objects.filter(eligible=False, override=False).exists()
    terms = set(AdverseEvent.objects.values_list("term", flat=True))
    assert "Sinusoidal obstruction syndrome" in terms
    assert "Acute graft versus host disease" in terms
    assert RelapseEvent.objects.exists()
    assert Death.objects.exists()
    # everything went through the audited services: one create event per record
    for model in (InoAdministration, DliInfusion, ResponseAssessment, AdverseEvent, Death):
        label = model._meta.label_lower
        assert (
            AuditEvent.objects.filter(model_label=label, action="create").count()
            == model.objects.count()
        )
