"""CDISC ODM-XML 1.3.2: the study's metadata (forms, items), users, clinical data, audit records
and signatures in one file; and its import into a study (all or nothing).

References
----------
CDISC Operational Data Model (ODM) Specification, version 1.3.2 (2013): sections 3.1 (ODM),
3.2 (Study / MetaDataVersion), 3.3 (AdminData: User, Location, SignatureDef), 3.4
(ClinicalData: SubjectData, StudyEventData, FormData, ItemGroupData, ItemData, AuditRecords,
Signatures).

Each record is one ``FormData`` (``FormRepeatKey`` = its id in the exporting study); each field
one ``ItemData`` (``IsNull="Yes"`` for a missing value). The record's place in the order of
entry is kept in the vendor-extension attribute ``inodli:Seq`` so that an import replays the
entries in their original order (consent before treatment, ...), and its bookkeeping (created,
modified, their authors, version) in ``inodli:`` attributes beside it. Users, audit records,
signatures and governance rows: :mod:`.odm_history`.

An import into an empty study reproduces the exported study exactly, history included
(:mod:`.replicate`); into a study that already holds data, the records are added as new entries
by the importing user and the file's history is not replayed (the report says so).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from django.utils import timezone

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import record_snapshot
from inodli.edc.exchange.csvio import _subject_key
from inodli.edc.exchange.fields import encode, exchanged_forms
from inodli.edc.exchange.importing import (
    ImportReport,
    ImportRow,
    RowError,
    apply_rows,
    log_import,
)
from inodli.edc.exchange.odm_history import (
    INODLI_NS,
    ODM_NS,
    add_audit_records,
    add_governance_rows,
    add_signatures,
    add_users,
    read_history,
    user_oids,
    utc,
)
from inodli.edc.exchange.replicate import BOOKKEEPING_ATTRIBUTES, replicate_study, study_is_empty

__all__ = ["ODM_NS", "export_odm", "import_odm"]

STUDY_OID = "ST.NCT06861348"
MDV_OID = "MDV.1"
EVENT_OID = "SE.CASEBOOK"


def _q(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _metadata(study: ET.Element) -> None:
    mdv = ET.SubElement(study, _q("MetaDataVersion"), OID=MDV_OID, Name="inodli EDC")
    forms = exchanged_forms()
    protocol = ET.SubElement(mdv, _q("Protocol"))
    ET.SubElement(protocol, _q("StudyEventRef"), StudyEventOID=EVENT_OID, Mandatory="Yes")
    event = ET.SubElement(
        mdv, _q("StudyEventDef"), OID=EVENT_OID, Name="Casebook", Repeating="No", Type="Common"
    )
    for form in forms:
        ET.SubElement(event, _q("FormRef"), FormOID=f"F.{form.code}", Mandatory="No")
    for form in forms:
        fdef = ET.SubElement(
            mdv, _q("FormDef"), OID=f"F.{form.code}", Name=form.label, Repeating="Yes"
        )
        ET.SubElement(fdef, _q("ItemGroupRef"), ItemGroupOID=f"IG.{form.code}", Mandatory="Yes")
    for form in forms:
        group = ET.SubElement(
            mdv, _q("ItemGroupDef"), OID=f"IG.{form.code}", Name=form.code, Repeating="No"
        )
        for f in form.fields:
            ET.SubElement(group, _q("ItemRef"), ItemOID=f"I.{form.code}.{f.name}", Mandatory="No")
    for form in forms:
        for f in form.fields:
            item = ET.SubElement(
                mdv,
                _q("ItemDef"),
                OID=f"I.{form.code}.{f.name}",
                Name=f.name,
                DataType=_odm_type(f),
            )
            desc = ET.SubElement(ET.SubElement(item, _q("Question")), _q("TranslatedText"))
            desc.text = str(f.verbose_name)


def _odm_type(field: Any) -> str:
    kind = field.get_internal_type()
    return {
        "DateField": "date",
        "DateTimeField": "datetime",
        "DecimalField": "float",
        "FloatField": "float",
        "IntegerField": "integer",
        "PositiveIntegerField": "integer",
        "PositiveSmallIntegerField": "integer",
        "BooleanField": "boolean",
        "ForeignKey": "integer",
    }.get(kind, "text")


def export_odm(now: dt.datetime | None = None) -> str:
    """The whole study as an ODM 1.3.2 snapshot document (text)."""
    now = now or timezone.now()
    root = ET.Element(
        _q("ODM"),
        FileType="Snapshot",
        FileOID=f"inodli.{now:%Y%m%dT%H%M%S}",
        CreationDateTime=utc(now),
        ODMVersion="1.3.2",
        Granularity="All",
        SourceSystem="inodli",
    )
    study = ET.SubElement(root, _q("Study"), OID=STUDY_OID)
    gv = ET.SubElement(study, _q("GlobalVariables"))
    for tag, text in (
        ("StudyName", "INODLI"),
        ("StudyDescription", "InO +/- DLI, NCT06861348"),
        ("ProtocolName", "NCT06861348"),
    ):
        ET.SubElement(gv, _q(tag)).text = text
    _metadata(study)
    admin = ET.SubElement(root, _q("AdminData"), StudyOID=STUDY_OID)
    add_users(admin)
    ET.SubElement(admin, _q("Location"), OID="LOC.SITE", Name="Study site", LocationType="Site")
    ET.SubElement(admin, _q("SignatureDef"), OID="SD.APPROVAL", Methodology="Electronic")
    clinical = ET.SubElement(
        root, _q("ClinicalData"), StudyOID=STUDY_OID, MetaDataVersionOID=MDV_OID
    )
    _clinical(clinical)
    add_audit_records(clinical)
    add_signatures(clinical)
    add_governance_rows(clinical)
    ET.indent(root)
    # Registered at each export: the prefix table is global and other libraries change it.
    ET.register_namespace("", ODM_NS)
    ET.register_namespace("inodli", INODLI_NS)
    text = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return text + "\n"


def _clinical(clinical: ET.Element) -> None:
    # The order of entry is the order of the records' "create" audit events (timestamps tie
    # when one operation creates several records, e.g. a lab panel and its results).
    created = {
        (label, pk): event_id
        for label, pk, event_id in AuditEvent.objects.filter(action="create").values_list(
            "model_label", "object_pk", "id"
        )
    }
    entries = []
    for form in exchanged_forms():
        for record in form.model._default_manager.all():
            order = created.get((form.label, str(record.pk)))
            entries.append((order is None, order or 0, record.created, form, record))
    entries.sort(key=lambda e: e[:3])
    by_subject: dict[str, list[tuple[int, Any, Any]]] = {}
    for seq, (_missing, _order, _created, form, record) in enumerate(entries, start=1):
        by_subject.setdefault(_subject_key(record), []).append((seq, form, record))
    oids = user_oids()
    for key, items in by_subject.items():
        subject = ET.SubElement(clinical, _q("SubjectData"), SubjectKey=key)
        event = ET.SubElement(subject, _q("StudyEventData"), StudyEventOID=EVENT_OID)
        for seq, form, record in items:
            data = ET.SubElement(
                event, _q("FormData"), FormOID=f"F.{form.code}", FormRepeatKey=str(record.pk)
            )
            data.set(f"{{{INODLI_NS}}}Seq", str(seq))
            for name, value in (
                ("Created", utc(record.created)),
                ("CreatedBy", oids[record.created_by_id]),
                ("Modified", utc(record.modified)),
                ("ModifiedBy", oids[record.modified_by_id]),
                ("Version", str(record.version)),
            ):
                data.set(f"{{{INODLI_NS}}}{name}", value)
            group = ET.SubElement(data, _q("ItemGroupData"), ItemGroupOID=f"IG.{form.code}")
            values = record_snapshot(record)
            for f in form.fields:
                text = encode(values[f.name])
                item = ET.SubElement(group, _q("ItemData"), ItemOID=f"I.{form.code}.{f.name}")
                if text is None:
                    item.set("IsNull", "Yes")
                else:
                    item.set("Value", text)


class _RefusedXmlError(ValueError):
    pass


def _parse(text: str) -> ET.Element:
    """Parse with line numbers (attribute ``_line``); DTDs and entities are refused (XXE,
    entity expansion)."""
    from xml.parsers import expat

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def start(tag: str, attrs: dict[str, str]) -> None:
        attrib = {name(key): value for key, value in attrs.items()}
        builder.start(name(tag), {**attrib, "_line": str(parser.CurrentLineNumber)})

    def refuse(*args: Any) -> None:
        raise _RefusedXmlError("DTDs and entities are not accepted in an ODM import")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as error:
        raise ET.ParseError(str(error)) from error
    return builder.close()


def import_odm(text: str, user: Any, *, now: dt.datetime | None = None) -> ImportReport:
    """Import an ODM document (all or nothing) and keep a row for the import.

    Into an empty study an inodli export is copied exactly, its history included
    (:func:`~inodli.edc.exchange.replicate.replicate_study`); otherwise the clinical data are
    added as new entries in their original order and the file's history is not replayed.
    """
    from inodli.edc.governance.permissions import Action, require

    require(user, Action.IMPORT)
    now = now or timezone.now()
    report = _import(text, user, now)
    log_import(user, "odm", text, report, now)
    return report


def _import(text: str, user: Any, now: dt.datetime) -> ImportReport:
    try:
        root = _parse(text)
    except (ET.ParseError, _RefusedXmlError) as error:
        return ImportReport(imported=0, errors=(RowError(0, "ODM", "file", str(error)),))
    if root.tag != _q("ODM") or root.get("ODMVersion") != "1.3.2":
        return ImportReport(imported=0, errors=(RowError(1, "ODM", "ODM", "expected ODM 1.3.2"),))
    rows: list[tuple[int, ImportRow]] = []
    for subject in root.iter(_q("SubjectData")):
        key = subject.get("SubjectKey", "")
        for data in subject.iter(_q("FormData")):
            code = data.get("FormOID", "")[2:]
            values: dict[str, str | None] = {}
            for item in data.iter(_q("ItemData")):
                name = item.get("ItemOID", "").removeprefix(f"I.{code}.")
                values[name] = None if item.get("IsNull") == "Yes" else item.get("Value", "")
            seq = int(data.get(f"{{{INODLI_NS}}}Seq", "0") or 0)
            line = int(data.get("_line", "0"))
            bookkeeping = {
                name: data.get(f"{{{INODLI_NS}}}{name}", "") for name in BOOKKEEPING_ATTRIBUTES
            }
            row = ImportRow(line, code, key, values, data.get("FormRepeatKey", ""), bookkeeping)
            rows.append((seq, row))
    rows.sort(key=lambda pair: pair[0])
    ordered = [row for _seq, row in rows]
    history = read_history(root)
    lossless = bool(history.audit_records) and all(all(row.bookkeeping.values()) for row in ordered)
    if lossless and study_is_empty():
        return replicate_study(ordered, history, user, now)
    report = apply_rows(ordered, user, now=now)
    if report.ok and history.rows:
        note = (
            f"the study was not empty (or the file is not an inodli export): the records were "
            f"added as new entries, and the file's {history.rows} audit, signature and "
            "governance row(s) were not replayed"
        )
        return dataclasses.replace(report, notes=(*report.notes, note))
    return report
