"""The sign-in log page: newest first, filters, pages, and a clear refusal of a wrong filter.

The events are written here with known times (UTC), so the expected rows follow from the
filter's definition (dates are whole UTC days, both ends included)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from inodli.edc.accounts import loginlog
from inodli.edc.accounts.models import LoginEvent
from tests.edc.personas import PersonaTest

DAY = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)


def log(username: str, outcome: str, at: dt.datetime) -> LoginEvent:
    return LoginEvent.objects.create(at=at, username=username, outcome=outcome, address="10.0.0.7")


def rows(page: str) -> list[str]:
    """The user names of the table rows, top to bottom."""
    return re.findall(r'<tr><td>[^<]*</td><td>([^<]*)</td><td class="outcome-', page)


class TestLoginLog(PersonaTest):
    @pytest.fixture(autouse=True)
    def _events(self) -> None:
        log("nurse", "login", DAY)  # 2026-11-20 23:30 UTC
        log("nurse", "failed", DAY + dt.timedelta(hours=1))  # 2026-11-21 00:30 UTC
        log("monitor", "login", DAY + dt.timedelta(days=1))  # 2026-11-21 23:30 UTC
        log("Nurse2", "lockout", DAY + dt.timedelta(days=2))  # 2026-11-22 23:30 UTC

    def test_it_lists_newest_first(self, client) -> None:
        client.force_login(self.data_manager)  # that sign-in is logged too: newest
        page = client.get("/accounts/logins/").content.decode()
        assert rows(page) == ["data_manager", "Nurse2", "monitor", "nurse", "nurse"]

    def test_it_filters_by_user_outcome_and_utc_dates(self, client) -> None:
        client.force_login(self.administrator)
        by_user = client.get("/accounts/logins/", {"user": "nurse"}).content.decode()
        assert rows(by_user) == ["Nurse2", "nurse", "nurse"]  # contains, any case
        failed = client.get("/accounts/logins/", {"outcome": "failed"}).content.decode()
        assert rows(failed) == ["nurse"]
        one_day = {"date_from": "2026-11-21", "date_to": "2026-11-21"}
        assert rows(client.get("/accounts/logins/", one_day).content.decode()) == [
            "monitor",
            "nurse",
        ]

    def test_it_refuses_wrong_filters_naming_field_allowed_and_received(self, client) -> None:
        client.force_login(self.administrator)
        response = client.get(
            "/accounts/logins/",
            {"outcome": "hacked", "date_from": "21/11/2026", "user": "nurse\x00"},
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert 'id="errors-outcome"' in page
        assert (
            "Outcome: expected one of login, failed, locked, lockout, logout, timeout, or "
            "nothing; received “hacked”."
        ) in page
        assert 'id="errors-date_from"' in page
        assert "expected a date YYYY-MM-DD, or nothing; received “21/11/2026”." in page
        assert 'id="errors-user"' in page
        assert "received “nurse\\x00”" in page
        assert 'id="login-log"' not in page  # no list that would look like an answer

    def test_it_refuses_a_date_range_that_ends_before_it_starts(self, client) -> None:
        client.force_login(self.administrator)
        response = client.get(
            "/accounts/logins/", {"date_from": "2026-11-22", "date_to": "2026-11-21"}
        )
        assert response.status_code == 400
        assert (
            "To (UTC date): expected a date on or after the From date (2026-11-22); "
            "received “2026-11-21”."
        ) in response.content.decode()

    def test_it_pages_the_log_and_refuses_a_page_out_of_range(self, client, monkeypatch) -> None:
        monkeypatch.setattr(loginlog, "PAGE_SIZE", 2)
        client.force_login(self.administrator)  # five events in all: three pages of two
        second = client.get("/accounts/logins/", {"page": "2"}).content.decode()
        assert rows(second) == ["monitor", "nurse"]
        assert "Page 2 of 3" in second
        response = client.get("/accounts/logins/", {"page": "4"})
        assert response.status_code == 400
        assert "Page: expected a whole number from 1 to 3; received “4”." in (
            response.content.decode()
        )

    def test_it_keeps_the_filter_on_the_page_links(self, client, monkeypatch) -> None:
        monkeypatch.setattr(loginlog, "PAGE_SIZE", 1)
        client.force_login(self.administrator)
        page = client.get("/accounts/logins/", {"user": "nurse"}).content.decode()
        assert 'href="?user=nurse&amp;page=2"' in page
