"""Sign-in security: lockout, the login log, idle timeout, password policy, deploy checks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from inodli.edc.accounts.models import FailedLogins, LoginEvent
from inodli.edc.accounts.security import MAX_FAILURES
from tests.edc.personas import PASSWORD, PersonaTest


def _login(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


class TestLockout(PersonaTest):
    def test_it_locks_the_account_after_repeated_failures_even_with_the_right_password(
        self, client
    ) -> None:
        for _ in range(MAX_FAILURES):
            assert _login(client, "nurse", "wrong-password").status_code == 200
        assert FailedLogins.objects.get(username="nurse").locked_until is not None
        response = _login(client, "nurse", PASSWORD)
        assert response.status_code == 200  # the login page again, not a redirect
        assert "_auth_user_id" not in client.session
        outcomes = list(LoginEvent.objects.values_list("outcome", flat=True))
        assert outcomes == ["failed"] * MAX_FAILURES + ["lockout", "locked"]

    def test_it_logs_a_login_and_resets_the_counter(self, client) -> None:
        _login(client, "monitor", "wrong-password")
        assert _login(client, "monitor", PASSWORD).status_code == 302
        assert FailedLogins.objects.get(username="monitor").count == 0
        assert list(LoginEvent.objects.values_list("outcome", "username")) == [
            ("failed", "monitor"),
            ("login", "monitor"),
        ]

    def test_it_keeps_the_login_log_append_only(self, client) -> None:
        _login(client, "monitor", "wrong-password")
        with pytest.raises(PermissionError):
            LoginEvent.objects.all().delete()
        with pytest.raises(PermissionError):
            LoginEvent.objects.update(username="x")


class TestSession(PersonaTest):
    def test_it_logs_out_an_idle_session(self, client) -> None:
        assert _login(client, "nurse", PASSWORD).status_code == 302
        assert client.get("/subjects/").status_code == 200
        session = client.session
        session["inodli_last_seen"] = (
            dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
        ).timestamp()
        session.save()
        response = client.get("/subjects/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
        assert LoginEvent.objects.filter(outcome="timeout", username="nurse").exists()


def test_it_hashes_passwords_with_pbkdf2(db) -> None:
    from django.contrib.auth.hashers import make_password

    assert make_password("x-long-enough-secret").startswith("pbkdf2_sha256$")


@pytest.mark.parametrize("password", ["short1", "password1234", "12345678901234"])
def test_it_refuses_weak_passwords(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_it_accepts_a_long_uncommon_password() -> None:
    validate_password("ward-7-blue-heron-river")


def test_it_passes_the_deploy_checks_in_production(tmp_path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # test-only
        "INODLI_PRODUCTION": "1",
        "INODLI_SECRET_KEY": "k" * 20 + "-production-secret-from-the-environment-9f3a",
        "INODLI_ALLOWED_HOSTS": "edc.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "inodli.edc.settings",
    }
    code = "import django; from django.core.management import call_command; django.setup(); "
    code += "call_command('check', deploy=True, fail_level='WARNING')"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "INODLI_SECRET_KEY"}
    env |= {"INODLI_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "inodli.edc.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "INODLI_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_it_refuses_a_user_name_with_a_nul_byte_cleanly() -> None:
    # Found by schemathesis on PostgreSQL: a NUL in HTTP Basic credentials reached the
    # lockout query and PostgreSQL refused the text (a 500). It must be a plain refusal.
    import base64

    from django.test import Client

    token = base64.b64encode(b"nurse\x00x:secret").decode()
    response = Client().get("/api/subjects/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in {401, 403}
    assert LoginEvent.objects.filter(outcome=LoginEvent.Outcome.FAILED).count() == 1
