"""Safety forms: adverse events (grade changes as rows), the visit's AE review, acute and
chronic GVHD assessments.

GVHD stages, grades and global severity are computed by ``inodli.protocol`` in
:mod:`inodli.edc.safety.services` and stored beside the organ inputs.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from inodli.edc.assessments.derivations import check_not_after_death
from inodli.edc.core.models import SubjectRecord


class Relationship(models.TextChoices):
    NOT_RELATED = "not_related", _("Not related")
    UNLIKELY = "unlikely", _("Unlikely")
    POSSIBLE = "possible", _("Possible")
    PROBABLE = "probable", _("Probable")
    DEFINITE = "definite", _("Definite")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (not received)")


class AdverseEvent(SubjectRecord):
    """One adverse event episode: its term, dates, seriousness, relationships and outcome.

    The grade lives in :class:`AdverseEventGrade` rows: a change of grade is a new row, so the
    worst grade and the grade on any date can be read back.
    """

    event_date_field = "started_on"
    form_code = "AE"

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("Not recovered / ongoing")
        RECOVERING = "recovering", _("Recovering")
        RECOVERED = "recovered", _("Recovered")
        RECOVERED_SEQUELAE = "sequelae", _("Recovered with sequelae")
        FATAL = "fatal", _("Fatal")
        UNKNOWN = "unknown", _("Unknown")

    term = models.CharField(_("CTCAE v5.0 term"), max_length=120)
    other_specify = models.CharField(_("other, specify"), max_length=120, blank=True)
    started_on = models.DateField(_("start date"))
    stopped_on = models.DateField(_("stop date"), null=True, blank=True)
    # Seriousness criteria (ICH E2A); serious = any of them
    results_in_death = models.BooleanField(_("results in death"), default=False)
    life_threatening = models.BooleanField(_("life-threatening"), default=False)
    hospitalisation = models.BooleanField(_("requires or prolongs hospitalisation"), default=False)
    disability = models.BooleanField(_("persistent or significant disability"), default=False)
    congenital_anomaly = models.BooleanField(_("congenital anomaly"), default=False)
    important_medical_event = models.BooleanField(_("important medical event"), default=False)
    relationship_ino = models.CharField(
        _("relationship to InO"), max_length=16, choices=Relationship.choices
    )
    relationship_dli = models.CharField(
        _("relationship to DLI"), max_length=16, choices=Relationship.choices
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    special_interest = models.CharField(
        _("AE of special interest (set automatically)"), max_length=30, blank=True
    )

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.subject_id is None or self.started_on is None or not self.term:
            return
        from inodli.edc.safety.adverse_events import complete_adverse_event

        complete_adverse_event(self)

    class Meta:
        verbose_name = _("adverse event")
        ordering = ("started_on", "id")

    @property
    def serious(self) -> bool:
        return any(
            (
                self.results_in_death,
                self.life_threatening,
                self.hospitalisation,
                self.disability,
                self.congenital_anomaly,
                self.important_medical_event,
            )
        )

    def current_grade(self, on: dt.date | None = None) -> int | None:
        """The grade on ``on`` (the latest row dated on or before it), or the latest grade."""
        rows = self.grades.order_by("-effective_on", "-id")
        if on is not None:
            rows = rows.filter(effective_on__lte=on)
        latest = rows.first()
        return latest.grade if latest is not None else None

    def worst_grade(self) -> int | None:
        return max((row.grade for row in self.grades.all()), default=None)

    def __str__(self) -> str:
        name = self.other_specify if self.other_specify else self.term
        return f"{name} from {self.started_on}"


class AdverseEventGrade(SubjectRecord):
    """The grade of an adverse event from a date on (the first row is the onset grade).

    A change of grade is a new row (never an overwritten field), so the grade on any date
    and the worst grade can be read back.
    """

    event_date_field = "effective_on"
    form_code = "AE_GRADE"

    adverse_event = models.ForeignKey(AdverseEvent, on_delete=models.CASCADE, related_name="grades")
    effective_on = models.DateField(_("grade from"))
    grade = models.PositiveSmallIntegerField(_("CTCAE grade"))
    suggested_grade = models.PositiveSmallIntegerField(
        _("grade suggested from the labs"), null=True, blank=True
    )
    suggestion_detail = models.CharField(
        _("lab used for the suggestion"), max_length=200, blank=True
    )

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if (
            self.subject_id is None
            or self.adverse_event_id is None
            or None in (self.effective_on, self.grade)
        ):
            return
        from inodli.edc.safety.adverse_events import complete_grade

        complete_grade(self)

    class Meta:
        verbose_name = _("adverse event grade")
        ordering = ("effective_on", "id")

    def __str__(self) -> str:
        return f"{self.adverse_event} grade {self.grade} from {self.effective_on}"


class AdverseEventReview(SubjectRecord):
    """The AE review of a visit: were any adverse events (new or worsened) experienced since the
    last assessment? With the date of the review and who reviewed.

    One review per visit (:func:`inodli.edc.safety.ae_review.check_one_review_per_visit`); the
    answer is compared with the adverse events recorded in its interval by an edit check
    (:func:`inodli.edc.safety.ae_review.review_inconsistency`).
    """

    event_date_field = "reviewed_on"
    form_code = "AE_REVIEW"

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    reviewed_on = models.DateField(_("date of review"))
    any_events = models.CharField(
        _("Were any adverse events (new or worsened) experienced since the last assessment?"),
        max_length=16,
        choices=Answer.choices,
        error_messages={"invalid_choice": _("%(value)r is not an answer: answer yes or no.")},
    )
    reviewed_by = models.CharField(_("reviewed by"), max_length=100)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if self.subject_id is None or self.reviewed_on is None:
            return
        from inodli.edc.safety.ae_review import check_one_review_per_visit

        check_one_review_per_visit(self)

    class Meta:
        verbose_name = _("adverse event review")
        ordering = ("reviewed_on", "id")
        constraints = (
            # The visit rule lives in clean(); this keeps two concurrent saves of one day apart.
            models.UniqueConstraint(
                fields=("subject", "reviewed_on"), name="safety_one_ae_review_per_day"
            ),
        )

    def __str__(self) -> str:
        return f"AE review {self.reviewed_on}: {self.any_events}"


class AcuteGvhdAssessment(SubjectRecord):
    """Acute GVHD organ findings and the MAGIC stages and overall grade computed from them."""

    event_date_field = "assessed_on"
    form_code = "AGVHD"

    assessed_on = models.DateField(_("date assessed"))

    class BilirubinUnit(models.TextChoices):
        UMOL_L = "umol/L", "µmol/L"
        MG_DL = "mg/dL", "mg/dL"

    # Organ inputs (MAGIC data collection, Harris 2016)
    skin_erythema_bsa_pct = models.FloatField(_("skin: active erythema (% BSA)"))
    skin_bullae_bsa_pct = models.FloatField(_("skin: bullae/desquamation (% BSA)"), default=0)
    bilirubin = models.FloatField(_("liver: total bilirubin"))
    bilirubin_unit = models.CharField(
        _("bilirubin unit"),
        max_length=8,
        choices=BilirubinUnit.choices,
        default=BilirubinUnit.UMOL_L,
    )
    upper_gi_persistent = models.BooleanField(
        _("upper GI: persistent nausea, vomiting or anorexia"), default=False
    )
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1)
    stool_ml_per_day = models.FloatField(
        _("lower GI: diarrhoea volume (mL/day)"), null=True, blank=True
    )
    stool_episodes_per_day = models.PositiveSmallIntegerField(
        _("lower GI: liquid stool episodes per day"), null=True, blank=True
    )
    unquantified_episodes = models.PositiveSmallIntegerField(
        _("lower GI: episodes without a volume"), default=0
    )
    severe_abdominal_pain = models.BooleanField(_("lower GI: severe abdominal pain"), default=False)
    grossly_bloody_stool = models.BooleanField(_("lower GI: grossly bloody stool"), default=False)
    # Computed by inodli.protocol.gvhd_acute (MAGIC)
    skin_stage = models.PositiveSmallIntegerField(_("skin stage"))
    liver_stage = models.PositiveSmallIntegerField(_("liver stage"))
    upper_gi_stage = models.PositiveSmallIntegerField(_("upper GI stage"))
    lower_gi_stage = models.PositiveSmallIntegerField(_("lower GI stage"))
    overall_grade = models.PositiveSmallIntegerField(_("overall grade (0-4)"))
    grade_detail = models.TextField(_("how the stages and grade were reached"), blank=True)

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        if None in (self.skin_erythema_bsa_pct, self.bilirubin, self.weight_kg):
            return
        from inodli.edc.safety.gvhd import complete_acute_gvhd

        complete_acute_gvhd(self)

    @property
    def overall_grade_roman(self) -> str:
        return ("0", "I", "II", "III", "IV")[self.overall_grade]

    class Meta:
        verbose_name = _("acute GVHD assessment")
        ordering = ("assessed_on", "id")

    def __str__(self) -> str:
        return f"acute GVHD {self.assessed_on}: grade {self.overall_grade_roman}"


class ChronicGvhdAssessment(SubjectRecord):
    """NIH 2014 chronic GVHD organ scores (0-3) and the global severity computed from them."""

    event_date_field = "assessed_on"
    form_code = "CGVHD"

    assessed_on = models.DateField(_("date assessed"))
    skin = models.PositiveSmallIntegerField(_("skin"))
    mouth = models.PositiveSmallIntegerField(_("mouth"))
    eyes = models.PositiveSmallIntegerField(_("eyes"))
    gi_tract = models.PositiveSmallIntegerField(_("GI tract"))
    liver = models.PositiveSmallIntegerField(_("liver"))
    lungs = models.PositiveSmallIntegerField(_("lungs (FEV1-based score)"))
    joints_fascia = models.PositiveSmallIntegerField(_("joints and fascia"))
    genital_tract = models.PositiveSmallIntegerField(_("genital tract"))
    global_severity = models.CharField(_("global severity (computed)"), max_length=12)
    severity_detail = models.CharField(
        _("how the severity was reached"), max_length=300, blank=True
    )

    def clean(self) -> None:
        super().clean()
        check_not_after_death(
            self.subject_id, self.event_date(), self.event_date_field or "__all__"
        )
        from inodli.edc.safety.gvhd import CGVHD_ORGANS, complete_chronic_gvhd

        if any(getattr(self, organ) is None for organ in CGVHD_ORGANS):
            return
        complete_chronic_gvhd(self)

    class Meta:
        verbose_name = _("chronic GVHD assessment")
        ordering = ("assessed_on", "id")

    def __str__(self) -> str:
        return f"chronic GVHD {self.assessed_on}: {self.global_severity}"
