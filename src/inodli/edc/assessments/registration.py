"""Register the assessment forms with the form registry under the protocol schedule's codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inodli.edc.assessments import forms, models, views
from inodli.edc.core.registry import FormSpec, register

#: Form codes: those of ``rules/visit_schedule.toml`` [forms] (labs, marrow, response,
#: survival), upper-cased like the registry's; the others are unscheduled forms.
LABS, MARROW, RESPONSE, SURVIVAL = "LABS", "MARROW", "RESPONSE", "SURVIVAL"
EMD, RELAPSE, DEATH = "EMD", "RELAPSE", "DEATH"


def register_assessment_forms() -> None:
    specs = (
        FormSpec(code=LABS, title=_("Laboratory results"), model=models.LabPanel,
                 form_class=forms.LabPanelForm, view_class=views.LabPanelView,
                 template="assessments/lab_form.html", order=300),
        FormSpec(code=MARROW, title=_("Bone marrow"), model=models.BoneMarrowAssessment,
                 form_class=forms.BoneMarrowForm, order=310),
        FormSpec(code=EMD, title=_("Extramedullary disease / imaging"),
                 model=models.ExtramedullaryAssessment, form_class=forms.ExtramedullaryForm, order=320),
        FormSpec(code=RESPONSE, title=_("Response assessment"), model=models.ResponseAssessment,
                 form_class=forms.ResponseAssessmentForm, view_class=views.ResponseAssessmentView,
                 template="assessments/response_form.html", order=330),
        FormSpec(code=RELAPSE, title=_("Relapse or progression"), model=models.RelapseEvent,
                 form_class=forms.RelapseEventForm, order=340),
        FormSpec(code=SURVIVAL, title=_("Survival follow-up"), model=models.SurvivalFollowUp,
                 form_class=forms.SurvivalFollowUpForm, order=350),
        FormSpec(code=DEATH, title=_("Death"), model=models.Death, form_class=forms.DeathForm,
                 repeating=False, order=360),
    )  # fmt: skip
    for spec in specs:
        register(spec)
