"""The per-subject audit trail, read-only: who, when, field, old -> new, reason."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.views import StudyMemberMixin


class SubjectAuditView(StudyMemberMixin, View):
    http_method_names = ("get", "head", "options")

    def get(self, request: HttpRequest, subject_pk: int) -> HttpResponse:
        from inodli.edc.subjects.models import Subject

        subject = get_object_or_404(Subject, pk=subject_pk)
        events = AuditEvent.objects.filter(subject=subject).order_by("-at", "-id")
        rows = [
            (event, [(field, old, new) for field, (old, new) in sorted(event.changes.items())])
            for event in events
        ]
        return render(request, "core/subject_audit.html", {"subject": subject, "rows": rows})
