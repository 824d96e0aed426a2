"""The conversations resource of the REST API: /api/v1/conversations/ (gesprekken).

Reading is ClientRecordViewSet's: `clients.view_client` (consultants and team leaders; policy
staff 403), only conversations of clients in the user's scope (clients.selectors), and the
clients shown written to the access log. The report (notes) is shown to the same roles as on the
conversation page, which shows it to everyone who may read the conversation.

Writing is the conversation pages' (clients.conversations.views): `clients.change_client`
(consultants only), the client through get_client_for_user, the body bound to the same
ConversationForm (with the same kind, client and user) and saved by the same services, whose
errors come back onto the fields as on the page. The API can therefore create no state the
pages cannot: what completing needs, a klantgroep change with its reason, the ladder
measurement, the agreement reviews and the kick-off invitation are all the form's and the
service's. A completed conversation is refused (409), as the page refuses it.

The JSON body is turned into the data a browser posts: one text value per field, a list for the
checklist and the partners, and the rows of the response by the codes it shows (klantgroepen and
checklist questions by code, ladder steps by number) turned into the ids the form's choices use.
The life-domain scores and the agreement reviews, one field pair each on the page, are lists of
objects here."""

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.forms import as_form_data, bad_request, form_errors
from casework.api.schema import (
    BAD_REQUEST,
    ERROR,
    FORBIDDEN,
    READ_ERRORS,
    UNAUTHENTICATED,
)
from casework.api.viewsets import ClientRecordViewSet
from clients.conversations import services
from clients.conversations.forms import KIND_FIELDS, ConversationForm
from clients.conversations.serializers import (
    CONVERSATION_CREATE,
    CONVERSATION_UPDATE,
    ConversationSerializer,
    codes,
)
from clients.history_api import ordering, path_id
from clients.models import (
    ClientGroup,
    Conversation,
    ConversationAddendum,
    ConversationKind,
    ConversationStatus,
    DomainScore,
    LadderStep,
    ScreeningQuestion,
)
from clients.selectors import check_changeable, get_client_for_user

COMPLETED = OpenApiResponse(
    ERROR,
    description="The conversation is completed: it cannot be changed, only get addenda "
    "(aanvullingen) on its page.",
)
WRITE_ACCESS = (
    "Consultants only, for clients of their team; validated by the conversation page's form and "
    "saved by its service, so the API refuses what the page refuses (400 with the problems per "
    "field; the life-domain scores keyed by domain code and the agreement reviews by agreement "
    "id). With `complete: true` the conversation is completed at once and its consequences are "
    "applied in one transaction: a klantgroep change (a new group assignment that ends the "
    "current one), a ladder measurement, the agreements' new status and the kick-off "
    "invitation; when completing is refused, nothing is saved."
)

# Body fields that name a policy row by the code (or number) the response shows; the form's
# choices take ids.
NATURAL_KEYS: dict[str, tuple[type[Model], str]] = {
    "preferred_group": (ClientGroup, "code"),
    "advised_group": (ClientGroup, "code"),
    "new_group": (ClientGroup, "code"),
    "ladder_step": (LadderStep, "number"),
    "ladder_target": (LadderStep, "number"),
    "checklist": (ScreeningQuestion, "code"),
}
SCORES = "domain_scores"
REVIEWS = "agreement_reviews"


def with_details(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """What the serializer shows, in a fixed number of queries for any number of rows."""
    return (
        # Groups and steps are shown by code and number: joined, not one query a row.
        queryset.select_related(
            "preferred_group", "advised_group", "new_group", "ladder_step", "ladder_target"
        )
        # The lists of every conversation in the page, one query per list.
        .prefetch_related(
            "checklist",
            "referred_to",
            Prefetch("domain_scores", queryset=DomainScore.objects.select_related("domain")),
            "agreement_reviews",
            Prefetch("addenda", queryset=ConversationAddendum.objects.order_by("created_at", "id")),
        )
    )


class ConversationFilter(filters.FilterSet):
    client = filters.NumberFilter(help_text="Client id.")
    kind = filters.ChoiceFilter(
        choices=ConversationKind.choices,
        help_text=f"The kind of conversation: {codes(ConversationKind.choices)}.",
    )
    status = filters.ChoiceFilter(
        choices=ConversationStatus.choices,
        help_text="`draft` (concept) or `completed` (afgerond).",
    )
    consultant = filters.NumberFilter(help_text="User id of the consultant who held it.")
    held_after = filters.DateFilter(
        field_name="held_on",
        lookup_expr="gte",
        help_text="Only conversations held on or after this date (YYYY-MM-DD).",
    )
    held_before = filters.DateFilter(
        field_name="held_on",
        lookup_expr="lte",
        help_text="Only conversations held on or before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = Conversation
        fields = ["client", "kind", "status", "consultant", "held_after", "held_before"]


class CompleteSerializer(serializers.Serializer[None]):
    """The body's fields that are not the form's: on the page, the button pressed."""

    complete = serializers.BooleanField(default=False)


class CreateSerializer(CompleteSerializer):
    """On the page, the client and the kind are in the URL."""

    client = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ConversationKind.choices)


class BodyError(Exception):
    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = errors


def bind(
    form: ConversationForm, data: QueryDict, body: Mapping[str, Any], *, partial: bool
) -> None:
    """Fill the form's data from the body, as the page's form posts it. PATCH (`partial`) starts
    from what the draft's page shows, so that fields left out keep their value. Raises BodyError
    for what no form could be sent: unknown fields, objects for single values, unknown codes."""
    if partial:
        for name, field in form.fields.items():
            data.setlist(name, as_posted(field.prepare_value(form[name].initial)))
    allowed = set(KIND_FIELDS[form.kind])
    if form.kind == ConversationKind.AMBITION:
        allowed.add(SCORES)
    if form.kind == ConversationKind.PROGRESS:
        allowed.add(REVIEWS)
    errors: dict[str, Any] = {
        name: [_("Not a field of this kind of conversation.")] for name in body.keys() - allowed
    }
    # The fields whose widget reads a list (checkboxes), as QueryDict.getlist.
    lists = {name for name in allowed & form.fields.keys() if multiple(form.fields[name])}
    for name in body.keys() & lists:
        values = body[name] if body[name] is not None else []
        if isinstance(values, list) and not any(isinstance(v, list | dict) for v in values):
            data.setlist(name, [str(value) for value in values])
        else:
            errors[name] = [_("Give a list of values.")]
    singles = {name: body[name] for name in body.keys() & (allowed - lists - PAIRS.keys())}
    text, single_errors = as_form_data(singles)
    errors.update(single_errors)
    for name, value in text.items():
        data[name] = value
    errors.update(_codes_to_ids(form, data, (body.keys() & NATURAL_KEYS.keys()) - errors.keys()))
    for name in body.keys() & allowed & PAIRS.keys():
        errors.update(_pairs(form, data, name, body[name], partial=partial))
    if errors:
        raise BodyError(errors)


def multiple(field: forms.Field) -> bool:
    return bool(getattr(field.widget, "allow_multiple_selected", False))


def as_posted(value: Any) -> list[str]:
    """A value of the draft's form (its initial, prepared) as the page posts it."""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if value is None:
        return [""]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, datetime.date):
        return [value.isoformat()]
    return [str(value)]


def _codes_to_ids(form: ConversationForm, data: QueryDict, names: set[str]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    tables: dict[type[Model], dict[str, str]] = {}
    for name in sorted(names):
        model, key = NATURAL_KEYS[name]
        if model not in tables:
            # A policy table of a few rows (klantgroepen, ladder steps, checklist questions),
            # read whole in one query; inactive rows too: the form's choices refuse them.
            tables[model] = {
                str(v): str(pk) for v, pk in model._default_manager.values_list(key, "pk")
            }
        ids = tables[model]
        values = [value for value in data.getlist(name) if value != ""]
        unknown = [value for value in values if value not in ids]
        if unknown:
            message = form.fields[name].error_messages["invalid_choice"]
            error = ValidationError(message, code="invalid_choice", params={"value": unknown[0]})
            errors[name] = error.messages
        elif values:
            data.setlist(name, [ids[value] for value in values])
    return errors


# The lists of objects in the body that are a pair of the form's fields each on the page: what
# names an object, its value, the form's fields of each object (by that name).
PAIRS = {SCORES: ("domain", "score"), REVIEWS: ("agreement", "status")}


def pair_fields(form: ConversationForm) -> dict[str, dict[str, tuple[str, str]]]:
    """The form's field pair of each life domain (by code) and each agreement (by id)."""
    return {
        SCORES: {
            domain.code: (score.name, note.name) for domain, score, note in form.domain_rows()
        },
        REVIEWS: {
            str(agreement.pk): (review.name, note.name)
            for agreement, review, note in form.review_rows()
        },
    }


def _pairs(
    form: ConversationForm, data: QueryDict, name: str, value: Any, *, partial: bool
) -> dict[str, Any]:
    key, field = PAIRS[name]
    rows = pair_fields(form)[name]
    items = [] if value is None else value
    if not isinstance(items, list) or not all(
        isinstance(item, dict) and key in item and set(item) <= {key, field, "note"}
        for item in items
    ):
        fields = f"{key}, {field}, note"
        return {name: [_("Give a list of objects with %(fields)s.") % {"fields": fields}]}
    if partial:  # the list given replaces the draft's
        for names in rows.values():
            for row_field in names:
                data.pop(row_field, None)
    errors: dict[str, list[str]] = {}
    for item in items:
        row = str(item[key])
        text, item_errors = as_form_data({field: item.get(field), "note": item.get("note")})
        if isinstance(item[key], bool) or row not in rows:
            errors[row] = [
                _("Not an active life domain.")
                if name == SCORES
                else _("Not an agreement this conversation reviews.")
            ]
        elif rows[row][0] in data:
            errors[row] = [_("Given more than once.")]
        elif item_errors:
            errors[row] = [message for messages in item_errors.values() for message in messages]
        else:
            value_field, note_field = rows[row]
            data[value_field], data[note_field] = text[field], text["note"]
    return {name: errors} if errors else {}


def api_errors(form: ConversationForm) -> dict[str, Any]:
    """The form's errors per body field: those of a score or a review under its domain code or
    agreement id."""
    nested = {
        form_field: (name, row)
        for name, rows in pair_fields(form).items()
        for row, form_fields in rows.items()
        for form_field in form_fields
    }
    errors: dict[str, Any] = {}
    for name, messages in form_errors(form).items():
        if name in nested:
            group, row = nested[name]
            errors.setdefault(group, {}).setdefault(row, []).extend(messages)
        else:
            errors[name] = messages
    return errors


@extend_schema_view(
    list=extend_schema(
        summary="List conversations (gesprekken)",
        description=(
            "The conversations of the clients in the user's team, newest first, paginated, "
            "drafts (concept) and completed ones (afgerond), with their life-domain scores, "
            "agreement reviews and addenda. Consultants and team leaders only. The clients of "
            "the conversations in the page are written to the access log."
        ),
        parameters=[ordering("held_on, completed_at or created_at", "newest first")],
        responses={200: ConversationSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a conversation (gesprek)",
        description=(
            "One conversation of a client in the user's team. Consultants and team leaders only. "
            "Written to the access log."
        ),
        parameters=[path_id("conversation (gesprek)")],
        responses={200: ConversationSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Log a conversation (gesprek voeren)",
        description=(
            "Logs a conversation of one kind with a client as a draft (concept), or completes it "
            "at once with `complete: true`. The body has the fields of that kind, as its page: "
            "a field left out is empty (a boolean false, as an unticked box); other kinds' "
            f"fields are refused. {WRITE_ACCESS} A client outside the user's team is refused "
            "on the `client` field. Written to the access log."
        ),
        request=CONVERSATION_CREATE,
        responses={
            201: ConversationSerializer,
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    update=extend_schema(
        summary="Change a draft conversation",
        description=(
            "Replaces the fields of a draft (concept), and completes it with `complete: true`. "
            "As on the page, a field left out is empty (a boolean false). "
            f"{WRITE_ACCESS} Written to the access log."
        ),
        parameters=[path_id("conversation (gesprek)")],
        request=CONVERSATION_UPDATE,
        responses={200: ConversationSerializer, 409: COMPLETED, 400: BAD_REQUEST, **READ_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a draft conversation",
        description=(
            "Changes the fields given of a draft (concept), and completes it with "
            "`complete: true`; the fields left out keep the value the draft's page shows (for an "
            "agreement not reviewed yet: its current status). A list given (scores, reviews, "
            f"checklist, partners) replaces the draft's. {WRITE_ACCESS} Written to the access log."
        ),
        parameters=[path_id("conversation (gesprek)")],
        request=CONVERSATION_UPDATE,
        responses={200: ConversationSerializer, 409: COMPLETED, 400: BAD_REQUEST, **READ_ERRORS},
    ),
)
class ConversationViewSet(ClientRecordViewSet[Conversation]):
    serializer_class = ConversationSerializer
    filterset_class = ConversationFilter
    # The model for the schema's filter parameters; the rows come from get_queryset (scoped).
    queryset = Conversation.objects.none()
    ordering_fields = ["held_on", "completed_at", "created_at"]
    ordering = ["-held_on", "-id"]
    parser_classes = [JSONParser]

    # The pages' permissions (clients.conversations.views): reading is clients.view_client,
    # logging and changing a conversation clients.change_client.
    permissions_by_action = {
        "create": "clients.change_client",
        "update": "clients.change_client",
        "partial_update": "clients.change_client",
    }

    def base_queryset(self) -> QuerySet[Conversation]:
        if self.action in ("update", "partial_update"):
            # The draft goes to the page's form and service with its client (the form needs its
            # team and plan), and without prefetched lists that the service would read stale.
            return Conversation.objects.select_related("client")
        return with_details(Conversation.objects.all())

    def create(self, request: Request) -> Response:
        body = self._body(request)
        params = CreateSerializer(data=body)
        params.is_valid(raise_exception=True)
        kind = params.validated_data["kind"]
        try:
            client = get_client_for_user(
                self.user, params.validated_data["client"], for_change=True
            )
        except Http404:
            return bad_request({"client": [_("No client with this id in your team.")]})
        form, data = self._form(Conversation(client=client, kind=kind))
        fields = {name: value for name, value in body.items() if name not in params.fields}
        if (refused := self._bind(form, data, fields, partial=False)) is not None:
            return refused
        if form.is_valid():
            try:
                conversation = services.create_conversation(
                    client=client,
                    kind=kind,
                    saved_by=self.user,
                    complete=params.validated_data["complete"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return self._saved(conversation, status.HTTP_201_CREATED)
        return self._invalid(form)

    def update(self, request: Request, pk: str) -> Response:
        return self._change(request, partial=False)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self._change(request, partial=True)

    def _change(self, request: Request, *, partial: bool) -> Response:
        conversation = self.get_object()
        check_changeable(self.user, conversation.client)
        if conversation.is_completed:
            return refuse_completed()
        body = self._body(request)
        params = CompleteSerializer(data=body)
        params.is_valid(raise_exception=True)
        form, data = self._form(conversation)
        fields = {name: value for name, value in body.items() if name not in params.fields}
        if (refused := self._bind(form, data, fields, partial=partial)) is not None:
            return refused
        if form.is_valid():
            try:
                services.update_conversation(
                    conversation=conversation,
                    saved_by=self.user,
                    complete=params.validated_data["complete"],
                    **form.service_arguments(),
                )
            except services.ConversationCompletedError:
                return refuse_completed()
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return self._saved(conversation, status.HTTP_200_OK)
        return self._invalid(form)

    def _body(self, request: Request) -> Mapping[str, Any]:
        if not isinstance(request.data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the fields as an object.")]}
            )
        return request.data

    def _form(self, conversation: Conversation) -> tuple[ConversationForm, QueryDict]:
        # The same form as the page's, with the same kind, client and user. Its data is filled
        # in by bind() once the form knows its life domains and agreements (before validation,
        # the form has not read it).
        data = QueryDict(mutable=True)
        form = ConversationForm(
            data,
            instance=conversation,
            kind=conversation.kind,
            client=conversation.client,
            user=self.user,
        )
        return form, data

    def _bind(
        self, form: ConversationForm, data: QueryDict, body: Mapping[str, Any], *, partial: bool
    ) -> Response | None:
        try:
            bind(form, data, body, partial=partial)
        except BodyError as error:
            return bad_request(error.errors)
        return None

    def _invalid(self, form: ConversationForm) -> Response:
        # The messages may name the client's agreements: the answer shows their data, as the
        # page's form with its errors does.
        self.log_access([form.instance])
        return bad_request(api_errors(form))

    def _saved(self, conversation: Conversation, code: int) -> Response:
        shown = with_details(Conversation.objects.all()).get(pk=conversation.pk)
        self.log_access([shown])
        return Response(self.get_serializer(shown).data, status=code)


def refuse_completed() -> Response:
    return Response(
        {"detail": _("A completed conversation cannot be changed. Add an addendum instead.")},
        status=status.HTTP_409_CONFLICT,
    )
