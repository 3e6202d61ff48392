"""``inodli export adam`` and ``inodli export ctgov`` on the synthetic study (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from inodli.adam.xport import XPORT_HEADER
from inodli.cli import main


def test_it_exports_xport_datasets(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "export",
            "adam",
            "--out",
            str(tmp_path),
            "--source",
            "synthetic",
            "--seed",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)["written"]
    assert str(tmp_path / "adam" / "adtte.xpt") in written
    assert (tmp_path / "sdtm" / "dm.xpt").read_bytes().startswith(XPORT_HEADER)


def test_it_exports_csv_and_a_results_summary(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "export",
            "adam",
            "--out",
            str(tmp_path),
            "--format",
            "csv",
            "--source",
            "synthetic",
            "--n",
            "10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "adam" / "adsl.csv").read_text().count("\n") == 11  # header + 10
    out = tmp_path / "results.json"
    result = runner.invoke(main, ["export", "ctgov", "--out", str(out), "--source", "synthetic"])
    assert result.exit_code == 0, result.output
    assert "Complete remission rate" in result.output
    assert json.loads(out.read_text())["participant_flow"]["enrolled"] == 23
    assert out.with_suffix(".txt").exists()


def test_it_reports_bad_options_cleanly(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "export",
            "ctgov",
            "--out",
            str(tmp_path / "r.json"),
            "--source",
            "synthetic",
            "--p0",
            "1.5",
        ],
    )
    assert result.exit_code == 2
    assert "p0" in result.output
    result = runner.invoke(main, ["export", "--help"])
    assert "Examples:" in result.output
