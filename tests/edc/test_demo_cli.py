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
    again = runner.invoke(main, ["demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "Demo study not rebuilt: the database already holds a study" in again.output
    assert Enrolment.objects.count() == 23


def test_it_prints_the_logins_and_url():
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "investigator  demo-investigator" in result.output
    assert "URL: http://127.0.0.1:8123/" in result.output


def test_it_has_examples_in_the_help_of_demo_and_serve():
    for command in ("demo", "serve"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output


def test_it_passes_manage_arguments_to_django():
    result = CliRunner().invoke(main, ["manage", "check"])
    assert result.exit_code == 0, result.output
    assert "System check identified no issues" in result.output
