"""Django application configuration of :mod:`inodli.edc.core`."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inodli.edc.core"
    label = "core"
    verbose_name = "Core: records, audit trail, users"
    default_auto_field = "django.db.models.BigAutoField"
