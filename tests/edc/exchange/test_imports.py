"""Imports refuse bad rows line by line and never import half a file; CSV per form; dictionary."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from inodli.edc.exchange.csvio import export_form_csv, import_form_csv
from inodli.edc.exchange.dictionary import data_dictionary, data_dictionary_csv
from inodli.edc.exchange.odm import export_odm, import_odm
from inodli.edc.subjects.models import Subject
from tests.edc.factories import enrolled_subject
from tests.edc.personas import PersonaTest

SUBJECTS_CSV = (
    "subject,record_id,screening_number,initials,registered_on\n"
    "SCR-101,1,SCR-101,ABC,2026-01-05\n"
    "SCR-102,2,SCR-102,toolong,2026-01-05\n"  # line 3: initials must be 2-4 capitals
    "SCR-103,3,SCR-103,XYZ,2026-02-30\n"  # line 4: no such date
    "SCR-104,4,SCR-104,DEF,2026-01-06\n"
)


class TestCsv(PersonaTest):
    def test_it_rejects_the_whole_file_with_a_line_by_line_report(self) -> None:
        report = import_form_csv("SUBJECT", SUBJECTS_CSV, self.data_manager)
        assert not report.ok
        assert report.imported == 0
        assert list(dict.fromkeys((e.line, e.field) for e in report.errors)) == [
            (3, "initials"),
            (4, "registered_on"),
        ]
        assert str(report).startswith("REJECTED: 3 error(s); nothing was imported.")
        assert "line 3 (SUBJECT) initials" in str(report)
        assert Subject.objects.count() == 0  # not even the good rows 2 and 5

    def test_it_imports_a_clean_file_and_exports_it_back(self) -> None:
        good = "\n".join(
            line for i, line in enumerate(SUBJECTS_CSV.splitlines()) if i not in (2, 3)
        )
        report = import_form_csv("SUBJECT", good + "\n", self.data_manager)
        assert report.ok
        assert report.imported == 2
        exported = export_form_csv("SUBJECT").splitlines()
        assert exported[0] == "subject,record_id,screening_number,initials,registered_on"
        assert [row.split(",")[2:] for row in exported[1:]] == [
            ["SCR-101", "ABC", "2026-01-05"],
            ["SCR-104", "DEF", "2026-01-06"],
        ]

    def test_it_lets_only_the_data_manager_import(self) -> None:
        for user in (self.nurse, self.monitor, self.statistician, self.investigator):
            with pytest.raises(PermissionDenied):
                import_form_csv("SUBJECT", SUBJECTS_CSV, user)


class TestOdm(PersonaTest):
    def test_it_reports_a_bad_item_by_its_line_and_imports_nothing(self) -> None:
        enrolled_subject(self.nurse)
        odm = export_odm()
        bad = odm.replace('Value="65.0"', 'Value="sixty-five"')
        assert bad != odm
        line = next(
            i
            for i, text in enumerate(bad.splitlines(), start=1)
            if '<FormData FormOID="F.BODY"' in text
        )
        # import into the same study: the subject exists, so the first row is refused too;
        # what matters is that the bad weight is named with its line, and nothing is saved
        before = Subject.objects.count()
        report = import_odm(bad, self.data_manager)
        assert not report.ok
        assert Subject.objects.count() == before
        weight = [e for e in report.errors if e.field == "weight_kg"]
        assert weight
        assert weight[0].line == line
        assert weight[0].form_code == "BODY"

    def test_it_refuses_entities_and_doctypes(self) -> None:
        evil = (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3.2">&e;</ODM>'
        )
        report = import_odm(evil, self.data_manager)
        assert not report.ok
        assert "not accepted" in report.errors[0].message

    def test_it_refuses_a_document_that_is_not_odm_1_3_2(self) -> None:
        report = import_odm("<ODM ODMVersion='1.2'/>", self.data_manager)
        assert not report.ok
        assert "ODM 1.3.2" in report.errors[0].message

    def test_it_exports_audit_records_and_signatures(self) -> None:
        from inodli.edc.governance.signatures import sign
        from tests.edc.personas import PASSWORD

        subject = enrolled_subject(self.nurse)
        sign(self.investigator, PASSWORD, subject)
        odm = export_odm()
        assert 'ODMVersion="1.3.2"' in odm
        assert "<AuditRecord " in odm
        assert '<SignatureRef SignatureOID="SD.APPROVAL" />' in odm
        assert 'FormOID="F.BODY"' in odm
        assert 'ItemOID="I.BODY.weight_kg" Value="65.0"' in odm


def test_it_describes_every_exchanged_field(db) -> None:
    entries = {(e.form, e.field): e for e in data_dictionary()}
    weight = entries[("BODY", "weight_kg")]
    assert (weight.data_type, weight.required) == ("DecimalField", True)
    assert entries[("AE_GRADE", "adverse_event")].links_to == "AE"
    assert data_dictionary_csv().splitlines()[0].startswith("form,field,label,data_type")


def test_it_writes_odm_as_the_default_namespace_whatever_others_registered(db) -> None:
    import xml.etree.ElementTree as ET

    ET.register_namespace("", "http://www.w3.org/2000/svg")  # as an SVG writer does
    odm = export_odm()
    assert '<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3"' in odm
