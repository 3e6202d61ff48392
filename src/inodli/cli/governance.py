"""``inodli backup``, ``inodli restore`` and ``inodli exchange ...`` (ODM-XML, CSV, dictionary).

Django is configured only when a command runs (``DJANGO_SETTINGS_MODULE`` defaults to
``inodli.edc.settings``; the database comes from ``DATABASE_URL``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

__all__ = ["backup", "exchange", "restore"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inodli.edc.settings")
    import django

    django.setup()


def _importer(username: str) -> Any:
    from django.contrib.auth import get_user_model

    from inodli.edc.governance.permissions import Action, allowed

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not allowed(user, Action.IMPORT):
        raise click.BadParameter(
            f"expected a user with the data-manager role, got {username!r}", param_hint="--user"
        )
    return user


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def backup(target: Path, as_json: bool) -> None:
    """Back up the study database to TARGET (SQLite online backup, or pg_dump).

    \b
    Examples:
      inodli backup /backups/inodli-2026-11-24.sqlite3
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/inodli inodli backup /backups/inodli.dump
    """
    _setup_django()
    from inodli.edc.governance.backup import backup_database

    result = backup_database(target)
    if as_json:
        payload = {
            "path": str(result.path),
            "engine": result.engine,
            "size_bytes": result.size_bytes,
            "sha256": result.sha256,
        }
        click.echo(json.dumps(payload))
    else:
        click.echo(str(result))


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the database's content is replaced.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def restore(source: Path, yes: bool, as_json: bool) -> None:
    """Replace the study database's content with the backup SOURCE.

    \b
    Examples:
      inodli restore /backups/inodli-2026-11-24.sqlite3 --yes
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/inodli inodli restore inodli.dump --yes
    """
    if not yes:
        raise click.UsageError("restoring replaces every record: add --yes to confirm")
    _setup_django()
    from inodli.edc.governance.backup import restore_database

    restore_database(source)
    click.echo(json.dumps({"restored": str(source)}) if as_json else f"Restored {source}.")


@click.group()
def exchange() -> None:
    """Exchange study data: CDISC ODM-XML 1.3.2, CSV per form, the data dictionary.

    \b
    Examples:
      inodli exchange export-odm study.xml
      inodli exchange import-odm study.xml --user dm
      inodli exchange export-csv BODY body.csv
      inodli exchange dictionary dictionary.csv
    """


def _report(report: Any, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "imported": report.imported,
                    "queries": list(report.queries),
                    "mode": report.mode,
                    "history_rows": report.history_rows,
                    "accounts_created": list(report.accounts_created),
                    "notes": list(report.notes),
                    "errors": [
                        {
                            "line": e.line,
                            "form": e.form_code,
                            "field": e.field,
                            "message": e.message,
                        }
                        for e in report.errors
                    ],
                }
            )
        )
    else:
        click.echo(str(report))
    if not report.ok:
        raise SystemExit(1)


@exchange.command("export-odm")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def export_odm_command(target: Path) -> None:
    """Write the whole study (metadata, data, audit records, signatures) as ODM 1.3.2.

    \b
    Examples:
      inodli exchange export-odm study.xml
    """
    _setup_django()
    from inodli.edc.exchange.odm import export_odm

    target.write_text(export_odm(), encoding="utf-8")
    click.echo(f"Wrote {target}.")


@exchange.command("import-odm")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="The data manager who imports.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_odm_command(source: Path, username: str, as_json: bool) -> None:
    """Import an ODM 1.3.2 file: all of it, or nothing with a line-by-line report.

    \b
    Examples:
      inodli exchange import-odm study.xml --user dm --json
    """
    _setup_django()
    from inodli.edc.exchange.odm import import_odm

    _report(import_odm(source.read_text(encoding="utf-8"), _importer(username)), as_json)


@exchange.command("export-csv")
@click.argument("form")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def export_csv_command(form: str, target: Path) -> None:
    """Write the records of one FORM (its code, e.g. BODY, or SUBJECT) as CSV.

    \b
    Examples:
      inodli exchange export-csv AE adverse-events.csv
    """
    _setup_django()
    from inodli.edc.exchange.csvio import export_form_csv

    target.write_text(export_form_csv(form), encoding="utf-8")
    click.echo(f"Wrote {target}.")


@exchange.command("import-csv")
@click.argument("form")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="The data manager who imports.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_csv_command(form: str, source: Path, username: str, as_json: bool) -> None:
    """Import a CSV of one FORM: all rows, or none with a line-by-line report.

    \b
    Examples:
      inodli exchange import-csv SUBJECT subjects.csv --user dm
    """
    _setup_django()
    from inodli.edc.exchange.csvio import import_form_csv

    _report(import_form_csv(form, source.read_text(encoding="utf-8"), _importer(username)), as_json)


@exchange.command("dictionary")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def dictionary_command(target: Path) -> None:
    """Write the data dictionary (form, field, label, type, required, choices) as CSV.

    \b
    Examples:
      inodli exchange dictionary dictionary.csv
    """
    _setup_django()
    from inodli.edc.exchange.dictionary import data_dictionary_csv

    target.write_text(data_dictionary_csv(), encoding="utf-8")
    click.echo(f"Wrote {target}.")
