"""The REST API: /api/v1/ (the resources), /api/schema/ (OpenAPI 3) and /api/docs/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from casework.api.views import SchemaView, not_found
from clients.api import ClientViewSet
from clients.conversations.api import ConversationViewSet
from clients.history_api import (
    BenefitPeriodViewSet,
    ClientGroupAssignmentViewSet,
    LadderMeasurementViewSet,
)
from clients.plans.api import AgreementViewSet, PlanViewSet
from instruments.api import BudgetLineViewSet, InstrumentViewSet, TrajectoryViewSet
from instruments.employer_api import EmployerViewSet, PlacementViewSet, VacancyViewSet
from monitoring.api import IndicatorViewSet

app_name = "api"

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="clients")
# A client's histories: benefit (uitkering), participation ladder and klantgroep; read-only.
router.register("benefit-periods", BenefitPeriodViewSet, basename="benefit-periods")
router.register("ladder-measurements", LadderMeasurementViewSet, basename="ladder-measurements")
router.register("group-assignments", ClientGroupAssignmentViewSet, basename="group-assignments")
# Plans (plan van aanpak) and their agreements (afspraken).
router.register("plans", PlanViewSet, basename="plans")
router.register("agreements", AgreementViewSet, basename="agreements")
# Conversations (gesprekken): read, logged and completed through the page's form and service.
router.register("conversations", ConversationViewSet, basename="conversations")
# Employer services (werkgeversdienstverlening).
router.register("employers", EmployerViewSet, basename="employers")
router.register("vacancies", VacancyViewSet, basename="vacancies")
router.register("placements", PlacementViewSet, basename="placements")
# The monitor's indicators: definitions and aggregate figures (no person data).
router.register("indicators", IndicatorViewSet, basename="indicators")
# The instrument catalogue, trajecten and the budget lines' figures (aggregates only).
router.register("instruments", InstrumentViewSet, basename="instruments")
router.register("trajectories", TrajectoryViewSet, basename="trajectories")
router.register("budget-lines", BudgetLineViewSet, basename="budget-lines")

urlpatterns = [
    path("v1/", include(router.urls)),
    re_path(r"^v1/", not_found),  # after the router: JSON 404 for URLs it does not know
    # DRF authenticates these itself (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
    path("schema/", login_not_required(SchemaView.as_view()), name="schema"),
    path(
        "docs/",
        # The split view serves Swagger UI's start-up script as a response of its own (?script),
        # and our template drops the inline <style>: nothing inline for the Content-Security-Policy.
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html"
            )
        ),
        name="docs",
    ),
]
