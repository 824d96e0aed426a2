"""The clients resource of the REST API (/api/v1/clients/). Read-only. Clients are reached only
through clients.selectors (the pages' scoping), and every response is written to the access log."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from casework.api.schema import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHENTICATED,
    ordering,
    path_id,
)
from casework.api.viewsets import ApiViewSet
from casework.services import record_access
from clients import selectors
from clients.models import BenefitPeriod, Client, ClientGroup, LadderStep
from clients.serializers import BsnSearchSerializer, ClientDetailSerializer, ClientSerializer

CLIENT_ID = path_id("client (cliënt)")
ORDERING = ordering(
    "last_name, first_name, date_of_birth, created_at or current_step (ladder step)", "by name"
)


class ClientFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team", help_text="Team id.")
    group = filters.ModelChoiceFilter(
        queryset=ClientGroup.objects.all(),
        to_field_name="code",
        method="filter_group",
        help_text="Code of the current client group (klantgroep), e.g. `groeien`.",
    )
    ladder_step = filters.ModelChoiceFilter(
        queryset=LadderStep.objects.all(),
        to_field_name="number",
        method="filter_ladder_step",
        help_text="Current step on the participation ladder (participatieladder), 1-6.",
    )
    consultant = filters.NumberFilter(
        field_name="consultants", help_text="User id of a consultant on the caseload."
    )
    on_benefit = filters.BooleanFilter(
        help_text="Only clients with (true) or without (false) an open benefit period (uitkering)."
    )

    class Meta:
        model = Client
        fields = ["team", "group", "ladder_step", "consultant", "on_benefit"]

    def filter_group(
        self, queryset: QuerySet[Client], name: str, value: ClientGroup
    ) -> QuerySet[Client]:
        return selectors.filter_caseload(queryset, group=value)

    def filter_ladder_step(
        self, queryset: QuerySet[Client], name: str, value: LadderStep
    ) -> QuerySet[Client]:
        return selectors.filter_caseload(queryset, step=value)


@extend_schema_view(
    list=extend_schema(
        summary="List clients (cliënten)",
        description=(
            "The clients of the user's own team, paginated. Consultants and team leaders only. "
            "Every client in the page is written to the access log."
        ),
        parameters=[ORDERING],
        responses={
            200: ClientSerializer(many=True),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary="Retrieve a client's dossier",
        description=(
            "One client with contact details and the histories of benefit, client group "
            "(klantgroep) and participation ladder. Written to the access log."
        ),
        parameters=[CLIENT_ID],
        responses={
            200: ClientDetailSerializer,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    ),
)
class ClientViewSet(ApiViewSet[Client]):
    permission_required = "clients.view_client"
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    ordering_fields = ["last_name", "first_name", "date_of_birth", "created_at", "current_step"]
    ordering = ["last_name", "first_name", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Client]:
        open_benefit = BenefitPeriod.objects.filter(client=OuterRef("pk"), end_date__isnull=True)
        return (
            selectors.with_current_status(selectors.clients_for_user(self.user))
            # "Has an open benefit period" as one look-up per client of the page on the unique
            # partial index one_open_benefit. Not EXISTS: planning for the whole team, not the
            # page, PostgreSQL hashes all open periods first (25 ms of 30 at 100,000 clients).
            .annotate(on_benefit=IsNull(Subquery(open_benefit.values("pk")[:1]), False))
            # The consultants of every client in the page in one query.
            .prefetch_related("consultants")
        )

    def get_serializer_class(self) -> type[BaseSerializer[Client]]:
        return ClientDetailSerializer if self.action == "retrieve" else ClientSerializer

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        clients = page if page is not None else list(queryset)
        record_access(
            request=self.django_request,
            client_ids=[client.pk for client in clients],
            view="api:clients-list",
        )
        serializer = self.get_serializer(clients, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, pk: str) -> Response:
        client = selectors.get_client_for_user(self.user, int(pk))
        record_access(
            request=self.django_request, client_ids=[client.pk], view="api:clients-retrieve"
        )
        return Response(self.get_serializer(client).data)

    @extend_schema(
        summary="Look up a client by BSN",
        description=(
            "Finds the client with this burgerservicenummer in the user's scope. The BSN goes in "
            "the body of a POST, never in a URL. The answer is a list: empty when no client in "
            "the user's team has this BSN. A found client is written to the access log."
        ),
        request=BsnSearchSerializer,
        responses={
            200: ClientSerializer(many=True),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
        filters=False,
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def search(self, request: Request) -> Response:
        form = BsnSearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        clients = list(selectors.clients_with_bsn(self.get_queryset(), form.validated_data["bsn"]))
        record_access(
            request=self.django_request,
            client_ids=[client.pk for client in clients],
            view="api:clients-search",
        )
        return Response(ClientSerializer(clients, many=True).data)
