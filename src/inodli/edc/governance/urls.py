"""URLs of the governance app (namespace ``governance``), mounted at /governance/."""

from __future__ import annotations

from django.urls import path

from inodli.edc.governance import exchange_views, views

app_name = "governance"

urlpatterns = [
    path("queries/", views.QueryListView.as_view(), name="queries"),
    path("queries/<int:pk>/", views.QueryDetailView.as_view(), name="query"),
    path("subjects/<int:subject_pk>/", views.SubjectReviewView.as_view(), name="subject"),
    path("database/", views.DatabaseLockView.as_view(), name="database"),
    path("checks/run/", views.RunChecksView.as_view(), name="run-checks"),
    path("exchange/", exchange_views.ExchangeView.as_view(), name="exchange"),
    path("exchange/odm/", exchange_views.OdmDownloadView.as_view(), name="export-odm"),
    path("exchange/csv/", exchange_views.CsvDownloadView.as_view(), name="export-csv"),
]
