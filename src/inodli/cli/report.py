"""``inodli report``: the study report (HTML and PDF) from the synthetic study or the EDC."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from inodli.adam.raw import RawStudy

__all__ = ["load_raw_study", "report"]

SOURCES = ("synthetic", "demo", "db")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inodli.edc.settings")
    import django

    django.setup()


def _extract(cutoff: dt.date | None) -> RawStudy:
    if importlib.util.find_spec("inodli.edc.extract") is None:
        raise click.ClickException(
            "reading the EDC needs inodli.edc.extract, which this installation lacks"
        )
    from django.db import DatabaseError

    from inodli.edc.extract import extract_raw_study

    try:
        return extract_raw_study(cutoff=cutoff) if cutoff else extract_raw_study()
    except DatabaseError as error:  # no tables yet, unreachable server, ...
        raise click.ClickException(
            f"cannot read the EDC database ({error}); run `inodli manage migrate` or check "
            "DATABASE_URL"
        ) from error


def load_raw_study(source: str, *, seed: int, cutoff: dt.date | None) -> RawStudy:
    """The captured data from ``source``.

    ``synthetic``: :func:`inodli.adam.synthetic.synthetic_raw_study` (no database);
    ``db``: the EDC database of ``DATABASE_URL`` through :func:`inodli.edc.extract.extract_raw_study`;
    ``demo``: the EDC demo study built with ``seed`` in a throw-away SQLite database, then
    extracted the same way (the whole path a real report takes).
    """
    if source == "synthetic":
        from inodli.adam.synthetic import synthetic_raw_study

        return synthetic_raw_study(n=23, seed=seed, cutoff=cutoff)
    if source == "db":
        _setup_django()
        return _extract(cutoff)
    folder = tempfile.mkdtemp(prefix="inodli-demo-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
    _setup_django()
    from django.core.management import call_command

    from inodli.edc.demo.generator import build_demo_study

    call_command("migrate", interactive=False, verbosity=0)
    build_demo_study(seed=seed)
    return _extract(cutoff)


@click.command("report")
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write report.html and report.pdf into (created if missing).",
)  # fmt: skip
@click.option(
    "--source", type=click.Choice(SOURCES), default="synthetic", show_default=True,
    help="synthetic: generated study, no database; demo: the EDC demo study in a temporary "
    "database; db: the EDC database of DATABASE_URL.",
)  # fmt: skip
@click.option("--cutoff", type=click.DateTime(["%Y-%m-%d"]), help="Data cut-off (YYYY-MM-DD).")
@click.option("--p0", type=float, default=0.30, show_default=True, help="Null CR/CRi rate.")
@click.option("--seed", type=int, default=20261124, show_default=True, help="Synthetic/demo seed.")
@click.option("--no-pdf", is_flag=True, help="Write the HTML only (skips WeasyPrint).")
@click.option("--json", "as_json", is_flag=True, help="Print the key results as JSON.")
def report(
    out: Path,
    source: str,
    cutoff: dt.datetime | None,
    p0: float,
    seed: int,
    no_pdf: bool,
    as_json: bool,
) -> None:
    """Write the study report: a self-contained HTML file and its PDF.

    Every analysis of the study (CR/CRi with exact CI and test against p0, MRD, OS, PFS,
    DOR, cumulative incidence of relapse and NRM, adverse events, DLI vs no DLI) with its
    figures, the data cut-off, analysis date and software version.

    \b
    Examples:
      inodli report --out build/report
      inodli report --out build/report --source db --cutoff 2026-10-31
      inodli report --out build/report --p0 0.25 --no-pdf --json
    """
    from inodli.report.html import render_report_html
    from inodli.report.study import build_study_report

    raw = load_raw_study(source, seed=seed, cutoff=cutoff.date() if cutoff else None)
    label = {
        "synthetic": f"synthetic study (inodli.adam.synthetic, seed {seed})",
        "demo": f"EDC demo study (seed {seed}), read through the EDC extract",
        "db": "EDC database, read through the EDC extract",
    }[source]
    study = build_study_report(raw, source=label, p0=p0)
    out.mkdir(parents=True, exist_ok=True)
    document = render_report_html(study)
    html_path = out / "report.html"
    html_path.write_text(document, encoding="utf-8")
    written = [html_path]
    if not no_pdf:
        from inodli.report.pdf import html_to_pdf

        html_to_pdf(document, out / "report.pdf")
        written.append(out / "report.pdf")
    primary = study.primary
    if as_json:
        payload = {
            "files": [str(p) for p in written],
            "cutoff": str(study.cutoff),
            "primary": {
                "responders": primary.responders,
                "evaluable": primary.n,
                "ci": None if primary.ci is None else [primary.ci.lower, primary.ci.upper],
                "p_value": None if primary.test is None else primary.test.p_value,
                "p0": p0,
                "design_adjusted": _design_adjusted(primary.design_adjusted),
            },
            "decision": study.monitoring.decision,
        }
        click.echo(json.dumps(payload, indent=2))
        return
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{primary!r}")
    click.echo(study.monitoring.explanation[0])


def _design_adjusted(adjusted: Any) -> dict[str, Any] | None:
    """The primary analysis adjusted for the two-stage design, or why it is not available."""
    if adjusted is None:
        return None
    result = adjusted.inference
    return {
        "available": result is not None,
        "status": adjusted.status,
        "stage1_responders": adjusted.stage1_responders,
        "p_value": None if result is None else result.p_value,
        "ci": None if result is None else [result.lower, result.upper],
        "umvue": None if result is None else result.umvue,
        "median_unbiased": None if result is None else result.median_unbiased,
    }
