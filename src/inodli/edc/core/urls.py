"""URLs of the audit views (namespace ``audit``)."""

from __future__ import annotations

from django.urls import path

from inodli.edc.core import audit_views

app_name = "audit"

urlpatterns = [
    path("subjects/<int:subject_pk>/", audit_views.SubjectAuditView.as_view(), name="subject")
]
