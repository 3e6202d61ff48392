"""Generic views: any registered form is created, edited and deleted through these.

``RecordFormView`` serves ``/subjects/<subject_pk>/forms/<code>/new/`` and
``.../<pk>/``; a form that shows more (a computed dose, a derived grade) subclasses it and
overrides :meth:`RecordFormView.get_panel_context`, then names the subclass in its
:class:`~inodli.edc.core.registry.FormSpec` (``view_class=``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from inodli.edc.core.forms import DeleteRecordForm, RecordForm
from inodli.edc.core.registry import FormSpec, get_form
from inodli.edc.core.roles import can_enter_data, can_read

__all__ = ["DataEntryMixin", "RecordDeleteView", "RecordFormView", "StudyMemberMixin"]


class StudyMemberMixin(LoginRequiredMixin):
    """Logged in and holding a study role (anyone in the study may read)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not can_read(request.user):
            raise PermissionDenied(_("You have no role in this study."))
        return super().dispatch(request, *args, **kwargs)


class DataEntryMixin(StudyMemberMixin):
    """Reading for every study role; POST only for the roles that enter data."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.may_enter = request.user.is_authenticated and can_enter_data(request.user)
        if request.method == "POST" and request.user.is_authenticated and not self.may_enter:
            raise PermissionDenied(_("Your role may read but not enter study data."))
        return super().dispatch(request, *args, **kwargs)


def _subject(subject_pk: int) -> Any:
    from inodli.edc.subjects.models import Subject

    return get_object_or_404(Subject, pk=subject_pk)


def _spec(code: str) -> FormSpec:
    try:
        return get_form(code)
    except KeyError as error:
        raise Http404(f"no form {code!r}") from error


class RecordFormView(DataEntryMixin, View):
    """Create (no ``pk``) or edit (``pk``) one record of a registered form."""

    spec: FormSpec

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.spec = _spec(kwargs["code"])
        self.subject = _subject(kwargs["subject_pk"])
        pk = kwargs.get("pk")
        self.record = (
            get_object_or_404(self.spec.model, pk=pk, subject=self.subject)
            if pk is not None
            else None
        )

    def get_form(self, data: Any = None) -> RecordForm:
        kwargs: dict[str, Any] = {"subject": self.subject}
        if self.record is not None:
            kwargs["instance"] = self.record
        elif data is None:
            kwargs["initial"] = self.get_initial()
        return self.spec.form_class(data, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        """Initial values of a new record (override, e.g. to propose the next study ID)."""
        return {}

    def get_panel_context(self, form: RecordForm) -> dict[str, Any]:
        """Extra context beside the form (computed values); the generic view shows none."""
        return {}

    def render_form(self, form: RecordForm, status: int = 200) -> HttpResponse:
        context = {
            "spec": self.spec,
            "subject": self.subject,
            "record": self.record,
            "form": form,
            "may_enter": self.may_enter,
            **self.get_panel_context(form),
        }
        return render(self.request, self.spec.template, context, status=status)

    def existing_single_record(self) -> Any:
        """For a one-per-subject form opened as "new", the record that already exists."""
        if self.record is not None or self.spec.repeating:
            return None
        return self.spec.model._default_manager.filter(subject=self.subject).first()

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        existing = self.existing_single_record()
        if existing is not None:
            return redirect("subjects:form-edit", self.subject.pk, self.spec.code, existing.pk)
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        existing = self.existing_single_record()
        if existing is not None:
            messages.error(request, _("This form already exists for the subject: edit it instead."))
            return redirect("subjects:form-edit", self.subject.pk, self.spec.code, existing.pk)
        form = self.get_form(request.POST)
        if form.commit(request.user):
            messages.success(request, _("%(form)s saved.") % {"form": self.spec.title})
            return HttpResponseRedirect(self.get_success_url(form))
        return self.render_form(form, status=422)

    def get_success_url(self, form: RecordForm) -> str:
        return reverse("subjects:detail", args=[self.subject.pk])


class RecordDeleteView(DataEntryMixin, View):
    """Delete one record with a reason (its values stay in the audit trail)."""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.spec = _spec(kwargs["code"])
        self.subject = _subject(kwargs["subject_pk"])
        self.record = get_object_or_404(self.spec.model, pk=kwargs["pk"], subject=self.subject)

    def _render(self, form: DeleteRecordForm, status: int = 200) -> HttpResponse:
        context = {"spec": self.spec, "subject": self.subject, "record": self.record, "form": form}
        return render(self.request, "core/record_delete.html", context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._render(DeleteRecordForm(record=self.record))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = DeleteRecordForm(request.POST, record=self.record)
        if form.commit(request.user):
            messages.success(request, _("Record deleted."))
            return redirect("subjects:detail", self.subject.pk)
        return self._render(form, status=422)


def dispatch_form_view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Route to the form's own view class, or the generic one."""
    spec = _spec(kwargs["code"])
    view_class = spec.view_class or RecordFormView
    response = view_class.as_view()(request, **kwargs)
    return response  # type: ignore[return-value]


@require_POST
def set_language_preference(request: HttpRequest) -> HttpResponse:
    """Store the chosen language on the user's profile (or the session before login)."""
    from django.conf import settings

    from inodli.edc.core.middleware import SESSION_LANGUAGE_KEY
    from inodli.edc.core.models import UserProfile

    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        raise Http404("unknown language")
    if request.user.is_authenticated:
        UserProfile.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_LANGUAGE_KEY] = language
    translation.activate(language)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
