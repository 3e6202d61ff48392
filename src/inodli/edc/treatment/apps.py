"""Django application configuration of :mod:`inodli.edc.treatment`."""

from __future__ import annotations

from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "inodli.edc.treatment"
    label = "treatment"
    verbose_name = "Treatment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.treatment.registration import register_treatment_forms

        register_treatment_forms()
