"""Pages of conversations: start one of a kind, continue a draft, read one, add an addendum.
Thin: scoping in the selectors (clients_for_user), writes in clients.conversations.services,
and every response that shows a person's data is written to the access log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.conversations import selectors, services
from clients.conversations.forms import AddendumForm, ConversationForm
from clients.models import Client, Conversation, ConversationKind, Location
from clients.selectors import check_changeable, get_client_for_user

# Dutch URL paths for the kinds: /clienten/<id>/gesprekken/nieuw/ambitie/
KIND_SLUGS: dict[str, str] = {
    ConversationKind.SCREENING: "screening",
    ConversationKind.AMBITION: "ambitie",
    ConversationKind.PROGRESS: "voortgang",
    ConversationKind.LEGALITY_REVIEW: "rechtmatigheid",
    ConversationKind.COACHING: "werkcoach",
    ConversationKind.AFTERCARE: "nazorg",
}
KIND_BY_SLUG = {slug: kind for kind, slug in KIND_SLUGS.items()}

# The fields of each kind, in fieldsets per topic; the shorter kinds share one.
FIELDS_TEMPLATES: dict[str, str] = {
    ConversationKind.SCREENING: "clients/conversations/_fields_screening.html",
    ConversationKind.AMBITION: "clients/conversations/_fields_ambition.html",
    ConversationKind.PROGRESS: "clients/conversations/_fields_progress.html",
}

COMPLETE = "complete"


def create_url(client: Client, kind: str) -> str:
    return reverse("conversations:create", args=[client.pk, KIND_SLUGS[kind]])


def _completing(request: AuthenticatedHttpRequest) -> bool:
    """Which of the two submit buttons was used: "complete" or "save as draft"."""
    return request.POST.get("action") == COMPLETE


def _saved(request: AuthenticatedHttpRequest, conversation: Conversation) -> HttpResponse:
    if conversation.is_completed:
        messages.success(request, _("The conversation has been completed."))
    else:
        messages.success(request, _("The conversation has been saved as a draft."))
    return redirect("conversations:detail", pk=conversation.pk)


def _refuse_completed(
    request: AuthenticatedHttpRequest, conversation: Conversation
) -> HttpResponse:
    messages.warning(
        request, _("A completed conversation cannot be changed. Add an addendum instead.")
    )
    return redirect("conversations:detail", pk=conversation.pk)


def _form_page(
    request: AuthenticatedHttpRequest,
    form: ConversationForm,
    conversation: Conversation | None,
    view: str,
) -> HttpResponse:
    client = form.client
    record_access(request=request, client_ids=[client.pk], view=view)
    chooses_group = "new_group" in form.fields
    assignment = selectors.current_assignment(client) if chooses_group else None
    return render(
        request,
        "clients/conversations/conversation_form.html",
        {
            "form": form,
            "client": client,
            "conversation": conversation,
            "kind_label": ConversationKind(form.kind).label,
            "fields_template": FIELDS_TEMPLATES.get(
                form.kind, "clients/conversations/_fields_short.html"
            ),
            "current_group": assignment.group if assignment else None,
            # Every group's criteria next to the choice, as guidance (never a block).
            "groups": list(selectors.active_client_groups()) if chooses_group else [],
        },
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def conversation_create(
    request: AuthenticatedHttpRequest, client_pk: int, kind_slug: str
) -> HttpResponse:
    kind = KIND_BY_SLUG.get(kind_slug)
    if kind is None:
        raise Http404
    client = get_client_for_user(request.user, client_pk, for_change=True)
    # Defaults that let a consultant start at once: today, themselves, at the office.
    instance = Conversation(
        client=client,
        kind=kind,
        held_on=timezone.localdate(),
        consultant=request.user,
        location=Location.OFFICE,
    )
    initial = {}
    if kind in (ConversationKind.AMBITION, ConversationKind.PROGRESS):
        # The last measurement is where a new one starts from (the dossier prefetched it).
        measurement = next(iter(client.ladder_measurements.all()), None)
        if measurement is not None:
            initial = {"ladder_step": measurement.step, "ladder_target": measurement.target_step}
    form = ConversationForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        kind=kind,
        client=client,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.create_conversation(
                client=client,
                kind=kind,
                saved_by=request.user,
                complete=_completing(request),
                **form.service_arguments(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _saved(request, conversation)
    return _form_page(request, form, None, "conversations:create")


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def conversation_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.get_conversation_for_user(request.user, pk)
    check_changeable(request.user, conversation.client)
    if conversation.is_completed:
        return _refuse_completed(request, conversation)
    form = ConversationForm(
        request.POST or None,
        instance=conversation,
        kind=conversation.kind,
        client=conversation.client,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_conversation(
                conversation=conversation,
                saved_by=request.user,
                complete=_completing(request),
                **form.service_arguments(),
            )
        except services.ConversationCompletedError:
            return _refuse_completed(request, conversation)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _saved(request, conversation)
    return _form_page(request, form, conversation, "conversations:update")


def _detail_page(
    request: AuthenticatedHttpRequest, conversation: Conversation, addendum_form: AddendumForm
) -> HttpResponse:
    record_access(request=request, client_ids=[conversation.client_id], view="conversations:detail")
    return render(
        request,
        "clients/conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "client": conversation.client,
            "addendum_form": addendum_form,
            "scores": list(conversation.domain_scores.all()),
            "reviews": list(conversation.agreement_reviews.all()),
            "addenda": list(conversation.addenda.all()),
        },
    )


@permission_required("clients.view_client", raise_exception=True)
def conversation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.get_conversation_for_user(request.user, pk)
    return _detail_page(request, conversation, AddendumForm())


@permission_required("clients.change_client", raise_exception=True)
@require_POST
def conversation_addendum(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.get_conversation_for_user(request.user, pk)
    check_changeable(request.user, conversation.client)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.add_addendum(
                conversation=conversation, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The addendum has been added."))
            return redirect(reverse("conversations:detail", args=[pk]) + "#addenda")
    return _detail_page(request, conversation, form)
