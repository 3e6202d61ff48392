"""URLs of the visits app (namespace ``visits``)."""

from __future__ import annotations

from django.urls import path

from inodli.edc.visits import views

app_name = "visits"

urlpatterns = [path("", views.DashboardView.as_view(), name="dashboard")]
