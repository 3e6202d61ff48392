"""Fixtures of the data capture tests: personas, subjects built through the services, and the
audit-trigger handling that lets transactional tests (live_server) empty the tables on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.edc.browser_support import (  # noqa: F401  (fixtures for every browser test under tests/edc)
    _chromium,
    browser_page,
    logged_in_page,
    patient_entry,
)
from tests.edc.personas import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def nurse(personas: Personas) -> Any:
    return personas.nurse


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request or a test that activates Chinese leaves it active in this thread: every test
    # starts and ends in the default language, so that messages never depend on test order.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> None:
    # Rolled-back tests reuse primary keys, so the calendar cache's audit stamps repeat.
    from inodli.edc.visits.calendar import clear_calendar_cache

    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _audit_triggers_for_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush (DELETE FROM each table on SQLite), which the
    append-only trigger refuses: drop the triggers just before the flush, re-create them after
    set-up. Tests that use ``db`` (rolled-back transactions) keep the triggers throughout."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    marked_transactional = marker is not None and bool(
        marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    )
    transactional = marked_transactional or bool(names & {"transactional_db", "live_server"})
    if names & {"live_server", "transactional_db", "db"}:
        for name in ("live_server", "transactional_db", "db"):
            if name in names:
                request.getfixturevalue(name)
                break
    elif marker is not None:
        request.getfixturevalue("_django_db_helper")  # the marker's database set-up
    else:
        yield
        return
    from django.db import connection

    from inodli.edc.core.triggers import create_triggers, drop_triggers

    create_triggers(connection)  # idempotent; restores them after an earlier flush
    yield
    if transactional and connection.vendor == "sqlite":
        drop_triggers(connection)
