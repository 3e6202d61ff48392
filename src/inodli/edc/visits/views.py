"""The study dashboard: every subject with its status, and the overdue visits across subjects."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from inodli.edc.core.fragments import render_fragment
from inodli.edc.core.views import StudyMemberMixin
from inodli.edc.subjects.models import Subject, attach_study_ids
from inodli.edc.visits.calendar import calendars_for, latest_statuses
from inodli.protocol.schedule import Visit

OVERDUE_SHOWN = 50


class SubjectRow(NamedTuple):
    url: str
    study_id: str | None
    screening_number: str
    initials: str
    status: str  # the latest status change, "" while on study or in screening
    first_dose: dt.date | None
    overdue: int
    next_visit: Visit | None


class OverdueVisit(NamedTuple):
    url: str
    subject: str
    visit: Visit
    missing: tuple[str, ...]


class DashboardView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        subjects = list(Subject.objects.all())
        attach_study_ids(subjects)
        statuses = latest_statuses([s.pk for s in subjects])
        calendars = calendars_for(subjects, today)
        overdue = [
            OverdueVisit(
                cal.subject.get_absolute_url(), str(cal.subject), row.visit, tuple(row.missing)
            )
            for cal in calendars
            for row in cal.overdue
        ]
        overdue.sort(key=lambda item: (item.visit.window_end, item.subject), reverse=True)
        overdue_total = len(overdue)
        overdue = overdue[:OVERDUE_SHOWN]  # the most recent; each subject's page lists all
        rows = tuple(
            SubjectRow(
                url=cal.subject.get_absolute_url(),
                study_id=cal.subject.study_id,
                screening_number=cal.subject.screening_number,
                initials=cal.subject.initials,
                status=(
                    str(statuses[cal.subject.pk].get_status_display())
                    if cal.subject.pk in statuses
                    else ""
                ),
                first_dose=cal.first_dose,
                overdue=len(cal.overdue),
                next_visit=next((r.visit for r in cal.rows if r.visit.window_end >= today), None),
            )
            for cal in calendars
        )
        # Rendered once per distinct content: a saved record rarely changes these tables.
        tables = render_fragment(
            "visits/_dashboard_tables.html",
            rows=rows,
            overdue=tuple(overdue),
            overdue_total=overdue_total,
        )
        return render(request, "visits/dashboard.html", {"tables": tables, "today": today})
