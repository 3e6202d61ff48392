"""The account pages over HTTP, persona by persona, with bad input on every form, CSRF and XSS.

Who may do what comes from issue 6, item 1: user administration is the administrator's alone;
the sign-in log is read by the administrator and the data manager (the monitor, statistician
and site staff do not see other people's sign-ins); every study member changes their own
password; an outsider (no study role) and an anonymous visitor get nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from inodli.edc.accounts.models import AccountEvent, FailedLogins
from inodli.edc.core.roles import Role, roles_of
from tests.edc.personas import PASSWORD, PersonaTest

User = get_user_model()
GOOD = "ward-7-blue-heron-river"
ROLES = ["investigator", "nurse", "pharmacist", "data_manager", "monitor", "statistician"]
EVERYONE = [*ROLES, "administrator", "outsider"]
SCRIPT = '<script>alert("x")</script>'

CREATE = {
    "username": "lihua",
    "first_name": "Hua",
    "last_name": "Li",
    "email": "li.hua@hospital.example",
    "roles": ["nurse"],
    "language": "en",
    "password1": GOOD,
    "password2": GOOD,
    "reason": "joins the ward",
}


def act(action: str, **fields: object) -> dict[str, object]:
    """POST data of one action form on a user's page (its fields carry the action's prefix)."""
    return {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}


class TestWhoMayOpenWhat(PersonaTest):
    @pytest.mark.parametrize("persona", EVERYONE)
    def test_it_opens_each_page_to_exactly_its_roles(self, client, persona) -> None:
        client.force_login(getattr(self, persona))
        pages = {
            "/accounts/users/": {"administrator"},
            "/accounts/users/new/": {"administrator"},
            f"/accounts/users/{self.nurse.pk}/": {"administrator"},
            "/accounts/logins/": {"administrator", "data_manager"},
            "/accounts/password/": {*ROLES, "administrator"},
        }
        for url, allowed in pages.items():
            expected = 200 if persona in allowed else 403
            assert client.get(url).status_code == expected, url

    def test_it_sends_an_anonymous_visitor_to_the_login_page(self, client) -> None:
        for url in (
            "/accounts/users/",
            "/accounts/users/new/",
            f"/accounts/users/{self.nurse.pk}/",
            "/accounts/logins/",
            "/accounts/password/",
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/login/"), url
        assert client.post("/accounts/users/new/", CREATE).status_code == 302
        assert not User.objects.filter(username="lihua").exists()

    @pytest.mark.parametrize("persona", [*ROLES, "outsider"])
    def test_it_refuses_every_administrative_action_to_other_roles(self, client, persona) -> None:
        client.force_login(getattr(self, persona))  # (a sign-in clears the user's own counter)
        FailedLogins.objects.create(username="nurse", count=3)
        target = f"/accounts/users/{self.pharmacist.pk}/"
        responses = [
            client.post("/accounts/users/new/", CREATE),
            client.post(target, act("roles", roles=["monitor"], reason="r")),
            client.post(target, act("deactivate", reason="r")),
            client.post(target, act("reset", password1=GOOD, password2=GOOD, reason="r")),
            client.post(f"/accounts/users/{self.nurse.pk}/", act("unlock", reason="r")),
        ]
        assert [r.status_code for r in responses] == [403] * 5
        assert AccountEvent.objects.count() == 0
        self.pharmacist.refresh_from_db()
        assert self.pharmacist.is_active
        assert self.pharmacist.check_password(PASSWORD)
        assert FailedLogins.objects.get(username="nurse").count == 3


class TestAdministration(PersonaTest):
    def test_it_creates_a_user_and_lists_it(self, client) -> None:
        client.force_login(self.administrator)
        response = client.post("/accounts/users/new/", CREATE)
        user = User.objects.get(username="lihua")
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/users/{user.pk}/"
        assert roles_of(user) == {Role.NURSE}
        page = client.get("/accounts/users/").content.decode()
        assert "Hua Li" in page
        assert "li.hua@hospital.example" in page
        assert "must change password" in page
        assert "joins the ward" in page  # the account log on the page

    def test_it_changes_roles_deactivates_reactivates_unlocks_and_resets(self, client) -> None:
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        FailedLogins.objects.create(username="nurse", count=2)
        steps = [
            act("roles", roles=["nurse", "pharmacist"], reason="covers pharmacy"),
            act("deactivate", reason="left"),
            act("reactivate", reason="back"),
            act("unlock", reason="helpdesk call"),
            act("reset", password1=GOOD, password2=GOOD, reason="forgot"),
        ]
        for data in steps:
            assert client.post(url, data).status_code == 302, data["action"]
        actions = list(AccountEvent.objects.order_by("id").values_list("action", flat=True))
        assert actions == ["roles", "deactivate", "reactivate", "unlock", "reset_password"]
        page = client.get(url).content.decode()
        for reason in ("covers pharmacy", "left", "back", "helpdesk call", "forgot"):
            assert f"<td>{reason}</td>" in page

    def test_it_offers_no_self_deactivation_or_self_reset(self, client) -> None:
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.administrator.pk}/"
        page = client.get(url).content.decode()
        assert 'id="form-deactivate"' not in page
        assert 'id="form-reset"' not in page
        response = client.post(url, act("deactivate", reason="tired"))
        assert response.status_code == 422
        assert "You cannot deactivate your own account." in response.content.decode()
        self.administrator.refresh_from_db()
        assert self.administrator.is_active

    def test_it_refuses_an_unknown_action(self, client) -> None:
        client.force_login(self.administrator)
        response = client.post(f"/accounts/users/{self.nurse.pk}/", {"action": "delete"})
        assert response.status_code == 404
        assert User.objects.filter(pk=self.nurse.pk).exists()

    def test_it_ends_a_deactivated_users_session(self, client) -> None:
        nurse_client = Client()
        nurse_client.force_login(self.nurse)
        assert nurse_client.get("/subjects/").status_code == 200
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        client.post(url, act("deactivate", reason="left"))
        response = nurse_client.get("/subjects/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


class TestBadInputOnEveryForm(PersonaTest):
    """Each form refuses a wrong value with 422, the message beside the field naming the field,
    the allowed values and the value received, and saves nothing."""

    def test_create(self, client) -> None:
        client.force_login(self.administrator)
        response = client.post(
            "/accounts/users/new/", {**CREATE, "roles": ["nurse", "chief"], "username": "a b"}
        )
        page = response.content.decode()
        assert response.status_code == 422
        assert 'id="errors-username"' in page
        assert "User name: expected 1 to 150 letters, digits or @ . + - _" in page
        assert "received “a b”" in page
        assert 'id="errors-roles"' in page
        assert "received “chief”" in page
        assert 'value="Hua"' in page  # the typed input is kept
        assert GOOD not in page  # but never a password
        assert not User.objects.filter(username="a b").exists()
        assert AccountEvent.objects.count() == 0

    def test_roles(self, client) -> None:
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        response = client.post(url, act("roles", roles=["root"], reason="promote"))
        page = response.content.decode()
        assert response.status_code == 422
        assert 'id="errors-roles-roles"' in page
        assert "Roles: expected one or more of investigator (Investigator)" in page
        assert "received “root”" in page
        assert roles_of(self.nurse) == {Role.NURSE}

    @pytest.mark.parametrize("action", ["deactivate", "unlock", "roles"])
    def test_reason_required(self, client, action) -> None:
        FailedLogins.objects.create(username="nurse", count=1)
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        response = client.post(url, act(action, roles=["monitor"], reason="   "))
        page = response.content.decode()
        assert response.status_code == 422
        assert f'id="errors-{action}-reason"' in page
        assert "Reason: expected a reason of 1 to 2000 characters; received “”." in page
        assert AccountEvent.objects.count() == 0
        self.nurse.refresh_from_db()
        assert self.nurse.is_active
        assert FailedLogins.objects.get(username="nurse").count == 1

    def test_reactivate_an_active_account(self, client) -> None:
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        response = client.post(url, act("reactivate", reason="why"))
        assert response.status_code == 422
        assert "nurse is already active." in response.content.decode()

    def test_reset(self, client) -> None:
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        weak = "password1234"
        response = client.post(url, act("reset", password1=weak, password2=weak, reason="x"))
        page = response.content.decode()
        assert response.status_code == 422
        assert 'id="errors-reset-password1"' in page
        assert "Temporary password: expected" in page
        assert "received a password (not shown)" in page
        assert weak not in page
        self.nurse.refresh_from_db()
        assert self.nurse.check_password(PASSWORD)

    def test_own_password(self, client) -> None:
        client.force_login(self.monitor)
        response = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD + "!"},
        )
        page = response.content.decode()
        assert response.status_code == 422
        assert 'id="errors-new_password2"' in page
        assert "New password again: expected the same password as above" in page
        assert GOOD not in page
        self.monitor.refresh_from_db()
        assert self.monitor.check_password(PASSWORD)


class TestAttacks(PersonaTest):
    def test_it_refuses_posts_without_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.administrator)
        url = f"/accounts/users/{self.nurse.pk}/"
        assert client.post("/accounts/users/new/", CREATE).status_code == 403
        assert client.post(url, act("deactivate", reason="forged")).status_code == 403
        own = {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
        assert client.post("/accounts/password/", own).status_code == 403
        assert not User.objects.filter(username="lihua").exists()
        self.nurse.refresh_from_db()
        assert self.nurse.is_active
        self.administrator.refresh_from_db()
        assert self.administrator.check_password(PASSWORD)
        assert AccountEvent.objects.count() == 0

    def test_it_escapes_script_in_names_and_reasons_everywhere_they_are_shown(self, client) -> None:
        client.force_login(self.administrator)
        data = {**CREATE, "first_name": SCRIPT, "last_name": "<b>Li</b>", "reason": SCRIPT}
        assert client.post("/accounts/users/new/", data).status_code == 302
        user = User.objects.get(username="lihua")
        client.post("/login/", {"username": SCRIPT, "password": "x"})  # a sign-in log row
        client.force_login(self.administrator)
        for url in ("/accounts/users/", f"/accounts/users/{user.pk}/", "/accounts/logins/"):
            page = client.get(url).content.decode()
            assert "<script>alert" not in page, url
            assert "<b>Li</b>" not in page, url
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url

    def test_it_escapes_a_script_typed_into_a_refused_field(self, client) -> None:
        client.force_login(self.administrator)
        response = client.post("/accounts/users/new/", {**CREATE, "email": SCRIPT})
        page = response.content.decode()
        assert response.status_code == 422
        assert "<script>alert" not in page
        assert "received “&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;”" in page


class TestQueries(PersonaTest):
    def test_the_user_list_reads_the_same_number_of_queries_for_more_users(self, client) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.edc.personas import make_user

        client.force_login(self.administrator)
        client.get("/accounts/users/")  # the first visit also stores the language in the session
        with CaptureQueriesContext(connection) as few:
            assert client.get("/accounts/users/").status_code == 200
        for number in range(20):
            make_user(f"extra{number}", Role.NURSE)
            FailedLogins.objects.create(username=f"extra{number}", count=1)
        with CaptureQueriesContext(connection) as many:
            page = client.get("/accounts/users/").content.decode()
        assert "extra19" in page
        assert len(many) == len(few)  # no query per user (an N+1 would add 20 or more)
