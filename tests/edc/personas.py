"""Personas for permission tests: one user per study role (the administrator manages accounts
and reads; it enters no data), and an outsider with none.

Use the ``personas`` fixture (tests/edc/conftest.py), or subclass :class:`PersonaTest` so that
permission tests read as sentences::

    class TestConsentForm(PersonaTest):
        def test_it_lets_the_nurse_record_consent(self, client): ...
            client.force_login(self.nurse)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from inodli.edc.core.roles import Role, assign_role

PASSWORD = "persona-password-1"

PERSONA_ROLES: dict[str, Role | None] = {
    "investigator": Role.INVESTIGATOR,
    "nurse": Role.NURSE,
    "pharmacist": Role.PHARMACIST,
    "data_manager": Role.DATA_MANAGER,
    "monitor": Role.MONITOR,
    "statistician": Role.STATISTICIAN,
    "administrator": Role.ADMINISTRATOR,
    "outsider": None,
}


@dataclass(frozen=True)
class Personas:
    investigator: Any
    nurse: Any
    pharmacist: Any
    data_manager: Any
    monitor: Any
    statistician: Any
    administrator: Any
    outsider: Any

    def all(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSONA_ROLES}


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


def make_user(username: str, role: Role | None, *, language: str = "en") -> Any:
    """A user with ``role`` (None: no study role) and a preferred language."""
    from inodli.edc.core.models import UserProfile

    user = get_user_model().objects.create_user(username=username)
    user.password = _password_hash()  # hashing once keeps the persona fixtures fast
    user.save(update_fields=["password"])
    if role is not None:
        assign_role(user, role)
    UserProfile.objects.create(user=user, language=language)
    return user


def make_personas() -> Personas:
    return Personas(**{name: make_user(name, role) for name, role in PERSONA_ROLES.items()})


class PersonaTest:
    """Base class: each test gets ``self.investigator``, ``self.nurse``, ... ``self.outsider``."""

    investigator: Any
    nurse: Any
    pharmacist: Any
    data_manager: Any
    monitor: Any
    statistician: Any
    administrator: Any
    outsider: Any

    @pytest.fixture(autouse=True)
    def _personas(self, personas: Personas) -> None:
        for name, user in personas.all().items():
            setattr(self, name, user)
