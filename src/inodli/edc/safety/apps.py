"""Django application configuration of :mod:`inodli.edc.safety`."""

from __future__ import annotations

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "inodli.edc.safety"
    label = "safety"
    verbose_name = "Safety"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.core.services import register_write_hook
        from inodli.edc.safety.ae_review import recheck_reviews_after_write
        from inodli.edc.safety.registration import register_safety_forms

        register_safety_forms()
        # An AE, a grade or a review changes what the other AE reviews should answer.
        register_write_hook("after", recheck_reviews_after_write)
