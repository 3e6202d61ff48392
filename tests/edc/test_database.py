"""Storage: the database DATABASE_URL names, and concurrent saves that never lose an update."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import close_old_connections, connection

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import StaleVersionError, save_record
from inodli.edc.subjects.models import Consent
from tests.edc.factories import consented_subject


@pytest.mark.django_db
def test_it_uses_the_database_vendor_that_DATABASE_URL_names():
    url = os.environ.get("DATABASE_URL", "sqlite:///inodli.sqlite3")
    expected = (
        "postgresql" if url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"} else "sqlite"
    )
    assert connection.vendor == expected


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_simultaneous_saves_win(personas):
    subject = consented_subject(personas.nurse)
    consent_pk = Consent.objects.get(subject=subject).pk
    barrier = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def edit(user, field: str, value: str) -> None:
        try:
            record = Consent.objects.get(pk=consent_pk)  # both open version 1
            setattr(record, field, value)
            barrier.wait()
            save_record(record, user, reason=f"set {field}")
            outcomes[user.username] = "saved"
        except StaleVersionError:
            outcomes[user.username] = "stale"
        except Exception as error:  # pragma: no cover - reported by the assertion below
            outcomes[user.username] = f"error: {error!r}"
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(personas.nurse, "obtained_by", "Dr Wang")),
        threading.Thread(target=edit, args=(personas.investigator, "consent_version", "2.0")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes.values()) == ["saved", "stale"], outcomes
    stored = Consent.objects.get(pk=consent_pk)
    assert stored.version == 2
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    # the winner's change is stored and audited; the loser changed nothing
    assert (stored.obtained_by == "Dr Wang") == (winner == "nurse")
    assert (stored.consent_version == "2.0") == (winner == "investigator")
    updates = AuditEvent.objects.filter(model_label="subjects.consent", action="update")
    assert [event.username for event in updates] == [winner]
