"""``inodli report --source db`` reads the EDC through the extract (run on both databases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from inodli.cli import main

pytestmark = pytest.mark.django_db


def test_it_reports_the_demo_study_from_the_database(tmp_path: Path) -> None:
    from inodli.edc.demo.generator import build_demo_study
    from inodli.edc.subjects.models import Enrolment

    build_demo_study(seed=7)
    result = CliRunner().invoke(
        main, ["report", "--source", "db", "--out", str(tmp_path), "--no-pdf", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["primary"]["evaluable"] <= Enrolment.objects.count() == 23
    assert (tmp_path / "report.html").read_text(encoding="utf-8").count("<section") == 10


def test_it_says_plainly_that_nobody_has_been_treated(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--source", "db", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "at least one InO administration" in result.output
    assert "Traceback" not in result.output
