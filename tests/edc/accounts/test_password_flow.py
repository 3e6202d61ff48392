"""Signing in for real (the login page, the lockout backend): a password set by an administrator
must be changed first; a locked-out user signs in again once the administrator unlocks them.

The lockout numbers (five failures, then refused even with the right password) are those of
``inodli.edc.accounts.security``, tested there; here they are only driven to the lock."""

from __future__ import annotations

from django.test import Client

from inodli.edc.accounts import services
from inodli.edc.accounts.models import AccountEvent, LoginEvent
from inodli.edc.accounts.security import MAX_FAILURES
from tests.edc.personas import PASSWORD, PersonaTest

GOOD = "ward-7-blue-heron-river"
MINE = "river-heron-blue-7-ward"


def sign_in(client: Client, username: str, password: str) -> int:
    return client.post("/login/", {"username": username, "password": password}).status_code


class TestRequiredChange(PersonaTest):
    def test_a_new_user_changes_the_initial_password_before_anything_else(self, client) -> None:
        services.create_account(
            self.administrator,
            username="lihua",
            first_name="Hua",
            last_name="Li",
            email="",
            roles=["nurse"],
            language="en",
            password1=GOOD,
            password2=GOOD,
            reason="joins the ward",
        )
        assert sign_in(client, "lihua", GOOD) == 302
        for url in ("/subjects/", "/visits/", "/accounts/logins/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == f"/accounts/password/?next={url.replace('/', '%2F')}"
        refused_post = client.post("/subjects/register/", {"study_id": "x"})
        assert refused_post["Location"] == "/accounts/password/"
        page = client.get("/accounts/password/").content.decode()
        assert 'id="password-required"' in page
        response = client.post(
            "/accounts/password/",
            {
                "old_password": GOOD,
                "new_password1": MINE,
                "new_password2": MINE,
                "next": "/subjects/",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == "/subjects/"
        assert client.get("/subjects/").status_code == 200  # still signed in, now free to go
        event = AccountEvent.objects.get(action="change_password")
        assert event.reason == "required at first sign-in"
        client.logout()
        assert sign_in(client, "lihua", MINE) == 302
        assert client.get("/subjects/").status_code == 200  # no second required change

    def test_a_reset_ends_the_open_session_and_requires_a_change(self, client) -> None:
        assert sign_in(client, "nurse", PASSWORD) == 302
        assert client.get("/subjects/").status_code == 200
        services.reset_password(self.administrator, self.nurse, GOOD, GOOD, "forgot it")
        assert client.get("/subjects/")["Location"].startswith("/login/")
        assert sign_in(client, "nurse", GOOD) == 302
        assert client.get("/subjects/")["Location"].startswith("/accounts/password/")
        assert client.post("/logout/").status_code == 302  # logging out is always possible

    def test_a_user_may_change_the_password_by_choice(self, client) -> None:
        assert sign_in(client, "statistician", PASSWORD) == 302
        response = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": MINE, "new_password2": MINE},
        )
        assert response.status_code == 302
        event = AccountEvent.objects.get(target=self.statistician)
        assert (event.action, event.reason) == ("change_password", "the user's own choice")


class TestUnlock(PersonaTest):
    def test_the_administrator_unlocks_a_locked_out_user(self, client) -> None:
        for _ in range(MAX_FAILURES):
            sign_in(client, "pharmacist", "wrong-password")
        assert sign_in(client, "pharmacist", PASSWORD) == 200  # locked: the form again
        admin = Client()
        admin.force_login(self.administrator)
        listing = admin.get("/accounts/users/").content.decode()
        row = listing.split(f'id="user-{self.pharmacist.pk}"', 1)[1].split("</tr>", 1)[0]
        assert '<td class="locked">—</td>' not in row  # a lock time is shown
        response = admin.post(
            f"/accounts/users/{self.pharmacist.pk}/",
            {"action": "unlock", "unlock-reason": "identity checked by telephone"},
        )
        assert response.status_code == 302
        assert sign_in(client, "pharmacist", PASSWORD) == 302
        outcomes = list(
            LoginEvent.objects.filter(username="pharmacist").values_list("outcome", flat=True)
        )
        assert outcomes == ["failed"] * MAX_FAILURES + ["lockout", "locked", "login"]
        event = AccountEvent.objects.get(action="unlock")
        assert event.old_value.startswith("locked until ")
        assert event.reason == "identity checked by telephone"
