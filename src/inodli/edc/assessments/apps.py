"""Django application configuration of :mod:`inodli.edc.assessments`."""

from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "inodli.edc.assessments"
    label = "assessments"
    verbose_name = "Assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.assessments.registration import register_assessment_forms

        register_assessment_forms()
