"""``inodli export``: analysis datasets (SAS XPORT v5 or CSV) and the results summary.

The study comes from the EDC database (``--source edc``, through
``inodli.edc.extract.extract_raw_study``; Django is configured only then) or from the
synthetic generator (``--source synthetic``), which needs no database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import click

from inodli.adam.raw import RawStudy

__all__ = ["export"]


def _load(source: str, cutoff: dt.datetime | None, seed: int, n: int) -> RawStudy:
    day = cutoff.date() if cutoff is not None else None
    if source == "synthetic":
        from inodli.adam.synthetic import synthetic_raw_study

        return synthetic_raw_study(n=n, seed=seed, cutoff=day)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inodli.edc.settings")
    import django

    django.setup()
    from inodli.edc.extract import extract_raw_study

    return extract_raw_study(cutoff=day)


def _source_options(function: Any) -> Any:
    options = [
        click.option(
            "--source",
            type=click.Choice(["edc", "synthetic"]),
            default="edc",
            show_default=True,
            help="Where the study data come from.",
        ),
        click.option(
            "--cutoff",
            type=click.DateTime(["%Y-%m-%d"]),
            default=None,
            help="Data cut-off date (default: today for edc, 2 years after the last "
            "first dose for synthetic).",
        ),
        click.option("--seed", default=20260101, show_default=True, help="Synthetic study seed."),
        click.option(
            "--n",
            "n",
            default=23,
            show_default=True,
            type=click.IntRange(1, 2000),
            help="Synthetic study size.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group("export")
def export() -> None:
    """Export the trial's datasets and results.

    \b
    Examples:
      inodli export adam --out export/ --format xpt
      inodli export ctgov --out results.json --source synthetic
    """


@export.command("adam")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write sdtm/, adam/ and define.csv/json into.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xpt", "csv"]),
    default="xpt",
    show_default=True,
    help="SAS XPORT version 5 or CSV.",
)
@click.option(
    "--teae-window",
    default=30,
    show_default=True,
    type=click.IntRange(0, 3650),
    help="Days after the last InO dose (or DLI) an AE counts as treatment-emergent.",
)
@_source_options
def export_adam(
    out_dir: Path,
    fmt: str,
    teae_window: int,
    source: str,
    cutoff: dt.datetime | None,
    seed: int,
    n: int,
    as_json: bool,
) -> None:
    """Write SDTM-style and ADaM datasets (ADSL, ADRS, ADTTE, ADAE) with a data dictionary.

    Every dataset is checked against the XPORT v5 rules (names <= 8 characters, labels <= 40,
    values <= 200 bytes, ASCII) before anything is written.

    \b
    Examples:
      inodli export adam --out export/
      inodli export adam --out export/ --format csv --source synthetic --seed 7
    """
    from inodli.adam.export import export_datasets

    raw = _load(source, cutoff, seed, n)
    paths = export_datasets(
        raw, out_dir, fmt="csv" if fmt == "csv" else "xpt", teae_window_days=teae_window
    )
    if as_json:
        click.echo(
            json.dumps({"cutoff": raw.cutoff.isoformat(), "written": [str(p) for p in paths]})
        )
        return
    click.echo(f"{raw} -> {out_dir}")
    for path in paths:
        click.echo(f"  {path}")


@export.command("ctgov")
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file to write; the readable text goes beside it (.txt).",
)
@click.option(
    "--p0",
    default=0.30,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="CR/CRi rate under the null hypothesis of the one-sided exact test.",
)
@_source_options
def export_ctgov(
    out_file: Path,
    p0: float,
    source: str,
    cutoff: dt.datetime | None,
    seed: int,
    n: int,
    as_json: bool,
) -> None:
    """Write a ClinicalTrials.gov-style results summary (JSON and text).

    \b
    Examples:
      inodli export ctgov --out results.json
      inodli export ctgov --out results.json --source synthetic --p0 0.3
    """
    from inodli.adam.ctgov import ctgov_summary, ctgov_text

    summary = ctgov_summary(_load(source, cutoff, seed, n), p0=p0)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    text = ctgov_text(summary)
    out_file.with_suffix(".txt").write_text(text, encoding="utf-8")
    click.echo(json.dumps(summary) if as_json else text, nl=not as_json)
