from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inodli.edc.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from inodli.edc.accounts import middleware, security  # noqa: F401  (connect the login signals)
