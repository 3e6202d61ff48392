"""The API as a Django app, so that Django finds its message catalogue (``api/locale``)."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inodli.edc.api"
    label = "api"
    verbose_name = "JSON API"
