"""Queries: opened by hand (monitor, data manager) or by an edit check, answered by the site,
closed or reopened; assigned to a role; never deleted. Every step is a :class:`QueryEvent`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inodli.edc.core.roles import Role
from inodli.edc.governance.models import Query, QueryEvent
from inodli.edc.governance.permissions import Action, require

__all__ = [
    "AGE_BANDS",
    "QueryDashboard",
    "answer_query",
    "close_query",
    "open_query",
    "query_dashboard",
    "reopen_query",
]


def _text(text: str, field: str = "text") -> str:
    if not (text and text.strip()):
        raise ValidationError({field: [_("Write the text of the query or answer.")]})
    return text.strip()


def _step(query: Query, user: Any, action: str, text: str, status: str, now: dt.datetime) -> Query:
    with transaction.atomic():
        current = Query.objects.select_for_update().get(pk=query.pk)
        allowed_from = {
            QueryEvent.Action.ANSWER: {Query.Status.OPEN},
            QueryEvent.Action.CLOSE: {Query.Status.OPEN, Query.Status.ANSWERED},
            QueryEvent.Action.REOPEN: {Query.Status.ANSWERED, Query.Status.CLOSED},
        }[QueryEvent.Action(action)]
        if current.status not in allowed_from:
            raise ValidationError(
                {
                    "status": [
                        _("A query that is %(status)s cannot be %(action)s.")
                        % {
                            "status": current.get_status_display(),
                            "action": QueryEvent.Action(action).label,
                        }
                    ]
                }
            )
        Query.objects.filter(pk=query.pk).update(status=status, status_changed_at=now)
        QueryEvent.objects.create(query=current, at=now, user=user, action=action, text=text)
    query.refresh_from_db()
    return query


def open_query(
    user: Any,
    subject: Any,
    text: str,
    *,
    record: Any = None,
    field_name: str = "",
    assigned_role: Role = Role.NURSE,
    check_code: str = "",
    now: dt.datetime | None = None,
) -> Query:
    """Open a query on a subject (optionally on one record and field).

    A query from an edit check (``check_code``) is opened on behalf of the user whose entry
    triggered it and needs no permission; a query by hand needs :attr:`Action.RAISE_QUERY`.
    """
    if not check_code:
        require(user, Action.RAISE_QUERY)
    now = now or timezone.now()
    body = _text(text)
    with transaction.atomic():
        query = Query.objects.create(
            subject=subject,
            form_code=getattr(record, "form_code", "") if record is not None else "",
            model_label=record._meta.label_lower if record is not None else "",
            object_pk=str(record.pk) if record is not None else "",
            field_name=field_name,
            text=body,
            origin=Query.Origin.EDIT_CHECK if check_code else Query.Origin.MANUAL,
            check_code=check_code,
            assigned_role=Role(assigned_role).value,
            status=Query.Status.OPEN,
            opened_at=now,
            opened_by=user,
            status_changed_at=now,
        )
        QueryEvent.objects.create(
            query=query, at=now, user=user, action=QueryEvent.Action.OPEN, text=body
        )
    return query


def answer_query(user: Any, query: Query, text: str, *, now: dt.datetime | None = None) -> Query:
    """The site answers (data-entry roles)."""
    require(user, Action.ANSWER_QUERY)
    return _step(query, user, "answer", _text(text), Query.Status.ANSWERED, now or timezone.now())


def close_query(
    user: Any, query: Query, text: str = "", *, now: dt.datetime | None = None, system: bool = False
) -> Query:
    """Close (monitor or data manager; ``system`` for an edit check resolved by a correction)."""
    if not system:
        require(user, Action.CLOSE_QUERY)
    return _step(query, user, "close", text.strip(), Query.Status.CLOSED, now or timezone.now())


def reopen_query(user: Any, query: Query, text: str, *, now: dt.datetime | None = None) -> Query:
    """Reopen an answered or closed query with a reason (monitor or data manager)."""
    require(user, Action.CLOSE_QUERY)
    return _step(query, user, "reopen", _text(text), Query.Status.OPEN, now or timezone.now())


#: Age bands of the dashboard, in days since the query was opened: [low, high).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7 days", 0, 8),
    ("8-30 days", 8, 31),
    ("> 30 days", 31, None),
)


@dataclass(frozen=True)
class QueryDashboard:
    """Counts by status, and by age band for the queries not closed."""

    by_status: dict[str, int]
    by_age: dict[str, int]
    total: int


def query_dashboard(today: dt.date, queryset: Any = None) -> QueryDashboard:
    """Count queries by status and, for open or answered ones, by age on ``today``."""
    rows = list(
        (queryset if queryset is not None else Query.objects.all()).values_list(
            "status", "opened_at"
        )
    )
    by_status = {status.value: 0 for status in Query.Status}
    by_age = {label: 0 for label, _low, _high in AGE_BANDS}
    for status, opened_at in rows:
        by_status[status] += 1
        if status == Query.Status.CLOSED:
            continue
        age = (today - opened_at.astimezone(dt.UTC).date()).days
        for label, low, high in AGE_BANDS:
            if age >= low and (high is None or age < high):
                by_age[label] += 1
    return QueryDashboard(by_status=by_status, by_age=by_age, total=len(rows))
