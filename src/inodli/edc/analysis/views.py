"""The statistician's pages: the study report and the trial design/monitoring status.

Only investigators, data managers and statisticians see them (:data:`ANALYSIS_ROLES`): they
show unblinded efficacy and safety results across patients, which the other roles do not need.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views import View

from inodli.design.trial import TRIAL_DESIGN, candidate_designs
from inodli.edc.analysis.services import DataUnavailableError, current_monitoring, current_report
from inodli.edc.core.roles import ANALYSIS_ROLES, roles_of
from inodli.errors import InputError

__all__ = ["ANALYSIS_ROLES", "AnalysisIndexView", "StudyReportView", "TrialDesignView"]


def may_see_analyses(user: Any) -> bool:
    return bool(roles_of(user) & ANALYSIS_ROLES)


class AnalysisRoleMixin(LoginRequiredMixin):
    """Logged-in users with an analysis role; everyone else gets 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not may_see_analyses(request.user):
            raise PermissionDenied("The analysis pages are for statisticians, investigators "
                                   "and data managers.")  # fmt: skip
        return super().dispatch(request, *args, **kwargs)


def _ranges(sizes: tuple[int, ...], bounds: tuple[int | None, ...]) -> list[tuple[str, int]]:
    """Consecutive patient counts with the same boundary merged: [("3-5", 3), ("6-9", 4)]."""
    out: list[tuple[int, int, int]] = []
    for size, bound in zip(sizes, bounds, strict=True):
        if bound is None:
            continue
        if out and out[-1][2] == bound and out[-1][1] == size - 1:
            out[-1] = (out[-1][0], size, bound)
        else:
            out.append((size, size, bound))
    return [(f"{a}-{b}" if a != b else f"{a}", bound) for a, b, bound in out]


def _headline(decision: str) -> str:
    """One sentence on the boundaries for the decision of ``trial_monitoring_status``."""
    if decision.startswith("stop"):
        return f"A stopping boundary has been crossed ({decision})."
    if decision in ("promising", "not promising"):
        return f"The final analysis has been reached: InO +/- DLI is {decision}."
    return "No stopping boundary has been crossed."


class AnalysisIndexView(AnalysisRoleMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "analysis/index.html", {})


class StudyReportView(AnalysisRoleMixin, View):
    """The study report (same content as ``inodli report``) from the current data."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from inodli.report.html import CSS, render_report_body

        try:
            report = current_report()
        except (DataUnavailableError, InputError) as error:
            return render(request, "analysis/report.html", {"unavailable": str(error)})
        context = {
            "report": report,
            "report_css": mark_safe(CSS),
            # render_report_body escapes every value it writes
            "body": mark_safe(render_report_body(report)),
        }
        return render(request, "analysis/report.html", context)


class StudyReportPdfView(AnalysisRoleMixin, View):
    """The same report as a PDF download."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from inodli.report.html import render_report_html
        from inodli.report.pdf import html_to_pdf

        try:
            report = current_report()
        except (DataUnavailableError, InputError) as error:
            return render(request, "analysis/report.html", {"unavailable": str(error)}, status=409)
        response = HttpResponse(
            html_to_pdf(render_report_html(report)), content_type="application/pdf"
        )
        name = f"inodli-report-{report.cutoff}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class TrialDesignView(AnalysisRoleMixin, View):
    """The chosen design and why, the current counts, and the decision in words."""

    def get(self, request: HttpRequest) -> HttpResponse:
        design = TRIAL_DESIGN
        alpha, power, pet, en = design.attained()
        rules = []
        for rule in design.toxicity_rules:
            boundary = rule.boundary(design.n)
            rules.append({"rule": rule, "stops": _ranges(boundary.n, boundary.bound)})
        context: dict[str, Any] = {
            "design": design,
            "rule_lines": design.rule_in_words(),
            "attained": {"alpha": alpha, "power": power, "pet": pet, "en": en},
            "candidates": candidate_designs(design.p0, design.p1),
            "toxicity_rules": rules,
        }
        try:
            snapshot = current_monitoring()
        except (DataUnavailableError, InputError) as error:
            context["unavailable"] = str(error)
        else:
            context["snapshot"] = snapshot
            context["headline"] = _headline(snapshot.status.decision)
        return render(request, "analysis/design.html", context)
