"""The exchange page: who may export and import, downloads, uploads with their line-by-line
report, bad input naming field, allowed values and value received, CSRF and escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inodli.edc.governance.models import ImportRun
from inodli.edc.subjects.models import Subject
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest

URL = "/governance/exchange/"
# Who may export (data manager, statistician) and import (data manager): the roles.
EXPORTERS = {"data_manager", "statistician"}
IMPORTERS = {"data_manager"}
PERSONAS = [
    "investigator",
    "nurse",
    "pharmacist",
    "data_manager",
    "monitor",
    "statistician",
    "outsider",
]
BAD_SUBJECTS = (
    "subject,record_id,screening_number,initials,registered_on\n"
    "SCR-101,1,SCR-101,ABC,2026-01-05\n"
    "SCR-102,2,SCR-102,<script>alert(1)</script>,2026-01-05\n"  # line 3
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class TestWhoMay(PersonaTest):
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_the_page_and_the_downloads_follow_the_permission_table(self, client, persona) -> None:
        client.force_login(getattr(self, persona))
        page = client.get(URL)
        odm = client.get("/governance/exchange/odm/")
        csv = client.get("/governance/exchange/csv/", {"form": "BODY"})
        if persona in EXPORTERS:
            assert page.status_code == 200
            assert odm.status_code == 200
            assert csv.status_code == 200
            assert (b'id="imports"' in page.content) == (persona in IMPORTERS)
        else:
            assert page.status_code == odm.status_code == csv.status_code == 403

    @pytest.mark.parametrize("persona", sorted(set(PERSONAS) - IMPORTERS))
    def test_only_the_data_manager_may_import(self, client, persona) -> None:
        client.force_login(getattr(self, persona))
        response = client.post(
            URL, {"format": "csv", "form": "SUBJECT", "file": upload("s.csv", b"x")}
        )
        assert response.status_code == 403
        assert not ImportRun.objects.exists()

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client) -> None:
        response = client.get("/governance/exchange/odm/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


class TestDownloadsAndUploads(PersonaTest):
    def test_the_odm_download_is_an_attachment_holding_the_study(self, client) -> None:
        subject = enrolled_subject(self.nurse)
        client.force_login(self.statistician)
        response = client.get("/governance/exchange/odm/")
        assert response["Content-Disposition"].startswith('attachment; filename="inodli-')
        root = ET.fromstring(response.content)
        keys = [
            e.get("SubjectKey") for e in root.iter("{http://www.cdisc.org/ns/odm/v1.3}SubjectData")
        ]
        assert keys == [subject.screening_number]

    def test_an_unknown_form_names_the_field_the_allowed_values_and_the_value(self, client) -> None:
        client.force_login(self.data_manager)
        response = client.get("/governance/exchange/csv/", {"form": "NOPE"})
        assert response.status_code == 400
        text = response.content.decode()
        assert text.startswith("form: expected one of DICTIONARY, ")
        assert "BODY" in text
        assert text.endswith("got 'NOPE'")

    def test_a_rejected_csv_is_reported_line_by_line_escaped_and_logged(self, client) -> None:
        client.force_login(self.data_manager)
        response = client.post(
            URL,
            {"format": "csv", "form": "SUBJECT", "file": upload("s.csv", BAD_SUBJECTS.encode())},
        )
        assert response.status_code == 422
        page = response.content.decode()
        assert "Import rejected: nothing was imported" in page
        assert "<td>3</td><td>SUBJECT</td><td>initials</td>" in page
        assert "<script>alert(1)</script>" not in page
        assert not Subject.objects.exists()
        run = ImportRun.objects.get()
        assert (run.file_format, run.accepted) == ("csv", False)
        assert run.errors == page.count("<td>3</td><td>SUBJECT</td><td>initials</td>")

    def test_an_accepted_csv_is_imported_and_listed(self, client) -> None:
        client.force_login(self.data_manager)
        good = BAD_SUBJECTS.splitlines()[:2]
        body = ("\n".join(good) + "\n").encode()
        response = client.post(
            URL, {"format": "csv", "form": "SUBJECT", "file": upload("s.csv", body)}
        )
        assert response.status_code == 200
        assert "Import accepted" in response.content.decode()
        assert list(Subject.objects.values_list("screening_number", flat=True)) == ["SCR-101"]
        assert 'id="import-runs"' in response.content.decode()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"format": "xls"}, "format: expected one of odm, csv; got &#x27;xls&#x27;"),
            ({"format": "csv", "form": "NOPE"}, "form: expected one of "),
            ({"format": "odm"}, "file: choose the file to import; none was received"),
        ],
    )
    def test_bad_choices_are_named(self, client, data, message) -> None:
        client.force_login(self.data_manager)
        response = client.post(URL, data)
        assert response.status_code == 422
        assert message in response.content.decode()
        assert not ImportRun.objects.exists()

    def test_a_file_that_is_not_utf8_is_refused_with_the_byte_position(self, client) -> None:
        client.force_login(self.data_manager)
        response = client.post(
            URL, {"format": "odm", "file": upload("s.xml", b"<ODM>\xff\xfe</ODM>")}
        )
        assert response.status_code == 422
        assert "file: expected UTF-8 text; byte 5 is not UTF-8" in response.content.decode()

    def test_an_upload_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.data_manager)
        response = client.post(
            URL, {"format": "csv", "form": "SUBJECT", "file": upload("s.csv", b"x")}
        )
        assert response.status_code == 403
        assert not ImportRun.objects.exists()


def test_the_page_speaks_the_users_language(db, client) -> None:
    from inodli.edc.core.roles import Role
    from tests.edc.personas import make_user

    client.force_login(make_user("dm-zh", Role.DATA_MANAGER, language="zh-hans"))
    response = client.post(URL, {"format": "xls"})
    page = response.content.decode()
    assert "<h1>数据交换</h1>" in page
    assert "格式：应为 odm、csv 之一；收到的是 &#x27;xls&#x27;" in page


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("data_manager", True), ("statistician", True), ("nurse", False), ("monitor", False)],
)
def test_the_navigation_links_the_exchange_page_for_those_who_may_use_it(
    personas, client, persona, shown
) -> None:
    client.force_login(getattr(personas, persona))
    page = client.get("/visits/").content.decode()
    assert ('href="/governance/exchange/"' in page) is shown
