"""Serializers of the API (they describe the JSON in the OpenAPI document too)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inodli.edc.api.errors import bad_value, one_of
from inodli.edc.core.roles import Role
from inodli.edc.governance.models import Query, QueryEvent


class AllowedChoiceField(serializers.ChoiceField):
    """A choice whose refusal names the field, the allowed codes and the value received."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            allowed = one_of([str(code) for code in self.choices])
            raise serializers.ValidationError(
                bad_value(self.field_name, allowed, data), code="invalid_choice"
            ) from None


class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What went wrong, in the response language.")


class SubjectSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    screening_number = serializers.CharField(read_only=True)
    study_id = serializers.CharField(read_only=True, allow_null=True)
    initials = serializers.CharField(read_only=True)
    registered_on = serializers.DateField(read_only=True)


class FormSummarySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    repeating = serializers.BooleanField()
    records = serializers.IntegerField()


class RecordSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    modified = serializers.DateTimeField()
    values = serializers.DictField(child=serializers.JSONField(allow_null=True))


class RecordWriteSerializer(serializers.Serializer[Any]):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        help_text="Form fields as the page would post them (dates YYYY-MM-DD).",
    )
    reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="The version you read (edits).")


class ErrorsSerializer(serializers.Serializer[Any]):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class QueryEventSerializer(serializers.ModelSerializer[QueryEvent]):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = QueryEvent
        fields = ("at", "user", "action", "text")


class QuerySerializer(serializers.ModelSerializer[Query]):
    events = QueryEventSerializer(many=True, read_only=True)
    subject_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Query
        fields = (
            "id",
            "subject_id",
            "form_code",
            "model_label",
            "object_pk",
            "field_name",
            "text",
            "origin",
            "check_code",
            "assigned_role",
            "status",
            "opened_at",
            "status_changed_at",
            "events",
        )
        read_only_fields = fields


class QueryCreateSerializer(serializers.Serializer[Any]):
    subject_id = serializers.IntegerField()
    text = serializers.CharField(max_length=4000)
    form_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    record_id = serializers.IntegerField(required=False, allow_null=True)
    field_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    assigned_role = AllowedChoiceField(choices=[r.value for r in Role], default="nurse")


class QueryStepSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
