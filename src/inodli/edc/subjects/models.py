"""The subject and the records of screening, consent, enrolment and study status.

Baseline records (demographics, height and weight, disease, transplant, relapse, prior therapy)
are in :mod:`inodli.edc.subjects.baseline`. Going off study is a :class:`StudyStatusChange` row,
never an overwritten field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.models import CapturedRecord, SubjectRecord
from inodli.edc.subjects.eligibility import ANSWERS, CRITERIA, EligibilityResult, evaluate

__all__ = [
    "STUDY_ID_PATTERN",
    "Consent",
    "EligibilityAssessment",
    "Enrolment",
    "StudyStatusChange",
    "Subject",
    "attach_study_ids",
    "earliest_procedure_date",
]

STUDY_ID_PATTERN = r"^INODLI-\d{3}$"
SCREENING_PATTERN = r"^SCR-\d{3,}$"


class Subject(CapturedRecord):
    """A person screened for the trial; the study ID comes with :class:`Enrolment`."""

    screening_number = models.CharField(
        _("screening number"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(SCREENING_PATTERN, _("Use the form SCR-001."))],
    )
    initials = models.CharField(
        _("initials"),
        max_length=4,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", _("Two to four capital letters, e.g. ZWL."))],
    )
    registered_on = models.DateField(_("date registered for screening"))

    class Meta:
        ordering = ("screening_number",)
        verbose_name = _("subject")

    def __str__(self) -> str:
        return self.study_id or self.screening_number

    def audit_subject_id(self) -> int | None:
        return self.pk

    def get_absolute_url(self) -> str:
        # Lists render this link several times per subject: reverse it once per instance.
        if not hasattr(self, "_url"):
            self._url = reverse("subjects:detail", args=[self.pk])
        return self._url

    @property
    def study_id(self) -> str | None:
        # Read once per instance: lists call str(subject) many times. Pages that list many
        # subjects set it for all of them from one query (``attach_study_ids``).
        if not hasattr(self, "_study_id"):
            enrolment = self.enrolment_record()
            self._study_id = enrolment.study_id if enrolment else None
        return self._study_id

    def enrolment_record(self) -> Enrolment | None:
        return Enrolment.objects.filter(subject=self).first()

    def first_consent(self) -> Consent | None:
        return Consent.objects.filter(subject=self).order_by("consent_date", "id").first()

    def current_status(self) -> StudyStatusChange | None:
        return (
            StudyStatusChange.objects.filter(subject=self).order_by("-effective_on", "-id").first()
        )


def attach_study_ids(subjects: list[Subject]) -> dict[int, Enrolment]:
    """Load the enrolments of ``subjects`` in one query and set each one's study ID."""
    enrolments = {e.subject_id: e for e in Enrolment.objects.filter(subject__in=subjects)}
    for subject in subjects:
        enrolment = enrolments.get(subject.pk)
        subject._study_id = enrolment.study_id if enrolment else None
    return enrolments


def earliest_procedure_date(subject_id: int) -> tuple[dt.date, str] | None:
    """The earliest clinical date of any record that needs consent, and its record type."""
    earliest: tuple[dt.date, str] | None = None
    for model in apps.get_models():
        if not issubclass(model, SubjectRecord) or not model.requires_consent or model.history:
            continue
        if model.event_date_field is None:
            continue
        value = (
            model._default_manager.filter(subject_id=subject_id)
            .order_by(model.event_date_field)
            .values_list(model.event_date_field, flat=True)
            .first()
        )
        if isinstance(value, dt.datetime):
            value = value.date()
        if value is not None and (earliest is None or value < earliest[0]):
            earliest = (value, str(model._meta.verbose_name))
    return earliest


class Consent(SubjectRecord):
    """Written informed consent (a new row for each re-consent to a new version)."""

    consent_date = models.DateField(_("date of consent"))
    consent_version = models.CharField(
        _("consent form version"), max_length=40, help_text=_("e.g. 2.0, 2025-01-10")
    )
    obtained_by = models.CharField(_("consent obtained by"), max_length=100)

    event_date_field = "consent_date"
    requires_consent = False
    form_code = "CONSENT"

    class Meta:
        ordering = ("consent_date", "id")
        verbose_name = _("informed consent")

    def __str__(self) -> str:
        return f"consent {self.consent_version} on {self.consent_date}"

    def clean(self) -> None:
        super().clean()
        if self.subject_id is None or self.consent_date is None:
            return
        others = Consent.objects.filter(subject_id=self.subject_id).exclude(pk=self.pk)
        first_other = others.order_by("consent_date").values_list("consent_date", flat=True).first()
        if first_other is not None and first_other <= self.consent_date:
            return  # a re-consent: the first consent still covers earlier procedures
        earliest = earliest_procedure_date(self.subject_id)
        if earliest is not None and earliest[0] < self.consent_date:
            raise ValidationError(
                {
                    "consent_date": _(
                        "%(record)s is recorded on %(date)s, before this consent date: "
                        "consent must come before any study procedure."
                    )
                    % {"record": earliest[1], "date": earliest[0].isoformat()}
                }
            )


class EligibilityAssessment(SubjectRecord):
    """The eligibility checklist, answered criterion by criterion (see ``eligibility.CRITERIA``)."""

    assessed_on = models.DateField(_("date assessed"))
    answers = models.JSONField(_("answers"), default=dict)
    assessed_by = models.CharField(_("assessed by"), max_length=100)

    event_date_field = "assessed_on"
    form_code = "ELIGIBILITY"

    class Meta:
        ordering = ("assessed_on", "id")
        verbose_name = _("eligibility assessment")

    def __str__(self) -> str:
        return f"eligibility on {self.assessed_on}: {self.result()}"

    def result(self) -> EligibilityResult:
        return evaluate(self.answers)

    def clean(self) -> None:
        super().clean()
        codes = {criterion.code for criterion in CRITERIA}
        bad = {k: v for k, v in self.answers.items() if k not in codes or v not in ANSWERS}
        if bad:
            raise ValidationError({"answers": _("Unknown criteria or answers: %s") % bad})


class Enrolment(SubjectRecord):
    """Enrolment of an eligible, consented subject under a study ID ``INODLI-NNN``."""

    study_id = models.CharField(
        _("study ID"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(STUDY_ID_PATTERN, _("Use the form INODLI-001."))],
        error_messages={"unique": _("This study ID is already used by another subject.")},
    )
    enrolled_on = models.DateField(_("date of enrolment"))

    event_date_field = "enrolled_on"
    form_code = "ENROLMENT"

    class Meta:
        ordering = ("study_id",)
        verbose_name = _("enrolment")
        constraints = (
            models.UniqueConstraint(fields=("subject",), name="one_enrolment_per_subject"),
        )

    def __str__(self) -> str:
        return f"{self.study_id} enrolled {self.enrolled_on}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.study_id:
            other = Enrolment.objects.filter(study_id=self.study_id).exclude(pk=self.pk).first()
            if other is not None:
                errors["study_id"] = _(
                    "%(id)s is already the study ID of the subject screened as %(other)s; "
                    "choose the next free number."
                ) % {"id": self.study_id, "other": other.subject.screening_number}
        if self.subject_id is not None and self.enrolled_on is not None:
            latest = (
                EligibilityAssessment.objects.filter(
                    subject_id=self.subject_id, assessed_on__lte=self.enrolled_on
                )
                .order_by("-assessed_on", "-id")
                .first()
            )
            if latest is None:
                errors["enrolled_on"] = _(
                    "No eligibility assessment on or before this date: complete the checklist first."
                )
            elif not latest.result().eligible:
                errors["enrolled_on"] = _(
                    "The latest eligibility assessment (%(date)s) is %(result)s."
                ) % {"date": latest.assessed_on.isoformat(), "result": latest.result()}
        if errors:
            raise ValidationError(errors)


def next_study_id() -> str:
    """The next free ``INODLI-NNN`` (one more than the highest used)."""
    numbers = [
        int(match.group(1))
        for value in Enrolment.objects.values_list("study_id", flat=True)
        if (match := re.match(r"^INODLI-(\d{3})$", value))
    ]
    return f"INODLI-{max(numbers, default=0) + 1:03d}"


def next_screening_number() -> str:
    numbers = [
        int(value.split("-")[1])
        for value in Subject.objects.values_list("screening_number", flat=True)
        if re.match(SCREENING_PATTERN, value)
    ]
    return f"SCR-{max(numbers, default=0) + 1:03d}"


class StudyStatusChange(SubjectRecord):
    """A change of study status, effective on a date: the current status is the latest row."""

    class Status(models.TextChoices):
        OFF_TREATMENT = "off_treatment", _("Off protocol treatment, in follow-up")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("Lost to follow-up")
        COMPLETED = "completed", _("Completed the study")
        OFF_STUDY = "off_study", _("Off study (other reason)")

    effective_on = models.DateField(_("effective date"))
    status = models.CharField(_("new status"), max_length=20, choices=Status.choices)
    explanation = models.TextField(_("explanation"), blank=True)

    event_date_field = "effective_on"
    form_code = "STATUS"

    class Meta:
        ordering = ("effective_on", "id")
        verbose_name = _("study status change")

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.effective_on}"


from inodli.edc.subjects.baseline import (  # noqa: E402  (Django finds models in this module)
    BodyMeasurement,
    Demographics,
    Disease,
    PostTransplantRelapse,
    PriorTherapy,
    TransplantHistory,
)

__all__ += [
    "BodyMeasurement",
    "Demographics",
    "Disease",
    "PostTransplantRelapse",
    "PriorTherapy",
    "TransplantHistory",
]
