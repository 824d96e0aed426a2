"""Responses shared by every operation of the API, for the OpenAPI schema."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    name="ErrorDetail",
    fields={"detail": serializers.CharField(help_text="What went wrong (in the user's language).")},
)
VALIDATION_ERROR = inline_serializer(
    name="ValidationErrors",
    fields={
        "field": serializers.ListField(
            child=serializers.CharField(),
            help_text="Per field (or non_field_errors) the problems with the value given.",
        )
    },
)

UNAUTHENTICATED = OpenApiResponse(
    ERROR, description="Not authenticated: no session and no valid API token, or a revoked token."
)
FORBIDDEN = OpenApiResponse(
    ERROR, description="The role may not do this (policy staff, for instance, see aggregates only)."
)
NOT_FOUND = OpenApiResponse(ERROR, description="Not found, or outside the user's scope (team).")
BAD_REQUEST = OpenApiResponse(VALIDATION_ERROR, description="A parameter or field is not valid.")
