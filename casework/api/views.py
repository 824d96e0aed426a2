"""Answers of the API outside its view sets."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response


@csrf_exempt  # answers 404 to every method: it changes nothing, so no CSRF check
@login_not_required
def not_found(request: HttpRequest) -> JsonResponse:
    """A URL under /api/v1/ that names no resource or record (e.g. /api/v1/clients/abc/): the
    JSON 404 of every other answer of the API, instead of the site's HTML error page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English like its descriptions (also field titles taken from the
    models' verbose names); `?lang=nl` asks for Dutch."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with translation.override("en"):
            return super().get(request, *args, **kwargs)
