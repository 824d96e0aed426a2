"""The histories of a client as read-only resources of the REST API: /api/v1/benefit-periods/
(uitkering), /api/v1/ladder-measurements/ (participatieladder) and /api/v1/group-assignments/
(klantgroep). The same rows as in the dossier (/api/v1/clients/{id}/), flat, for exchange with
other systems such as the benefit administration.

ClientRecordViewSet scopes the rows through clients.selectors (the pages' scoping) and writes
their clients to the access log. None of these resources writes: a klantgroep changes only by
completing a conversation (/api/v1/conversations/), where the page's form and service apply."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from casework.api.schema import (
    BAD_REQUEST,
    READ_ERRORS,
    ordering,
    path_id,
)
from casework.api.viewsets import ClientRecordViewSet
from clients.models import (
    BenefitPeriod,
    BenefitScheme,
    ClientGroup,
    ClientGroupAssignment,
    LadderMeasurement,
    LadderStep,
    OutflowReason,
)
from clients.serializers import (
    BenefitPeriodSerializer,
    ClientGroupAssignmentSerializer,
    LadderMeasurementSerializer,
)

LIST_ACCESS = (
    "Consultants and team leaders only; the rows of clients in the user's team. The clients of "
    "the rows in the page are written to the access log."
)


# Benefit periods (uitkeringsperiodes) -------------------------------------------------------------


class BenefitPeriodFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    scheme = filters.ChoiceFilter(
        choices=BenefitScheme.choices,
        help_text="The benefit scheme (regeling): `pw`, `ioaw`, `ioaz` or `bbz`.",
    )
    open = filters.BooleanFilter(
        field_name="end_date",
        lookup_expr="isnull",
        help_text="Only open periods without an end date (true), or only ended ones (false).",
    )
    end_reason = filters.ChoiceFilter(
        choices=OutflowReason.choices,
        help_text=(
            "Why the benefit ended (uitstroomreden): `work`, `own_business`, `study`, `moved` or "
            "`other`."
        ),
    )
    started_after = filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        help_text="Only periods that started on or after this date (YYYY-MM-DD).",
    )
    started_before = filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        help_text="Only periods that started on or before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = BenefitPeriod
        fields = ["client", "scheme", "open", "end_reason", "started_after", "started_before"]


@extend_schema_view(
    list=extend_schema(
        summary="List benefit periods (uitkeringsperiodes)",
        description=(
            "The periods on benefit (uitkering) of the clients in the user's team, newest first, "
            f"paginated: instroom at the start, uitstroom with its reason at the end. {LIST_ACCESS}"
        ),
        parameters=[ordering("start_date or end_date", "newest start first")],
        responses={200: BenefitPeriodSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a benefit period (uitkeringsperiode)",
        description="One benefit period of a client in the user's team. Written to the access log.",
        parameters=[path_id("benefit period (uitkeringsperiode)")],
        responses={200: BenefitPeriodSerializer, **READ_ERRORS},
    ),
)
class BenefitPeriodViewSet(ClientRecordViewSet[BenefitPeriod]):
    serializer_class = BenefitPeriodSerializer
    filterset_class = BenefitPeriodFilter
    # The model for the schema's filter parameters; the rows come from get_queryset (scoped).
    queryset = BenefitPeriod.objects.none()
    ordering_fields = ["start_date", "end_date"]
    ordering = ["-start_date", "-id"]

    def base_queryset(self) -> QuerySet[BenefitPeriod]:
        # The serializer shows only the row's own columns and foreign-key ids: no joins needed.
        return BenefitPeriod.objects.all()


# Ladder measurements (metingen op de participatieladder) ------------------------------------------


class LadderMeasurementFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    step = filters.ModelChoiceFilter(
        queryset=LadderStep.objects.all(),
        to_field_name="number",
        help_text="Only measurements on this step (trede) of the participation ladder, by number.",
    )
    measured_after = filters.DateFilter(
        field_name="measured_on",
        lookup_expr="gte",
        help_text="Only measurements on or after this date (YYYY-MM-DD).",
    )
    measured_before = filters.DateFilter(
        field_name="measured_on",
        lookup_expr="lte",
        help_text="Only measurements on or before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = LadderMeasurement
        fields = ["client", "step", "measured_after", "measured_before"]


@extend_schema_view(
    list=extend_schema(
        summary="List ladder measurements (participatieladder)",
        description=(
            "The measurements on the participation ladder (participatieladder) of the clients in "
            "the user's team, newest first, paginated: the step (trede) and the target step "
            f"(doeltrede). A client's current step is their newest measurement. {LIST_ACCESS}"
        ),
        parameters=[ordering("measured_on", "newest first")],
        responses={200: LadderMeasurementSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a ladder measurement (meting participatieladder)",
        description=(
            "One ladder measurement of a client in the user's team. Written to the access log."
        ),
        parameters=[path_id("ladder measurement")],
        responses={200: LadderMeasurementSerializer, **READ_ERRORS},
    ),
)
class LadderMeasurementViewSet(ClientRecordViewSet[LadderMeasurement]):
    serializer_class = LadderMeasurementSerializer
    filterset_class = LadderMeasurementFilter
    # The model for the schema's filter parameters; the rows come from get_queryset (scoped).
    queryset = LadderMeasurement.objects.none()
    ordering_fields = ["measured_on"]
    ordering = ["-measured_on", "-id"]

    def base_queryset(self) -> QuerySet[LadderMeasurement]:
        # Every row shows the numbers of its step and target step: joined, not one query a row.
        return LadderMeasurement.objects.select_related("step", "target_step")


# Client group assignments (klantgroep) ------------------------------------------------------------


class ClientGroupAssignmentFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    group = filters.ModelChoiceFilter(
        queryset=ClientGroup.objects.all(),
        to_field_name="code",
        help_text="Code of the client group (klantgroep), e.g. `groeien`.",
    )
    current = filters.BooleanFilter(
        field_name="end_date",
        lookup_expr="isnull",
        help_text="Only current assignments without an end date (true), or only past ones (false).",
    )

    class Meta:
        model = ClientGroupAssignment
        fields = ["client", "group", "current"]


@extend_schema_view(
    list=extend_schema(
        summary="List client group assignments (klantgroep)",
        description=(
            "The periods in a client group (klantgroep) of the clients in the user's team, newest "
            "first, paginated; a client's current group is the assignment without an end date. "
            "Read-only: the klantgroep changes only by completing a conversation "
            f"(/api/v1/conversations/). {LIST_ACCESS}"
        ),
        parameters=[ordering("start_date or end_date", "newest start first")],
        responses={
            200: ClientGroupAssignmentSerializer(many=True),
            400: BAD_REQUEST,
            **READ_ERRORS,
        },
    ),
    retrieve=extend_schema(
        summary="Retrieve a client group assignment (klantgroep)",
        description=(
            "One period in a client group of a client in the user's team. Written to the "
            "access log."
        ),
        parameters=[path_id("client group assignment")],
        responses={200: ClientGroupAssignmentSerializer, **READ_ERRORS},
    ),
)
class ClientGroupAssignmentViewSet(ClientRecordViewSet[ClientGroupAssignment]):
    serializer_class = ClientGroupAssignmentSerializer
    filterset_class = ClientGroupAssignmentFilter
    # The model for the schema's filter parameters; the rows come from get_queryset (scoped).
    queryset = ClientGroupAssignment.objects.none()
    ordering_fields = ["start_date", "end_date"]
    ordering = ["-start_date", "-id"]

    def base_queryset(self) -> QuerySet[ClientGroupAssignment]:
        # Every row shows its group's code and name: joined, not one query a row.
        return ClientGroupAssignment.objects.select_related("group")
