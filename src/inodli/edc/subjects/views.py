"""Subject list, registration for screening and the per-subject page."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from inodli.edc.core.fragments import render_fragment
from inodli.edc.core.registry import all_forms
from inodli.edc.core.roles import can_enter_data
from inodli.edc.core.views import DataEntryMixin, StudyMemberMixin
from inodli.edc.subjects.forms import SubjectRegistrationForm
from inodli.edc.subjects.models import Subject, attach_study_ids
from inodli.edc.visits.calendar import calendar_for_page


class FormSection(NamedTuple):
    code: str
    title: str
    repeating: bool


class RecordLink(NamedTuple):
    pk: int
    text: str


class SubjectListView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        subjects = list(Subject.objects.all())
        enrolments = attach_study_ids(subjects)
        rows = [(subject, enrolments.get(subject.pk)) for subject in subjects]
        return render(request, "subjects/subject_list.html", {"rows": rows})


class SubjectRegisterView(DataEntryMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "subjects/subject_register.html", {"form": SubjectRegistrationForm()}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubjectRegistrationForm(request.POST)
        if form.commit(request.user):
            messages.success(
                request,
                _("Registered for screening as %(number)s.")
                % {"number": form.instance.screening_number},
            )
            return redirect("subjects:detail", form.instance.pk)
        return render(request, "subjects/subject_register.html", {"form": form}, status=422)


class SubjectDetailView(StudyMemberMixin, View):
    """Everything about one subject: forms with their records, the visit calendar."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject = get_object_or_404(Subject, pk=pk)
        sections = [(spec, list(spec.records(subject))) for spec in all_forms()]
        records = {spec.code: rows for spec, rows in sections}
        enrolments = records.get("ENROLMENT", [])
        subject._study_id = enrolments[0].study_id if enrolments else None  # no second query
        consents = records.get("CONSENT", [])
        changes = records.get("STATUS", [])  # newest first
        calendar = calendar_for_page(subject, records)
        forms_list = tuple(
            (
                FormSection(spec.code, str(spec.title), spec.repeating),
                tuple(RecordLink(record.pk, str(record)) for record in rows),
            )
            for spec, rows in sections
        )
        context: dict[str, Any] = {
            "subject": subject,
            "sections": sections,
            "status": changes[0] if changes else None,
            "consent": consents[-1] if consents else None,  # the first consent
            "calendar": calendar,
            # Rendered once per distinct content: most visits find the same calendar and forms.
            "calendar_table": render_fragment("visits/_calendar.html", rows=calendar.rows),
            "forms_list": render_fragment(
                "subjects/_forms.html",
                subject_pk=subject.pk,
                may_enter_data=can_enter_data(request.user),
                sections=forms_list,
            ),
        }
        return render(request, "subjects/subject_detail.html", context)
