"""Forms of the assessment app. The lab form saves one panel and one row per analyte entered,
all through the service layer in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inodli.edc.assessments.analytes import ANALYTES, PANELS, Analyte
from inodli.edc.assessments.models import (
    BoneMarrowAssessment,
    Death,
    ExtramedullaryAssessment,
    LabPanel,
    LabResult,
    RelapseEvent,
    ResponseAssessment,
    SurvivalFollowUp,
)
from inodli.edc.core.forms import RecordForm
from inodli.edc.core.services import delete_record, save_record
from inodli.protocol.response import ResponseCategory

__all__ = [
    "BoneMarrowForm",
    "DeathForm",
    "ExtramedullaryForm",
    "LabPanelForm",
    "RelapseEventForm",
    "ResponseAssessmentForm",
    "SurvivalFollowUpForm",
]


def _number(label: str) -> forms.FloatField:
    return forms.FloatField(
        label=label, required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )


class LabPanelForm(RecordForm):
    """One sample: the date, then value, LLN and ULN for each analyte measured."""

    class Meta:
        model = LabPanel
        fields = ("collected_on",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing: dict[str, LabResult] = {}
        if not self.instance._state.adding:
            self.existing = {row.analyte: row for row in self.instance.results.all()}
        limits = _latest_limits(getattr(self.instance, "subject", None))
        for item in ANALYTES:
            self.fields[item.code] = _number(f"{item.label} ({item.unit})")
            self.fields[f"{item.code}_lln"] = _number(str(_("LLN")))
            self.fields[f"{item.code}_uln"] = _number(str(_("ULN")))
            self.fields[f"{item.code}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
            row = self.existing.get(item.code)
            if row is not None:
                self.initial.update(
                    {item.code: row.value, f"{item.code}_lln": row.lln, f"{item.code}_uln": row.uln,
                     f"{item.code}_version": row.version}
                )  # fmt: skip
            elif item.code in limits:
                self.initial.setdefault(f"{item.code}_lln", limits[item.code][0])
                self.initial.setdefault(f"{item.code}_uln", limits[item.code][1])

    def grouped_rows(self) -> list[tuple[str, list[tuple[Analyte, tuple[Any, Any, Any]]]]]:
        """(panel title, [(analyte, (value, LLN, ULN bound fields))]) for the template."""
        return [
            (
                str(title),
                [
                    (item, (self[item.code], self[f"{item.code}_lln"], self[f"{item.code}_uln"]))
                    for item in ANALYTES
                    if item.panel == panel
                ],
            )
            for panel, title in PANELS.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(item.code) is not None for item in ANALYTES) and not self.existing:
            raise ValidationError(_("Enter at least one result."))
        return data

    def commit(
        self, user: AbstractBaseUser | AnonymousUser, *, now: dt.datetime | None = None
    ) -> bool:
        """Save the panel and its results (new, changed, removed) in one transaction."""
        if not self.is_valid():
            return False
        now = now or timezone.now()
        reason = self.cleaned_data.get("reason") or ""
        try:
            with transaction.atomic():
                self.audit_event = save_record(
                    self.instance,
                    user,
                    reason=reason,
                    expected_version=self.cleaned_data.get("version") if self.is_edit else None,
                    now=now,
                )
                for item in ANALYTES:
                    self._save_result(item, user, reason, now)
        except ValidationError as error:
            self._add_service_error(error)
            return False
        return True

    def _save_result(
        self, item: Analyte, user: AbstractBaseUser | AnonymousUser, reason: str, now: dt.datetime
    ) -> None:
        data = self.cleaned_data
        value, row = data.get(item.code), self.existing.get(item.code)
        expected = data.get(f"{item.code}_version")
        if value is None:
            if row is not None:
                delete_record(row, user, reason, expected_version=expected, now=now)
            return
        if row is None:
            row = LabResult(panel=self.instance, analyte=item.code)
        row.value, row.unit = value, item.unit
        row.lln, row.uln = data.get(f"{item.code}_lln"), data.get(f"{item.code}_uln")
        save_record(row, user, reason=reason, expected_version=expected, now=now)


def _latest_limits(subject: Any) -> dict[str, tuple[float | None, float | None]]:
    """The reference range last entered for each analyte (this subject's first, then any)."""
    limits: dict[str, tuple[float | None, float | None]] = {}
    rows = LabResult.objects.filter(uln__isnull=False).order_by("-panel__collected_on", "-id")
    if subject is not None and subject.pk is not None:
        for row in rows.filter(panel__subject=subject)[:200]:
            limits.setdefault(row.analyte, (row.lln, row.uln))
    for row in rows[:200]:
        limits.setdefault(row.analyte, (row.lln, row.uln))
    return limits


class BoneMarrowForm(RecordForm):
    class Meta:
        model = BoneMarrowAssessment
        fields = (
            "sampled_on",
            "blast_pct",
            "cellularity_pct",
            "mrd_method",
            "mrd_level_pct",
            "mrd_sensitivity_pct",
        )


class ExtramedullaryForm(RecordForm):
    class Meta:
        model = ExtramedullaryAssessment
        fields = ("assessed_on", "method", "status", "deauville_score", "sites")


class ResponseAssessmentForm(RecordForm):
    investigator_category = forms.ChoiceField(
        label=_("Investigator's category"),
        required=False,
        choices=[("", _("— confirm the computed category —"))]
        + [(c.value, c.description) for c in ResponseCategory],
        help_text=_("Leave as is to confirm the computed category; another needs a reason."),
    )

    class Meta:
        model = ResponseAssessment
        fields = ("assessed_on", "after_cycle", "investigator_category", "override_reason")
        widgets: ClassVar[dict[str, Any]] = {"override_reason": forms.Textarea(attrs={"rows": 2})}


class RelapseEventForm(RecordForm):
    class Meta:
        model = RelapseEvent
        fields = ("occurred_on", "kind", "site", "marrow_blast_pct")


class SurvivalFollowUpForm(RecordForm):
    class Meta:
        model = SurvivalFollowUp
        fields = ("last_known_alive_on", "method", "disease_status")


class DeathForm(RecordForm):
    class Meta:
        model = Death
        fields = ("died_on", "cause", "primary_cause")
