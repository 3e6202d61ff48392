"""Register the safety forms with the form registry under the protocol schedule's codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inodli.edc.core.registry import FormSpec, register
from inodli.edc.safety import forms, models, views

#: Form codes: ``ae``, ``agvhd``, ``cgvhd`` of ``rules/visit_schedule.toml`` [forms],
#: upper-cased like the registry's; AE_GRADE records a change of an AE's grade; AE_REVIEW is the
#: visit's AE review, which fills the schedule's ``ae`` group (inodli.edc.visits.calendar).
AE, AE_GRADE, AE_REVIEW, AGVHD, CGVHD = "AE", "AE_GRADE", "AE_REVIEW", "AGVHD", "CGVHD"


def register_safety_forms() -> None:
    specs = (
        FormSpec(code=AE_REVIEW, title=_("Adverse event review"), model=models.AdverseEventReview,
                 form_class=forms.AdverseEventReviewForm, view_class=views.AdverseEventReviewView,
                 template="safety/ae_review_form.html", order=395),
        FormSpec(code=AE, title=_("Adverse event"), model=models.AdverseEvent,
                 form_class=forms.AdverseEventForm, view_class=views.AdverseEventView,
                 template="safety/ae_form.html", order=400),
        FormSpec(code=AE_GRADE, title=_("Adverse event grade change"),
                 model=models.AdverseEventGrade, form_class=forms.AdverseEventGradeForm,
                 view_class=views.AdverseEventGradeView, template="safety/ae_form.html", order=410),
        FormSpec(code=AGVHD, title=_("Acute GVHD assessment"), model=models.AcuteGvhdAssessment,
                 form_class=forms.AcuteGvhdForm, view_class=views.GvhdView,
                 template="safety/agvhd_form.html", order=420),
        FormSpec(code=CGVHD, title=_("Chronic GVHD assessment"), model=models.ChronicGvhdAssessment,
                 form_class=forms.ChronicGvhdForm, view_class=views.GvhdView,
                 template="safety/cgvhd_form.html", order=430),
    )  # fmt: skip
    for spec in specs:
        register(spec)
