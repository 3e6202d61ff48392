"""Django application configuration of :mod:`inodli.edc.analysis`."""

from __future__ import annotations

from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "inodli.edc.analysis"
    label = "analysis"
    verbose_name = "Analysis: study report and trial monitoring"
    default_auto_field = "django.db.models.BigAutoField"
