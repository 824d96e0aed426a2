"""The exception handler of the API (REST_FRAMEWORK["EXCEPTION_HANDLER"])."""

from typing import Any

from django.http import Http404
from rest_framework import exceptions, views
from rest_framework.response import Response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's, except that a 404 says "Not found." in the user's language, like every other 404
    of the API, instead of Django's English "No Trajectory matches the given query." that names
    the model."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return views.exception_handler(exc, context)
