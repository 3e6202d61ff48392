"""The account pages: user administration (administrator), the sign-in log (administrator and
data manager) and the password change (every study member). Thin: the rules and the log
entries are in :mod:`.services` and :mod:`.loginlog`; a refusal is shown beside its field with
status 422 (400 for a wrong filter of the log) and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from inodli.edc.accounts import directory, loginlog, services
from inodli.edc.accounts.forms import (
    CreateAccountForm,
    LoginFilterForm,
    OwnPasswordForm,
    ReasonForm,
    ResetPasswordForm,
    RolesForm,
)
from inodli.edc.accounts.middleware import MUST_CHANGE_KEY
from inodli.edc.core.views import StudyMemberMixin
from inodli.edc.governance.permissions import Action, allowed

RECENT_EVENTS = 100


class _ActionMixin(LoginRequiredMixin):
    """Logged in, and one of the user's roles may do :attr:`action`."""

    action: Action

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not allowed(request.user, self.action):
            raise PermissionDenied(_("Your role may not open this page."))
        return super().dispatch(request, *args, **kwargs)


class UserListView(_ActionMixin, View):
    action = Action.MANAGE_USERS
    http_method_names = ("get", "head", "options")

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "rows": directory.account_rows(),
            "events": directory.account_events()[:RECENT_EVENTS],
            "recent": RECENT_EVENTS,
        }
        return render(request, "accounts/user_list.html", context)


class UserCreateView(_ActionMixin, View):
    action = Action.MANAGE_USERS

    def _render(self, form: CreateAccountForm, status: int = 200) -> HttpResponse:
        return render(self.request, "accounts/user_new.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(CreateAccountForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CreateAccountForm(request.POST)
        form.full_clean()
        try:
            user = services.create_account(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.apply(error)
            return self._render(form, status=422)
        messages.success(request, _("Account %(user)s created.") % {"user": user.get_username()})
        return redirect("accounts:user", user.pk)


#: The administrator's actions on one account: (form class, service call).
_ACTIONS: dict[str, type[Any]] = {
    "roles": RolesForm,
    "deactivate": ReasonForm,
    "reactivate": ReasonForm,
    "unlock": ReasonForm,
    "reset": ResetPasswordForm,
}


def _run(action: str, by: Any, target: Any, data: dict[str, Any]) -> None:
    if action == "roles":
        services.set_roles(by, target, data["roles"], data["reason"])
    elif action == "deactivate":
        services.deactivate(by, target, data["reason"])
    elif action == "reactivate":
        services.reactivate(by, target, data["reason"])
    elif action == "unlock":
        services.unlock(by, target, data["reason"])
    else:
        services.reset_password(by, target, data["password1"], data["password2"], data["reason"])


class UserDetailView(_ActionMixin, View):
    """One account: its state, a form per action, and its account log."""

    action = Action.MANAGE_USERS

    def _render(
        self, target: Any, bound: tuple[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        row = directory.account_row(target)
        forms = {
            name: form_class(prefix=name, initial={"roles": row.role_codes})
            for name, form_class in _ACTIONS.items()
        }
        refused: list[str] = []
        if bound is not None:
            forms[bound[0]] = bound[1]
            refused = list(bound[1].non_field_errors())
        context = {
            "row": row,
            "refused": refused,
            "forms": forms,
            "is_self": target.pk == self.request.user.pk,
            "events": directory.account_events(target),
        }
        return render(self.request, "accounts/user_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(get_object_or_404(get_user_model(), pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = get_object_or_404(get_user_model(), pk=pk)
        action = request.POST.get("action", "")
        if action not in _ACTIONS:
            raise Http404("unknown action")
        form = _ACTIONS[action](request.POST, prefix=action)
        form.full_clean()
        try:
            _run(action, request.user, target, form.cleaned_data)
        except ValidationError as error:
            form.apply(error)
            return self._render(target, (action, form), status=422)
        messages.success(request, _("Saved in the account log."))
        return redirect("accounts:user", target.pk)


class LoginLogView(_ActionMixin, View):
    action = Action.VIEW_LOGIN_LOG
    http_method_names = ("get", "head", "options")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = LoginFilterForm(request.GET)
        form.full_clean()
        page = None
        try:
            chosen = loginlog.parse_filter(request.GET)
            page = loginlog.login_page(chosen, request.GET.get("page"))
        except ValidationError as error:
            form.apply(error)
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "query": query.urlencode()}
        return render(
            request, "accounts/login_log.html", context, status=400 if page is None else 200
        )


class PasswordChangeView(StudyMemberMixin, View):
    """Every study member changes their own password here; a required change sends them here
    first (:class:`~.middleware.PasswordChangeRequiredMiddleware`)."""

    def _render(self, form: OwnPasswordForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "required": bool(self.request.session.get(MUST_CHANGE_KEY)),
            "next": self._next(),
        }
        return render(self.request, "accounts/password.html", context, status=status)

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        return ""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(OwnPasswordForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OwnPasswordForm(request.POST)
        form.full_clean()
        try:
            services.change_own_password(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.apply(error)
            return self._render(form, status=422)
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]  # this session only
        request.session[MUST_CHANGE_KEY] = False
        messages.success(request, _("Your password was changed."))
        return redirect(self._next() or "home")
