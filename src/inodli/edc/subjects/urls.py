"""URLs of the subjects app (namespace ``subjects``)."""

from __future__ import annotations

from django.urls import path

from inodli.edc.core.views import RecordDeleteView, dispatch_form_view
from inodli.edc.subjects import views

app_name = "subjects"

urlpatterns = [
    path("", views.SubjectListView.as_view(), name="list"),
    path("register/", views.SubjectRegisterView.as_view(), name="register"),
    path("<int:pk>/", views.SubjectDetailView.as_view(), name="detail"),
    path("<int:subject_pk>/forms/<str:code>/new/", dispatch_form_view, name="form-new"),
    path("<int:subject_pk>/forms/<str:code>/<int:pk>/", dispatch_form_view, name="form-edit"),
    path(
        "<int:subject_pk>/forms/<str:code>/<int:pk>/delete/",
        RecordDeleteView.as_view(),
        name="form-delete",
    ),
]
