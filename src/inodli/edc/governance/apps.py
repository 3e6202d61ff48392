from __future__ import annotations

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "inodli.edc.governance"
    label = "governance"
    verbose_name = "Trial governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.core.services import register_write_hook
        from inodli.edc.governance import editchecks, locks, signatures

        register_write_hook("before", locks.refuse_locked_write)
        register_write_hook("after", signatures.void_signatures_on_change)
        register_write_hook("after", editchecks.run_checks_on_write)
