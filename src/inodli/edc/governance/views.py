"""Pages of the governance app: the query dashboard and a query's page, and a subject's review
page (SDV marks, signatures, locks, raising a query). Every POST checks the permission table
(:mod:`.permissions`) and goes through the services; refusals are shown, never half-applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from inodli.edc.core.registry import all_forms
from inodli.edc.core.roles import Role, roles_of
from inodli.edc.core.views import StudyMemberMixin
from inodli.edc.governance import locks, queries, sdv, signatures
from inodli.edc.governance.editchecks import run_batch
from inodli.edc.governance.models import Lock, Query, Signature
from inodli.edc.governance.permissions import Action, allowed, require


def _subject(pk: int) -> Any:
    from inodli.edc.subjects.models import Subject

    return get_object_or_404(Subject, pk=pk)


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


class QueryListView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        rows = Query.objects.select_related("subject").order_by("opened_at", "id")
        if status in Query.Status.values:
            rows = rows.filter(status=status)
        mine = request.GET.get("mine") == "1"
        if mine:  # the queries assigned to one of my roles
            rows = rows.filter(assigned_role__in=[role.value for role in roles_of(request.user)])
        board = queries.query_dashboard(timezone.now().date())
        context = {
            "queries": rows,
            "board": board,
            "status": status,
            "mine": mine,
            "may_run_checks": allowed(request.user, Action.RUN_CHECKS),
        }
        return render(request, "governance/query_list.html", context)


class QueryDetailView(StudyMemberMixin, View):
    def get(self, request: HttpRequest, pk: int, errors: list[str] | None = None) -> HttpResponse:
        query = get_object_or_404(Query.objects.select_related("subject"), pk=pk)
        context = {
            "query": query,
            "events": query.events.select_related("user"),
            "may_answer": allowed(request.user, Action.ANSWER_QUERY),
            "may_close": allowed(request.user, Action.CLOSE_QUERY),
            "errors": errors or [],
        }
        return render(
            request, "governance/query_detail.html", context, status=422 if errors else 200
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        query = get_object_or_404(Query, pk=pk)
        step = {
            "answer": queries.answer_query,
            "close": queries.close_query,
            "reopen": queries.reopen_query,
        }.get(request.POST.get("action", ""))
        if step is None:
            raise Http404("unknown action")
        try:
            step(request.user, query, request.POST.get("text", ""))
        except ValidationError as error:
            return self.get(request, pk, errors=_errors(error))
        messages.success(request, f"Query {query.pk} {query.get_status_display()}.")
        return redirect("governance:query", pk)


class SubjectReviewView(StudyMemberMixin, View):
    """A subject's casebook review: forms with SDV state, queries, signatures, locks."""

    def get(
        self, request: HttpRequest, subject_pk: int, errors: list[str] | None = None
    ) -> HttpResponse:
        subject = _subject(subject_pk)
        records = [
            (spec, record, sdv.sdv_state(record))
            for spec in all_forms()
            for record in spec.records(subject)
        ]
        user = request.user
        context = {
            "subject": subject,
            "records": records,
            "queries": Query.objects.filter(subject=subject).order_by("opened_at", "id"),
            "signatures": Signature.objects.filter(subject=subject),
            "locks": Lock.objects.filter(subject=subject).select_related("locked_by"),
            "roles": [(r.value, r.label) for r in Role],
            "forms": all_forms(),
            "may": {a.value: allowed(user, a) for a in Action},
            "visits": _visits(subject),
            "errors": errors or [],
        }
        return render(
            request, "governance/subject_review.html", context, status=422 if errors else 200
        )

    def post(self, request: HttpRequest, subject_pk: int) -> HttpResponse:
        subject = _subject(subject_pk)
        action, post, user = request.POST.get("action", ""), request.POST, request.user
        try:
            if action == "raise":
                record = _record(subject, post.get("record", ""))
                queries.open_query(
                    user,
                    subject,
                    post.get("text", ""),
                    record=record,
                    field_name=post.get("field", "")[:64],
                    assigned_role=Role(post.get("assigned_role", Role.NURSE)),
                )
            elif action == "sign":
                visit = post.get("visit", "")
                window = dict(_visits(subject)).get(visit) if visit else None
                if visit and window is None:
                    raise Http404("no such visit")
                signatures.sign(user, post.get("password", ""), subject, window=window)
            elif action == "sdv":
                record = _record(subject, post.get("record", ""))
                if record is None:
                    raise Http404("no record")
                sdv.mark_verified(user, record, post.get("note", ""))
            elif action == "lock":
                locks.lock(
                    user,
                    post.get("level", "subject"),
                    post.get("reason", ""),
                    subject=subject,
                    form_code=post.get("form_code", ""),
                )
            elif action == "unlock":
                found = get_object_or_404(Lock, pk=post.get("lock"), subject=subject)
                locks.unlock(user, found, post.get("reason", ""))
            else:
                raise Http404("unknown action")
        except ValueError as error:
            return self.get(request, subject_pk, errors=[str(error)])
        except ValidationError as error:
            return self.get(request, subject_pk, errors=_errors(error))
        messages.success(request, "Done.")
        return redirect("governance:subject", subject_pk)


def _visits(subject: Any) -> list[tuple[str, tuple[str, dt.date, dt.date]]]:
    """The subject's scheduled visits with data entered: code -> (label, window)."""
    from inodli.edc.visits.calendar import subject_calendar

    return [
        (
            row.visit.code,
            (f"{row.visit.code} {row.visit.name}", row.visit.window_start, row.visit.window_end),
        )
        for row in subject_calendar(subject).rows
        if any(form.status == "entered" for form in row.forms)
    ]


def _record(subject: Any, key: str) -> Any:
    """``"<FORM CODE>:<pk>"`` -> that record of ``subject`` (None for an empty key)."""
    if not key:
        return None
    code, _sep, pk = key.partition(":")
    spec = next((s for s in all_forms() if s.code == code), None)
    if spec is None or not pk.isdigit():
        raise Http404("no such record")
    return get_object_or_404(spec.model, pk=int(pk), subject=subject)


class DatabaseLockView(StudyMemberMixin, View):
    def get(self, request: HttpRequest, errors: list[str] | None = None) -> HttpResponse:
        context = {
            "locks": Lock.objects.filter(level=Lock.Level.DATABASE),
            "may_lock": allowed(request.user, Action.LOCK),
            "errors": errors or [],
        }
        return render(request, "governance/database.html", context, status=422 if errors else 200)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            if request.POST.get("action") == "unlock":
                found = get_object_or_404(Lock, pk=request.POST.get("lock"), level="database")
                locks.unlock(request.user, found, request.POST.get("reason", ""))
            else:
                locks.lock(request.user, "database", request.POST.get("reason", ""))
        except ValidationError as error:
            return self.get(request, errors=_errors(error))
        return redirect("governance:database")


class RunChecksView(StudyMemberMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Action.RUN_CHECKS)
        findings = run_batch(request.user, dt.datetime.now(dt.UTC))
        messages.success(request, f"Edit checks run: {len(findings)} failing.")
        return redirect("governance:queries")
