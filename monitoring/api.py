"""The monitor's indicators in the REST API (/api/v1/indicators/): their definitions, and one
indicator's figure for a period and scope. Aggregates only, for those who see the dashboard
(monitoring.view_dashboard: team leaders, policy staff, the application manager; consultants 403),
with the dashboard's rules through the same functions (monitoring.scopes): small cells hidden
(except to a team leader on their own team), and a period that has not ended only where the
figure's small cells are not hidden from the user. No person appears, so nothing is written to the
access log.

One figure costs that indicator's own queries for one period (the reads indicators share are made
once, inside compute_figures' shared_reads), or none when a whole quarter that has ended is in the
dashboard's cache."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.forms import bad_request, form_errors
from casework.api.schema import BAD_REQUEST, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED
from casework.api.viewsets import ApiViewSet
from monitoring.indicators import REGISTRY, Theme
from monitoring.indicators.base import ordered_indicators
from monitoring.scopes import FigureForm, effective_scope, period_code, shown_figure, with_own_team
from monitoring.selectors import compute_figures
from monitoring.serializers import (
    FigureSerializer,
    IndicatorFigureSerializer,
    IndicatorListQuerySerializer,
    IndicatorSerializer,
)

# The keys of the registry (monitoring.indicators): lower case, digits and underscores.
CODE_PATTERN = r"[a-z][a-z0-9_]*"

CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[indicator.code for indicator in ordered_indicators()],
    description="The indicator's key, e.g. `caseload` (see the list of indicators).",
)
THEME = OpenApiParameter(
    "theme",
    OpenApiTypes.STR,
    enum=[theme.value for theme in Theme],
    description="Only the indicators of this theme (section of the monitor).",
)
PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description=(
        "A quarter as `2025-Q1` or a year as `2025`. Default: the last quarter that has ended. "
        "A period that has not ended is refused (400), except to a team leader for a figure "
        "about their own team: then the figure is up to today."
    ),
)
TEAM = OpenApiParameter(
    "team",
    OpenApiTypes.STR,
    description=(
        "Team id: the figure for that team only. A team leader gets their own team when the "
        "parameter is absent; an empty value (`team=`) means all teams."
    ),
)
GROUP = OpenApiParameter(
    "group",
    OpenApiTypes.STR,
    description="Code of a client group (klantgroep), e.g. `groeien`: the figure for it only.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List the indicators of the monitor (indicatoren)",
        description=(
            "Every indicator of the monitor defined in words, in the monitor's order (by theme), "
            "paginated. Team leaders, policy staff and the application manager."
        ),
        parameters=[THEME],
        responses={
            200: IndicatorSerializer(many=True),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="Retrieve an indicator and its figure (indicator)",
        description=(
            "The indicator's definition and its figure for a period and scope, as the dashboard "
            "shows it: the value and the breakdown, with values about fewer people than the "
            "small-cell threshold hidden (and a value that would give one away), except to a "
            "team leader for their own team. Aggregates only; team leaders, policy staff and the "
            "application manager."
        ),
        parameters=[CODE, PERIOD, TEAM, GROUP],
        responses={
            200: IndicatorFigureSerializer,
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    ),
)
class IndicatorViewSet(ApiViewSet[Any]):
    permission_required = "monitoring.view_dashboard"
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN
    filter_backends: list[Any] = []  # the registry is no queryset: the forms read the filters

    def list(self, request: Request) -> Response:
        query = IndicatorListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        theme = query.validated_data.get("theme")
        indicators = [
            indicator
            for indicator in ordered_indicators()
            if theme is None or indicator.theme == theme
        ]
        page = self.paginate_queryset(indicators)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        indicator = REGISTRY.get(code)
        if indicator is None:
            raise NotFound(_("No indicator has this code."))
        today = timezone.localdate()
        form = FigureForm(
            with_own_team(self.user, request.query_params),
            user=self.user,
            indicator=indicator,
            today=today,
        )
        if not form.is_valid():  # the messages per parameter, as a 400 of DRF's own
            return bad_request(form_errors(form))
        period = form.cleaned_data["period"]
        scope = form.cleaned_data["scope"]
        suppress: bool = form.cleaned_data["suppress"]
        figure = compute_figures([(indicator, [period])], scope, today=today)[
            indicator.code, period
        ]
        headline, rows = shown_figure(figure, indicator, suppress=suppress)
        about = effective_scope(indicator, scope)
        shown = {
            "value": headline.value,
            "suppressed": headline.suppressed,
            "text": headline.text,
            "period": {
                "code": period_code(period),
                "start": period.start,
                "end": period.end,
                "complete": period.end < today,
            },
            "team": about.team.pk if about.team else None,
            "group": about.group.code if about.group else None,
            "not_by_team": scope.team is not None and not indicator.by_team,
            "not_by_group": scope.group is not None and not indicator.by_group,
            "small_cells_hidden": suppress,
            "rows": [
                {"label": label, "value": row.value, "suppressed": row.suppressed, "text": row.text}
                for label, row in rows
            ],
        }
        return Response(
            {**IndicatorSerializer(indicator).data, "figure": FigureSerializer(shown).data}
        )
