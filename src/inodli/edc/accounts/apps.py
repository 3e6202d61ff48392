from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inodli.edc.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.accounts import security  # noqa: F401  (connects the login signals)
