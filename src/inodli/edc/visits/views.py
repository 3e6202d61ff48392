"""The study dashboard: subjects, their status and overdue visits."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from inodli.edc.core.views import StudyMemberMixin
from inodli.edc.subjects.models import Enrolment, Subject


class DashboardView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        enrolments = {e.subject_id: e for e in Enrolment.objects.all()}
        rows = [(subject, enrolments.get(subject.pk)) for subject in Subject.objects.all()]
        return render(request, "visits/dashboard.html", {"rows": rows, "overdue": []})
