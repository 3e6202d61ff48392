"""The study's history in ODM: users, audit records, signatures and governance rows (queries
and their steps, source-data verification marks, locks and database-lock snapshots).

Written by :func:`inodli.edc.exchange.odm.export_odm` and read back by its import. Audit
records and signatures use the ODM 1.3.2 elements (``AuditRecord``, ``Signature``, section
3.4) with the values ODM has no element for in ``inodli:`` attributes; queries, SDV marks and
locks have no ODM element at all and travel as ``inodli:Row`` vendor-extension elements (ODM
1.3.2 section 2.5, vendor extensions) holding one row each as JSON.

Every value keeps its full precision (timestamps with microseconds), so that an export imported
into an empty study and exported again gives the same document.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models

from inodli.edc.core.models import AuditEvent
from inodli.edc.core.services import jsonable

__all__ = [
    "GOVERNANCE_MODELS",
    "History",
    "add_audit_records",
    "add_governance_rows",
    "add_signatures",
    "add_users",
    "read_history",
    "user_fields",
    "user_oids",
    "utc",
]

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
INODLI_NS = "urn:inodli:odm-extension:1"

#: Governance tables carried as ``inodli:Row`` elements, parents before children.
GOVERNANCE_MODELS = (
    "governance.query",
    "governance.queryevent",
    "governance.sdvmark",
    "governance.lock",
    "governance.databasesnapshot",
)


def _q(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _x(name: str) -> str:
    return f"{{{INODLI_NS}}}{name}"


def utc(value: dt.datetime) -> str:
    """ISO 8601 in UTC, with microseconds when there are any (xs:dateTime allows them)."""
    return value.astimezone(dt.UTC).isoformat()


def user_oids() -> dict[int | None, str]:
    """Each account's ODM OID, ``U.<login name>``: login names are unique and, unlike account
    ids, the same in every copy of the study."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    names = model.objects.values_list("pk", model.USERNAME_FIELD)
    return {None: "", **{pk: f"U.{name}" for pk, name in names}}


def _screening_numbers() -> dict[int, str]:
    from inodli.edc.subjects.models import Subject

    return dict(Subject.objects.values_list("pk", "screening_number"))


def add_users(admin: ET.Element) -> None:
    """One ``User`` per account, with its roles (``inodli:Roles``) and whether it is active."""
    from django.contrib.auth import get_user_model

    from inodli.edc.core.roles import roles_of

    oids = user_oids()
    for user in get_user_model().objects.order_by("pk"):
        element = ET.SubElement(admin, _q("User"), OID=oids[user.pk])
        element.set(_x("Roles"), " ".join(sorted(role.value for role in roles_of(user))))
        element.set(_x("Active"), "Yes" if user.is_active else "No")
        ET.SubElement(element, _q("LoginName")).text = user.get_username()
        ET.SubElement(element, _q("DisplayName")).text = user.get_full_name() or user.username
        for tag, value in (("FirstName", user.first_name), ("LastName", user.last_name)):
            if value:
                ET.SubElement(element, _q(tag)).text = value
        if user.email:
            ET.SubElement(element, _q("Email")).text = user.email


def add_audit_records(clinical: ET.Element) -> None:
    """Every audit event, oldest first, as an ``AuditRecord`` (the changes as JSON)."""
    numbers, oids = _screening_numbers(), user_oids()
    audits = ET.SubElement(clinical, _q("AuditRecords"))
    for event in AuditEvent.objects.order_by("at", "id"):
        record = ET.SubElement(
            audits,
            _q("AuditRecord"),
            ID=f"AR.{event.pk}",
            EditPoint="DataEntry",
            UsedImputationMethod="No",
        )
        for name, value in (
            ("Action", event.action),
            ("RecordType", event.model_label),
            ("RecordID", event.object_pk),
            ("Record", event.object_repr),
            ("Subject", numbers.get(event.subject_id, "") if event.subject_id else ""),
            ("UserName", event.username),
            ("Changes", json.dumps(event.changes, sort_keys=True, ensure_ascii=False)),
        ):
            record.set(_x(name), value)
        ET.SubElement(record, _q("UserRef"), UserOID=oids[event.user_id])
        ET.SubElement(record, _q("LocationRef"), LocationOID="LOC.SITE")
        ET.SubElement(record, _q("DateTimeStamp")).text = utc(event.at)
        if event.reason:
            ET.SubElement(record, _q("ReasonForChange")).text = event.reason
        ET.SubElement(record, _q("SourceID")).text = f"inodli audit event {event.pk}"


def add_signatures(clinical: ET.Element) -> None:
    """Every electronic signature (valid or void) as a ``Signature``."""
    from inodli.edc.governance.models import Signature

    numbers, oids = _screening_numbers(), user_oids()
    signatures = ET.SubElement(clinical, _q("Signatures"))
    for signature in Signature.objects.order_by("signed_at", "id"):
        element = ET.SubElement(signatures, _q("Signature"), ID=f"SG.{signature.pk}")
        for name, value in (
            ("Subject", numbers[signature.subject_id]),
            ("Scope", signature.scope),
            ("VisitLabel", signature.visit_label),
            ("WindowStart", signature.window_start.isoformat() if signature.window_start else ""),
            ("WindowEnd", signature.window_end.isoformat() if signature.window_end else ""),
            ("PrintedName", signature.printed_name),
            ("Meaning", signature.meaning),
            ("Records", json.dumps(signature.records)),
            ("ContentSHA256", signature.content_sha256),
            ("VoidedAt", utc(signature.voided_at) if signature.voided_at else ""),
            ("VoidReason", signature.void_reason),
        ):
            element.set(_x(name), value)
        ET.SubElement(element, _q("UserRef"), UserOID=oids[signature.signer_id])
        ET.SubElement(element, _q("LocationRef"), LocationOID="LOC.SITE")
        ET.SubElement(element, _q("SignatureRef"), SignatureOID="SD.APPROVAL")
        ET.SubElement(element, _q("DateTimeStamp")).text = utc(signature.signed_at)


def user_fields(model: type[models.Model]) -> set[str]:
    return {
        f.attname
        for f in model._meta.concrete_fields
        if f.related_model is not None and f.related_model._meta.label == settings.AUTH_USER_MODEL
    }


def add_governance_rows(clinical: ET.Element) -> None:
    """Queries (and their steps), SDV marks, locks and snapshots as ``inodli:Row`` elements."""
    from django.apps import apps

    oids = user_oids()
    container = ET.SubElement(clinical, _x("GovernanceData"))
    for label in GOVERNANCE_MODELS:
        model = apps.get_model(label)
        users = user_fields(model)
        for row in model._default_manager.order_by("pk"):
            values = {
                f.attname: (
                    oids[getattr(row, f.attname)]
                    if f.attname in users
                    else jsonable(f.value_from_object(row))
                )
                for f in model._meta.concrete_fields
            }
            element = ET.SubElement(container, _x("Row"), Model=label, ID=str(row.pk))
            element.text = json.dumps(values, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Located:
    """A piece of the file and the line it starts on (for the import report)."""

    line: int
    values: dict[str, Any]


@dataclass
class History:
    """What an ODM document says beyond the clinical values."""

    users: dict[str, Located] = field(default_factory=dict)  # by user OID
    audit_records: list[Located] = field(default_factory=list)
    signatures: list[Located] = field(default_factory=list)
    governance_rows: list[Located] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.audit_records) + len(self.signatures) + len(self.governance_rows)


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(_q(tag))
    return "" if found is None or found.text is None else found.text


def _extension(element: ET.Element) -> dict[str, str]:
    prefix = f"{{{INODLI_NS}}}"
    return {k[len(prefix) :]: v for k, v in element.attrib.items() if k.startswith(prefix)}


def _line(element: ET.Element) -> int:
    return int(element.get("_line", "0"))


def _user_ref(element: ET.Element) -> str:
    ref = element.find(_q("UserRef"))
    return "" if ref is None else ref.get("UserOID", "")


def read_history(root: ET.Element) -> History:
    """Collect users, audit records, signatures and governance rows from a parsed document."""
    history = History()
    for user in root.iter(_q("User")):
        values = {
            "login": _text(user, "LoginName"),
            "first_name": _text(user, "FirstName"),
            "last_name": _text(user, "LastName"),
            "email": _text(user, "Email"),
            **_extension(user),
        }
        history.users[user.get("OID", "")] = Located(_line(user), values)
    for record in root.iter(_q("AuditRecord")):
        values = {
            "id": record.get("ID", "").removeprefix("AR."),
            "user": _user_ref(record),
            "at": _text(record, "DateTimeStamp"),
            "reason": _text(record, "ReasonForChange"),
            **_extension(record),
        }
        history.audit_records.append(Located(_line(record), values))
    for signature in root.iter(_q("Signature")):
        values = {
            "id": signature.get("ID", "").removeprefix("SG."),
            "user": _user_ref(signature),
            "at": _text(signature, "DateTimeStamp"),
            **_extension(signature),
        }
        history.signatures.append(Located(_line(signature), values))
    for row in root.iter(_x("Row")):
        values = {"model": row.get("Model", ""), "id": row.get("ID", ""), "json": row.text or ""}
        history.governance_rows.append(Located(_line(row), values))
    return history
