"""Django application configuration of :mod:`inodli.edc.subjects`."""

from __future__ import annotations

from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "inodli.edc.subjects"
    label = "subjects"
    verbose_name = "Subjects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.subjects import forms_registry

        forms_registry.register_subject_forms()
