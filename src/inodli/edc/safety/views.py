"""Views of the safety forms: the AE form with the grades suggested from the labs, the AE
review with its visit and the adverse events recorded in its interval, and the GVHD forms with
the stages and grades computed by the protocol."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from inodli.edc.core.forms import RecordForm
from inodli.edc.core.views import RecordFormView
from inodli.edc.safety import ae_review
from inodli.edc.safety.adverse_events import lab_grade_suggestions
from inodli.edc.safety.aesi import AESI_CATEGORIES
from inodli.edc.safety.models import AdverseEventReview
from inodli.errors import InputError
from inodli.protocol.ctcae_terms import CtcaeTermText, ctcae_term_text

__all__ = ["AdverseEventGradeView", "AdverseEventReviewView", "AdverseEventView", "GvhdView"]


class _Preview(RecordFormView):
    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if "preview" in request.POST:
            form = self.get_form(request.POST)
            form.is_valid()
            return self.render_form(form)
        return super().post(request, **kwargs)

    def _date(self, form: RecordForm, name: str) -> dt.date:
        if form.is_bound:
            value = getattr(form, "cleaned_data", {}).get(name)
        elif self.record is not None:
            value = getattr(self.record, name)
        else:
            value = form.initial.get(name)
        return value or timezone.localdate()


class AdverseEventView(_Preview):
    """Shows the CTCAE grades suggested from the latest labs on or before the AE's start."""

    date_field = "started_on"

    def get_initial(self) -> dict[str, Any]:
        return {self.date_field: timezone.localdate()}

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        on = self._date(form, self.date_field)
        return {
            "suggestions": lab_grade_suggestions(self.subject, on),
            "suggestions_on": on,
            "aesi_categories": AESI_CATEGORIES,
            "term_text": self._term_text(form),
        }

    def _term_text(self, form: RecordForm) -> CtcaeTermText | None:
        """The CTCAE v5.0 grade definitions of the chosen term, when the trial's table has it."""
        if form.is_bound:
            term = form.data.get("term", "")
        else:
            term = getattr(self.record, "term", "") if self.record is not None else ""
        try:
            return ctcae_term_text(str(term)) if term else None
        except InputError:
            return None


class AdverseEventGradeView(AdverseEventView):
    date_field = "effective_on"


class AdverseEventReviewView(_Preview):
    """Shows the visit the review date falls in, the interval the review covers and the adverse
    events recorded as started or worsened in it (what a "Yes" should match)."""

    def get_initial(self) -> dict[str, Any]:
        return {"reviewed_on": timezone.localdate()}

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        on = self._date(form, "reviewed_on")
        own_pk = self.record.pk if self.record is not None else None
        probe = AdverseEventReview(subject=self.subject, reviewed_on=on, pk=own_pk)
        after, through = ae_review.review_interval(probe)
        return {
            "review_on": on,
            "review_visits": ae_review.visits_of(self.subject, on),
            "interval_after": after,
            "interval_through": through,
            "interval_events": ae_review.events_in_interval(self.subject, after, through),
        }


class GvhdView(_Preview):
    """Shows the stages/grade (acute) or global severity (chronic) computed on the record."""

    def get_initial(self) -> dict[str, Any]:
        return {"assessed_on": timezone.localdate()}

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        instance = form.instance
        computed = None
        if (form.is_bound and form.is_valid()) or self.record is not None:
            computed = instance
        return {"gvhd": computed}
