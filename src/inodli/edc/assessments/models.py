"""Assessment forms: laboratory panels, bone marrow, extramedullary disease, response,
relapse or progression, survival follow-up and death.

Every value that a rule derives (the response category) is computed by
``inodli.protocol.response`` in :mod:`inodli.edc.assessments.services` and stored beside the
investigator's own decision, so that both remain visible.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inodli.edc.assessments.derivations import check_not_after_death
from inodli.edc.core.models import CapturedRecord, SubjectRecord

from .analytes import ANALYTES
from .analytes import analyte as analyte_of


class LabPanel(SubjectRecord):
    """One blood sample: the date it was taken and the results measured on it."""

    event_date_field = "collected_on"
    form_code = "LABS"

    collected_on = models.DateField(_("date collected"))

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )

    class Meta:
        verbose_name = _("laboratory results")
        ordering = ("collected_on", "id")

    def __str__(self) -> str:
        return f"labs {self.collected_on}"


class LabResult(CapturedRecord):
    """One analyte's value with the laboratory's own reference range (LLN/ULN)."""

    panel = models.ForeignKey(LabPanel, on_delete=models.CASCADE, related_name="results")
    analyte = models.CharField(
        _("analyte"), max_length=20, choices=[(a.code, a.label) for a in ANALYTES]
    )
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=12)
    lln = models.FloatField(_("lower limit of normal"), null=True, blank=True)
    uln = models.FloatField(_("upper limit of normal"), null=True, blank=True)

    def audit_subject_id(self) -> int | None:
        return self.panel.subject_id

    def clean(self) -> None:
        super().clean()
        if self.value is None or not self.analyte:
            return
        from inodli.edc.assessments.validators import LabValueValidator

        LabValueValidator(analyte_of(self.analyte))(self.value, self.lln, self.uln)

    class Meta:
        verbose_name = _("laboratory result")
        ordering = ("panel__collected_on", "id")
        constraints = (
            models.UniqueConstraint(
                fields=(
                    "panel",
                    "analyte",
                ),
                name="lab_one_value_per_analyte",
            ),
        )

    def __str__(self) -> str:
        return f"{self.analyte} {self.value} {self.unit}"


class BoneMarrowAssessment(SubjectRecord):
    """A bone marrow aspirate/biopsy: blasts, cellularity and MRD with the assay's sensitivity."""

    event_date_field = "sampled_on"
    form_code = "MARROW"

    class MrdMethod(models.TextChoices):
        FLOW = "flow", _("Flow cytometry")
        PCR = "pcr", _("PCR (Ig/TCR or fusion transcript)")
        NGS = "ngs", _("Next-generation sequencing")
        NOT_DONE = "not_done", _("Not done")

    sampled_on = models.DateField(_("date sampled"))
    blast_pct = models.FloatField(_("marrow blasts (%)"))
    cellularity_pct = models.FloatField(_("cellularity (%)"), null=True, blank=True)
    mrd_method = models.CharField(_("MRD method"), max_length=10, choices=MrdMethod.choices)
    mrd_level_pct = models.FloatField(
        _("MRD level in marrow (%; 0 if not detected)"), null=True, blank=True
    )
    mrd_sensitivity_pct = models.FloatField(
        _("assay sensitivity (%; 0.01 = 1 in 10,000)"), null=True, blank=True
    )
    mrd_status = models.CharField(_("MRD status (computed)"), max_length=50, blank=True)
    mrd_detail = models.CharField(_("how the MRD status was reached"), max_length=300, blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.blast_pct is None or not self.mrd_method:
            return
        from inodli.edc.assessments.derivations import complete_marrow

        complete_marrow(self)

    class Meta:
        verbose_name = _("bone marrow assessment")
        ordering = ("sampled_on", "id")

    def __str__(self) -> str:
        return f"marrow {self.sampled_on}: {self.blast_pct}% blasts" + (
            f", MRD {self.mrd_status}" if self.mrd_status else ""
        )


class ExtramedullaryAssessment(SubjectRecord):
    """Imaging or clinical extramedullary status (LBL masses, CNS, other sites)."""

    event_date_field = "assessed_on"
    form_code = "EMD"

    class Method(models.TextChoices):
        PET_CT = "pet_ct", _("PET-CT")
        CT = "ct", _("CT")
        MRI = "mri", _("MRI")
        CLINICAL = "clinical", _("Clinical examination")
        CSF = "csf", _("CSF examination")

    class Status(models.TextChoices):
        # The values of inodli.protocol.response.ExtramedullaryStatus
        NONE = "none", _("No extramedullary disease")
        PRESENT = "present", _("Present (increase below 25%)")
        INCREASED = "increased", _("Increased (>=25% more than the reference)")
        NEW = "new", _("New site not involved before")

    assessed_on = models.DateField(_("date assessed"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(_("extramedullary status"), max_length=10, choices=Status.choices)
    deauville_score = models.PositiveSmallIntegerField(
        _("Deauville score (PET-CT)"), null=True, blank=True
    )
    sites = models.CharField(_("sites"), max_length=200, blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.deauville_score is not None and self.method != self.Method.PET_CT:
            raise ValidationError(
                {"deauville_score": _("A Deauville score comes from PET-CT only.")}
            )
        if self.deauville_score is not None and not 1 <= self.deauville_score <= 5:
            raise ValidationError({"deauville_score": _("The Deauville score is 1 to 5.")})
        if self.status != self.Status.NONE and not self.sites.strip():
            raise ValidationError({"sites": _("Name the sites of extramedullary disease.")})

    class Meta:
        verbose_name = _("extramedullary assessment")
        ordering = ("assessed_on", "id")

    def __str__(self) -> str:
        return f"extramedullary {self.assessed_on}: {self.get_status_display()}"


class ResponseAssessment(SubjectRecord):
    """A response assessment: the protocol's category from the recorded values and the
    investigator's decision (confirm, or override with a reason); both are kept."""

    event_date_field = "assessed_on"
    form_code = "RESPONSE"

    assessed_on = models.DateField(_("date assessed"))
    after_cycle = models.PositiveSmallIntegerField(_("after InO cycle"))
    # The inputs, copied from the marrow, labs and imaging used, so the category can be retraced.
    marrow = models.ForeignKey(
        BoneMarrowAssessment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    marrow_blast_pct = models.FloatField(_("marrow blasts (%)"), null=True, blank=True)
    anc = models.FloatField(_("ANC (10^9/L)"), null=True, blank=True)
    platelets = models.FloatField(_("platelets (10^9/L)"), null=True, blank=True)
    labs_on = models.DateField(_("date of the blood count used"), null=True, blank=True)
    blood_blasts_present = models.BooleanField(_("blasts in blood"), null=True, blank=True)
    extramedullary_status = models.CharField(_("extramedullary disease"), max_length=10, blank=True)
    imaging_deauville = models.PositiveSmallIntegerField(
        _("Deauville score"), null=True, blank=True
    )
    prior_remission = models.BooleanField(_("CR/CRi recorded before"), default=False)
    computed_category = models.CharField(_("category computed by the protocol"), max_length=40)
    computed_detail = models.TextField(_("how the category was reached"), blank=True)
    investigator_category = models.CharField(
        _("investigator's category"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty to confirm the computed category."),
    )
    override_reason = models.TextField(_("reason for a different category"), blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.subject_id is None or self.assessed_on is None or self.after_cycle is None:
            return
        from inodli.edc.assessments.derivations import complete_response

        complete_response(self)

    class Meta:
        verbose_name = _("response assessment")
        ordering = ("assessed_on", "id")

    @property
    def is_override(self) -> bool:
        return self.investigator_category != self.computed_category

    def __str__(self) -> str:
        return (
            f"response {self.assessed_on} after cycle {self.after_cycle}: {self.investigator_category}"
            + (f" (computed {self.computed_category})" if self.is_override else "")
        )


class RelapseEvent(SubjectRecord):
    """Relapse after remission, or progression; each event is its own row."""

    event_date_field = "occurred_on"
    form_code = "RELAPSE"

    class Kind(models.TextChoices):
        RELAPSE = "relapse", _("Relapse after CR/CRi")
        PROGRESSION = "progression", _("Progression")

    class Site(models.TextChoices):
        MARROW = "marrow", _("Bone marrow")
        BLOOD = "blood", _("Peripheral blood")
        CNS = "cns", _("Central nervous system")
        EXTRAMEDULLARY = "extramedullary", _("Other extramedullary")

    occurred_on = models.DateField(_("date of relapse or progression"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    site = models.CharField(_("site"), max_length=16, choices=Site.choices)
    marrow_blast_pct = models.FloatField(_("marrow blasts (%)"), null=True, blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        from inodli.edc.assessments.validators import RangeValidator

        RangeValidator("marrow_blast_pct", 0, 100, "%")(self.marrow_blast_pct)
        if self.site == self.Site.MARROW and self.marrow_blast_pct is None:
            raise ValidationError(
                {"marrow_blast_pct": _("A marrow relapse needs the marrow blasts.")}
            )

    class Meta:
        verbose_name = _("relapse or progression")
        ordering = ("occurred_on", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on} ({self.get_site_display()})"


class SurvivalFollowUp(SubjectRecord):
    """A contact confirming the subject was alive on a date (the last-known-alive date)."""

    event_date_field = "last_known_alive_on"
    form_code = "SURVIVAL"

    class Method(models.TextChoices):
        VISIT = "visit", _("Clinic visit")
        PHONE = "phone", _("Telephone")
        RECORDS = "records", _("Medical records")

    last_known_alive_on = models.DateField(_("last known alive"))
    method = models.CharField(_("contact method"), max_length=10, choices=Method.choices)
    disease_status = models.CharField(_("disease status"), max_length=100, blank=True)

    def clean(self) -> None:
        super().clean()
        if self.subject_id is None or self.last_known_alive_on is None:
            return
        death = Death.objects.filter(subject_id=self.subject_id).first()
        if death is not None and self.last_known_alive_on > death.died_on:
            raise ValidationError(
                {
                    "last_known_alive_on": _("The subject died on %(date)s.")
                    % {"date": death.died_on.isoformat()}
                }
            )

    class Meta:
        verbose_name = _("survival follow-up")
        ordering = ("last_known_alive_on", "id")

    def __str__(self) -> str:
        return f"alive on {self.last_known_alive_on}"


class Death(SubjectRecord):
    """The subject's death: one per subject; cause relapse/progression or not (for NRM)."""

    event_date_field = "died_on"
    form_code = "DEATH"

    class Cause(models.TextChoices):
        RELAPSE = "relapse", _("Relapse or progression")
        NON_RELAPSE = "non_relapse", _("Not relapse (non-relapse mortality)")
        UNKNOWN = "unknown", _("Unknown")

    died_on = models.DateField(_("date of death"))
    cause = models.CharField(_("cause category"), max_length=12, choices=Cause.choices)
    primary_cause = models.CharField(_("primary cause"), max_length=200)

    def clean(self) -> None:
        super().clean()
        if self.subject_id is None or self.died_on is None:
            return
        from inodli.edc.assessments.derivations import complete_death

        complete_death(self)

    class Meta:
        verbose_name = _("death")
        constraints = (models.UniqueConstraint(fields=("subject",), name="death_one_per_subject"),)

    def __str__(self) -> str:
        return f"died {self.died_on} ({self.get_cause_display()})"
