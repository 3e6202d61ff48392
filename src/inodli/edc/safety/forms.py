"""Forms of the safety app. A new adverse event is saved with its onset grade as the first
grade row, in one transaction; later grade changes are new rows (``AE_GRADE``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.forms import RecordForm
from inodli.edc.core.services import save_record
from inodli.edc.safety.adverse_events import term_choices
from inodli.edc.safety.models import (
    AcuteGvhdAssessment,
    AdverseEvent,
    AdverseEventGrade,
    AdverseEventReview,
    ChronicGvhdAssessment,
)

__all__ = [
    "AcuteGvhdForm",
    "AdverseEventForm",
    "AdverseEventGradeForm",
    "AdverseEventReviewForm",
    "ChronicGvhdForm",
]

GRADES = [(g, str(g)) for g in range(1, 6)]


class AdverseEventForm(RecordForm):
    """The AE episode; on a new AE also its grade at onset (saved as the first grade row)."""

    term = forms.ChoiceField(label=_("CTCAE v5.0 term"), choices=())
    grade = forms.TypedChoiceField(
        label=_("CTCAE grade at onset"), choices=GRADES, coerce=int,
        help_text=_("Later changes of grade are recorded as new grade rows."),
    )  # fmt: skip

    class Meta:
        model = AdverseEvent
        fields = (
            "term",
            "other_specify",
            "started_on",
            "stopped_on",
            "results_in_death",
            "life_threatening",
            "hospitalisation",
            "disability",
            "congenital_anomaly",
            "important_medical_event",
            "relationship_ino",
            "relationship_dli",
            "outcome",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = self.fields["term"]
        assert isinstance(term, forms.ChoiceField)
        term.choices = [("", "—"), *term_choices()]
        if self.is_edit:
            del self.fields["grade"]

    def commit(
        self, user: AbstractBaseUser | AnonymousUser, *, now: dt.datetime | None = None
    ) -> bool:
        if self.is_edit:
            return super().commit(user, now=now)
        if not self.is_valid():
            return False
        now = now or timezone.now()
        try:
            with transaction.atomic():
                self.audit_event = save_record(self.instance, user, now=now)
                first = AdverseEventGrade(
                    subject=self.instance.subject,
                    adverse_event=self.instance,
                    effective_on=self.instance.started_on,
                    grade=self.cleaned_data["grade"],
                )
                save_record(first, user, now=now)
        except ValidationError as error:
            self.instance.pk = None
            self.instance._state.adding = True
            self._add_service_error(error)
            return False
        return True


class AdverseEventGradeForm(RecordForm):
    """A change of an AE's grade from a date on."""

    grade = forms.TypedChoiceField(label=_("CTCAE grade"), choices=GRADES, coerce=int)

    class Meta:
        model = AdverseEventGrade
        fields = ("adverse_event", "effective_on", "grade")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject = getattr(self.instance, "subject", None)
        field = self.fields["adverse_event"]
        field.queryset = AdverseEvent.objects.filter(subject=subject)  # type: ignore[attr-defined]


class AdverseEventReviewForm(RecordForm):
    """The visit's AE review: the question answered Yes or No, when, and by whom."""

    any_events = forms.ChoiceField(
        label=AdverseEventReview._meta.get_field("any_events").verbose_name,
        choices=AdverseEventReview.Answer.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Yes: record each adverse event that started or worsened since the last "
            "assessment on the adverse event forms."
        ),
    )

    class Meta:
        model = AdverseEventReview
        fields = ("reviewed_on", "any_events", "reviewed_by")


class AcuteGvhdForm(RecordForm):
    class Meta:
        model = AcuteGvhdAssessment
        fields = (
            "assessed_on",
            "skin_erythema_bsa_pct",
            "skin_bullae_bsa_pct",
            "bilirubin",
            "bilirubin_unit",
            "upper_gi_persistent",
            "weight_kg",
            "stool_ml_per_day",
            "stool_episodes_per_day",
            "unquantified_episodes",
            "severe_abdominal_pain",
            "grossly_bloody_stool",
        )


class ChronicGvhdForm(RecordForm):
    class Meta:
        model = ChronicGvhdAssessment
        fields = (
            "assessed_on",
            "skin",
            "mouth",
            "eyes",
            "gi_tract",
            "liver",
            "lungs",
            "joints_fascia",
            "genital_tract",
        )
        widgets: ClassVar[dict[str, Any]] = {
            name: forms.Select(choices=[(s, str(s)) for s in range(4)])
            for name in (
                "skin", "mouth", "eyes", "gi_tract", "liver", "lungs", "joints_fascia", "genital_tract",
            )
        }  # fmt: skip
