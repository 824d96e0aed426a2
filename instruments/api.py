"""The instruments resources of the REST API: /api/v1/instruments/ (the catalogue),
/api/v1/trajectories/ (trajecten) and /api/v1/budget-lines/ (the budget page's figures).

The catalogue and the budget lines hold no person data: the catalogue is read with
`instruments.view_catalogue`, the budget lines with the budget page's
`instruments.view_budget_overview`, and neither writes the access log. Trajecten belong to a client:
ClientRecordViewSet scopes them through clients.selectors and writes the access log. A traject is
started and ended through the page's forms and services (instruments.views), so the API refuses
what the page refuses."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.forms import as_form_data, bad_request, form_errors
from casework.api.schema import (
    BAD_REQUEST,
    FORBIDDEN,
    READ_ERRORS,
    UNAUTHENTICATED,
    ValidationErrorsSerializer,
    ordering,
    path_id,
)
from casework.api.viewsets import ApiViewSet, ClientRecordViewSet
from casework.services import record_access
from clients.selectors import check_changeable, clients_for_user
from instruments import selectors, services
from instruments.dates import first_of_month
from instruments.forms import TrajectoryEndForm, TrajectoryStartForm
from instruments.models import (
    BudgetLine,
    Commitment,
    Instrument,
    InstrumentCategory,
    Trajectory,
    TrajectoryStatus,
)
from instruments.serializers import (
    CATEGORY_HELP,
    STATUS_HELP,
    BudgetLineFigures,
    BudgetLineSerializer,
    BudgetTotalSerializer,
    BudgetYearFigures,
    EndedTrajectory,
    InstrumentSerializer,
    TrajectoryEndedSerializer,
    TrajectoryEndSerializer,
    TrajectorySerializer,
    TrajectoryStartSerializer,
)

# The key of the eligibility warnings in a 400 answer to starting a traject.
WARNINGS = "eligibility_warnings"


# The catalogue (instrumentenkaart) ----------------------------------------------------------------


class InstrumentFilter(filters.FilterSet):
    category = filters.ChoiceFilter(choices=InstrumentCategory.choices, help_text=CATEGORY_HELP)
    active = filters.BooleanFilter(
        field_name="is_active",
        help_text="Only instruments that can (true) or can no longer (false) be started.",
    )
    budget_line = filters.CharFilter(
        field_name="budget_line__code",
        help_text="Code of the budget line (begrotingspost) that pays the instrument.",
    )
    provider = filters.NumberFilter(
        field_name="providers", help_text="Id of a provider (aanbieder) of the instrument."
    )
    client_group = filters.CharFilter(
        field_name="client_groups__code",
        help_text="Code of a client group (klantgroep) the instrument is meant for.",
    )

    class Meta:
        model = Instrument
        fields = ["category", "active", "budget_line", "provider", "client_group"]


@extend_schema_view(
    list=extend_schema(
        summary="List the instrument catalogue (instrumentenkaart)",
        description=(
            "The instruments with their providers, budget line, standard cost and eligibility "
            "rules, paginated. No person data: consultants, team leaders, policy staff and the "
            "application manager."
        ),
        parameters=[ordering("name, category or unit_cost", "by name")],
        responses={200: InstrumentSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve an instrument",
        description="One instrument of the catalogue.",
        parameters=[path_id("instrument")],
        responses={200: InstrumentSerializer, **READ_ERRORS},
    ),
)
class InstrumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet[Instrument]):
    permission_required = "instruments.view_catalogue"
    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilter
    ordering_fields = ["name", "category", "unit_cost"]
    ordering = ["name", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Instrument]:
        # Each row names its budget line (joined) and lists its providers, client groups and
        # eligibility rules: one query each for the whole page. Distinct: the provider and
        # client group filters join many-to-many tables.
        return (
            Instrument.objects.select_related("budget_line")
            .prefetch_related("providers", "client_groups", "eligibility_rules")
            .distinct()
        )


# Trajecten ---------------------------------------------------------------------------------------


class TrajectoryFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    instrument = filters.NumberFilter(help_text="Instrument id.")
    provider = filters.NumberFilter(help_text="Provider id (aanbieder).")
    status = filters.ChoiceFilter(choices=TrajectoryStatus.choices, help_text=STATUS_HELP)
    running = filters.BooleanFilter(
        method="filter_running", help_text="Only running (true) or ended (false) trajecten."
    )
    started_after = filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        help_text="Only trajecten started on or after this date (YYYY-MM-DD).",
    )
    started_before = filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        help_text="Only trajecten started on or before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = Trajectory
        fields = [
            "client",
            "instrument",
            "provider",
            "status",
            "running",
            "started_after",
            "started_before",
        ]

    def filter_running(
        self, queryset: QuerySet[Trajectory], name: str, value: bool
    ) -> QuerySet[Trajectory]:
        running = Q(status=TrajectoryStatus.RUNNING)
        return queryset.filter(running if value else ~running)


def commitment_sum(filter_q: Q) -> Coalesce:
    """The sum of a traject's commitments that match filter_q, as a subquery."""
    money = DecimalField(max_digits=14, decimal_places=2)
    rows = (
        Commitment.objects.filter(filter_q, trajectory=OuterRef("pk"))
        .order_by()
        .values("trajectory")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=money), Value(Decimal("0.00")), output_field=money)


TRAJECTORY_START_ERRORS = OpenApiResponse(
    ValidationErrorsSerializer,
    description=(
        "A field is not valid, the client is unknown or outside the user's team (on `client`), "
        "or the client does not meet every eligibility condition and the warnings were not "
        f"confirmed: then `{WARNINGS}` lists the rules' messages and `override_reason` says "
        "to confirm; send `confirm_override` true and an `override_reason` to start anyway."
    ),
)


@extend_schema_view(
    list=extend_schema(
        summary="List trajecten",
        description=(
            "The trajecten (a client's use of an instrument) of the clients in the user's team, "
            "newest first, paginated, with cost, commitment and confirmed eligibility warnings. "
            "Consultants and team leaders only. The clients of the trajecten in the page are "
            "written to the access log."
        ),
        parameters=[
            ordering("start_date, planned_end_date, end_date, cost or created_at", "newest first")
        ],
        responses={200: TrajectorySerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a traject",
        description="One traject of a client in the user's team. Written to the access log.",
        parameters=[path_id("traject")],
        responses={200: TrajectorySerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Start a traject",
        description=(
            "Starts a traject for a client in the user's team, validated by the same form and "
            "saved by the same service as the page 'Traject starten', which commits its cost to "
            "the instrument's budget line. Consultants only. When the client does not meet every "
            "eligibility condition, the answer is 400 with the rules' messages in "
            f"`{WARNINGS}`; send the same body again with `confirm_override` true and an "
            "`override_reason` to start anyway (the warnings and the reason are stored). An "
            "unknown client, or one outside the user's team, is a 400 on `client`. Written to "
            "the access log."
        ),
        request=TrajectoryStartSerializer,
        responses={
            201: TrajectorySerializer,
            400: TRAJECTORY_START_ERRORS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    end=extend_schema(
        summary="End a traject",
        description=(
            "Ends a running traject with its outcome, through the same form and service as the "
            "page 'Traject beëindigen': the commitment of the months after the end is released "
            "(vrijgevallen). Consultants only. A traject that has already ended, or an end date "
            "before the start, is a 400. Written to the access log."
        ),
        parameters=[path_id("traject")],
        request=TrajectoryEndSerializer,
        responses={200: TrajectoryEndedSerializer, 400: BAD_REQUEST, **READ_ERRORS},
    ),
)
class TrajectoryViewSet(ClientRecordViewSet[Trajectory]):
    serializer_class = TrajectorySerializer
    filterset_class = TrajectoryFilter
    # The model for the schema's filter parameters; the rows come from get_queryset (scoped).
    queryset = Trajectory.objects.none()
    ordering_fields = ["start_date", "planned_end_date", "end_date", "cost", "created_at"]
    ordering = ["-start_date", "-id"]

    # The pages' permissions (instruments.views): reading trajecten is clients.view_client,
    # starting and ending them clients.change_client.
    permissions_by_action = {"create": "clients.change_client", "end": "clients.change_client"}

    def base_queryset(self) -> QuerySet[Trajectory]:
        # Each row names its instrument, provider and klantgroep: joined, not one query a row.
        # The commitment summary is summed in the same query.
        this_month = first_of_month(timezone.localdate())
        return Trajectory.objects.select_related("instrument", "provider", "client_group").annotate(
            committed=commitment_sum(Q()),
            realised=commitment_sum(Q(month__lte=this_month)),
        )

    def create(self, request: Request) -> Response:
        data, errors = as_form_data(request.data)
        if errors:
            return bad_request(errors)
        # The client from the body, in the user's scope (clients.selectors, like the page's URL).
        client_field = forms.ModelChoiceField(queryset=clients_for_user(self.user))
        try:
            client = client_field.clean(data.get("client"))
        except ValidationError as error:
            return bad_request({"client": error.messages})
        check_changeable(self.user, client)  # 403 for an anonymised client, as the page
        # The page's form and service (instruments.views.trajectory_start).
        form = TrajectoryStartForm(data=data, client=client)
        if not form.is_valid():
            return bad_request(form_errors(form))
        try:
            trajectory = services.start_trajectory(
                client=client, started_by=self.user, **form.service_arguments()
            )
        except services.IneligibleError as error:
            form.add_error(
                "override_reason",
                _("The client does not meet every condition: confirm and give a reason."),
            )
            # The warnings are about the client: shown, so logged.
            record_access(
                request=self.django_request,
                client_ids=[client.pk],
                view=f"api:{self.basename}-{self.action}",
            )
            return bad_request({**form_errors(form), WARNINGS: error.messages})
        except ValidationError as error:
            form.add_error(None, error)
            return bad_request(form_errors(form))
        trajectory = self.get_queryset().get(pk=trajectory.pk)
        self.log_access([trajectory])
        return Response(self.get_serializer(trajectory).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filter_backends=[])
    def end(self, request: Request, pk: str) -> Response:
        trajectory = self.get_object()
        check_changeable(self.user, trajectory.client)  # 403 for an anonymised client
        data, errors = as_form_data(request.data)
        if errors:
            return bad_request(errors)
        # The page's form and service (instruments.views.trajectory_end).
        form = TrajectoryEndForm(data=data)
        if not form.is_valid():
            return bad_request(form_errors(form))
        end_date: datetime.date = form.cleaned_data["end_date"]
        try:
            released = services.end_trajectory(
                trajectory=trajectory,
                status=form.cleaned_data["status"],
                end_date=end_date,
                early_end_reason=form.cleaned_data["early_end_reason"],
            )
        except ValidationError as error:
            # The page only offers running trajecten; here "already ended" is about the whole.
            form.add_error(None if error.code == "ended" else "end_date", error)
            return bad_request(form_errors(form))
        trajectory = self.get_queryset().get(pk=trajectory.pk)
        self.log_access([trajectory])
        ended = EndedTrajectory(trajectory=trajectory, released=released)
        return Response(TrajectoryEndedSerializer(ended).data)


# Budget lines (begrotingsposten) ------------------------------------------------------------------


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class BudgetLineFilter(filters.FilterSet):
    year = YearFilter(
        method="filter_year",
        min_value=datetime.MINYEAR,
        max_value=datetime.MAXYEAR,
        help_text="The year of the figures; default the current year.",
    )
    code = filters.CharFilter(help_text="Code of the budget line.")

    class Meta:
        model = BudgetLine
        fields = ["year", "code"]

    def filter_year(
        self, queryset: QuerySet[BudgetLine], name: str, value: int
    ) -> QuerySet[BudgetLine]:
        return queryset  # the year chooses the figures, not the lines


YEAR = OpenApiParameter(
    "year", int, description="The year of the figures; default the current year."
)


@extend_schema_view(
    list=extend_schema(
        summary="List the budget lines (begrotingsposten) with their figures",
        description=(
            "Per budget line for one year: available, committed, realised, remaining and the "
            "run-rate forecast, the same figures as the budget page. Aggregates only, no person: "
            "team leaders, policy staff and the application manager; consultants 403."
        ),
        parameters=[ordering("position, name or code", "as on the budget page")],
        responses={200: BudgetLineSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a budget line (begrotingspost) with its figures",
        description="One budget line with its figures for one year, as on the budget page.",
        parameters=[path_id("budget line"), YEAR],
        responses={200: BudgetLineSerializer, 400: BAD_REQUEST, **READ_ERRORS},
    ),
    total=extend_schema(
        summary="The budget totals of a year",
        description="The totals of all budget lines for one year, as on the budget page.",
        parameters=[YEAR],
        responses={
            200: BudgetTotalSerializer,
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
        filters=False,
    ),
)
class BudgetLineViewSet(ApiViewSet[BudgetLine]):
    permission_required = "instruments.view_budget_overview"
    filterset_class = BudgetLineFilter
    queryset = BudgetLine.objects.all()
    ordering_fields = ["position", "name", "code"]
    ordering = ["position", "name", "id"]
    lookup_value_regex = r"\d+"

    def year(self) -> int:
        filterset = BudgetLineFilter(self.request.query_params, queryset=BudgetLine.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        year: int | None = filterset.form.cleaned_data.get("year")
        return timezone.localdate().year if year is None else year

    def overview(self) -> selectors.BudgetOverview:
        """The budget page's figures (instruments.selectors.budget_overview), not recomputed."""
        return selectors.budget_overview(year=self.year(), today=timezone.localdate())

    def with_figures(self, lines: list[BudgetLine]) -> list[BudgetLineFigures]:
        overview = self.overview()
        rows = {row.key: row for row in overview.lines}
        return [
            BudgetLineFigures(
                year=overview.year,
                figures=rows[line.code],
                id=line.pk,
                code=line.code,
                name=line.name,
            )
            for line in lines
        ]

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        lines = self.with_figures(page if page is not None else list(queryset))
        serializer = BudgetLineSerializer.many_init(lines)
        if page is None:
            return Response(serializer.data)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, pk: str) -> Response:
        (line,) = self.with_figures([self.get_object()])
        return Response(BudgetLineSerializer(line).data)

    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def total(self, request: Request) -> Response:
        overview = self.overview()
        return Response(
            BudgetTotalSerializer(
                BudgetYearFigures(year=overview.year, figures=overview.total)
            ).data
        )
