"""Views of the treatment forms: the generic record view plus the computed panel beside it.

Each form page shows what the protocol computes from the entered and recorded values (the
dose and preparation sheet, the give/hold/discontinue decision, DLI eligibility and dose,
intrathecal courses given vs due). A "Calculate" button recomputes without saving, so the
page works without JavaScript on a ward workstation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from inodli.edc.core.forms import RecordForm
from inodli.edc.core.views import RecordFormView
from inodli.edc.treatment import dli, facts, intrathecal
from inodli.edc.treatment.dosing import dose_tolerance, propose_ino_dose
from inodli.edc.treatment.models import InoAdministration, IntrathecalCourse

__all__ = ["DliInfusionView", "InoAdministrationView", "IntrathecalCourseView", "next_ino_dose"]


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


class PreviewMixin(RecordFormView):
    """POST with ``preview`` validates and recomputes, shows the result, saves nothing."""

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if "preview" in request.POST:
            form = self.get_form(request.POST)
            form.is_valid()
            return self.render_form(form)
        return super().post(request, **kwargs)

    def values(self, form: RecordForm) -> dict[str, Any]:
        """The entered values: the bound form's cleaned data, else the initial values."""
        if form.is_bound:
            return dict(getattr(form, "cleaned_data", {}))
        if self.record is not None:
            return {name: getattr(self.record, name, None) for name in form.fields}
        return {name: form.initial.get(name) for name in form.fields}


def next_ino_dose(subject: Any) -> tuple[int, int]:
    """The (cycle, day) after the subject's last recorded InO administration."""
    last = InoAdministration.objects.filter(subject=subject).order_by("-cycle", "-day").first()
    if last is None:
        return 1, 1
    following = {1: 8, 8: 15}
    if last.day in following:
        return last.cycle, following[last.day]
    return last.cycle + 1, 1


class InoAdministrationView(PreviewMixin):
    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        cycle, day = next_ino_dose(self.subject)
        size = facts.latest_body_size(self.subject, today)
        return {
            "cycle": cycle,
            "day": day,
            "administered_on": today,
            "status": InoAdministration.Status.GIVEN,
            "height_cm": size.height_cm,
            "weight_kg": size.weight_kg,
            "bsa_formula": "mosteller",
        }

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        values = self.values(form)
        needed = ("cycle", "day", "administered_on", "height_cm", "weight_kg")
        if any(values.get(name) in (None, "") for name in needed):
            return {"proposal": None, "proposal_errors": []}
        try:
            proposal = propose_ino_dose(
                self.subject,
                cycle=int(values["cycle"]),
                day=int(values["day"]),
                on=values["administered_on"],
                height_cm=values["height_cm"],
                weight_kg=values["weight_kg"],
                formula=values.get("bsa_formula") or "mosteller",
            )
        except ValidationError as error:
            return {"proposal": None, "proposal_errors": _messages(error)}
        return {
            "proposal": proposal,
            "proposal_errors": [],
            "tolerance_pct": dose_tolerance() * 100,
            "body_size": facts.latest_body_size(self.subject, values["administered_on"]),
        }


class DliInfusionView(PreviewMixin):
    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "infused_on": today,
            "weight_kg": facts.latest_body_size(self.subject, today).weight_kg,
        }

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        values = self.values(form)
        on: dt.date = values.get("infused_on") or timezone.localdate()
        inputs, eligibility = dli.eligibility_on(self.subject, on)
        context: dict[str, Any] = {
            "dli_inputs": inputs,
            "eligibility": eligibility,
            "dli_dose": None,
        }
        if values.get("weight_kg") and values.get("product_cd3_per_ml"):
            from inodli.errors import InputError
            from inodli.protocol.dli import dli_dose

            target = values.get("target_cd3_per_kg")
            try:
                context["dli_dose"] = dli_dose(
                    float(values["weight_kg"]),
                    float(values["product_cd3_per_ml"]),
                    None if target in (None, "") else float(target),
                )
            except InputError as error:
                context["dli_dose_error"] = str(error)
        return context


class IntrathecalCourseView(PreviewMixin):
    def get_initial(self) -> dict[str, Any]:
        doses = intrathecal.protocol_doses_mg()
        given = IntrathecalCourse.objects.filter(subject=self.subject).count()
        return {
            "given_on": timezone.localdate(),
            "course_number": given + 1,
            "cytarabine_mg": doses.get("cytarabine"),
            "dexamethasone_mg": doses.get("dexamethasone"),
            "methotrexate_mg": doses.get("methotrexate"),
        }

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        return {
            "schedule": intrathecal.schedule_for(self.subject, timezone.localdate()),
            "protocol_doses": intrathecal.protocol_doses_mg(),
        }
