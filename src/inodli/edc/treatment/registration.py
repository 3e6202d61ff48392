"""Register the treatment forms with the form registry under the protocol schedule's codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inodli.edc.core.registry import FormSpec, register
from inodli.edc.treatment import forms, models, views

#: Form codes: those of ``rules/visit_schedule.toml`` [forms], upper-cased like the registry's.
INO_ADMIN, DLI, IT, HLA_LOSS = "INO_ADMIN", "DLI", "IT", "HLA_LOSS"


def register_treatment_forms() -> None:
    register(
        FormSpec(
            code=INO_ADMIN,
            title=_("InO administration"),
            model=models.InoAdministration,
            form_class=forms.InoAdministrationForm,
            view_class=views.InoAdministrationView,
            template="treatment/ino_form.html",
            order=200,
        )
    )
    register(
        FormSpec(
            code=HLA_LOSS,
            title=_("HLA-loss test"),
            model=models.HlaLossTest,
            form_class=forms.HlaLossTestForm,
            order=210,
        )
    )
    register(
        FormSpec(
            code=DLI,
            title=_("Donor lymphocyte infusion"),
            model=models.DliInfusion,
            form_class=forms.DliInfusionForm,
            view_class=views.DliInfusionView,
            template="treatment/dli_form.html",
            order=220,
        )
    )
    register(
        FormSpec(
            code=IT,
            title=_("Intrathecal course"),
            model=models.IntrathecalCourse,
            form_class=forms.IntrathecalCourseForm,
            view_class=views.IntrathecalCourseView,
            template="treatment/it_form.html",
            order=230,
        )
    )
