"""Test-wide helpers: required tools, and the database-only selection for the PostgreSQL run.

``INODLI_REQUIRE`` (space-separated: ``r``, ``browser``, ``postgres``) turns a missing tool into
a failure instead of a skip; CI sets it so that a green run means the cross-checks really ran.
``INODLI_DB_TESTS_ONLY=1`` keeps only the tests that touch the database (the second CI run,
against PostgreSQL).
"""

from __future__ import annotations

import os

import pytest

DB_FIXTURES = {"db", "transactional_db", "live_server", "client", "admin_client", "django_db_setup"}


def require_or_skip(tool: str, available: bool, reason: str) -> None:
    """Skip when ``tool`` is unavailable, or fail if ``INODLI_REQUIRE`` names it."""
    if available:
        return
    if tool in os.environ.get("INODLI_REQUIRE", "").split():
        pytest.fail(f"{tool} is required here (INODLI_REQUIRE) but unavailable: {reason}")
    pytest.skip(f"{tool} unavailable: {reason}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("INODLI_DB_TESTS_ONLY") != "1":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
