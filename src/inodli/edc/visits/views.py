"""The study dashboard: every subject with its status, and the overdue visits across subjects."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from inodli.edc.core.views import StudyMemberMixin
from inodli.edc.subjects.models import Subject, attach_study_ids
from inodli.edc.visits.calendar import calendars_for, latest_statuses

OVERDUE_SHOWN = 50


class DashboardView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        subjects = list(Subject.objects.all())
        enrolments = attach_study_ids(subjects)
        statuses = latest_statuses([s.pk for s in subjects])
        calendars = calendars_for(subjects, today)
        overdue = [
            {"subject": cal.subject, "visit": row.visit, "missing": row.missing}
            for cal in calendars
            for row in cal.overdue
        ]
        overdue.sort(
            key=lambda item: (item["visit"].window_end, str(item["subject"])), reverse=True
        )
        overdue_total = len(overdue)
        overdue = overdue[:OVERDUE_SHOWN]  # the most recent; each subject's page lists all
        rows = [
            {
                "subject": cal.subject,
                "enrolment": enrolments.get(cal.subject.pk),
                "status": statuses.get(cal.subject.pk),
                "first_dose": cal.first_dose,
                "overdue": len(cal.overdue),
                "next_visit": next(
                    (r.visit for r in cal.rows if r.visit.window_end >= today), None
                ),
            }
            for cal in calendars
        ]
        context = {"rows": rows, "overdue": overdue, "overdue_total": overdue_total, "today": today}
        return render(request, "visits/dashboard.html", context)
