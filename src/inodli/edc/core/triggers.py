"""Database triggers that make the audit table append-only, below the ORM.

Even raw SQL (a console, a script that bypasses the service layer) cannot UPDATE or DELETE a
row of ``core_auditevent``. PostgreSQL's TRUNCATE is a table-level administrative operation and
is not blocked (test teardown uses it); SQLite has no TRUNCATE. Test helpers that must empty the
table on SQLite drop and re-create the triggers (:func:`drop_triggers`, :func:`create_triggers`).
"""

from __future__ import annotations

from typing import Any

TABLE = "core_auditevent"
MESSAGE = "the audit trail is append-only"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    sql = statements.get(connection.vendor)
    if sql is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"no audit triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def create_triggers(connection: Any) -> None:
    _run(connection, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_triggers(connection: Any) -> None:
    _run(connection, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
