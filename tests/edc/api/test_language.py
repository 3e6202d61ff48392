"""The API answers in the caller's language: an Accept-Language header naming en or zh-Hans,
else the profile language, else English; every response says which in Content-Language.

Expected Chinese sentences are those of the catalogues that own them: the API's
(src/inodli/edc/api/locale/zh_Hans/LC_MESSAGES/django.po), core's and subjects' (form rules),
and Django REST framework's bundled zh_Hans catalogue (rest_framework/locale)."""

from __future__ import annotations

import base64
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

import inodli.edc.api
from inodli.edc.core.roles import Role
from inodli.edc.governance.queries import open_query
from inodli.edc.subjects.baseline import BodyMeasurement
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PASSWORD, PersonaTest, make_user

PO = Path(inodli.edc.api.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH = "zh-hans"
BEFORE_CONSENT = {"measured_on": "2026-01-01", "height_cm": "170.0", "weight_kg": "64.0"}


def chinese(username: str, role: Role | None) -> Any:
    """A user whose profile asks for Simplified Chinese."""
    return make_user(username, role, language=ZH)


def as_user(user: Any, **headers: str) -> APIClient:
    client = APIClient(**headers)
    client.force_authenticate(user)
    return client


def basic(username: str, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_it_installs_the_api_and_drf_so_that_their_catalogues_load() -> None:
    # Django reads an app's locale/ only for installed apps (the settings own this list).
    missing = {"inodli.edc.api", "rest_framework"} - set(settings.INSTALLED_APPS)
    assert missing == set(), f"add {sorted(missing)} to INSTALLED_APPS in inodli/edc/settings.py"


def test_it_ships_a_complete_compiled_chinese_catalogue() -> None:
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', PO.read_text(encoding="utf-8"), flags=re.M)
    assert len(pairs) >= 15
    assert [msgid for msgid, msgstr in pairs if not msgstr] == []
    assert [msgid for msgid, msgstr in pairs if compiled.gettext(msgid) != msgstr] == []


class TestChosenLanguage(PersonaTest):
    def test_it_names_the_field_in_chinese_for_a_chinese_user(self) -> None:
        hushi = chinese("hushi", Role.NURSE)
        subject = enrolled_subject(self.nurse)
        url = f"/api/subjects/{subject.pk}/forms/BODY/"
        response = as_user(hushi).post(url, {"values": BEFORE_CONSENT}, format="json")
        assert response.status_code == 422
        assert response["Content-Language"] == ZH
        assert response.json()["errors"]["measured_on"] == [
            "该日期（2026-01-01）早于知情同意日期（2026-01-05）：知情同意前不得进行任何研究操作。"
        ]
        typo = {"values": {**BEFORE_CONSENT, "weight": "64"}}
        unknown = as_user(hushi).post(url, typo, format="json")
        assert unknown.json()["errors"] == {
            "values": [
                "values：应为 measured_on, height_cm, weight_kg 中的字段名，收到的是 ['weight']。"
            ]
        }
        assert BodyMeasurement.objects.filter(subject=subject).count() == 1

    def test_it_answers_in_english_to_an_english_user(self) -> None:
        subject = enrolled_subject(self.nurse)
        url = f"/api/subjects/{subject.pk}/forms/BODY/"
        response = as_user(self.nurse).post(url, {"values": BEFORE_CONSENT}, format="json")
        assert response["Content-Language"] == "en"
        assert response.json()["errors"]["measured_on"] == [
            "This date (2026-01-01) is before the informed consent (2026-01-05): "
            "nothing may be done before consent."
        ]
        typo = {"values": {**BEFORE_CONSENT, "weight": "64"}}
        unknown = as_user(self.nurse).post(url, typo, format="json")
        assert unknown.json()["errors"]["values"] == [
            "values: expected field names among measured_on, height_cm, weight_kg, got ['weight']."
        ]

    @pytest.mark.parametrize(
        ("profile", "header", "expected"),
        [
            (ZH, "en", "en"),  # the header wins over the profile
            (ZH, "en-GB,en;q=0.8", "en"),
            ("en", "zh-CN,zh;q=0.9", ZH),  # zh-CN is read as Simplified Chinese
            ("en", "fr, zh-Hans;q=0.5", ZH),  # unsupported languages are skipped
            (ZH, "fr", ZH),  # nothing we speak: the profile
            (ZH, "*", ZH),
            (ZH, "en;q=0", ZH),  # q=0 means "not English"
            ("en", "", "en"),
            (ZH, "", ZH),
        ],
    )
    def test_it_lets_an_accept_language_header_win_over_the_profile(
        self, profile: str, header: str, expected: str
    ) -> None:
        user = make_user("reader", Role.STATISTICIAN, language=profile)
        response = as_user(user, HTTP_ACCEPT_LANGUAGE=header).get("/api/subjects/4242/")
        assert response.status_code == 404
        assert response["Content-Language"] == expected
        assert (
            response.json()["detail"]
            == {
                "en": "There is no subject with id 4242.",
                ZH: "不存在 id 为 4242 的受试者。",
            }[expected]
        )
        assert "Accept-Language" in response["Vary"]

    def test_it_uses_the_profile_language_of_an_http_basic_caller_without_a_session(
        self,
    ) -> None:
        chinese("hushi", Role.NURSE)
        response = Client().get("/api/subjects/4242/", HTTP_AUTHORIZATION=basic("hushi"))
        assert response.status_code == 404
        assert response["Content-Language"] == ZH
        assert response.json()["detail"] == "不存在 id 为 4242 的受试者。"
        english = Client().get("/api/subjects/4242/", HTTP_AUTHORIZATION=basic("nurse"))
        assert english.json()["detail"] == "There is no subject with id 4242."

    def test_it_refuses_bad_credentials_in_the_language_of_the_header(self) -> None:
        response = Client().get(
            "/api/subjects/",
            HTTP_AUTHORIZATION=basic("nurse", "wrong-password-1"),
            HTTP_ACCEPT_LANGUAGE="zh-Hans",
        )
        assert response.status_code in (401, 403)
        assert response["Content-Language"] == ZH
        assert response.json()["detail"] == "用户名或者密码错误。"  # DRF's catalogue

    def test_it_follows_the_language_switch_of_a_page_session(self, client: Client) -> None:
        hushi = chinese("hushi", Role.NURSE)
        client.force_login(hushi)
        assert client.get("/api/queries/4242/").json()["detail"] == "不存在 id 为 4242 的质疑。"
        client.post("/language/", {"language": "en"})
        english = client.get("/api/queries/4242/")
        assert english["Content-Language"] == "en"
        assert english.json()["detail"] == "There is no query with id 4242."

    def test_it_leaves_the_language_of_the_thread_as_it_found_it(self) -> None:
        translation.activate("en")
        as_user(chinese("hushi", Role.NURSE)).get("/api/subjects/4242/")
        assert translation.get_language() == "en"


class TestTranslatedRefusals(PersonaTest):
    def test_it_answers_an_unknown_api_address_with_a_translated_json_404(self) -> None:
        hushi = as_user(chinese("hushi", Role.NURSE))
        odd = "/api/subjects/7022313838/forms/%06%0A%1D%C2%A4/-701610/"  # found by schemathesis
        for address in ("/api/subjects/abc/", odd, "/api/"):
            response = hushi.get(address)
            assert response.status_code == 404
            assert response.json() == {"detail": "未找到。"}  # DRF's catalogue
            assert response["Content-Language"] == ZH
        assert as_user(self.outsider).get("/api/subjects/abc/").status_code == 403
        assert hushi.get("/api/subjects").status_code == 301  # APPEND_SLASH still applies
        assert reverse("api:unmatched") == "/api/"  # the catch-all keeps URLs reversible
        assert reverse("api:record", args=[1, "BODY", 2]) == "/api/subjects/1/forms/BODY/2/"

    def test_it_gives_drf_messages_from_drf_s_catalogue(self) -> None:
        hushi = chinese("hushi", Role.NURSE)
        subject = enrolled_subject(self.nurse)
        body = BodyMeasurement.objects.get(subject=subject)
        url = f"/api/subjects/{subject.pk}/forms/BODY/{body.pk}/"
        payload = {"values": BEFORE_CONSENT, "version": "one", "reason": "typo"}
        response = as_user(hushi).put(url, payload, format="json")
        assert response.status_code == 400
        assert response.json() == {"version": ["请填写合法的整数值。"]}
        anonymous = APIClient(HTTP_ACCEPT_LANGUAGE="zh-Hans").get("/api/subjects/")
        assert anonymous.json() == {"detail": "身份认证信息未提供。"}
        assert anonymous["Content-Language"] == ZH

    def test_it_says_in_chinese_what_a_role_may_not_do(self) -> None:
        subject = enrolled_subject(self.nurse)
        jianchayuan = chinese("jianchayuan", Role.MONITOR)
        monitor = as_user(jianchayuan)
        entry = monitor.post(
            f"/api/subjects/{subject.pk}/forms/BODY/", {"values": BEFORE_CONSENT}, format="json"
        )
        assert (entry.status_code, entry.json()) == (403, {"detail": "您的角色无权录入数据。"})
        query = open_query(self.monitor, subject, "Check weight")
        answer = monitor.post(f"/api/queries/{query.pk}/answer/", {"text": "x"}, format="json")
        assert answer.json() == {"detail": "您的角色无权答复质疑。"}
        raised = as_user(chinese("hushi", Role.NURSE)).post(
            "/api/queries/", {"subject_id": subject.pk, "text": "?"}, format="json"
        )
        assert raised.json() == {"detail": "您的角色无权发起质疑。"}
        outsider = as_user(chinese("wairen", None)).get("/api/subjects/")
        assert outsider.json() == {"detail": "只有研究团队成员可以使用 API。"}

    def test_it_reports_a_stale_version_in_chinese(self) -> None:
        hushi = chinese("hushi", Role.NURSE)
        subject = enrolled_subject(self.nurse)
        body = BodyMeasurement.objects.get(subject=subject)
        url = f"/api/subjects/{subject.pk}/forms/BODY/{body.pk}/"
        values = {"measured_on": "2026-01-05", "height_cm": "170.0", "weight_kg": "66.0"}
        client = as_user(hushi)
        first = client.put(url, {"values": values, "version": 1, "reason": "称重"}, format="json")
        assert first.status_code == 200
        stale = client.put(url, {"values": values, "version": 1, "reason": "再次"}, format="json")
        assert stale.status_code == 422
        (message,) = stale.json()["errors"]["__all__"]
        assert message.startswith("在您打开此表单后，hushi 于 ")
        assert message.endswith(
            "（您打开的是第 1 版，现在是第 2 版）。您的输入未保存：请重新加载表单查看变更。"
        )

    def test_it_reports_a_locked_record_in_chinese(self) -> None:
        from inodli.edc.governance.locks import lock

        hushi = chinese("hushi", Role.NURSE)
        subject = enrolled_subject(self.nurse)
        body = BodyMeasurement.objects.get(subject=subject)
        lock(self.data_manager, "form", "SDV done", subject=subject, form_code="BODY")
        url = f"/api/subjects/{subject.pk}/forms/BODY/{body.pk}/"
        values = {"measured_on": "2026-01-05", "height_cm": "170.0", "weight_kg": "66.0"}
        locked = as_user(hushi).put(
            url, {"values": values, "version": 1, "reason": "称重"}, format="json"
        )
        assert locked.status_code == 422
        (message,) = locked.json()["errors"]["__all__"]
        assert message.startswith("这些数据已锁定（表单，由 data_manager 于 UTC ")  # governance's
        assert "SDV done" in message

    def test_it_names_field_allowed_and_received_for_a_bad_status_filter(self) -> None:
        english = as_user(self.monitor).get("/api/queries/", {"status": "pending"})
        assert english.status_code == 400
        assert english.json() == {
            "errors": {"status": ["status: expected one of open, answered, closed, got 'pending'."]}
        }
        zh = as_user(chinese("jianchayuan", Role.MONITOR)).get("/api/queries/?status=pending")
        assert zh.json()["errors"]["status"] == [
            "status：应为 open, answered, closed 之一，收到的是 'pending'。"
        ]

    def test_it_names_the_allowed_roles_for_a_bad_assignee(self) -> None:
        subject = enrolled_subject(self.nurse)
        payload = {"subject_id": subject.pk, "text": "Check", "assigned_role": "boss"}
        response = as_user(self.monitor).post("/api/queries/", payload, format="json")
        assert response.status_code == 400
        roles = ", ".join(role.value for role in Role)
        assert response.json() == {
            "assigned_role": [f"assigned_role: expected one of {roles}, got 'boss'."]
        }

    def test_it_names_the_field_of_a_query_on_an_unknown_record(self) -> None:
        subject = enrolled_subject(self.nurse)
        monitor = as_user(self.monitor)
        payload = {"subject_id": subject.pk, "text": "Check", "record_id": 9999}
        no_code = monitor.post("/api/queries/", {**payload, "form_code": "NOPE"}, format="json")
        assert no_code.status_code == 422
        (message,) = no_code.json()["errors"]["form_code"]
        assert message.startswith("form_code: expected one of ")
        assert "BODY" in message
        assert message.endswith(", got 'NOPE'.")
        no_record = monitor.post("/api/queries/", {**payload, "form_code": "BODY"}, format="json")
        assert no_record.json()["errors"] == {
            "record_id": ["record_id: expected the id of a BODY record of this subject, got 9999."]
        }
        no_subject = monitor.post(
            "/api/queries/", {"subject_id": 9999, "text": "Check"}, format="json"
        )
        assert no_subject.json()["errors"] == {
            "subject_id": ["subject_id: expected the id of a subject, got 9999."]
        }


class TestStableIdentifiers(PersonaTest):
    def test_it_keeps_keys_codes_and_enum_values_english_for_a_chinese_user(self) -> None:
        subject = enrolled_subject(self.nurse)
        open_query(self.monitor, subject, "核对体重")
        client = as_user(chinese("hushi", Role.NURSE))
        forms = {
            row["code"]: row for row in client.get(f"/api/subjects/{subject.pk}/forms/").json()
        }
        assert forms["BODY"] == {
            "code": "BODY",
            "title": "身高和体重",  # a display label: translated
            "repeating": True,
            "records": 1,
        }
        (query,) = client.get("/api/queries/", {"status": "open"}).json()
        assert (query["status"], query["origin"], query["assigned_role"]) == (
            "open",
            "manual",
            "nurse",
        )
        assert query["text"] == "核对体重"
        assert [event["action"] for event in query["events"]] == ["open"]


def test_it_documents_the_languages_in_a_valid_openapi_schema(client, db) -> None:
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/?format=json")
    schema = response.json()
    validate_schema(schema)  # the OpenAPI 3 JSON schema that drf-spectacular ships
    description = schema["info"]["description"]
    assert "`Accept-Language` request header" in description
    assert "profile language" in description
    assert "enum values" in description
    operations = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"get", "post", "put"}
    ]
    assert len(operations) == 13
    for operation in operations:
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["Accept-Language"]
        for answer in operation["responses"].values():
            language = answer["headers"]["Content-Language"]
            assert language["schema"]["enum"] == ["en", ZH]
            assert language["required"] is True
