from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inodli.edc.core.roles import Role
from inodli.edc.governance.models import NeverDeletedError, Query, QueryEvent
from inodli.edc.governance.queries import (
    answer_query,
    close_query,
    open_query,
    query_dashboard,
    reopen_query,
)
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


class TestQueryLife(PersonaTest):
    def test_it_goes_open_answered_closed_reopened_with_every_step_kept(self) -> None:
        subject = enrolled_subject(self.nurse)
        query = open_query(self.monitor, subject, "Weight differs from source", now=T0)
        assert query.status == "open"
        assert query.assigned_role == Role.NURSE
        answer_query(self.nurse, query, "Corrected from the ward chart", now=T0)
        assert query.status == "answered"
        close_query(self.monitor, query, "Agreed", now=T0)
        assert query.status == "closed"
        reopen_query(self.data_manager, query, "Source shows another value", now=T0)
        assert query.status == "open"
        actions = list(
            QueryEvent.objects.filter(query=query).values_list("action", "user__username")
        )
        assert actions == [
            ("open", "monitor"),
            ("answer", "nurse"),
            ("close", "monitor"),
            ("reopen", "data_manager"),
        ]

    def test_it_lets_only_monitor_and_data_manager_raise(self) -> None:
        subject = enrolled_subject(self.nurse)
        for user in (self.nurse, self.investigator, self.statistician, self.outsider):
            with pytest.raises(PermissionDenied):
                open_query(user, subject, "?")

    def test_it_lets_the_site_answer_but_not_the_monitor_or_statistician(self) -> None:
        query = open_query(self.monitor, enrolled_subject(self.nurse), "?")
        for user in (self.monitor, self.statistician, self.outsider):
            with pytest.raises(PermissionDenied):
                answer_query(user, query, "x")

    def test_it_refuses_an_answer_to_a_closed_query_and_empty_text(self) -> None:
        query = open_query(self.monitor, enrolled_subject(self.nurse), "?")
        with pytest.raises(ValidationError):
            answer_query(self.nurse, query, "   ")
        close_query(self.monitor, query)
        with pytest.raises(ValidationError):
            answer_query(self.nurse, query, "late")

    def test_it_never_deletes_a_query(self) -> None:
        query = open_query(self.monitor, enrolled_subject(self.nurse), "?")
        with pytest.raises(NeverDeletedError):
            query.delete()
        with pytest.raises(NeverDeletedError):
            Query.objects.all().delete()
        assert Query.objects.count() == 1

    def test_it_counts_by_status_and_age(self) -> None:
        subject = enrolled_subject(self.nurse)
        today = dt.date(2026, 4, 1)
        open_query(self.monitor, subject, "new", now=dt.datetime(2026, 3, 30, tzinfo=dt.UTC))
        old = open_query(self.monitor, subject, "old", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        answer_query(self.nurse, old, "done")
        gone = open_query(self.monitor, subject, "x", now=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
        close_query(self.monitor, gone)
        board = query_dashboard(today)
        # 2 days old -> 0-7; 90 days old (answered) -> > 30; the closed one is not aged
        assert board.by_status == {"open": 1, "answered": 1, "closed": 1}
        assert board.by_age == {"0-7 days": 1, "8-30 days": 0, "> 30 days": 1}
