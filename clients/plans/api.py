"""The plans resources of the REST API: /api/v1/plans/ (plan van aanpak) and /api/v1/agreements/
(afspraken). Read-only. Like the plan page (clients.plans.views.plan_detail) they need
`clients.view_client` (consultants and team leaders; policy staff 403); ClientRecordViewSet
scopes the rows through clients.selectors and writes the access log. "Current" is the rule of
clients.plans.selectors.current_plan_id: the client's newest plan."""

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.serializers import BaseSerializer

from casework.api.schema import (
    BAD_REQUEST,
    READ_ERRORS,
    ordering,
    path_id,
)
from casework.api.viewsets import ClientRecordViewSet
from clients.models import Agreement, AgreementStatus, Plan, Responsible
from clients.plans.selectors import agreements_prefetch, current_plan_id
from clients.plans.serializers import (
    RESPONSIBLE_HELP,
    STATUS_HELP,
    AgreementSerializer,
    PlanDetailSerializer,
    PlanSerializer,
)


def is_current_plan(plan: str, client: str) -> ExpressionWrapper:
    """Whether the row's plan (the lookup `plan`) is the current plan of its client (`client`)."""
    condition = Q(**{plan: current_plan_id(OuterRef(client))})
    return ExpressionWrapper(condition, output_field=BooleanField())


# Plans (plannen van aanpak) -----------------------------------------------------------------------


class PlanFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    current = filters.BooleanFilter(
        field_name="is_current",
        help_text="Only each client's current plan, the newest (true), or only earlier plans "
        "(false).",
    )
    signed = filters.BooleanFilter(
        method="filter_signed",
        help_text="Only plans signed by both the client and the municipality (true), or not yet "
        "by both (false).",
    )
    drawn_up_after = filters.DateFilter(
        field_name="drawn_up_on",
        lookup_expr="gte",
        help_text="Only plans drawn up on or after this date (YYYY-MM-DD).",
    )
    drawn_up_before = filters.DateFilter(
        field_name="drawn_up_on",
        lookup_expr="lte",
        help_text="Only plans drawn up on or before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = Plan
        fields = ["client", "current", "signed", "drawn_up_after", "drawn_up_before"]

    def filter_signed(self, queryset: QuerySet[Plan], name: str, value: bool) -> QuerySet[Plan]:
        # Plan.is_signed in SQL.
        signed = Q(client_signed_on__isnull=False, municipality_signed_on__isnull=False)
        return queryset.filter(signed if value else ~signed)


@extend_schema_view(
    list=extend_schema(
        summary="List plans (plannen van aanpak)",
        description=(
            "The plans of the clients in the user's team, newest first, paginated, without their "
            "goals and agreements. Consultants and team leaders only. The clients of the plans in "
            "the page are written to the access log."
        ),
        parameters=[
            ordering(
                "drawn_up_on, client_signed_on, municipality_signed_on or created_at",
                "newest first",
            )
        ],
        responses={200: PlanSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a plan (plan van aanpak)",
        description=(
            "One plan of a client in the user's team, current or earlier, with its goals and "
            "agreements (afspraken), open ones first. Written to the access log."
        ),
        parameters=[path_id("plan (plan van aanpak)")],
        responses={200: PlanDetailSerializer, **READ_ERRORS},
    ),
)
class PlanViewSet(ClientRecordViewSet[Plan]):
    filterset_class = PlanFilter
    ordering_fields = ["drawn_up_on", "client_signed_on", "municipality_signed_on", "created_at"]
    ordering = ["-drawn_up_on", "-id"]

    def base_queryset(self) -> QuerySet[Plan]:
        plans = Plan.objects.annotate(is_current=is_current_plan("pk", "client"))
        if self.action == "retrieve":
            # The plan's agreements in one query, in the order of the plan page.
            return plans.prefetch_related(agreements_prefetch())
        return plans

    def get_serializer_class(self) -> type[BaseSerializer[Plan]]:
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer


# Agreements (afspraken) ---------------------------------------------------------------------------


class AgreementFilter(filters.FilterSet):
    client = filters.NumberFilter(field_name="plan__client", help_text="Client id.")
    plan = filters.NumberFilter(help_text="Plan id (plan van aanpak).")
    current_plan = filters.BooleanFilter(
        field_name="plan_is_current",
        help_text="Only agreements of the clients' current plans (true), or of earlier plans "
        "(false).",
    )
    status = filters.ChoiceFilter(choices=AgreementStatus.choices, help_text=STATUS_HELP)
    responsible = filters.ChoiceFilter(choices=Responsible.choices, help_text=RESPONSIBLE_HELP)
    due_after = filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        help_text="Only agreements due on or after this date (YYYY-MM-DD).",
    )
    due_before = filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        help_text="Only agreements due on or before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = Agreement
        fields = [
            "client",
            "plan",
            "current_plan",
            "status",
            "responsible",
            "due_after",
            "due_before",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="List agreements (afspraken)",
        description=(
            "The agreements of the plans of the clients in the user's team, by due date, "
            "paginated. Consultants and team leaders only. The clients of the agreements in the "
            "page are written to the access log."
        ),
        parameters=[ordering("due_date, status or status_changed_on", "by due date")],
        responses={200: AgreementSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve an agreement (afspraak)",
        description="One agreement of a client in the user's team. Written to the access log.",
        parameters=[path_id("agreement (afspraak)")],
        responses={200: AgreementSerializer, **READ_ERRORS},
    ),
)
class AgreementViewSet(ClientRecordViewSet[Agreement]):
    client_path = "plan__client"
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    ordering_fields = ["due_date", "status", "status_changed_on"]
    ordering = ["due_date", "id"]

    def base_queryset(self) -> QuerySet[Agreement]:
        # Each row names its plan's client (and the access log needs it): joined, not one query
        # a row.
        return Agreement.objects.select_related("plan").annotate(
            plan_is_current=is_current_plan("plan", "plan__client")
        )
