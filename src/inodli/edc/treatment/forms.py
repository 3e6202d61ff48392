"""Forms of the treatment app: only the entered fields; computed ones are filled on save."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from inodli.edc.core.forms import RecordForm
from inodli.edc.treatment.models import (
    DliInfusion,
    HlaLossTest,
    InoAdministration,
    IntrathecalCourse,
)
from inodli.protocol.bsa import BSA_FORMULAS

__all__ = ["DliInfusionForm", "HlaLossTestForm", "InoAdministrationForm", "IntrathecalCourseForm"]

_REASON = {"rows": 2}


class InoAdministrationForm(RecordForm):
    bsa_formula = forms.ChoiceField(
        label=_("BSA formula"), choices=[(name, name.capitalize()) for name in BSA_FORMULAS]
    )

    class Meta:
        model = InoAdministration
        fields = (
            "cycle",
            "day",
            "administered_on",
            "status",
            "height_cm",
            "weight_kg",
            "bsa_formula",
            "dispensed_mg",
            "volume_ml",
            "dose_difference_reason",
            "schedule_deviation_reason",
            "decision_override_reason",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "day": forms.Select(choices=[(1, "1"), (8, "8"), (15, "15")]),
            "dose_difference_reason": forms.Textarea(attrs=_REASON),
            "decision_override_reason": forms.Textarea(attrs=_REASON),
            "schedule_deviation_reason": forms.Textarea(attrs=_REASON),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "dispensed_mg": _("Empty: the dose of the preparation sheet."),
            "volume_ml": _("Empty: the volume of the preparation sheet."),
            "height_cm": _("The latest recorded height is proposed."),
            "weight_kg": _("The latest recorded weight is proposed."),
        }


class HlaLossTestForm(RecordForm):
    class Meta:
        model = HlaLossTest
        fields = ("sampled_on", "method", "sample", "sorted_blasts", "loci", "result")
        help_texts: ClassVar[dict[str, Any]] = {"loci": _("e.g. HLA-A, -B, -C, -DRB1")}


class DliInfusionForm(RecordForm):
    class Meta:
        model = DliInfusion
        fields = (
            "infused_on",
            "weight_kg",
            "product_cd3_per_ml",
            "target_cd3_per_kg",
            "volume_infused_ml",
            "override",
            "override_reason",
        )
        widgets: ClassVar[dict[str, Any]] = {"override_reason": forms.Textarea(attrs=_REASON)}
        help_texts: ClassVar[dict[str, Any]] = {
            "product_cd3_per_ml": _("e.g. 5e7 for 5 x 10^7 CD3+ cells per mL")
        }


class IntrathecalCourseForm(RecordForm):
    class Meta:
        model = IntrathecalCourse
        fields = (
            "given_on",
            "course_number",
            "cytarabine_mg",
            "dexamethasone_mg",
            "methotrexate_mg",
            "csf_wbc_per_ul",
            "csf_result",
            "dose_difference_reason",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "dose_difference_reason": forms.Textarea(attrs=_REASON)
        }

    def clean_csf_wbc_per_ul(self) -> float | None:
        value: float | None = self.cleaned_data.get("csf_wbc_per_ul")
        if value is not None and value < 0:
            raise forms.ValidationError(_("A cell count cannot be negative."))
        return value
