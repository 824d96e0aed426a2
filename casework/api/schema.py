"""The OpenAPI schema: responses shared by every operation of the API, and the AutoSchema
(REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) that documents them on every operation."""

from typing import Any

from django.db import models
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import follow_field_source
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    name="ErrorDetail",
    fields={"detail": serializers.CharField(help_text="What went wrong (in the user's language).")},
)


class ValidationErrorsSerializer(serializers.Serializer[None]):
    """The body of a 400 answer (schema only; its shape is given by ValidationErrorsScheme)."""


class ValidationErrorsScheme(OpenApiSerializerExtension):
    """Field names are not known in advance: an object with a list of messages per field."""

    target_class = ValidationErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": (
                "Per field (query parameter or body field; `non_field_errors` or `__all__` for "
                "the input as a whole) the problems with the value given. A body that cannot be "
                "read at all (malformed JSON) gives `detail` instead."
            ),
            "additionalProperties": {
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "string"},
                    {"type": "object", "description": "The errors of a nested object."},
                ]
            },
        }


UNAUTHENTICATED = OpenApiResponse(
    ERROR, description="Not authenticated: no session and no valid API token, or a revoked token."
)
FORBIDDEN = OpenApiResponse(
    ERROR, description="The role may not do this (policy staff, for instance, see aggregates only)."
)
NOT_FOUND = OpenApiResponse(ERROR, description="Not found, or outside the user's scope (team).")
BAD_REQUEST = OpenApiResponse(
    ValidationErrorsSerializer, description="A parameter or field is not valid."
)
INVALID_PAGE = OpenApiResponse(
    ERROR, description="Not found: a record outside the user's scope, or a page past the end."
)

# The errors of every operation that reads.
READ_ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}


def path_id(what: str) -> OpenApiParameter:
    """The `id` path parameter of a record."""
    return OpenApiParameter("id", int, OpenApiParameter.PATH, description=f"Id of the {what}.")


def ordering(fields: str, default: str) -> OpenApiParameter:
    """The `ordering` query parameter: the fields a list can be sorted by, and its default."""
    return OpenApiParameter(
        "ordering",
        str,
        description=(
            f"Sort by {fields}; a leading '-' sorts descending, a comma separates several. "
            "Rows that are equal on them follow their id, in the direction of the first field. "
            f"Default: {default}."
        ),
    )


# Keywords of a field's schema that say what a value looks like (the rest is metadata: title,
# description, readOnly, ...).
VALUE_KEYWORDS = {"type", "format", "pattern", "minLength", "maxLength"}

# Query parameters whose invalid values are ignored (ordering) or fall back to the default
# (page_size) rather than giving a 400; an invalid `page` is a 404.
LENIENT_QUERY_PARAMETERS = {"page", "page_size", "ordering"}


class AutoSchema(openapi.AutoSchema):
    """Adds the error responses every operation can give and its view does not document itself:
    401 and 403 everywhere, 404 where a path names a record or a list is paginated, 400 where
    a body or a filter is read. A field that may be left blank says that it may be empty, also
    when it has choices or a format (e-mail address, URL)."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for code, response in self.error_responses(operation.get("parameters", [])).items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_responses(self, parameters: list[dict[str, Any]]) -> dict[str, OpenApiResponse]:
        errors = {"401": UNAUTHENTICATED, "403": FORBIDDEN}
        places = {(parameter["in"], parameter["name"]) for parameter in parameters}
        if any(place == "path" for place, _name in places):
            errors["404"] = NOT_FOUND
        elif ("query", "page") in places:
            errors["404"] = INVALID_PAGE
        if self.method in ("POST", "PUT", "PATCH") or any(
            place == "query" and name not in LENIENT_QUERY_PARAMETERS for place, name in places
        ):
            errors["400"] = BAD_REQUEST
        return errors

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        properties: dict[str, Any] = schema.get("properties", {})
        for field in serializer.fields.values():
            value = properties.get(field.field_name, {})
            if not ({"enum", "format", "pattern"} & value.keys()) or not self._may_be_blank(
                serializer, field
            ):
                continue
            if "enum" in value:
                # As drf-spectacular does for a writable field with allow_blank: "" before a
                # trailing None; the enum's component stays the same, with BlankEnum beside it.
                enum = value["enum"]
                if "" not in enum:
                    enum.insert(len(enum) - (None in enum), "")
            else:
                properties[field.field_name] = {
                    "anyOf": [
                        {key: item for key, item in value.items() if key in VALUE_KEYWORDS},
                        {"type": "string", "maxLength": 0},
                    ],
                    **{key: item for key, item in value.items() if key not in VALUE_KEYWORDS},
                }
        return schema

    @staticmethod
    def _may_be_blank(serializer: Any, field: serializers.Field[Any, Any, Any, Any]) -> bool:
        """Whether the field may be blank. A read-only field of a model serializer does not keep
        `allow_blank`: its model field's `blank` tells."""
        if getattr(field, "allow_blank", False):
            return True
        if not isinstance(serializer, serializers.ModelSerializer) or not field.source_attrs:
            return False  # source "*" has no attributes: the whole object
        model_field = follow_field_source(
            serializer.Meta.model, field.source_attrs, emit_warnings=False
        )
        return isinstance(model_field, models.Field) and model_field.blank
