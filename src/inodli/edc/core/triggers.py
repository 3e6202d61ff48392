"""Database triggers that make the trail tables append-only, below the ORM.

Even raw SQL (a console, a script that bypasses the service layer) cannot UPDATE or DELETE a
row of the audit trail (``core_auditevent``), the sign-in and account logs, a query's steps, a
database-lock snapshot or the import history. PostgreSQL's TRUNCATE and DROP are table-level
administrative operations and are not blocked (test teardown and ``pg_restore --clean`` use
them); SQLite has no TRUNCATE. Test helpers that must empty the tables on SQLite drop and
re-create the triggers (:func:`drop_triggers`, :func:`create_triggers`).

Each app's migration creates the triggers of its own tables, once they exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Every append-only table, by the app whose migration creates its triggers.
APPEND_ONLY_TABLES: dict[str, tuple[str, ...]] = {
    "core": ("core_auditevent",),
    "accounts": ("accounts_loginevent", "accounts_accountevent"),
    "governance": (
        "governance_queryevent",
        "governance_databasesnapshot",
        "governance_importrun",
    ),
}
MESSAGE = "the audit trail is append-only"


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"DROP TRIGGER IF EXISTS {table}_no_delete;",
    ]


_POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION inodli_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;"""


def _postgres_create(table: str) -> list[str]:
    return [
        _POSTGRES_FUNCTION,
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION inodli_append_only();",
    ]


def _postgres_drop(table: str) -> list[str]:
    # The shared function stays: other tables' triggers may still use it.
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"]


def _tables(apps: Iterable[str] | None) -> list[str]:
    chosen = APPEND_ONLY_TABLES if apps is None else {a: APPEND_ONLY_TABLES[a] for a in apps}
    return [table for tables in chosen.values() for table in tables]


def _run(connection: Any, create: bool, apps: Iterable[str] | None) -> None:
    builders = {
        "sqlite": _sqlite_create if create else _sqlite_drop,
        "postgresql": _postgres_create if create else _postgres_drop,
    }
    build = builders.get(connection.vendor)
    if build is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"no append-only triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        for table in _tables(apps):
            for statement in build(table):
                cursor.execute(statement)


def create_triggers(connection: Any, apps: Iterable[str] | None = None) -> None:
    """Create the triggers of ``apps``' tables (all when None); idempotent."""
    _run(connection, True, apps)


def drop_triggers(connection: Any, apps: Iterable[str] | None = None) -> None:
    """Drop the triggers of ``apps``' tables (all when None)."""
    _run(connection, False, apps)
