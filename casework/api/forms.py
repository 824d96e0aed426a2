"""Writes of the API through the pages' forms: a JSON body is bound to the same Django form as
the page posts, and the form's errors become the 400 answer."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response


def as_form_data(data: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A request body as an HTML form posts it: one text value per field (null: empty). Objects
    and lists are refused per field, so that the form only sees what a browser could send."""
    if not isinstance(data, Mapping):
        return {}, {"non_field_errors": [_("Send the fields as an object.")]}
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if value is None:
            values[name] = ""
        elif isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, str | int | float | Decimal):
            values[name] = str(value)
        else:
            errors[name] = [_("Give a single value.")]
    return values, errors


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    """The form's errors per field, the form-wide ones as `non_field_errors`."""
    return {
        "non_field_errors" if field == NON_FIELD_ERRORS else field: [
            error["message"] for error in errors
        ]
        for field, errors in form.errors.get_json_data().items()
    }


def bad_request(errors: Mapping[str, list[str]]) -> Response:
    return Response(errors, status=status.HTTP_400_BAD_REQUEST)
