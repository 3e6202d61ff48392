"""The report document: every section in the HTML, the PDF rendered to PNG and checked, the CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from matplotlib import image

from inodli import __version__
from inodli.cli import main
from inodli.report.html import SECTIONS, render_report_html
from inodli.report.study import StudyReport
from tests.conftest import require_or_skip


def test_it_puts_every_section_and_figure_in_one_self_contained_file(
    study_report: StudyReport,
) -> None:
    document = render_report_html(study_report)
    for key, title in SECTIONS.items():
        assert f'<section id="{key}"' in document
        assert title in document
    for figure_id in ("consort", "km-os", "km-pfs", "km-dor", "km-os-dli", "cif", "swimmer"):
        assert f'id="figure-{figure_id}"' in document
    for table_id in ("meta", "flow", "baseline", "primary", "mrd", "survival", "competing",
                     "ae-all", "monitoring"):  # fmt: skip
        assert f'id="table-{table_id}"' in document
    assert "<img" in document
    assert not re.search(r'<img[^>]+src="(?!data:image/png;base64,)', document)  # nothing external
    assert "<link" not in document
    assert f"Data cut-off</td><td>{study_report.cutoff}" in document
    assert "Analysis date</td><td>2026-11-24" in document
    assert f"inodli {__version__}" in document
    assert "the date of the first InO dose" in document
    assert "log-log" in document
    assert "cmprsk::cuminc" in document
    assert "DLI was not randomised" in document
    assert "as low as 30%" in document


def test_it_escapes_values_from_the_data(study_report: StudyReport) -> None:
    adae = study_report.ae_counts.copy()
    adae.loc[adae.index[1], "soc"] = "<script>alert(1)</script>"
    document = render_report_html(StudyReport(**{**study_report.__dict__, "ae_counts": adae}))
    assert "<script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document


def _page_pngs(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def test_it_writes_html_and_a_pdf_whose_pages_all_carry_content(tmp_path: Path) -> None:
    require_or_skip("pdftoppm", shutil.which("pdftoppm") is not None, "poppler-utils")
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["primary"]["p0"] == 0.30
    adjusted = payload["primary"]["design_adjusted"]
    assert adjusted["status"]
    assert adjusted["available"] is (adjusted["p_value"] is not None)
    pdf = tmp_path / "out" / "report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "out" / "report.html").stat().st_size > 100_000  # figures embedded
    pages = _page_pngs(pdf, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    # ten sections, seven of them starting a page: at least 8 pages, at most ~20
    assert 8 <= count <= 20
    assert len(pages) == count
    for page in pages:
        pixels = image.imread(page)[..., :3]
        ink = float(np.mean(pixels.min(axis=2) < 0.9))
        assert ink > 0.005, f"{page.name} is blank ({ink:.4f} of pixels inked)"


def test_it_offers_examples_and_refuses_a_bad_p0(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(main, ["report", "--help"]).output
    assert "Examples:" in help_text
    assert "inodli report --out" in help_text
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path), "--p0", "1.2", "--no-pdf"])
    assert result.exit_code == 2
    assert "p0: expected a number strictly between 0 and 1" in result.output


def test_it_applies_a_data_cutoff(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["report", "--out", str(tmp_path), "--no-pdf", "--json", "--cutoff", "2025-12-31"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["cutoff"] == "2025-12-31"
    assert payload["files"] == [str(tmp_path / "report.html")]
