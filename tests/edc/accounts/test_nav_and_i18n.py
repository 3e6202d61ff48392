"""The navigation offers the account pages to exactly the roles that may open them, and the
pages speak Simplified Chinese to a user who prefers it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.test import Client

import inodli.edc.accounts
from inodli.edc.core.roles import Role
from tests.edc.personas import make_user

PO = Path(inodli.edc.accounts.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# From issue 6 item 1 (see test_views.py): users - administrator; sign-in log - administrator
# and data manager; password - every study role.
USERS = {Role.ADMINISTRATOR}
LOGINS = {Role.ADMINISTRATOR, Role.DATA_MANAGER}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role, None])
def test_it_links_the_account_pages_for_the_roles_that_may_open_them(role: Role | None) -> None:
    client = Client()
    client.force_login(make_user(f"user-{role.value if role else 'none'}", role))
    page = client.get("/accounts/password/").content.decode()
    assert ('id="nav-users"' in page) == (role in USERS)
    assert ('id="nav-login-log"' in page) == (role in LOGINS)
    assert ('id="nav-password"' in page) == (role is not None)


def test_it_ships_a_compiled_complete_chinese_catalogue() -> None:
    mo = PO.with_suffix(".mo")
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.M)
    assert len(pairs) > 40
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []
    assert [m for m, s in pairs if compiled.gettext(m) != s] == [], "recompile with msgfmt"
    assert "#, fuzzy" not in text


@pytest.mark.django_db
def test_it_shows_the_administration_pages_and_refusals_in_chinese(client) -> None:
    admin = make_user("guanliyuan", Role.ADMINISTRATOR, language="zh-hans")
    client.force_login(admin)
    page = client.get("/accounts/users/").content.decode()
    assert "用户" in page  # "Users"
    assert "账户日志" in page  # "Account log"
    response = client.post("/accounts/users/new/", {"username": "", "reason": ""})
    refused = response.content.decode()
    assert response.status_code == 422
    assert "用户名：应为" in refused  # "User name: expected"
    assert "原因：应为" in refused  # "Reason: expected"
    log = client.get("/accounts/logins/", {"outcome": "x"}).content.decode()
    assert "登录日志" in log  # "Sign-in log"
    assert "结果：应为" in log  # "Outcome: expected"
