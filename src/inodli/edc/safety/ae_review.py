"""The AE review of a visit: the interval it covers, the adverse events started or worsened in
that interval, and the rules that tie the answer to them.

At every visit whose schedule lists the ``ae`` form group (cycle 1 and 2 dosing days, the end of
cycle 1 and primary response assessments, DLI, intrathecal courses and every follow-up visit;
not screening) someone asks "Were any adverse events (new or worsened) experienced since the
last assessment?" (``AE_REVIEW``). The answer covers an *interval*: from the day after the
subject's previous AE review up to and including the review date (the first review covers
everything up to its date). An adverse event counts for the interval when it started in it, or
when one of its grade rows in it raises the grade above the row before (worsened).

"No" completes the visit's safety review. "Yes" expects at least one such adverse event. A
mismatch either way is not refused, since the review and the AE forms are entered in either
order, but raises a query (governance edit check ``AE_REVIEW_MATCHES_AES``), which
:func:`recheck_reviews_after_write` re-evaluates whenever an adverse event, a grade or another
review changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inodli.edc.safety.models import AdverseEvent, AdverseEventGrade, AdverseEventReview

__all__ = [
    "IntervalEvent",
    "answer_from_records",
    "check_one_review_per_visit",
    "events_in_interval",
    "recheck_reviews_after_write",
    "review_inconsistency",
    "review_interval",
    "visits_of",
]

STARTED, WORSENED = "started", "worsened"


@dataclass(frozen=True)
class IntervalEvent:
    """An adverse event that started, or worsened to a higher grade, on ``on``."""

    adverse_event: AdverseEvent
    on: dt.date
    change: str  # STARTED or WORSENED
    grade: int | None  # the grade from ``on`` (None when no grade row is recorded)

    def __str__(self) -> str:
        name = self.adverse_event.other_specify or self.adverse_event.term
        grade = f" (grade {self.grade})" if self.grade is not None else ""
        return f"{name} {self.change} {self.on.isoformat()}{grade}"


def _previous_review_date(subject_id: int, on: dt.date, exclude_pk: int | None) -> dt.date | None:
    reviews = AdverseEventReview.objects.filter(subject_id=subject_id, reviewed_on__lt=on)
    if exclude_pk is not None:
        reviews = reviews.exclude(pk=exclude_pk)
    return reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()


def review_interval(review: AdverseEventReview) -> tuple[dt.date | None, dt.date]:
    """``(after, through)``: the review covers the days after ``after`` (the previous review's
    date; None for the first review) up to and including ``through`` (its own date)."""
    return (
        _previous_review_date(review.subject_id, review.reviewed_on, review.pk),
        review.reviewed_on,
    )


def events_in_interval(
    subject: Any, after: dt.date | None, through: dt.date
) -> list[IntervalEvent]:
    """The subject's adverse events that started, or worsened, in ``(after, through]``.

    Worsened means a grade row dated in the interval whose grade is above the AE's grade just
    before it (the grade rows of :class:`~inodli.edc.safety.models.AdverseEventGrade`, in date
    order). Two queries, whatever the number of events.
    """

    def inside(day: dt.date) -> bool:
        return (after is None or day > after) and day <= through

    found = []
    events = AdverseEvent.objects.filter(subject=subject, started_on__lte=through).prefetch_related(
        "grades"
    )
    for event in events:
        rows: list[AdverseEventGrade] = list(event.grades.all())  # ordered by date, then id
        if inside(event.started_on):
            onset = rows[0].grade if rows else None
            found.append(IntervalEvent(event, event.started_on, STARTED, onset))
        for before, row in itertools.pairwise(rows):
            if row.grade > before.grade and inside(row.effective_on):
                found.append(IntervalEvent(event, row.effective_on, WORSENED, row.grade))
    return sorted(found, key=lambda item: (item.on, item.adverse_event.pk, item.change))


def answer_from_records(subject: Any, on: dt.date) -> str:
    """The answer the recorded adverse events support for a review dated ``on``: "yes" when
    one started or worsened since the subject's previous review, else "no"."""
    after = _previous_review_date(subject.pk, on, None)
    found = events_in_interval(subject, after, on)
    return AdverseEventReview.Answer.YES if found else AdverseEventReview.Answer.NO


def _interval_text(after: dt.date | None, through: dt.date) -> str:
    if after is None:
        return f"on or before {through.isoformat()} (no earlier AE review)"
    return f"after the previous AE review of {after.isoformat()} up to {through.isoformat()}"


def review_inconsistency(review: AdverseEventReview) -> str | None:
    """The query text when the answer disagrees with the AEs recorded in its interval, else
    None (the edit check ``AE_REVIEW_MATCHES_AES``)."""
    if review.reviewed_on is None or review.any_events not in AdverseEventReview.Answer.values:
        return None
    after, through = review_interval(review)
    found = events_in_interval(review.subject, after, through)
    interval = _interval_text(after, through)
    if review.any_events == AdverseEventReview.Answer.YES and not found:
        return (
            "The AE review answers Yes, but no adverse event started or worsened "
            f"{interval} is recorded: record the adverse event, or correct the answer."
        )
    if review.any_events == AdverseEventReview.Answer.NO and found:
        listed = "; ".join(str(item) for item in found)
        return (
            f"The AE review answers No, but adverse events started or worsened {interval} are "
            f"recorded ({listed}): correct the answer, or the adverse event's dates."
        )
    return None


def visits_of(subject: Any, on: dt.date) -> list[Any]:
    """The subject's scheduled visits that expect an AE review and whose window holds ``on``."""
    from inodli.edc.visits.calendar import visits_expecting

    return [
        visit
        for visit in visits_expecting(subject, AdverseEventReview.form_code)
        if visit.window_start <= on <= visit.window_end
    ]


def check_one_review_per_visit(review: AdverseEventReview) -> None:
    """Refuse a second AE review of the same day, or of a visit that already has one.

    A review belongs to every visit whose window holds its date (windows of an intrathecal
    course and a follow-up visit may overlap). It is refused when each of those visits already
    has another review in its window; a review outside every window (an unscheduled visit) is
    accepted, once per day.
    """
    others = list(
        AdverseEventReview.objects.filter(subject_id=review.subject_id)
        .exclude(pk=review.pk)
        .values_list("reviewed_on", flat=True)
    )
    on = review.reviewed_on
    if on in others:
        raise ValidationError(
            {
                "reviewed_on": _(
                    "An adverse event review dated %(date)s is already recorded for this "
                    "subject: edit that review instead."
                )
                % {"date": on.isoformat()}
            }
        )
    if not others:
        return
    visits = visits_of(review.subject, on)
    taken = {
        visit.code: min(day for day in others if visit.window_start <= day <= visit.window_end)
        for visit in visits
        if any(visit.window_start <= day <= visit.window_end for day in others)
    }
    if visits and all(visit.code in taken for visit in visits):
        visit = visits[0]
        raise ValidationError(
            {
                "reviewed_on": _(
                    "The adverse event review of visit %(visit)s (window %(start)s to %(end)s) "
                    "is already recorded, dated %(date)s: edit that review instead."
                )
                % {
                    "visit": visit.code,
                    "start": visit.window_start.isoformat(),
                    "end": visit.window_end.isoformat(),
                    "date": taken[visit.code].isoformat(),
                }
            }
        )


def _changed_dates(record: Any, event: Any) -> list[dt.date]:
    """The record's clinical date now and, from the audit event, before the change."""
    field = record.event_date_field
    dates = [record.event_date()]
    old = (getattr(event, "changes", None) or {}).get(field, [None])[0]
    if old:
        dates.append(dt.date.fromisoformat(old))
    return [day for day in dates if day is not None]


def recheck_reviews_after_write(record: Any, user: Any, action: str, event: Any, now: Any) -> None:
    """Core write hook: re-run the AE review check of the reviews a write may concern.

    An adverse event or grade row changes what the reviews on or after its date should answer;
    a review changes the interval of the reviews after it (its own check runs in the
    governance hook). Every such review is re-evaluated, so a query opens or closes as soon as
    the data agree or disagree, whatever the order of entry.
    """
    if not isinstance(record, AdverseEvent | AdverseEventGrade | AdverseEventReview):
        return
    if not apps.is_installed("inodli.edc.governance"):
        return
    from inodli.edc.governance.editchecks import run_record

    dates = _changed_dates(record, event)
    if not dates:
        return
    reviews = AdverseEventReview.objects.filter(
        subject_id=record.subject_id, reviewed_on__gte=min(dates)
    ).order_by("reviewed_on")
    if isinstance(record, AdverseEventReview):
        reviews = reviews.exclude(reviewed_on=record.reviewed_on)
    for review in reviews:
        run_record(review, user, now)
