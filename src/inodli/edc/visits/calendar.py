"""The visit calendar of a subject, with each form's status derived from the records.

The visits and their windows come from :func:`inodli.protocol.schedule.visit_schedule`
(Day 1 = the first InO dose); the schedule names form groups (``labs``, ``ino_admin``, ...),
and :data:`SCHEDULE_FORMS` says which registered EDC forms fill each group. A status is never
stored: it is computed here from the schedule, the records and today's date.

* ``entered``: a record of the form is dated inside the visit's closed window;
* ``not_required``: the visit is conditional (DLI, optional IT courses), or the subject left the
  study (a status change other than "off treatment", or a recorded death) before the window opened;
* ``missed``: the window has closed without a record;
* ``required``: the window is open or still ahead.

The ``ae`` group is filled by the visit's AE review (``AE_REVIEW``: "were any adverse events,
new or worsened, experienced since the last assessment?"), not by adverse event records: a visit
at which nobody asked about adverse events is missing its review, whether or not AEs occurred.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from inodli.edc.core.registry import FormSpec, all_forms
from inodli.protocol.schedule import Visit, visit_schedule

__all__ = [
    "SCHEDULE_FORMS",
    "FormStatus",
    "SubjectCalendar",
    "VisitRow",
    "calendar_for_page",
    "calendars_for",
    "clear_calendar_cache",
    "latest_statuses",
    "register_anchor",
    "subject_calendar",
    "visits_expecting",
]

#: Schedule form group -> EDC form codes that fill it (any one of them counts as entered).
SCHEDULE_FORMS: dict[str, tuple[str, ...]] = {
    "eligibility": ("ELIGIBILITY",),
    "vitals": ("BODY",),
    "labs": ("LABS",),
    "marrow": ("MARROW",),
    "response": ("RESPONSE",),
    "ino_admin": ("INO_ADMIN",),
    "ae": ("AE_REVIEW",),  # the visit's AE review; AE records are a log, dated when they occur
    "agvhd": ("AGVHD",),
    "cgvhd": ("CGVHD",),
    "dli": ("DLI",),
    "it": ("IT",),
    "survival": ("SURVIVAL",),
}

#: Statuses in display order.
STATUSES = ("entered", "required", "missed", "not_required")

#: What the calendar shows for each status (translated when rendered).
STATUS_LABELS = {
    "entered": _("entered"),
    "required": _("required"),
    "missed": _("missed"),
    "not_required": _("not required"),
}

# Anchors of a subject's schedule, provided by the apps that own the records:
# "first_dose" -> date | None, "remission_date" -> date | None, "cycle1_days" -> 21 | 28 | None.
_ANCHORS: dict[str, Callable[[Any], Any]] = {}


def register_anchor(name: str, provider: Callable[[Any], Any]) -> None:
    """Let an app say how to find ``first_dose``, ``remission_date`` or ``cycle1_days``."""
    if name not in {"first_dose", "remission_date", "cycle1_days"}:
        raise ValueError(f"unknown schedule anchor {name!r}")
    _ANCHORS[name] = provider


@dataclass(frozen=True)
class FormStatus:
    group: str  # the schedule's form group, e.g. "labs"
    codes: tuple[str, ...]  # EDC form codes that fill it
    status: str  # one of STATUSES
    records: int  # records dated in the window

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    forms: tuple[FormStatus, ...]

    @functools.cached_property
    def missing(self) -> list[str]:
        return [f.group for f in self.forms if f.status == "missed"]

    @property
    def overdue(self) -> bool:
        return bool(self.missing)

    @property
    def status(self) -> str:
        statuses = {f.status for f in self.forms}
        for status in ("missed", "required", "entered"):
            if status in statuses:
                return status
        return "not_required"


@dataclass(frozen=True)
class SubjectCalendar:
    subject: Any
    first_dose: dt.date | None
    rows: tuple[VisitRow, ...]

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def overdue(self) -> list[VisitRow]:
        return [row for row in self.rows if row.overdue]


def _remission_from_treatment(subject: Any) -> dt.date | None:
    """The first documented CR/CRi, as the treatment app reads it (it owns that rule)."""
    from django.apps import apps

    if not apps.is_installed("inodli.edc.treatment"):
        return None
    from inodli.edc.treatment.intrathecal import remission_date

    return remission_date(subject)


def _anchor(name: str, subject: Any, dates: dict[tuple[str, int], list[dt.date]]) -> Any:
    provider = _ANCHORS.get(name)
    if provider is not None:
        return provider(subject)
    if name == "first_dose":  # Day 1 is the first InO administration
        return min(dates.get(("INO_ADMIN", subject.pk), ()), default=None)
    if name == "remission_date":
        return _remission_from_treatment(subject)
    return None


def _calendar_specs() -> list[FormSpec]:
    """The forms the calendar reads: those the schedule names, the first dose and death."""
    wanted = {code for codes in SCHEDULE_FORMS.values() for code in codes} | {"INO_ADMIN", "DEATH"}
    return [spec for spec in all_forms() if spec.code in wanted]


@functools.lru_cache(maxsize=4096)
def _schedule(first_dose: dt.date, cycle1_days: int, remission: dt.date | None) -> Any:
    # visit_schedule is a pure function of these three values: compute each schedule once.
    return visit_schedule(first_dose, cycle1_days=cycle1_days, remission_date=remission)


def _record_dates(
    specs: Iterable[FormSpec], subject_ids: list[int]
) -> dict[tuple[str, int], list[dt.date]]:
    """One query per form: every record date of the given subjects."""
    dates: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    for spec in specs:
        field = spec.model.event_date_field
        if field is None or spec.entered is not None:
            continue
        rows = spec.model._default_manager.filter(subject_id__in=subject_ids).values_list(
            "subject_id", field
        )
        for subject_id, value in rows:
            if value is not None:
                dates[(spec.code, subject_id)].append(
                    value.date() if isinstance(value, dt.datetime) else value
                )
    return dates


def _count(
    spec: FormSpec, subject: Any, visit: Visit, dates: dict[tuple[str, int], list[dt.date]]
) -> int:
    if spec.entered is not None:
        return spec.entered_between(subject, visit.window_start, visit.window_end).count()
    return sum(
        visit.window_start <= d <= visit.window_end for d in dates.get((spec.code, subject.pk), ())
    )


def _off_study_date(status: Any) -> dt.date | None:
    if status is None or status.status == "off_treatment":
        return None
    return status.effective_on


def latest_statuses(subject_ids: list[int]) -> dict[int, Any]:
    from inodli.edc.subjects.models import StudyStatusChange

    latest: dict[int, Any] = {}
    for change in StudyStatusChange.objects.filter(subject_id__in=subject_ids).order_by(
        "effective_on", "id"
    ):
        latest[change.subject_id] = change
    return latest


def _subject_schedule(
    subject: Any, first_dose: dt.date, dates: dict[tuple[str, int], list[dt.date]]
) -> Any:
    remission = _anchor("remission_date", subject, dates)
    return _schedule(
        first_dose,
        _anchor("cycle1_days", subject, dates) or 21,
        remission if remission is not None and remission > first_dose else None,
    )


def visits_expecting(subject: Any, form_code: str) -> tuple[Visit, ...]:
    """The subject's scheduled visits whose form groups ``form_code`` fills (no statuses).

    Empty before the first InO dose. Conditional visits are included: a record may be entered
    for them, it is only not required. Used by rules that need the visits and their windows,
    such as one AE review per visit (:mod:`inodli.edc.safety.ae_review`).
    """
    groups = {group for group, codes in SCHEDULE_FORMS.items() if form_code in codes}
    first_dose_specs = [spec for spec in all_forms() if spec.code == "INO_ADMIN"]
    dates = _record_dates(first_dose_specs, [subject.pk])
    first_dose = _anchor("first_dose", subject, dates)
    if first_dose is None or not groups:
        return ()
    schedule = _subject_schedule(subject, first_dose, dates)
    return tuple(visit for visit in schedule.visits if groups & set(visit.forms))


def _calendar(
    subject: Any, today: dt.date, dates: dict[tuple[str, int], list[dt.date]], status: Any
) -> SubjectCalendar:
    first_dose = _anchor("first_dose", subject, dates)
    if first_dose is None:
        return SubjectCalendar(subject, None, ())
    schedule = _subject_schedule(subject, first_dose, dates)
    specs = {spec.code: spec for spec in all_forms()}
    left_on = min(
        (
            d
            for d in (_off_study_date(status), *dates.get(("DEATH", subject.pk), ()))
            if d is not None
        ),
        default=None,
    )
    rows = []
    for visit in schedule.visits:
        statuses = []
        for group in visit.forms:
            codes = tuple(code for code in SCHEDULE_FORMS.get(group, ()) if code in specs)
            count = sum(_count(specs[code], subject, visit, dates) for code in codes)
            if count:
                status = "entered"
            elif (
                not codes
                or visit.conditional
                or (left_on is not None and left_on < visit.window_start)
            ):
                status = "not_required"
            elif visit.window_end < today:
                status = "missed"
            else:
                status = "required"
            statuses.append(FormStatus(group, codes, status, count))
        rows.append(VisitRow(visit, tuple(statuses)))
    return SubjectCalendar(subject, first_dose, tuple(rows))


def _dates_from_records(
    subject: Any, records: dict[str, list[Any]]
) -> dict[tuple[str, int], list[dt.date]]:
    dates: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    for spec in all_forms():
        field = spec.model.event_date_field
        if field is None or spec.entered is not None:
            continue
        for record in records.get(spec.code, ()):
            value = getattr(record, field)
            if value is not None:
                dates[(spec.code, subject.pk)].append(
                    value.date() if isinstance(value, dt.datetime) else value
                )
    return dates


def subject_calendar(
    subject: Any, today: dt.date | None = None, *, records: dict[str, list[Any]] | None = None
) -> SubjectCalendar:
    """The calendar of one subject; empty until the first InO dose is recorded.

    ``records`` (form code -> the subject's records), when the caller has loaded them already
    (the subject page), saves reading the record dates again.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    if records is None:
        dates = _record_dates(_calendar_specs(), [subject.pk])
    else:
        dates = _dates_from_records(subject, records)
    return _calendar(subject, today, dates, latest_statuses([subject.pk]).get(subject.pk))


# Calendars by subject, valid while the subject's audit events are the same: every write goes
# through the audited service layer, so a new audit event is exactly "something changed". The
# stamp is (number of events, latest id): the trail is append-only, so the same count means the
# same events, even when concurrent PostgreSQL transactions commit out of id order.
Stamp = tuple[int, int]
_CACHE: dict[int, tuple[tuple[Stamp, dt.date], SubjectCalendar]] = {}
_CACHE_LOCK = threading.Lock()


def clear_calendar_cache() -> None:
    """Forget every cached calendar (tests; after restoring a database into a running server)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _audit_stamps(subject_ids: list[int]) -> dict[int, Stamp]:
    from django.db.models import Count, Max

    from inodli.edc.core.models import AuditEvent

    rows = (
        AuditEvent.objects.filter(subject_id__in=subject_ids)
        .values("subject_id")
        .annotate(events=Count("id"), latest=Max("id"))
        .values_list("subject_id", "events", "latest")
    )
    return {subject_id: (events, latest) for subject_id, events, latest in rows}


def calendar_for_page(
    subject: Any, records: dict[str, list[Any]], today: dt.date | None = None
) -> SubjectCalendar:
    """The subject page's calendar: the cached one while nothing changed, else computed from
    the records the page has loaded (form code -> records; ``STATUS`` newest first)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    key = (_audit_stamps([subject.pk]).get(subject.pk, (0, 0)), today)
    with _CACHE_LOCK:
        cached = _CACHE.get(subject.pk)
    if cached is not None and cached[0] == key:
        return replace(cached[1], subject=subject)
    changes = records.get("STATUS")
    status = changes[0] if changes else None
    calendar = _calendar(subject, today, _dates_from_records(subject, records), status)
    with _CACHE_LOCK:
        _CACHE[subject.pk] = (key, calendar)
    return calendar


def calendars_for(subjects: list[Any], today: dt.date | None = None) -> list[SubjectCalendar]:
    """Calendars of many subjects, reading each form's record dates once for all of them.

    A subject's calendar is recomputed only when an audit event was written for it since the
    last computation (or the date changed).
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    stamps = _audit_stamps([s.pk for s in subjects])
    result: dict[int, SubjectCalendar] = {}
    with _CACHE_LOCK:
        for subject in subjects:
            cached = _CACHE.get(subject.pk)
            if cached is not None and cached[0] == (stamps.get(subject.pk, (0, 0)), today):
                result[subject.pk] = replace(cached[1], subject=subject)
    stale = [s for s in subjects if s.pk not in result]
    if stale:
        ids = [s.pk for s in stale]
        dates = _record_dates(_calendar_specs(), ids)
        statuses = latest_statuses(ids)
        with _CACHE_LOCK:
            if len(_CACHE) > 10_000:
                _CACHE.clear()
            for subject in stale:
                calendar = _calendar(subject, today, dates, statuses.get(subject.pk))
                _CACHE[subject.pk] = ((stamps.get(subject.pk, (0, 0)), today), calendar)
                result[subject.pk] = calendar
    return [result[s.pk] for s in subjects]
