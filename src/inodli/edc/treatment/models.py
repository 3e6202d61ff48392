"""Treatment forms: InO administrations, HLA-loss tests, DLI infusions, intrathecal courses.

Computed values (BSA, the dose, the next-dose decision, DLI eligibility, CD3+ cells and
product volume) come from ``inodli.protocol`` through :mod:`inodli.edc.treatment.services`
and are stored with the inputs that produced them, so each can be retraced later.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inodli.edc.assessments.derivations import check_not_after_death
from inodli.edc.core.models import SubjectRecord


class InoAdministration(SubjectRecord):
    """One scheduled InO dose (cycle, day): given, held or not given because discontinued."""

    event_date_field = "administered_on"
    form_code = "INO_ADMIN"

    class Status(models.TextChoices):
        GIVEN = "given", _("Given")
        HELD = "held", _("Held")
        DISCONTINUED = "discontinued", _("Not given: treatment discontinued")

    cycle = models.PositiveSmallIntegerField(_("cycle"))
    day = models.PositiveSmallIntegerField(_("cycle day"))
    administered_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # Body size used for the dose
    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1)
    bsa_formula = models.CharField(_("BSA formula"), max_length=12)
    bsa_m2 = models.DecimalField(_("BSA (m²)"), max_digits=4, decimal_places=2)
    # The dose: intended by the protocol, calculated, dispensed
    in_remission = models.BooleanField(
        _("CR/CRi after cycle 1 (from the recorded response)"), null=True, blank=True
    )
    intended_mg_m2 = models.DecimalField(_("intended dose (mg/m²)"), max_digits=4, decimal_places=2)
    calculated_mg = models.DecimalField(_("calculated dose (mg)"), max_digits=6, decimal_places=3)
    dispensed_mg = models.DecimalField(
        _("dispensed dose (mg)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    volume_ml = models.DecimalField(
        _("volume withdrawn (mL)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    dose_difference_reason = models.TextField(_("reason the dose differs"), blank=True)
    # The date against the protocol's windows
    schedule_deviations = models.TextField(
        _("outside the protocol's windows (computed)"), blank=True
    )
    schedule_deviation_reason = models.TextField(
        _("reason for the date outside its window"), blank=True
    )
    # The give/hold/discontinue decision from the latest labs and AEs
    decision = models.CharField(_("protocol decision"), max_length=12)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decision_labs_on = models.DateField(_("date of the labs used"), null=True, blank=True)
    decision_override_reason = models.TextField(
        _("reason for giving against the protocol decision"), blank=True
    )

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.subject_id is None or None in (
            self.cycle,
            self.day,
            self.administered_on,
            self.height_cm,
            self.weight_kg,
        ):
            return  # the missing field is reported by field validation
        from inodli.edc.treatment.dosing import complete_ino_administration

        complete_ino_administration(self)

    class Meta:
        verbose_name = _("InO administration")
        ordering = ("administered_on", "cycle", "day", "id")
        constraints = (
            models.UniqueConstraint(
                fields=(
                    "subject",
                    "cycle",
                    "day",
                ),
                name="ino_one_row_per_dose",
            ),
        )

    def __str__(self) -> str:
        return f"C{self.cycle}D{self.day} {self.administered_on}: {self.get_status_display()}, {self.calculated_mg} mg calculated"


class HlaLossTest(SubjectRecord):
    """The HLA-loss test on the relapsed leukaemia (a DLI prerequisite)."""

    event_date_field = "sampled_on"
    form_code = "HLA_LOSS"

    class Method(models.TextChoices):
        QPCR = "qpcr", _("Real-time PCR of HLA polymorphisms")
        NGS = "ngs", _("NGS of HLA polymorphisms")
        FLOW = "flow", _("Flow cytometry with locus-specific antibodies")
        OTHER = "other", _("Other")

    class Sample(models.TextChoices):
        MARROW = "marrow", _("Bone marrow")
        BLOOD = "blood", _("Peripheral blood")

    class Result(models.TextChoices):
        LOSS = "loss", _("HLA loss detected")
        NO_LOSS = "no_loss", _("No HLA loss")
        NOT_INFORMATIVE = "not_informative", _("Not informative")

    sampled_on = models.DateField(_("date sampled"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    sample = models.CharField(_("sample"), max_length=10, choices=Sample.choices)
    sorted_blasts = models.BooleanField(_("sorted blasts"), default=False)
    loci = models.CharField(_("loci tested"), max_length=100)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )

    class Meta:
        verbose_name = _("HLA-loss test")
        ordering = ("sampled_on", "id")

    def __str__(self) -> str:
        return f"HLA-loss test {self.sampled_on}: {self.get_result_display()}"


class DliInfusion(SubjectRecord):
    """A donor lymphocyte infusion with the eligibility and dose computed when it was entered."""

    event_date_field = "infused_on"
    form_code = "DLI"

    infused_on = models.DateField(_("date infused"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1)
    product_cd3_per_ml = models.FloatField(_("product CD3+ cells per mL"))
    target_cd3_per_kg = models.FloatField(
        _("target CD3+ cells per kg (empty: the protocol's)"), null=True, blank=True
    )
    computed_cd3_cells = models.FloatField(_("CD3+ cells needed"))
    computed_volume_ml = models.FloatField(_("product volume computed (mL)"))
    volume_infused_ml = models.FloatField(
        _("volume infused (mL; empty: the computed volume)"), null=True, blank=True
    )
    hla_loss_test = models.ForeignKey(
        HlaLossTest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    eligible = models.BooleanField(_("eligible by the protocol"))
    eligibility_reasons = models.TextField(_("failed criteria"), blank=True)
    override = models.BooleanField(_("given although not eligible"), default=False)
    override_reason = models.TextField(_("reason for the override"), blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.subject_id is None or None in (
            self.infused_on,
            self.weight_kg,
            self.product_cd3_per_ml,
        ):
            return
        from inodli.edc.treatment.dli import complete_dli_infusion

        complete_dli_infusion(self)

    class Meta:
        verbose_name = _("DLI infusion")
        ordering = ("infused_on", "id")

    @property
    def flagged(self) -> bool:
        """Given while the protocol said not eligible."""
        return not self.eligible

    def __str__(self) -> str:
        return (
            f"DLI {self.infused_on}: {self.computed_cd3_cells} CD3+ cells, {self.volume_infused_ml} mL"
            + (" (given although not eligible)" if not self.eligible else "")
        )


class IntrathecalCourse(SubjectRecord):
    """One intrathecal course (cytarabine + dexamethasone + methotrexate) with the CSF result."""

    event_date_field = "given_on"
    form_code = "IT"

    class CsfResult(models.TextChoices):
        NEGATIVE = "negative", _("No blasts")
        POSITIVE = "positive", _("Blasts present")
        NOT_DONE = "not_done", _("Not examined")

    given_on = models.DateField(_("date given"))
    course_number = models.PositiveSmallIntegerField(_("course number"))
    cytarabine_mg = models.DecimalField(_("cytarabine (mg)"), max_digits=5, decimal_places=1)
    dexamethasone_mg = models.DecimalField(_("dexamethasone (mg)"), max_digits=5, decimal_places=1)
    methotrexate_mg = models.DecimalField(_("methotrexate (mg)"), max_digits=5, decimal_places=1)
    csf_wbc_per_ul = models.FloatField(_("CSF white cells (/µL)"), null=True, blank=True)
    csf_result = models.CharField(_("CSF blasts"), max_length=10, choices=CsfResult.choices)
    dose_difference_reason = models.TextField(_("reason the doses differ"), blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.subject_id is None or self.given_on is None or self.course_number is None:
            return
        from inodli.edc.treatment.intrathecal import complete_intrathecal_course

        complete_intrathecal_course(self)

    class Meta:
        verbose_name = _("intrathecal course")
        ordering = ("given_on", "id")
        constraints = (
            models.UniqueConstraint(
                fields=(
                    "subject",
                    "course_number",
                ),
                name="it_one_row_per_course",
            ),
        )

    def __str__(self) -> str:
        return f"IT course {self.course_number} on {self.given_on}"
