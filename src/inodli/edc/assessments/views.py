"""Views of the assessment forms: the lab grid and the response form with its computed category."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from inodli.edc.assessments.derivations import response_inputs
from inodli.edc.core.forms import RecordForm
from inodli.edc.core.views import RecordFormView
from inodli.errors import InputError
from inodli.protocol.response import classify_response

__all__ = ["LabPanelView", "ResponseAssessmentView"]


class LabPanelView(RecordFormView):
    def get_initial(self) -> dict[str, Any]:
        return {"collected_on": timezone.localdate()}


class ResponseAssessmentView(RecordFormView):
    """Shows the category the protocol computes from the recorded marrow, counts and EMD."""

    def get_initial(self) -> dict[str, Any]:
        from inodli.edc.treatment.models import InoAdministration

        last = InoAdministration.objects.filter(subject=self.subject).order_by("-cycle").first()
        return {"assessed_on": timezone.localdate(), "after_cycle": last.cycle if last else 1}

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if "preview" in request.POST:
            form = self.get_form(request.POST)
            form.is_valid()
            return self.render_form(form)
        return super().post(request, **kwargs)

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        if form.is_bound:
            on = getattr(form, "cleaned_data", {}).get("assessed_on")
        elif self.record is not None:
            on = self.record.assessed_on
        else:
            on = form.initial.get("assessed_on")
        if on is None:
            return {"classification": None}
        exclude = self.record.pk if self.record is not None else None
        inputs = response_inputs(self.subject, on, exclude_pk=exclude)
        marrow = inputs.marrow
        try:
            result = classify_response(
                marrow_blasts_pct=marrow.blast_pct if marrow is not None else None,
                anc=inputs.anc,
                platelets=inputs.platelets,
                blood_blasts_present=inputs.blood_blasts_present,
                extramedullary_disease=inputs.extramedullary_status,
                prior_remission=inputs.prior_remission,
                reference_marrow_blasts_pct=inputs.reference_marrow_blasts_pct,
                imaging_deauville=inputs.imaging_deauville,
            )
        except InputError as error:
            return {"classification": None, "classification_error": str(error), "inputs": inputs}
        return {"classification": result, "inputs": inputs, "assessed_on": on}
