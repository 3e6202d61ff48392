"""Base classes for captured records, the append-only audit trail and user profiles.

Every record a person enters inherits :class:`CapturedRecord` (or :class:`SubjectRecord` when it
belongs to one subject) and is written only through :mod:`inodli.edc.core.services`, which keeps
``version`` for optimistic concurrency and writes one :class:`AuditEvent` per create, change and
delete in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AuditEvent",
    "AuditTrailAppendOnlyError",
    "CapturedRecord",
    "SubjectRecord",
    "UserProfile",
]

# Fields the service layer maintains itself; they never appear in an audit diff.
BOOKKEEPING_FIELDS = frozenset(
    {"id", "created", "modified", "version", "created_by", "modified_by"}
)


class CapturedRecord(models.Model):
    """Abstract base of everything a person enters.

    ``created`` and ``modified`` are UTC timestamps set by the service layer from the one ``now``
    of the operation; ``version`` starts at 1 and grows by one on every saved change, so that a
    form opened at version 3 cannot overwrite version 4 (see
    :func:`inodli.edc.core.services.save_record`).
    """

    created = models.DateTimeField(_("created (UTC)"), editable=False)
    modified = models.DateTimeField(_("last modified (UTC)"), editable=False)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    #: The form code under which the record is registered (see :mod:`.registry`).
    form_code: ClassVar[str] = ""

    class Meta:
        abstract = True

    def audit_subject_id(self) -> int | None:
        """The subject this record belongs to, for the per-subject audit view."""
        return None


class SubjectRecord(CapturedRecord):
    """Abstract base of a record that belongs to one subject.

    Subclasses name their clinical date in ``event_date_field`` (e.g. ``"administered_on"``).
    Unless ``requires_consent`` is False, :meth:`clean` refuses any record while no consent is
    recorded and, unless ``history`` is True, a record dated before the subject's informed
    consent, with the message beside that date field.
    """

    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("subject"),
        editable=False,
    )

    event_date_field: ClassVar[str | None] = None
    #: A record can be entered only once consent is recorded.
    requires_consent: ClassVar[bool] = True
    #: History (transplant, prior therapy): its clinical date may precede consent.
    history: ClassVar[bool] = False

    class Meta:
        abstract = True

    def audit_subject_id(self) -> int | None:
        return self.subject_id

    def event_date(self) -> dt.date | None:
        if self.event_date_field is None:
            return None
        value = getattr(self, self.event_date_field)
        return value.date() if isinstance(value, dt.datetime) else value

    def clean(self) -> None:
        super().clean()
        if self.requires_consent and self.subject_id is not None:
            on = None if self.history else self.event_date()
            check_after_consent(self.subject_id, on, self.event_date_field)


def check_after_consent(subject_id: int, on: dt.date | None, field: str | None) -> None:
    """Raise ``ValidationError`` when nothing or something later than ``on`` is the consent."""
    consent_model = apps.get_model("subjects", "Consent")
    consent = consent_model.objects.filter(subject_id=subject_id).order_by("consent_date").first()
    key = field or "__all__"
    if consent is None:
        raise ValidationError(
            {key: _("No informed consent is recorded for this subject: record consent first.")}
        )
    if on is not None and on < consent.consent_date:
        raise ValidationError(
            {
                key: _(
                    "This date (%(date)s) is before the informed consent (%(consent)s): "
                    "nothing may be done before consent."
                )
                % {"date": on.isoformat(), "consent": consent.consent_date.isoformat()}
            }
        )


class AuditTrailAppendOnlyError(Exception):
    """Raised on any attempt to change or delete an :class:`AuditEvent`."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditTrailAppendOnlyError("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailAppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One create, change or delete of a captured record; never changed, never deleted.

    ``changes`` maps each field name to ``[old, new]`` (JSON values; ``old`` is null on
    create, ``new`` is null on delete). The database refuses UPDATE and DELETE on this table
    with a trigger on SQLite and PostgreSQL (migration ``0002``).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")

    at = models.DateTimeField(_("when (UTC)"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    username = models.CharField(_("user name"), max_length=150)
    action = models.CharField(_("action"), max_length=6, choices=Action.choices)
    model_label = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("subject"),
    )
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason for change"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("at", "id")
        indexes = (models.Index(fields=("model_label", "object_pk")),)
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An id may be given only with force_insert (the lossless import keeps the exporting
        # study's ids); a plain save() of an instance with an id could become an UPDATE.
        explicit_insert = kwargs.get("force_insert") is True
        if not self._state.adding or (self.pk is not None and not explicit_insert):
            raise AuditTrailAppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailAppendOnlyError("audit events cannot be deleted")


class UserProfile(models.Model):
    """Per-user settings: the preferred interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
