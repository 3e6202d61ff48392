"""API views: thin over the pages' forms and the governance services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from inodli.edc.api import errors
from inodli.edc.api import serializers as s
from inodli.edc.api.base import DENIED, StudyAPIView
from inodli.edc.core.registry import FormSpec, all_forms, get_form
from inodli.edc.core.services import record_snapshot
from inodli.edc.governance import queries
from inodli.edc.governance.models import Query
from inodli.edc.governance.permissions import Action, allowed
from inodli.edc.subjects.models import Subject


def _require(user: Any, action: Action) -> None:
    if not allowed(user, action):
        raise errors.role_may_not(action)


def _form_codes() -> list[str]:
    return [spec.code for spec in all_forms()]


def _subject(pk: int) -> Any:
    found = Subject.objects.filter(pk=pk).first()
    if found is None:
        raise errors.no_subject(pk)
    return found


def _spec(code: str) -> FormSpec:
    try:
        return get_form(code)
    except KeyError:
        raise errors.no_form(code, _form_codes()) from None


def _record(spec: FormSpec, subject: Any, pk: int) -> Any:
    found = spec.model._default_manager.filter(pk=pk, subject=subject).first()
    if found is None:
        raise errors.no_record(spec.code, pk)
    return found


def _query(pk: int) -> Query:
    found = Query.objects.filter(pk=pk).first()
    if found is None:
        raise errors.no_query(pk)
    return found


def _subject_json(subject: Any) -> dict[str, Any]:
    return {
        "id": subject.pk,
        "screening_number": subject.screening_number,
        "study_id": subject.study_id,
        "initials": subject.initials,
        "registered_on": subject.registered_on,
    }


def _record_json(record: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "version": record.version,
        "modified": record.modified,
        "values": record_snapshot(record),
    }


class SubjectList(StudyAPIView):
    @extend_schema(responses={200: s.SubjectSerializer(many=True), **DENIED})
    def get(self, request: Request) -> Response:
        rows = [_subject_json(x) for x in Subject.objects.order_by("pk")]
        return Response(s.SubjectSerializer(rows, many=True).data)


class SubjectDetail(StudyAPIView):
    @extend_schema(responses={200: s.SubjectSerializer, **DENIED})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.SubjectSerializer(_subject_json(_subject(pk))).data)


class SubjectForms(StudyAPIView):
    @extend_schema(
        operation_id="subject_forms", responses={200: s.FormSummarySerializer(many=True), **DENIED}
    )
    def get(self, request: Request, pk: int) -> Response:
        subject = _subject(pk)
        rows = [
            {
                "code": spec.code,
                "title": str(spec.title),
                "repeating": spec.repeating,
                "records": spec.records(subject).count(),
            }
            for spec in all_forms()
        ]
        return Response(s.FormSummarySerializer(rows, many=True).data)


def _commit(request: Request, spec: FormSpec, subject: Any, record: Any) -> Response:
    _require(request.user, Action.ENTER_DATA)
    body = s.RecordWriteSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    values: dict[str, Any] = body.validated_data["values"]
    data: dict[str, Any] = {k: ("" if v is None else v) for k, v in values.items()}
    if record is not None:
        data["version"] = body.validated_data.get("version", record.version)
        data["reason"] = body.validated_data.get("reason", "")
    kwargs: dict[str, Any] = {"subject": subject}
    if record is not None:
        kwargs["instance"] = record
    form = spec.form_class(data, **kwargs)
    names = [name for name in form.fields if name not in ("version", "reason")]
    unknown = sorted(set(values) - set(names))
    if unknown:  # the form would drop them without a word
        allowed_names = _("field names among %(names)s") % {"names": ", ".join(names)}
        return _invalid("values", allowed_names, unknown)
    if not form.commit(request.user):
        found = {name: [str(m) for m in items] for name, items in form.errors.items()}
        return Response({"errors": found}, status=422)
    saved = form.instance
    saved.refresh_from_db()
    code = status.HTTP_201_CREATED if record is None else status.HTTP_200_OK
    return Response(s.RecordSerializer(_record_json(saved)).data, status=code)


class FormRecords(StudyAPIView):
    @extend_schema(
        operation_id="form_records_list", responses={200: s.RecordSerializer(many=True), **DENIED}
    )
    def get(self, request: Request, pk: int, code: str) -> Response:
        spec, subject = _spec(code), _subject(pk)
        rows = [_record_json(r) for r in spec.records(subject)]
        return Response(s.RecordSerializer(rows, many=True).data)

    @extend_schema(
        request=s.RecordWriteSerializer,
        responses={201: s.RecordSerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def post(self, request: Request, pk: int, code: str) -> Response:
        return _commit(request, _spec(code), _subject(pk), None)


class FormRecord(StudyAPIView):
    @extend_schema(responses={200: s.RecordSerializer, **DENIED})
    def get(self, request: Request, pk: int, code: str, record_pk: int) -> Response:
        spec, subject = _spec(code), _subject(pk)
        return Response(s.RecordSerializer(_record_json(_record(spec, subject, record_pk))).data)

    @extend_schema(
        request=s.RecordWriteSerializer,
        responses={200: s.RecordSerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def put(self, request: Request, pk: int, code: str, record_pk: int) -> Response:
        spec, subject = _spec(code), _subject(pk)
        return _commit(request, spec, subject, _record(spec, subject, record_pk))


def _errors(error: ValidationError) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Response({"errors": detail}, status=422)


def _invalid(field: str, allowed_text: str, received: Any, code: int = 422) -> Response:
    return Response({"errors": {field: [errors.bad_value(field, allowed_text, received)]}}, code)


def _referenced_record(data: dict[str, Any], subject: Any) -> Any:
    """The record a new query is about (``form_code`` + ``record_id``), or None."""
    if data.get("record_id") is None:
        return None
    code = data.get("form_code", "")
    try:
        spec = get_form(code)
    except KeyError:
        raise ValidationError(
            {"form_code": [errors.bad_value("form_code", errors.one_of(_form_codes()), code)]}
        ) from None
    found = spec.model._default_manager.filter(pk=data["record_id"], subject=subject).first()
    if found is None:
        wanted = _("the id of a %(form)s record of this subject") % {"form": code}
        raise ValidationError(
            {"record_id": [errors.bad_value("record_id", wanted, data["record_id"])]}
        )
    return found


class QueryList(StudyAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(Query.Status.values), required=False)
        ],
        responses={200: s.QuerySerializer(many=True), 400: s.ErrorsSerializer, **DENIED},
    )
    def get(self, request: Request) -> Response:
        rows = Query.objects.prefetch_related("events__user").order_by("pk")
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in Query.Status.values:
            return _invalid("status", errors.one_of(list(Query.Status.values)), wanted, code=400)
        if wanted:
            rows = rows.filter(status=wanted)
        return Response(s.QuerySerializer(rows, many=True).data)

    @extend_schema(
        request=s.QueryCreateSerializer,
        responses={201: s.QuerySerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def post(self, request: Request) -> Response:
        _require(request.user, Action.RAISE_QUERY)
        body = s.QueryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        subject = Subject.objects.filter(pk=data["subject_id"]).first()
        if subject is None:
            return _invalid("subject_id", _("the id of a subject"), data["subject_id"])
        try:
            query = queries.open_query(
                request.user,
                subject,
                data["text"],
                record=_referenced_record(data, subject),
                field_name=data.get("field_name", ""),
                assigned_role=data["assigned_role"],
            )
        except ValidationError as error:
            return _errors(error)
        return Response(s.QuerySerializer(query).data, status=status.HTTP_201_CREATED)


class QueryDetail(StudyAPIView):
    @extend_schema(responses={200: s.QuerySerializer, **DENIED})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.QuerySerializer(_query(pk)).data)


class QueryStep(StudyAPIView):
    step: str = ""

    @extend_schema(
        request=s.QueryStepSerializer,
        responses={200: s.QuerySerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def post(self, request: Request, pk: int) -> Response:
        query = _query(pk)
        body = s.QueryStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        text = body.validated_data.get("text", "")
        step = {
            "answer": queries.answer_query,
            "close": queries.close_query,
            "reopen": queries.reopen_query,
        }[self.step]
        try:
            step(request.user, query, text)
        except DjangoPermissionDenied:  # the governance rule says who may; we say it in words
            raise errors.role_may_not(self.step) from None
        except ValidationError as error:
            return _errors(error)
        return Response(s.QuerySerializer(query).data)


class Unmatched(StudyAPIView):
    """Any other address under /api/ (e.g. a non-numeric id): DRF's JSON 404, in the caller's
    language, instead of Django's English HTML page; callers without a role still get 403."""

    schema = None  # not an operation of the OpenAPI document

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound()

    post = put = patch = delete = get
