"""English and Simplified Chinese, chosen per user (the profile's language)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

import inodli.edc
from inodli.edc.core.models import UserProfile
from tests.edc.factories import consented_subject
from tests.edc.personas import make_user

EDC_DIR = Path(inodli.edc.__file__).parent


@pytest.mark.parametrize("app", ["core", "subjects", "visits"])
def test_it_ships_compiled_chinese_catalogues(app):
    po = EDC_DIR / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"compile {po} (msgfmt) and commit the .mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po.read_text(encoding="utf-8"), flags=re.M)
    assert len(pairs) > 20
    stale = [msgid for msgid, msgstr in pairs if msgstr and compiled.gettext(msgid) != msgstr]
    untranslated = [msgid for msgid, msgstr in pairs if not msgstr]
    assert stale == [], f"{mo} is out of date: recompile with msgfmt"
    assert untranslated == []


@pytest.mark.django_db
def test_it_shows_chinese_labels_to_a_user_who_prefers_chinese(client):
    user = make_user("yisheng", role=None, language="zh-hans")
    from inodli.edc.core.roles import Role, assign_role

    assign_role(user, Role.INVESTIGATOR)
    subject = consented_subject(user)
    client.force_login(user)
    page = client.get(
        reverse("subjects:form-new", args=[subject.pk, "CONSENT"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "知情同意日期" in page  # "date of consent"
    assert "工作台" in page  # "Dashboard"
    assert "date of consent" not in page


@pytest.mark.django_db
def test_it_shows_english_to_a_user_who_prefers_english_even_with_a_chinese_browser(
    client, personas
):
    client.force_login(personas.nurse)
    page = client.get(reverse("visits:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Dashboard" in page
    assert "工作台" not in page


@pytest.mark.django_db
def test_it_gives_chinese_validation_messages_beside_the_field(client):
    from inodli.edc.core.roles import Role, assign_role

    user = make_user("hushi", role=None, language="zh-hans")
    assign_role(user, Role.NURSE)
    subject = consented_subject(user)
    client.force_login(user)
    response = client.post(
        reverse("subjects:form-new", args=[subject.pk, "BODY"]),
        {"measured_on": "2026-01-04", "height_cm": "170", "weight_kg": "65"},
    )
    assert response.status_code == 422
    assert "早于知情同意日期" in response.content.decode()


@pytest.mark.django_db
def test_it_stores_the_language_switch_on_the_profile(client, personas):
    client.force_login(personas.nurse)
    response = client.post(reverse("set-language"), {"language": "zh-hans", "next": "/subjects/"})
    assert response.status_code == 302
    assert response["Location"] == "/subjects/"
    assert UserProfile.objects.get(user=personas.nurse).language == "zh-hans"
    assert "受试者" in client.get(reverse("subjects:list")).content.decode()


@pytest.mark.django_db
def test_it_refuses_an_unknown_language_and_an_offsite_redirect(client, personas):
    client.force_login(personas.nurse)
    assert client.post(reverse("set-language"), {"language": "xx"}).status_code == 404
    response = client.post(
        reverse("set-language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
