"""The navigation offers the analysis pages exactly to the roles that may open them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from inodli.edc.core.roles import ANALYSIS_ROLES, Role
from tests.edc.personas import make_user


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_it_shows_the_analysis_link_only_to_analysis_roles(role: Role) -> None:
    client = Client()
    client.force_login(make_user(f"user-{role.value}", role))
    page = client.get(reverse("visits:dashboard")).content.decode()
    link = f'href="{reverse("analysis:index")}"'
    assert (link in page) == (role in ANALYSIS_ROLES)
