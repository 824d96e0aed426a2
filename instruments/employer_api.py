"""The employer services resources of the REST API (werkgeversdienstverlening), for exchange with
the regional employer service: /api/v1/employers/, /api/v1/vacancies/ and /api/v1/placements/.

Employers and vacancies are municipality-wide and show no person data: like the pages
(instruments.employer_views) they are read with `clients.view_client` (consultants and team
leaders; policy staff 403) and an employer is added with `clients.change_client` (consultants)
through the page's form and service. Placements belong to a client: ClientRecordViewSet scopes them
through clients.selectors and writes the access log. The schema parts and the reading of a body
as form data are instruments.api's."""

from typing import cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.forms import as_form_data, bad_request, form_errors
from casework.api.schema import (
    BAD_REQUEST,
    FORBIDDEN,
    READ_ERRORS,
    UNAUTHENTICATED,
    ordering,
    path_id,
)
from casework.api.viewsets import ApiViewSet, ClientRecordViewSet
from casework.models import PolicySettings
from instruments import employer_selectors, placements
from instruments.employer_forms import EmployerForm
from instruments.employer_serializers import (
    EmployerCreateSerializer,
    EmployerSerializer,
    PlacementSerializer,
    VacancySerializer,
)
from instruments.models import ContractType, Employer, Placement, Vacancy, VacancyLevel

# Employers (werkgevers) ---------------------------------------------------------------------------


class EmployerFilter(filters.FilterSet):
    name = filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the employer's name (any case)."
    )
    kvk_number = filters.CharFilter(
        help_text="The exact 8-digit Chamber of Commerce number (KvK-nummer)."
    )
    sector = filters.NumberFilter(help_text="Sector id (kansrijke sector).")
    city = filters.CharFilter(lookup_expr="iexact", help_text="City (plaats), any case.")
    has_open_vacancies = filters.BooleanFilter(
        method="filter_has_open_vacancies",
        help_text="Only employers with (true) or without (false) an open vacancy (vacature).",
    )

    class Meta:
        model = Employer
        fields = ["name", "kvk_number", "sector", "city", "has_open_vacancies"]

    def filter_has_open_vacancies(
        self, queryset: QuerySet[Employer], name: str, value: bool
    ) -> QuerySet[Employer]:
        # open_vacancy_count is annotated by employer_selectors.employer_list.
        return queryset.filter(Q(open_vacancy_count__gt=0) if value else Q(open_vacancy_count=0))


@extend_schema_view(
    list=extend_schema(
        summary="List employers (werkgevers)",
        description=(
            "The municipality's employers with their sector and number of open vacancies, "
            "paginated. Consultants and team leaders; no person data, so no access log."
        ),
        parameters=[ordering("name, city, created_at or open_vacancy_count", "by name")],
        responses={200: EmployerSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve an employer (werkgever)",
        description="One employer with its contact details and number of open vacancies.",
        parameters=[path_id("employer (werkgever)")],
        responses={200: EmployerSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Add an employer (werkgever)",
        description=(
            "Adds an employer, validated by the same form and saved by the same service as the "
            "page 'Werkgever toevoegen': a KvK number of exactly 8 digits and an active sector. "
            "Consultants only. Invalid fields answer 400 with the problems per field."
        ),
        request=EmployerCreateSerializer,
        responses={
            201: EmployerSerializer,
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
)
class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet[Employer]):
    permission_required = "clients.view_client"
    serializer_class = EmployerSerializer
    filterset_class = EmployerFilter
    ordering_fields = ["name", "city", "created_at", "open_vacancy_count"]
    ordering = ["name", "id"]
    lookup_value_regex = r"\d+"

    # The pages' permissions (instruments.employer_views): reading employers is
    # clients.view_client, adding one clients.change_client.
    permissions_by_action = {"create": "clients.change_client"}

    def get_queryset(self) -> QuerySet[Employer]:
        # The employer list page's query: the sector joined, the open vacancies counted.
        return employer_selectors.employer_list()

    def create(self, request: Request) -> Response:
        # The page's form and service (instruments.employer_views.employer_create), the body read
        # as a browser would post it (instruments.api.as_form_data).
        data, errors = as_form_data(request.data)
        if errors:
            return bad_request(errors)
        form = EmployerForm(data=data)
        if not form.is_valid():
            # form_errors reads only what every form has (BaseForm.errors); it is typed for Form.
            return bad_request(form_errors(cast(forms.Form, form)))
        employer = placements.create_employer(**form.cleaned_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=employer.pk)).data,
            status=status.HTTP_201_CREATED,
        )


# Vacancies (vacatures) ----------------------------------------------------------------------------


class VacancyFilter(filters.FilterSet):
    employer = filters.NumberFilter(help_text="Employer id.")
    is_open = filters.BooleanFilter(help_text="Only open (true) or closed (false) vacancies.")
    sector = filters.NumberFilter(
        field_name="employer__sector", help_text="Sector id of the employer (kansrijke sector)."
    )
    level = filters.ChoiceFilter(
        choices=VacancyLevel.choices,
        help_text="Education level asked: `basic`, `mbo_1_2`, `mbo_3_4` or `hbo`.",
    )
    min_hours = filters.NumberFilter(
        field_name="hours_per_week",
        lookup_expr="gte",
        help_text="Only vacancies of at least this many hours a week.",
    )
    max_hours = filters.NumberFilter(
        field_name="hours_per_week",
        lookup_expr="lte",
        help_text="Only vacancies of at most this many hours a week.",
    )

    class Meta:
        model = Vacancy
        fields = ["employer", "is_open", "sector", "level", "min_hours", "max_hours"]


@extend_schema_view(
    list=extend_schema(
        summary="List vacancies (vacatures)",
        description=(
            "The vacancies of all employers, newest first, paginated. Consultants and team "
            "leaders; no person data, so no access log."
        ),
        parameters=[ordering("posted_on, hours_per_week or title", "newest first")],
        responses={200: VacancySerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a vacancy (vacature)",
        description="One vacancy with its employer.",
        parameters=[path_id("vacancy (vacature)")],
        responses={200: VacancySerializer, **READ_ERRORS},
    ),
)
class VacancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet[Vacancy]):
    permission_required = "clients.view_client"
    serializer_class = VacancySerializer
    filterset_class = VacancyFilter
    ordering_fields = ["posted_on", "hours_per_week", "title"]
    ordering = ["-posted_on", "-id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Vacancy]:
        # Every row names its employer and that employer's sector id: joined, not one query a row.
        return Vacancy.objects.select_related("employer")


# Placements (plaatsingen) -------------------------------------------------------------------------


class PlacementFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    employer = filters.NumberFilter(help_text="Employer id.")
    vacancy = filters.NumberFilter(help_text="Vacancy id.")
    contract_type = filters.ChoiceFilter(
        choices=ContractType.choices,
        help_text="`fixed_term`, `permanent`, `agency` (uitzendwerk) or `trial` (proefplaatsing).",
    )
    current = filters.BooleanFilter(
        field_name="ended_on",
        lookup_expr="isnull",
        help_text="Only running (true) or ended (false) placements.",
    )
    durable = filters.BooleanFilter(
        field_name="is_durable",
        help_text="Only durable (true) or not (yet) durable (false) placements (duurzaam).",
    )

    class Meta:
        model = Placement
        fields = ["client", "employer", "vacancy", "contract_type", "current", "durable"]


@extend_schema_view(
    list=extend_schema(
        summary="List placements (plaatsingen)",
        description=(
            "The placements in work of the clients in the user's team, newest first, paginated, "
            "with their durability (duurzame uitstroom) by the rule of the dossier and the "
            "monitor. Consultants and team leaders only. The clients of the placements in the "
            "page are written to the access log."
        ),
        parameters=[ordering("start_date, ended_on, hours_per_week or created_at", "newest first")],
        responses={200: PlacementSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a placement (plaatsing)",
        description="One placement of a client in the user's team. Written to the access log.",
        parameters=[path_id("placement (plaatsing)")],
        responses={200: PlacementSerializer, **READ_ERRORS},
    ),
)
class PlacementViewSet(ClientRecordViewSet[Placement]):
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    # The model for the schema's filter parameters; the rows come from get_queryset (scoped).
    queryset = Placement.objects.none()
    ordering_fields = ["start_date", "ended_on", "hours_per_week", "created_at"]
    ordering = ["-start_date", "-id"]

    def base_queryset(self) -> QuerySet[Placement]:
        # Each row names its employer: joined, not one query a row. Durability is the one rule of
        # the dossier and the monitor (employer_selectors.with_durability), in the same query.
        return employer_selectors.with_durability(
            Placement.objects.select_related("employer"),
            today=timezone.localdate(),
            months=PolicySettings.load().durable_placement_months,
        )
