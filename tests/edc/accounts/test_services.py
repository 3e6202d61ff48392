"""Account administration without HTTP: each change, its log entry, and each refusal (the
message names the field, the values allowed and the value received; nothing is saved).

Expected behaviour comes from issue 6 (trial governance, item 1) and 21 CFR 11.10(d)/(e)/(g):
access limited to authorised people, changes recorded with who/when/old/new/why, users never
deleted, the last administrator kept.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from inodli.edc.accounts import services
from inodli.edc.accounts.models import AccountEvent, FailedLogins, PasswordState
from inodli.edc.core.models import UserProfile
from inodli.edc.core.roles import Role, roles_of
from tests.edc.personas import PASSWORD, PersonaTest, make_user

User = get_user_model()
GOOD = "ward-7-blue-heron-river"
NOW = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


def new_account(by, **changes):
    values = {
        "username": "lihua",
        "first_name": "Hua",
        "last_name": "Li",
        "email": "li.hua@hospital.example",
        "roles": ["nurse"],
        "language": "zh-hans",
        "password1": GOOD,
        "password2": GOOD,
        "reason": "joins the ward team",
    }
    return services.create_account(by, **{**values, **changes})


class TestCreate(PersonaTest):
    def test_it_creates_an_active_account_that_must_change_its_password(self) -> None:
        user = new_account(self.administrator, now=NOW)
        assert user.is_active
        assert user.get_full_name() == "Hua Li"
        assert user.email == "li.hua@hospital.example"
        assert roles_of(user) == {Role.NURSE}
        assert user.check_password(GOOD)
        assert UserProfile.objects.get(user=user).language == "zh-hans"
        assert services.must_change_password(user)
        event = AccountEvent.objects.get(target=user)
        assert (event.at, event.by, event.action) == (NOW, self.administrator, "create")
        assert event.reason == "joins the ward team"
        assert "roles=nurse" in event.new_value
        assert GOOD not in event.new_value  # the password is never written down

    def test_it_refuses_every_wrong_field_at_once_and_creates_nothing(self) -> None:
        before = User.objects.count()
        with pytest.raises(ValidationError) as caught:
            new_account(
                self.administrator,
                username="bad name!",
                first_name="",
                last_name="x" * 151,
                email="not-an-address",
                roles=["surgeon"],
                language="fr",
                password1="Zq7x",
                password2="Zq7x",
                reason="  ",
            )
        errors = caught.value.message_dict
        assert set(errors) == {
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "language",
            "password1",
            "reason",
        }
        assert "User name: expected 1 to 150 letters" in errors["username"][0]
        assert "received “bad name!”" in errors["username"][0]
        assert "received “surgeon”" in errors["roles"][0]
        assert "investigator (Investigator)" in errors["roles"][0]  # the allowed values
        assert "received “fr”" in errors["language"][0]
        assert "en, zh-hans" in errors["language"][0]
        assert "received “not-an-address”" in errors["email"][0]
        assert "Zq7x" not in errors["password1"][0]  # never echoed
        assert errors["password1"][0].startswith("Initial password: expected")
        assert "(not shown)" in errors["password1"][0]
        assert "at least 12 characters" in errors["password1"][0]
        assert User.objects.count() == before
        assert AccountEvent.objects.count() == 0

    def test_it_refuses_a_user_name_taken_in_another_case(self) -> None:
        with pytest.raises(ValidationError) as caught:
            new_account(self.administrator, username="Nurse")
        assert "received “Nurse”" in caught.value.message_dict["username"][0]

    def test_it_refuses_a_password_like_the_user_name(self) -> None:
        similar = "heronriver7!"  # Django's similarity limit 0.7: this is 0.96 to the name
        with pytest.raises(ValidationError) as caught:
            new_account(
                self.administrator, username="heronriver7", password1=similar, password2=similar
            )
        assert "too similar to the username" in caught.value.message_dict["password1"][0]

    def test_it_refuses_two_different_passwords(self) -> None:
        with pytest.raises(ValidationError) as caught:
            new_account(self.administrator, password2=GOOD + "x")
        assert "expected the same password as above" in caught.value.message_dict["password2"][0]
        assert not User.objects.filter(username="lihua").exists()

    def test_it_shows_a_nul_byte_in_a_name_instead_of_storing_it(self) -> None:
        with pytest.raises(ValidationError) as caught:
            new_account(self.administrator, first_name="Hua\x00")
        assert "received “Hua\\x00”" in caught.value.message_dict["first_name"][0]

    @pytest.mark.parametrize(
        "persona",
        [
            "investigator",
            "nurse",
            "pharmacist",
            "data_manager",
            "monitor",
            "statistician",
            "outsider",
        ],
    )
    def test_it_lets_only_the_administrator_create_accounts(self, persona: str) -> None:
        with pytest.raises(PermissionDenied):
            new_account(getattr(self, persona))
        assert not User.objects.filter(username="lihua").exists()


class TestRoles(PersonaTest):
    def test_it_sets_exactly_the_chosen_roles_and_logs_old_and_new(self) -> None:
        event = services.set_roles(
            self.administrator, self.nurse, ["nurse", "pharmacist"], "covers pharmacy", now=NOW
        )
        assert roles_of(self.nurse) == {Role.NURSE, Role.PHARMACIST}
        assert (event.old_value, event.new_value) == ("nurse", "nurse, pharmacist")
        services.set_roles(self.administrator, self.nurse, ["pharmacist"], "moved")
        assert roles_of(self.nurse) == {Role.PHARMACIST}

    def test_it_refuses_no_role_and_changes_nothing(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.set_roles(self.administrator, self.nurse, [], "none")
        assert "Roles: expected one or more of" in caught.value.message_dict["roles"][0]
        assert roles_of(self.nurse) == {Role.NURSE}
        assert AccountEvent.objects.count() == 0

    def test_it_refuses_the_same_roles_as_a_change(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.set_roles(self.administrator, self.nurse, ["nurse"], "again")
        assert "already has exactly these roles" in caught.value.message_dict[NON_FIELD_ERRORS][0]

    def test_it_keeps_the_administrator_role_on_the_last_active_administrator(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.set_roles(self.administrator, self.administrator, ["monitor"], "oops")
        assert "last active administrator" in caught.value.message_dict[NON_FIELD_ERRORS][0]
        assert Role.ADMINISTRATOR in roles_of(self.administrator)

    def test_it_lets_an_administrator_step_down_when_another_is_active(self) -> None:
        make_user("admin2", Role.ADMINISTRATOR)
        services.set_roles(self.administrator, self.administrator, ["monitor"], "hand over")
        assert roles_of(self.administrator) == {Role.MONITOR}


class TestActiveState(PersonaTest):
    def test_it_deactivates_and_reactivates_without_deleting(self) -> None:
        services.deactivate(self.administrator, self.nurse, "left the hospital")
        self.nurse.refresh_from_db()
        assert not self.nurse.is_active
        services.reactivate(self.administrator, self.nurse, "came back")
        self.nurse.refresh_from_db()
        assert self.nurse.is_active
        actions = list(AccountEvent.objects.values_list("action", "old_value", "new_value"))
        assert actions == [
            ("deactivate", "active", "inactive"),
            ("reactivate", "inactive", "active"),
        ]

    def test_it_refuses_to_deactivate_oneself(self) -> None:
        make_user("admin2", Role.ADMINISTRATOR)
        with pytest.raises(ValidationError) as caught:
            services.deactivate(self.administrator, self.administrator, "tired")
        assert "your own account" in caught.value.message_dict[NON_FIELD_ERRORS][0]
        self.administrator.refresh_from_db()
        assert self.administrator.is_active

    def test_it_needs_a_reason(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.deactivate(self.administrator, self.nurse, "")
        message = caught.value.message_dict["reason"][0]
        assert message == "Reason: expected a reason of 1 to 2000 characters; received “”."
        self.nurse.refresh_from_db()
        assert self.nurse.is_active

    def test_it_refuses_to_reactivate_an_active_account(self) -> None:
        with pytest.raises(ValidationError):
            services.reactivate(self.administrator, self.nurse, "why not")
        assert AccountEvent.objects.count() == 0


class TestUnlockAndReset(PersonaTest):
    def test_it_unlocks_a_locked_out_account_and_resets_the_counter(self) -> None:
        until = NOW + dt.timedelta(minutes=20)
        FailedLogins.objects.create(username="nurse", count=0, locked_until=until)
        event = services.unlock(self.administrator, self.nurse, "called the helpdesk", now=NOW)
        row = FailedLogins.objects.get(username="nurse")
        assert (row.count, row.locked_until) == (0, None)
        assert event.old_value == "locked until 2026-11-25 08:50:00 UTC; 0 failed logins"

    def test_it_refuses_to_unlock_an_account_that_is_not_locked(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.unlock(self.administrator, self.nurse, "just in case")
        assert "not locked out" in caught.value.message_dict[NON_FIELD_ERRORS][0]
        assert AccountEvent.objects.count() == 0

    def test_it_resets_a_password_that_must_then_be_changed(self) -> None:
        event = services.reset_password(self.administrator, self.nurse, GOOD, GOOD, "forgot it")
        self.nurse.refresh_from_db()
        assert self.nurse.check_password(GOOD)
        assert services.must_change_password(self.nurse)
        assert PasswordState.objects.get(user=self.nurse).why == "reset"
        assert GOOD not in event.new_value

    def test_it_refuses_a_weak_temporary_password_and_keeps_the_old_one(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.reset_password(
                self.administrator, self.nurse, "12345678901234", "12345678901234", "forgot"
            )
        assert "12345678901234" not in caught.value.message_dict["password1"][0]
        self.nurse.refresh_from_db()
        assert self.nurse.check_password(PASSWORD)
        assert not services.must_change_password(self.nurse)

    def test_it_sends_an_administrator_to_the_password_page_for_their_own(self) -> None:
        with pytest.raises(ValidationError):
            services.reset_password(self.administrator, self.administrator, GOOD, GOOD, "me")


class TestOwnPassword(PersonaTest):
    def test_it_changes_a_required_password_and_clears_the_requirement(self) -> None:
        services.reset_password(self.administrator, self.nurse, GOOD, GOOD, "forgot it")
        mine = "river-heron-blue-7-ward"
        event = services.change_own_password(self.nurse, GOOD, mine, mine)
        self.nurse.refresh_from_db()
        assert self.nurse.check_password(mine)
        assert not services.must_change_password(self.nurse)
        assert (event.by, event.target, event.action) == (self.nurse, self.nurse, "change_password")
        assert event.reason == "required after a password reset"

    def test_it_refuses_a_wrong_current_password(self) -> None:
        with pytest.raises(ValidationError) as caught:
            services.change_own_password(self.nurse, "guess", GOOD, GOOD)
        message = caught.value.message_dict["old_password"][0]
        assert message == (
            "Current password: expected your current password; received “(not shown)”."
        )
        self.nurse.refresh_from_db()
        assert self.nurse.check_password(PASSWORD)

    def test_it_refuses_to_keep_the_same_password(self) -> None:
        services.reset_password(self.administrator, self.nurse, GOOD, GOOD, "forgot it")
        with pytest.raises(ValidationError) as caught:
            services.change_own_password(self.nurse, GOOD, GOOD, GOOD)
        assert "other than the current one" in caught.value.message_dict["new_password1"][0]
        assert services.must_change_password(self.nurse)


class TestAppendOnly(PersonaTest):
    def test_it_refuses_to_change_or_delete_an_account_event(self) -> None:
        event = services.deactivate(self.administrator, self.nurse, "left")
        event.reason = "rewritten"
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            AccountEvent.objects.filter(pk=event.pk).update(reason="rewritten")
        with pytest.raises(PermissionError):
            AccountEvent.objects.all().delete()
        assert AccountEvent.objects.get(pk=event.pk).reason == "left"

    def test_it_refuses_to_delete_a_user_named_in_the_account_log(self) -> None:
        from django.db.models import ProtectedError

        services.deactivate(self.administrator, self.nurse, "left")
        with pytest.raises(ProtectedError):
            self.nurse.delete()
