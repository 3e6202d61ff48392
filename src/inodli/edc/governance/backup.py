"""Backup and restore of the study database.

SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a consistent
snapshot while the application keeps running. PostgreSQL: ``pg_dump --format=custom`` and
``pg_restore --clean --if-exists`` (both must be on PATH). Connection settings come from the
Django ``DATABASES`` entry (itself from ``DATABASE_URL``); a password goes through ``PGPASSWORD``,
never the command line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inodli.errors import InputError

__all__ = ["BackupResult", "backup_database", "restore_database"]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size_bytes: int
    sha256: str

    def __str__(self) -> str:
        return f"{self.engine} backup {self.path} ({self.size_bytes} bytes, sha256 {self.sha256})"


def _settings(database: dict[str, Any] | None) -> dict[str, Any]:
    if database is not None:
        return database
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def _engine(database: dict[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise InputError("database engine", "sqlite3 or postgresql", engine)


def _pg(tool: str, database: dict[str, Any], args: list[str]) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise InputError(tool, f"{tool} on PATH (PostgreSQL client tools)", "not found")
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    connection = [
        f"--host={database.get('HOST') or '127.0.0.1'}",
        f"--port={database.get('PORT') or 5432}",
        f"--username={database.get('USER') or 'postgres'}",
        f"--dbname={database['NAME']}",
    ]
    result = subprocess.run(
        [executable, *connection, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{tool} failed: {result.stderr.strip()}")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def backup_database(target: Path | str, *, database: dict[str, Any] | None = None) -> BackupResult:
    """Write a backup of the study database to ``target`` (refuses to overwrite a file)."""
    target = Path(target)
    if target.exists():
        raise InputError("backup file", "a path that does not exist yet", str(target))
    database = _settings(database)
    engine = _engine(database)
    if engine == "sqlite":
        source = sqlite3.connect(str(database["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        _pg("pg_dump", database, ["--format=custom", "--no-owner", f"--file={target}"])
    return BackupResult(target, engine, target.stat().st_size, _digest(target))


def restore_database(source: Path | str, *, database: dict[str, Any] | None = None) -> None:
    """Replace the study database's content with the backup ``source``."""
    source = Path(source)
    if not source.is_file():
        raise InputError("backup file", "an existing backup file", str(source))
    database = _settings(database)
    if _engine(database) == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(str(database["NAME"]))
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    else:
        _pg("pg_restore", database, ["--clean", "--if-exists", "--no-owner", str(source)])
