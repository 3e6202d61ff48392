"""Governance records: queries (with their append-only history), signatures, SDV marks, locks
and database-lock snapshots. None of them is ever deleted; a change of state is a new row or a
field set once (a signature's voiding, a lock's release)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.roles import ROLE_LABELS, Role

__all__ = [
    "DatabaseSnapshot",
    "ImportRun",
    "Lock",
    "Query",
    "QueryEvent",
    "SdvMark",
    "Signature",
]

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class NeverDeletedError(Exception):
    """Raised on any attempt to delete a governance record."""


class _KeepQuerySet(models.QuerySet[Any]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise NeverDeletedError(f"{self.model.__name__} rows are never deleted")


class _Kept(models.Model):
    objects = _KeepQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise NeverDeletedError(f"{type(self).__name__} rows are never deleted")


class Query(_Kept):
    """A question about a subject's data, raised by hand or by an edit check."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("raised by hand")
        EDIT_CHECK = "edit_check", _("edit check")

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="queries"
    )
    form_code = models.CharField(_("form"), max_length=32, blank=True)
    model_label = models.CharField(_("record type"), max_length=100, blank=True)
    object_pk = models.CharField(_("record id"), max_length=64, blank=True)
    field_name = models.CharField(_("field"), max_length=64, blank=True)
    text = models.TextField(_("question"))
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    check_code = models.CharField(_("edit check"), max_length=40, blank=True)
    assigned_role = models.CharField(_("assigned to"), max_length=20, choices=ROLE_CHOICES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    opened_at = models.DateTimeField(_("opened (UTC)"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status since (UTC)"))

    class Meta:
        ordering = ("-opened_at", "-id")
        verbose_name = _("query")
        verbose_name_plural = _("queries")

    def __str__(self) -> str:
        return f"Q{self.pk} {self.form_code} {self.field_name}: {self.text[:60]}"


class QueryEvent(_Kept):
    """One step of a query's life (open, answer, close, reopen), with who, when and the text."""

    class Action(models.TextChoices):
        OPEN = "open", _("opened")
        ANSWER = "answer", _("answered")
        CLOSE = "close", _("closed")
        REOPEN = "reopen", _("reopened")

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when (UTC)"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ("at", "id")


class Signature(_Kept):
    """An electronic signature (21 CFR 11.50): printed name, UTC time and meaning, linked to the
    exact record versions signed (11.70); a later change voids it visibly."""

    class Scope(models.TextChoices):
        VISIT = "visit", _("visit")
        CASEBOOK = "casebook", _("casebook")

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="signatures"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    visit_label = models.CharField(_("visit"), max_length=60, blank=True)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    printed_name = models.CharField(_("printed name"), max_length=150)
    meaning = models.CharField(_("meaning"), max_length=200)
    signed_at = models.DateTimeField(_("signed (UTC)"))
    records = models.JSONField(_("records signed"), default=list)  # [[label, pk, version], ...]
    content_sha256 = models.CharField(max_length=64)
    voided_at = models.DateTimeField(_("voided (UTC)"), null=True, blank=True)
    void_reason = models.TextField(_("why voided"), blank=True)

    class Meta:
        ordering = ("-signed_at", "-id")

    def __str__(self) -> str:
        state = f" VOID since {self.voided_at:%Y-%m-%d %H:%M} UTC" if self.voided_at else ""
        return (
            f"Signed by {self.printed_name} at {self.signed_at:%Y-%m-%d %H:%M:%S} UTC: "
            f"{self.meaning}{state}"
        )

    @property
    def valid(self) -> bool:
        return self.voided_at is None


class SdvMark(_Kept):
    """A monitor's source-data verification of one record at one version."""

    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    form_code = models.CharField(max_length=32)
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    record_version = models.PositiveIntegerField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-verified_at", "-id")


class Lock(_Kept):
    """A lock on a form of a subject, a subject's casebook, or the whole database.

    Released by setting the ``unlocked_*`` fields once; an active lock has ``unlocked_at`` null.
    """

    class Level(models.TextChoices):
        FORM = "form", _("form")
        SUBJECT = "subject", _("subject")
        DATABASE = "database", _("database")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    form_code = models.CharField(max_length=32, blank=True)
    locked_at = models.DateTimeField()
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lock_reason = models.TextField()
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unlock_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("-locked_at", "-id")

    def __str__(self) -> str:
        where = {"form": f"{self.subject} {self.form_code}", "subject": str(self.subject)}
        return f"{self.level} lock {where.get(self.level, 'study')}"


class DatabaseSnapshot(_Kept):
    """The frozen content of every captured record at a database lock (never updated)."""

    lock = models.OneToOneField(Lock, on_delete=models.PROTECT, related_name="snapshot")
    taken_at = models.DateTimeField()
    content = models.JSONField()
    content_sha256 = models.CharField(max_length=64)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise NeverDeletedError("a database-lock snapshot is frozen")
        super().save(*args, **kwargs)


class ImportRun(_Kept):
    """One import of a file (ODM or CSV), accepted or rejected: who, when, which file (its
    SHA-256), how it was applied and what it brought. Rejected imports are kept too: a refused
    file is part of the study's history."""

    class Mode(models.TextChoices):
        REPLICATE = "replicate", _("lossless copy into an empty study")
        MERGE = "merge", _("records added as new entries")

    at = models.DateTimeField(_("when (UTC)"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_format = models.CharField(_("format"), max_length=8)
    file_sha256 = models.CharField(max_length=64)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    accepted = models.BooleanField(_("accepted"))
    records = models.PositiveIntegerField(_("records"), default=0)
    history_rows = models.PositiveIntegerField(_("audit, signature and governance rows"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    accounts_created = models.JSONField(_("accounts created (inactive)"), default=list)
    report = models.TextField(_("report"))

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        outcome = "accepted" if self.accepted else "rejected"
        return f"{self.file_format} import {self.at:%Y-%m-%d %H:%M} {self.mode} {outcome}"
