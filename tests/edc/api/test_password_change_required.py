"""An account whose password an administrator set (new account, reset) reaches no data through
the API until its owner changes the password, as the pages send it to the password page first
(21 CFR 11.300(b): passwords periodically checked and revised; the temporary one is not the
user's own)."""

from __future__ import annotations

import base64

from rest_framework.test import APIClient

from inodli.edc.accounts import services
from tests.edc.personas import PersonaTest

TEMPORARY = "Temporary-Pass-2026!"
OWN = "My-Own-Passphrase-77"


def basic(username: str, password: str) -> APIClient:
    client = APIClient()
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return client


class TestApiAfterAReset(PersonaTest):
    def test_a_temporary_password_opens_nothing_until_it_is_changed(self) -> None:
        services.reset_password(self.administrator, self.nurse, TEMPORARY, TEMPORARY, "forgot it")
        refused = basic("nurse", TEMPORARY).get("/api/subjects/")
        assert refused.status_code == 403
        assert "/accounts/password/" in refused.json()["detail"]
        services.change_own_password(self.nurse, TEMPORARY, OWN, OWN)
        assert basic("nurse", OWN).get("/api/subjects/").status_code == 200
