"""API views: thin over the pages' forms and the governance services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inodli.edc.api import serializers as s
from inodli.edc.core.registry import FormSpec, all_forms, get_form
from inodli.edc.core.roles import can_read
from inodli.edc.core.services import record_snapshot
from inodli.edc.governance import queries
from inodli.edc.governance.models import Query
from inodli.edc.governance.permissions import Action, require

DENIED = {401: None, 403: None, 404: None}


class IsStudyMember(BasePermission):
    """Logged in and holding a study role: the pages' rule for reading."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_read(request.user))


class StudyAPIView(APIView):
    authentication_classes = (SessionAuthentication, BasicAuthentication)
    permission_classes = (IsStudyMember,)
    renderer_classes = (JSONRenderer,)
    parser_classes = (JSONParser,)
    schema = AutoSchema()


def _subject(pk: int) -> Any:
    from inodli.edc.subjects.models import Subject

    return get_object_or_404(Subject, pk=pk)


def _spec(code: str) -> FormSpec:
    from django.http import Http404

    try:
        return get_form(code)
    except KeyError as error:
        raise Http404(f"no form {code!r}") from error


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
        from inodli.edc.subjects.models import Subject

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
    require(request.user, Action.ENTER_DATA)
    body = s.RecordWriteSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data: dict[str, Any] = {
        k: ("" if v is None else v) for k, v in body.validated_data["values"].items()
    }
    if record is not None:
        data["version"] = body.validated_data.get("version", record.version)
        data["reason"] = body.validated_data.get("reason", "")
    kwargs: dict[str, Any] = {"subject": subject}
    if record is not None:
        kwargs["instance"] = record
    form = spec.form_class(data, **kwargs)
    if not form.commit(request.user):
        errors = {name: [str(m) for m in items] for name, items in form.errors.items()}
        return Response({"errors": errors}, status=422)
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
        record = get_object_or_404(spec.model, pk=record_pk, subject=subject)
        return Response(s.RecordSerializer(_record_json(record)).data)

    @extend_schema(
        request=s.RecordWriteSerializer,
        responses={200: s.RecordSerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def put(self, request: Request, pk: int, code: str, record_pk: int) -> Response:
        spec, subject = _spec(code), _subject(pk)
        record = get_object_or_404(spec.model, pk=record_pk, subject=subject)
        return _commit(request, spec, subject, record)


def _errors(error: ValidationError) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Response({"errors": detail}, status=422)


class QueryList(StudyAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(Query.Status.values), required=False)
        ],
        responses={200: s.QuerySerializer(many=True), **DENIED},
    )
    def get(self, request: Request) -> Response:
        rows = Query.objects.prefetch_related("events__user").order_by("pk")
        wanted = request.query_params.get("status")
        if wanted in Query.Status.values:
            rows = rows.filter(status=wanted)
        return Response(s.QuerySerializer(rows, many=True).data)

    @extend_schema(
        request=s.QueryCreateSerializer,
        responses={201: s.QuerySerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def post(self, request: Request) -> Response:
        require(request.user, Action.RAISE_QUERY)
        body = s.QueryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        subject = _subject(data["subject_id"])
        record = None
        if data.get("record_id") is not None:
            spec = _spec(data.get("form_code", ""))
            record = get_object_or_404(spec.model, pk=data["record_id"], subject=subject)
        try:
            query = queries.open_query(
                request.user,
                subject,
                data["text"],
                record=record,
                field_name=data.get("field_name", ""),
                assigned_role=data["assigned_role"],
            )
        except ValidationError as error:
            return _errors(error)
        return Response(s.QuerySerializer(query).data, status=status.HTTP_201_CREATED)


class QueryDetail(StudyAPIView):
    @extend_schema(responses={200: s.QuerySerializer, **DENIED})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.QuerySerializer(get_object_or_404(Query, pk=pk)).data)


class QueryStep(StudyAPIView):
    step: str = ""

    @extend_schema(
        request=s.QueryStepSerializer,
        responses={200: s.QuerySerializer, 400: None, 422: s.ErrorsSerializer, **DENIED},
    )
    def post(self, request: Request, pk: int) -> Response:
        query = get_object_or_404(Query, pk=pk)
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
        except ValidationError as error:
            return _errors(error)
        return Response(s.QuerySerializer(query).data)
