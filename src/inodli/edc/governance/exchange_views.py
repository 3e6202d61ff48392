"""The data manager's exchange page: download the study (ODM 1.3.2, CSV per form, the data
dictionary), upload a file to import (all or nothing, with the line-by-line report) and the
history of imports, accepted and rejected."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from inodli.edc.core.views import StudyMemberMixin
from inodli.edc.exchange.fields import exchanged_forms
from inodli.edc.governance.models import ImportRun
from inodli.edc.governance.permissions import Action, allowed, require

#: The largest file the page accepts (a whole-study ODM of this trial is a few MB).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _download(text: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExchangeView(StudyMemberMixin, View):
    def get(
        self, request: HttpRequest, report: Any = None, errors: list[str] | None = None
    ) -> HttpResponse:
        may_export = allowed(request.user, Action.EXPORT)
        may_import = allowed(request.user, Action.IMPORT)
        if not (may_export or may_import):
            raise PermissionDenied("exchange: export or import rights needed")
        context = {
            "may_export": may_export,
            "may_import": may_import,
            "form_codes": [form.code for form in exchanged_forms()],
            "runs": ImportRun.objects.select_related("user")[:50] if may_import else [],
            "report": report,
            "errors": errors or [],
        }
        failed = bool(errors) or (report is not None and not report.ok)
        return render(request, "governance/exchange.html", context, status=422 if failed else 200)

    def post(self, request: HttpRequest) -> HttpResponse:
        from inodli.edc.exchange.csvio import import_form_csv
        from inodli.edc.exchange.odm import import_odm

        require(request.user, Action.IMPORT)
        upload = request.FILES.get("file")
        file_format = request.POST.get("format", "")
        form_code = request.POST.get("form", "")
        codes = [form.code for form in exchanged_forms()]
        errors = []
        if file_format not in ("odm", "csv"):
            errors.append(
                _("format: expected one of odm, csv; got %(value)r") % {"value": file_format}
            )
        if file_format == "csv" and form_code not in codes:
            errors.append(
                _("form: expected one of %(allowed)s; got %(value)r")
                % {"allowed": ", ".join(codes), "value": form_code}
            )
        if upload is None:
            errors.append(_("file: choose the file to import; none was received"))
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            errors.append(
                _("file: at most %(limit)d bytes; received %(size)d bytes")
                % {"limit": MAX_UPLOAD_BYTES, "size": upload.size}
            )
        if errors or upload is None:
            return self.get(request, errors=errors)
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = _("file: expected UTF-8 text; byte %(at)d is not UTF-8") % {"at": error.start}
            return self.get(request, errors=[message])
        now = timezone.now()
        if file_format == "odm":
            report = import_odm(text, request.user, now=now)
        else:
            report = import_form_csv(form_code, text, request.user)
        return self.get(request, report=report)


class OdmDownloadView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        from inodli.edc.exchange.odm import export_odm

        require(request.user, Action.EXPORT)
        now = timezone.now()
        return _download(export_odm(now=now), f"inodli-{now:%Y%m%dT%H%M%S}.xml", "application/xml")


class CsvDownloadView(StudyMemberMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        from inodli.edc.exchange.csvio import export_form_csv
        from inodli.edc.exchange.dictionary import data_dictionary_csv

        require(request.user, Action.EXPORT)
        code = request.GET.get("form", "")
        if code == "DICTIONARY":
            return _download(data_dictionary_csv(), "inodli-dictionary.csv", "text/csv")
        codes = [form.code for form in exchanged_forms()]
        if code not in codes:
            message = _("form: expected one of %(allowed)s; got %(value)r") % {
                "allowed": ", ".join(["DICTIONARY", *codes]),
                "value": code,
            }
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return _download(export_form_csv(code), f"inodli-{code}.csv", "text/csv")
