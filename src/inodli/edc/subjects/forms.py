"""Forms of the subjects app, all on :class:`inodli.edc.core.forms.RecordForm`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.forms import RecordForm
from inodli.edc.subjects import models as m
from inodli.edc.subjects.eligibility import CRITERIA

__all__ = [
    "BodyMeasurementForm",
    "ConsentForm",
    "DemographicsForm",
    "DiseaseForm",
    "EligibilityForm",
    "EnrolmentForm",
    "PostTransplantRelapseForm",
    "PriorTherapyForm",
    "StudyStatusChangeForm",
    "SubjectRegistrationForm",
    "TransplantHistoryForm",
]

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not yet known"))]


class SubjectRegistrationForm(RecordForm):
    """Register a person for screening; the screening number is assigned."""

    class Meta:
        model = m.Subject
        fields = ("initials", "registered_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_edit:
            self.instance.screening_number = m.next_screening_number()

    def clean_initials(self) -> str:
        return str(self.cleaned_data["initials"]).strip().upper()


class ConsentForm(RecordForm):
    class Meta:
        model = m.Consent
        fields = ("consent_date", "consent_version", "obtained_by")


class EligibilityForm(RecordForm):
    """One yes / no / not-yet-known question per declared criterion."""

    class Meta:
        model = m.EligibilityAssessment
        fields = ("assessed_on", "assessed_by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = self.instance.answers or {}
        for criterion in CRITERIA:
            kind = _("Inclusion") if criterion.kind == "inclusion" else _("Exclusion")
            self.fields[f"criterion_{criterion.code}"] = forms.ChoiceField(
                label=f"{criterion.code} ({kind}): {criterion.text}",
                choices=ANSWER_CHOICES,
                initial=answers.get(criterion.code, "unknown"),
                widget=forms.RadioSelect,
                help_text=criterion.source,
            )
        # keep the bookkeeping fields last
        for name in ("version", "reason"):
            if name in self.fields:
                self.fields[name] = self.fields.pop(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.answers = {
            c.code: cleaned.get(f"criterion_{c.code}", "unknown") for c in CRITERIA
        }
        return cleaned


class EnrolmentForm(RecordForm):
    class Meta:
        model = m.Enrolment
        fields = ("study_id", "enrolled_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_edit and not self.is_bound:
            self.initial.setdefault("study_id", m.next_study_id())

    def clean_study_id(self) -> str:
        return str(self.cleaned_data["study_id"]).strip().upper()


class DemographicsForm(RecordForm):
    class Meta:
        model = m.Demographics
        fields = ("recorded_on", "date_of_birth", "sex", "ethnicity")


class BodyMeasurementForm(RecordForm):
    class Meta:
        model = m.BodyMeasurement
        fields = ("measured_on", "height_cm", "weight_kg")


class DiseaseForm(RecordForm):
    class Meta:
        model = m.Disease
        fields = ("diagnosis", "diagnosed_on", "philadelphia", "cd22_percent", "cd22_assessed_on")


class TransplantHistoryForm(RecordForm):
    class Meta:
        model = m.TransplantHistory
        fields = (
            "transplant_date",
            "donor_type",
            "hla_matched",
            "hla_typed",
            "conditioning_intensity",
            "conditioning_regimen",
            "worst_prior_acute_gvhd_grade",
            "prior_chronic_gvhd",
        )


class PostTransplantRelapseForm(RecordForm):
    class Meta:
        model = m.PostTransplantRelapse
        fields = (
            "relapse_date",
            "marrow_blasts_percent",
            "extramedullary",
            "extramedullary_sites",
            "cns_status",
            "mrd_percent",
            "mrd_method",
        )


class PriorTherapyForm(RecordForm):
    class Meta:
        model = m.PriorTherapy
        fields = ("line_number", "regimen", "started_on", "ended_on", "best_response")


class StudyStatusChangeForm(RecordForm):
    class Meta:
        model = m.StudyStatusChange
        fields = ("effective_on", "status", "explanation")
