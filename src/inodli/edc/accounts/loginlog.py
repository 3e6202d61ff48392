"""The sign-in log as a filtered, paged list, newest first (21 CFR 11.300(d): attempted and
successful uses are recorded and reviewed).

Filters come from a URL's query string; a wrong value is refused with a message naming the
filter, the values allowed and the value received, never silently ignored (a reviewer who asked
for "failed logins" must not be shown every login instead). Dates are UTC calendar days, as
every time on the page is UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inodli.edc.accounts.models import LoginEvent
from inodli.edc.accounts.validation import bad_input, check_search_text

__all__ = ["PAGE_SIZE", "LoginFilter", "login_page", "parse_filter"]

PAGE_SIZE = 50
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

LABELS = {
    "user": gettext_lazy("User name contains"),
    "outcome": gettext_lazy("Outcome"),
    "date_from": gettext_lazy("From (UTC date)"),
    "date_to": gettext_lazy("To (UTC date)"),
    "page": gettext_lazy("Page"),
}


@dataclass(frozen=True)
class LoginFilter:
    """What the reviewer asked for; empty values filter nothing."""

    user: str = ""
    outcome: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def events(self) -> QuerySet[LoginEvent]:
        """The matching sign-in events, newest first."""
        events = LoginEvent.objects.order_by("-at", "-id")
        if self.user:
            events = events.filter(username__icontains=self.user)
        if self.outcome:
            events = events.filter(outcome=self.outcome)
        if self.date_from is not None:
            events = events.filter(at__gte=_midnight(self.date_from))
        if self.date_to is not None and self.date_to < dt.date.max:
            events = events.filter(at__lt=_midnight(self.date_to + dt.timedelta(days=1)))
        return events


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _date(field: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad_input(field, LABELS[field], _("a date YYYY-MM-DD, or nothing"), value) from None


def parse_filter(params: Mapping[str, str]) -> LoginFilter:
    """The filter in ``params`` (a query string). Raises ``ValidationError`` naming every wrong
    filter at once."""
    errors: dict[str, list[str]] = {}

    def keep(error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)

    user = outcome = ""
    date_from = date_to = None
    try:
        user = check_search_text("user", LABELS["user"], params.get("user", ""))
    except ValidationError as error:
        keep(error)
    outcome = str(params.get("outcome", "")).strip()
    if outcome and outcome not in LoginEvent.Outcome.values:
        allowed = _("one of %(values)s, or nothing") % {
            "values": ", ".join(LoginEvent.Outcome.values)
        }
        keep(bad_input("outcome", LABELS["outcome"], allowed, outcome))
    for field in ("date_from", "date_to"):
        try:
            day = _date(field, str(params.get(field, "")).strip())
        except ValidationError as error:
            keep(error)
            continue
        if field == "date_from":
            date_from = day
        else:
            date_to = day
    if date_from and date_to and date_to < date_from:
        allowed = _("a date on or after the From date (%(day)s)") % {"day": date_from}
        keep(bad_input("date_to", LABELS["date_to"], allowed, date_to.isoformat()))
    if errors:
        raise ValidationError(errors)
    return LoginFilter(user=user, outcome=outcome, date_from=date_from, date_to=date_to)


def login_page(chosen: LoginFilter, page: str | None) -> Page[LoginEvent]:
    """One page of the matching events. An empty result is one empty page; a page number out of
    range or not a number is refused."""
    paginator = Paginator(chosen.events(), PAGE_SIZE, allow_empty_first_page=True)
    text = (page or "1").strip()
    allowed = _("a whole number from 1 to %(last)d") % {"last": paginator.num_pages}
    if not text.isdecimal() or not 1 <= int(text) <= paginator.num_pages:
        raise bad_input("page", LABELS["page"], allowed, text)
    return paginator.page(int(text))
