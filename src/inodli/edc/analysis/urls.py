"""URLs of the analysis pages, mounted at ``/analysis/``."""

from __future__ import annotations

from django.urls import path

from inodli.edc.analysis import views

app_name = "analysis"

urlpatterns = [
    path("", views.AnalysisIndexView.as_view(), name="index"),
    path("report/", views.StudyReportView.as_view(), name="report"),
    path("report/pdf/", views.StudyReportPdfView.as_view(), name="report-pdf"),
    path("design/", views.TrialDesignView.as_view(), name="design"),
]
