"""Django application configuration of :mod:`inodli.edc.visits`."""

from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "inodli.edc.visits"
    label = "visits"
    verbose_name = "Visits"
    default_auto_field = "django.db.models.BigAutoField"
