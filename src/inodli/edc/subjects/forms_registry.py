"""Register the subjects app's forms with the form registry (called from ``AppConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inodli.edc.core.registry import FormSpec, register
from inodli.edc.subjects import forms as f
from inodli.edc.subjects import models as m


def register_subject_forms() -> None:
    for order, (code, title, model, form_class, repeating) in enumerate(
        (
            ("CONSENT", _("Informed consent"), m.Consent, f.ConsentForm, True),
            (
                "ELIGIBILITY",
                _("Eligibility checklist"),
                m.EligibilityAssessment,
                f.EligibilityForm,
                True,
            ),
            ("ENROLMENT", _("Enrolment"), m.Enrolment, f.EnrolmentForm, False),
            ("DEMOGRAPHICS", _("Demographics"), m.Demographics, f.DemographicsForm, False),
            ("BODY", _("Height and weight"), m.BodyMeasurement, f.BodyMeasurementForm, True),
            ("DISEASE", _("Disease"), m.Disease, f.DiseaseForm, False),
            (
                "TRANSPLANT",
                _("Transplant history"),
                m.TransplantHistory,
                f.TransplantHistoryForm,
                False,
            ),
            (
                "RELAPSE_BASELINE",
                _("Relapse after transplant"),
                m.PostTransplantRelapse,
                f.PostTransplantRelapseForm,
                False,
            ),
            (
                "PRIOR_THERAPY",
                _("Prior lines of therapy"),
                m.PriorTherapy,
                f.PriorTherapyForm,
                True,
            ),
            (
                "STATUS",
                _("Study status change"),
                m.StudyStatusChange,
                f.StudyStatusChangeForm,
                True,
            ),
        )
    ):
        register(
            FormSpec(
                code=code,
                title=title,
                model=model,
                form_class=form_class,
                repeating=repeating,
                order=order,
            )
        )
