"""URLs of the API (namespace ``api``), mounted at /api/."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from inodli.edc.api import views
from inodli.edc.api.schema import DESCRIPTION

app_name = "api"

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            urlconf="inodli.edc.urls", custom_settings={"DESCRIPTION": DESCRIPTION}
        ),
        name="schema",
    ),
    path("subjects/", views.SubjectList.as_view(), name="subjects"),
    path("subjects/<int:pk>/", views.SubjectDetail.as_view(), name="subject"),
    path("subjects/<int:pk>/forms/", views.SubjectForms.as_view(), name="forms"),
    path("subjects/<int:pk>/forms/<str:code>/", views.FormRecords.as_view(), name="records"),
    path(
        "subjects/<int:pk>/forms/<str:code>/<int:record_pk>/",
        views.FormRecord.as_view(),
        name="record",
    ),
    path("queries/", views.QueryList.as_view(), name="queries"),
    path("queries/<int:pk>/", views.QueryDetail.as_view(), name="query"),
    path("queries/<int:pk>/answer/", views.QueryStep.as_view(step="answer"), name="answer"),
    path("queries/<int:pk>/close/", views.QueryStep.as_view(step="close"), name="close"),
    path("queries/<int:pk>/reopen/", views.QueryStep.as_view(step="reopen"), name="reopen"),
    # Last: only with the trailing slash, so that APPEND_SLASH still redirects /api/subjects.
    # [\s\S] also matches a newline in an id; an inline (?s) flag would break every reverse().
    re_path(r"^(?:[\s\S]*/)?$", views.Unmatched.as_view(), name="unmatched"),
]
