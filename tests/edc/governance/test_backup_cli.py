"""``inodli backup`` / ``inodli restore`` round trips (SQLite online backup; pg_dump/pg_restore),
and the ``exchange`` commands, driven by click's CliRunner."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection

from inodli.cli import main
from inodli.edc.governance.backup import backup_database, restore_database
from inodli.edc.subjects.models import Subject
from tests.conftest import require_or_skip
from tests.edc.factories import enrolled_subject

TABLES = ("subjects_subject", "subjects_bodymeasurement", "core_auditevent")


def _rows_sqlite(path: str) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_sqlite_exactly(tmp_path: Path, personas) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own test")
    enrolled_subject(personas.nurse)
    enrolled_subject(personas.nurse, initials="XYZ")
    live = str(connection.settings_dict["NAME"])
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "b.sqlite3"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"engine": "sqlite"' in result.output
    restored = tmp_path / "restored.sqlite3"
    restore_database(
        tmp_path / "b.sqlite3", database={**connection.settings_dict, "NAME": str(restored)}
    )
    expected = _rows_sqlite(live)
    assert len(expected["subjects_subject"]) == 2
    assert _rows_sqlite(str(restored)) == expected


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_postgresql_exactly(tmp_path: Path, personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs with DATABASE_URL=postgres://...")
    require_or_skip("postgres", shutil.which("pg_dump") is not None, "pg_dump not found")
    import psycopg

    enrolled_subject(personas.nurse)
    dump = backup_database(tmp_path / "b.dump")
    assert dump.engine == "postgresql"
    assert dump.size_bytes > 0
    settings = dict(connection.settings_dict)
    target = f"{settings['NAME']}_restore"
    admin = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
    admin.execute(f'CREATE DATABASE "{target}"')

    def connect(name: str):
        return psycopg.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            user=settings["USER"] or "postgres",
            dbname=name,
        )

    try:
        restore_database(dump.path, database={**settings, "NAME": target})
        with connect(settings["NAME"]) as live, connect(target) as copy:
            for table in TABLES:
                query = f"SELECT * FROM {table} ORDER BY id"
                expected = live.execute(query).fetchall()
                assert expected
                assert copy.execute(query).fetchall() == expected
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.close()


def test_it_refuses_to_overwrite_a_backup_and_to_restore_without_yes(tmp_path: Path, db) -> None:
    existing = tmp_path / "exists.sqlite3"
    existing.write_bytes(b"")
    result = CliRunner().invoke(main, ["backup", str(existing)])
    assert result.exit_code != 0
    assert "does not exist yet" in result.output
    result = CliRunner().invoke(main, ["restore", str(existing)])
    assert result.exit_code != 0
    assert "--yes" in result.output


def test_it_exports_and_rejects_through_the_exchange_commands(tmp_path: Path, personas) -> None:
    enrolled_subject(personas.nurse)
    runner = CliRunner()
    odm = tmp_path / "study.xml"
    assert runner.invoke(main, ["exchange", "export-odm", str(odm)]).exit_code == 0
    assert 'ODMVersion="1.3.2"' in odm.read_text()
    csv_file = tmp_path / "subjects.csv"
    csv_file.write_text(
        "subject,record_id,screening_number,initials,registered_on\n"
        "SCR-900,1,SCR-900,bad,2026-01-05\n"
    )
    result = runner.invoke(
        main,
        ["exchange", "import-csv", "SUBJECT", str(csv_file), "--user", "data_manager", "--json"],
    )
    assert result.exit_code == 1
    assert '"line": 2' in result.output
    assert Subject.objects.count() == 1
    refused = runner.invoke(
        main, ["exchange", "import-csv", "SUBJECT", str(csv_file), "--user", "monitor"]
    )
    assert refused.exit_code == 2
    assert "data-manager role" in refused.output


def test_it_has_examples_in_every_help() -> None:
    runner = CliRunner()
    for args in (
        ["backup"],
        ["restore"],
        ["exchange"],
        ["exchange", "import-odm"],
        ["exchange", "export-csv"],
        ["exchange", "dictionary"],
    ):
        assert "Examples:" in runner.invoke(main, [*args, "--help"]).output
