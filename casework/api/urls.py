"""The REST API: /api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from clients.api import ClientViewSet

app_name = "api"

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="clients")

urlpatterns = [
    path("v1/", include(router.urls)),
    # DRF authenticates these itself (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
