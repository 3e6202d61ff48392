"""Every trail table refuses UPDATE and DELETE in raw SQL, below the ORM (21 CFR 11.10(e):
audit trails that cannot be altered; the same for the sign-in and account logs, a query's
steps, database-lock snapshots and the import history)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from inodli.edc.accounts.models import LoginEvent
from inodli.edc.core.triggers import APPEND_ONLY_TABLES
from inodli.edc.exchange.csvio import import_form_csv
from inodli.edc.governance.locks import lock
from inodli.edc.governance.queries import open_query
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest

TABLES = [table for tables in APPEND_ONLY_TABLES.values() for table in tables]


def test_the_trail_tables_are_the_expected_ones() -> None:
    # Written out: a table dropped from the list would silently lose its protection.
    assert sorted(TABLES) == [
        "accounts_accountevent",
        "accounts_loginevent",
        "core_auditevent",
        "governance_databasesnapshot",
        "governance_importrun",
        "governance_queryevent",
    ]


class TestRawSql(PersonaTest):
    def _one_row_in_each_table(self) -> None:
        from django.utils import timezone

        from inodli.edc.accounts.services import reset_password

        subject = enrolled_subject(self.nurse)  # audit events
        open_query(self.monitor, subject, "Please confirm the weight.")  # a query step
        lock(self.data_manager, "database", "interim analysis")  # a snapshot
        import_form_csv("SUBJECT", "nothing,here\n", self.data_manager)  # an import run
        LoginEvent.objects.create(at=timezone.now(), username="nurse", outcome="login")
        temporary = "Temporary-Pass-2026!"
        reset_password(self.administrator, self.nurse, temporary, temporary, "forgotten")

    @pytest.mark.parametrize("table", TABLES)
    @pytest.mark.parametrize("verb", ["UPDATE", "DELETE"])
    def test_it_refuses_changing_a_row(self, table: str, verb: str) -> None:
        self._one_row_in_each_table()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            before = cursor.fetchone()[0]
        assert before > 0, table
        statement = {"UPDATE": f"UPDATE {table} SET id = id", "DELETE": f"DELETE FROM {table}"}
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement[verb])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] == before
