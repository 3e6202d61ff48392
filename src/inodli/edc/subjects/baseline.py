"""Baseline records: demographics, height and weight, disease, transplant, relapse, prior therapy.

Ranges that a protocol function already owns (height and weight for BSA) are checked by calling
that function, so the EDC never holds a second copy of a threshold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.models import SubjectRecord
from inodli.errors import InputError
from inodli.protocol.bsa import body_surface_area

__all__ = [
    "BodyMeasurement",
    "Demographics",
    "Disease",
    "PostTransplantRelapse",
    "PriorTherapy",
    "TransplantHistory",
    "latest_body_measurement",
]

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _percent(label: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=6, decimal_places=3, validators=PERCENT, **kwargs)


def _not_after(
    errors: dict[str, Any], field: str, value: dt.date | None, limit: dt.date | None, what: Any
) -> None:
    if value is not None and limit is not None and value > limit:
        errors[field] = _("%(value)s is after %(what)s (%(limit)s): check the dates.") % {
            "value": value.isoformat(),
            "what": what,
            "limit": limit.isoformat(),
        }


def _single(model: type[SubjectRecord], subject_id: int | None) -> Any:
    if subject_id is None:
        return None
    return model._default_manager.filter(subject_id=subject_id).order_by("-id").first()


class Demographics(SubjectRecord):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    recorded_on = models.DateField(_("date recorded"))
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)

    event_date_field = "recorded_on"
    form_code = "DEMOGRAPHICS"

    class Meta:
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")

    def __str__(self) -> str:
        return f"{self.get_sex_display()}, born {self.date_of_birth}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        _not_after(
            errors, "date_of_birth", self.date_of_birth, self.recorded_on, _("the date recorded")
        )
        if self.date_of_birth and self.date_of_birth < dt.date(1900, 1, 1):
            errors["date_of_birth"] = _("A date of birth before 1900 is not plausible.")
        if errors:
            raise ValidationError(errors)


class BodyMeasurement(SubjectRecord):
    """Height and actual body weight on a date; doses use the latest measurement."""

    measured_on = models.DateField(_("date measured"))
    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1)

    event_date_field = "measured_on"
    form_code = "BODY"

    class Meta:
        ordering = ("measured_on", "id")
        verbose_name = _("height and weight")

    def __str__(self) -> str:
        return f"{self.height_cm} cm, {self.weight_kg} kg on {self.measured_on}"

    def clean(self) -> None:
        super().clean()
        if self.height_cm is None or self.weight_kg is None:
            return
        try:  # the plausible ranges belong to the BSA rule table
            body_surface_area(Decimal(self.height_cm), Decimal(self.weight_kg))
        except InputError as error:
            field = error.field if error.field in {"height_cm", "weight_kg"} else "__all__"
            raise ValidationError(
                {field: _("Expected %(allowed)s.") % {"allowed": error.allowed}}
            ) from error


def latest_body_measurement(subject: Any, on: dt.date | None = None) -> BodyMeasurement | None:
    """The subject's latest height and weight measured on or before ``on`` (any date if None)."""
    queryset = BodyMeasurement.objects.filter(subject=subject)
    if on is not None:
        queryset = queryset.filter(measured_on__lte=on)
    return queryset.order_by("-measured_on", "-id").first()


class Disease(SubjectRecord):
    class Diagnosis(models.TextChoices):
        B_ALL = "B-ALL", _("B-cell acute lymphoblastic leukaemia")
        LBL = "LBL", _("B-lymphoblastic lymphoma")

    class Philadelphia(models.TextChoices):
        POSITIVE = "positive", _("Ph-positive")
        NEGATIVE = "negative", _("Ph-negative")
        UNKNOWN = "unknown", _("Unknown")

    diagnosis = models.CharField(_("diagnosis"), max_length=5, choices=Diagnosis.choices)
    diagnosed_on = models.DateField(_("date of initial diagnosis"))
    philadelphia = models.CharField(
        _("Philadelphia chromosome"), max_length=8, choices=Philadelphia.choices
    )
    cd22_percent = _percent(_("CD22-positive blasts (%)"))
    cd22_assessed_on = models.DateField(_("date CD22 assessed"))

    event_date_field = "cd22_assessed_on"
    history = True  # diagnosis and the relapse work-up may precede consent
    form_code = "DISEASE"

    class Meta:
        verbose_name = _("disease")

    def __str__(self) -> str:
        return f"{self.diagnosis}, {self.get_philadelphia_display()}, CD22 {self.cd22_percent}%"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        _not_after(
            errors,
            "diagnosed_on",
            self.diagnosed_on,
            self.cd22_assessed_on,
            _("the CD22 assessment"),
        )
        if errors:
            raise ValidationError(errors)


class TransplantHistory(SubjectRecord):
    """The allogeneic transplant after which the disease relapsed."""

    class Donor(models.TextChoices):
        MATCHED_SIBLING = "MSD", _("Matched sibling")
        MATCHED_UNRELATED = "MUD", _("Matched unrelated")
        MISMATCHED_UNRELATED = "MMUD", _("Mismatched unrelated")
        HAPLOIDENTICAL = "HAPLO", _("Haploidentical")
        CORD = "CORD", _("Umbilical cord blood")

    class Intensity(models.TextChoices):
        MYELOABLATIVE = "MAC", _("Myeloablative")
        REDUCED = "RIC", _("Reduced intensity")
        NON_MYELOABLATIVE = "NMA", _("Non-myeloablative")

    class ChronicGvhd(models.TextChoices):
        NONE = "none", _("None")
        MILD = "mild", _("Mild")
        MODERATE = "moderate", _("Moderate")
        SEVERE = "severe", _("Severe")

    transplant_date = models.DateField(_("date of allogeneic HSCT"))
    donor_type = models.CharField(_("donor type"), max_length=5, choices=Donor.choices)
    hla_matched = models.PositiveSmallIntegerField(_("HLA alleles matched"))
    hla_typed = models.PositiveSmallIntegerField(
        _("HLA alleles typed"), help_text=_("e.g. 10 for 10/10")
    )
    conditioning_intensity = models.CharField(
        _("conditioning intensity"), max_length=3, choices=Intensity.choices
    )
    conditioning_regimen = models.CharField(_("conditioning regimen"), max_length=200)
    worst_prior_acute_gvhd_grade = models.PositiveSmallIntegerField(
        _("worst acute GVHD grade before relapse"),
        choices=[(0, _("None")), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
    )
    prior_chronic_gvhd = models.CharField(
        _("chronic GVHD before relapse (worst)"), max_length=8, choices=ChronicGvhd.choices
    )

    event_date_field = "transplant_date"
    history = True  # the transplant predates the study by definition
    form_code = "TRANSPLANT"

    class Meta:
        verbose_name = _("transplant history")
        verbose_name_plural = _("transplant history")

    def __str__(self) -> str:
        return (
            f"{self.donor_type} HSCT {self.transplant_date} ({self.hla_matched}/{self.hla_typed})"
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.hla_matched is not None and self.hla_typed is not None:
            if not 1 <= self.hla_typed <= 12:
                errors["hla_typed"] = _("Expected 1-12 alleles typed.")
            elif self.hla_matched > self.hla_typed:
                errors["hla_matched"] = _("More alleles matched than typed.")
        disease = _single(Disease, self.subject_id)
        if disease is not None:
            _not_after(
                errors,
                "transplant_date",
                disease.diagnosed_on,
                self.transplant_date,
                _("the transplant"),
            )
            if "transplant_date" in errors:
                errors["transplant_date"] = _(
                    "The transplant is dated before the initial diagnosis (%s)."
                ) % (disease.diagnosed_on.isoformat())
        if errors:
            raise ValidationError(errors)


class PostTransplantRelapse(SubjectRecord):
    """The relapse after transplant that qualifies the subject (baseline disease status)."""

    class Cns(models.TextChoices):
        CNS1 = "CNS1", _("CNS1 (no blasts in CSF)")
        CNS2 = "CNS2", _("CNS2 (<5 WBC/uL with blasts)")
        CNS3 = "CNS3", _("CNS3 (>=5 WBC/uL with blasts, or cranial nerve palsy)")

    relapse_date = models.DateField(_("date of relapse"))
    marrow_blasts_percent = _percent(_("marrow blasts (%)"))
    extramedullary = models.BooleanField(_("extramedullary disease"), default=False)
    extramedullary_sites = models.CharField(_("extramedullary sites"), max_length=200, blank=True)
    cns_status = models.CharField(_("CNS status"), max_length=4, choices=Cns.choices)
    mrd_percent = _percent(_("MRD (% of nucleated cells)"), null=True, blank=True)
    mrd_method = models.CharField(
        _("MRD method"), max_length=40, blank=True, help_text=_("e.g. 8-colour flow, 10^-4")
    )

    event_date_field = "relapse_date"
    history = True  # the qualifying relapse precedes consent
    form_code = "RELAPSE_BASELINE"

    class Meta:
        verbose_name = _("relapse after transplant")

    def __str__(self) -> str:
        return f"relapse {self.relapse_date}, marrow blasts {self.marrow_blasts_percent}%"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.extramedullary and not self.extramedullary_sites.strip():
            errors["extramedullary_sites"] = _("Name the extramedullary sites.")
        if not self.extramedullary and self.extramedullary_sites.strip():
            errors["extramedullary_sites"] = _(
                "Sites given but extramedullary disease is not ticked."
            )
        if self.mrd_percent is not None and not self.mrd_method.strip():
            errors["mrd_method"] = _("Give the MRD method with its sensitivity.")
        transplant = _single(TransplantHistory, self.subject_id)
        if (
            transplant is not None
            and self.relapse_date is not None
            and self.relapse_date <= transplant.transplant_date
        ):
            errors["relapse_date"] = (
                _("The relapse must be after the transplant (%s).")
                % transplant.transplant_date.isoformat()
            )
        if errors:
            raise ValidationError(errors)


class PriorTherapy(SubjectRecord):
    """One earlier line of therapy."""

    class Response(models.TextChoices):
        CR = "CR", _("Complete remission")
        CRI = "CRi", _("CR with incomplete count recovery")
        PR = "PR", _("Partial response")
        NR = "NR", _("No response")
        UNKNOWN = "UNK", _("Unknown")

    line_number = models.PositiveSmallIntegerField(
        _("line"), validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    regimen = models.CharField(_("regimen"), max_length=200)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    best_response = models.CharField(_("best response"), max_length=3, choices=Response.choices)

    event_date_field = "started_on"
    history = True
    form_code = "PRIOR_THERAPY"

    class Meta:
        ordering = ("line_number", "started_on")
        verbose_name = _("prior line of therapy")

    def __str__(self) -> str:
        return f"line {self.line_number}: {self.regimen}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if (
            self.ended_on is not None
            and self.started_on is not None
            and self.ended_on < self.started_on
        ):
            errors["ended_on"] = (
                _("The end date is before the start date (%s).") % self.started_on.isoformat()
            )
        if errors:
            raise ValidationError(errors)
