"""Pages of the client dossier. Thin: scoping in clients.selectors, writes in clients.services,
and every response that shows a person's data is written to the access log."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from casework.links import link_for_id
from casework.models import PolicySettings
from casework.pagination import WindowCountPaginator
from casework.rules import is_consultant
from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients import selectors, services
from clients.bsn import mask_bsn
from clients.forms import CaseloadFilterForm, ClientForm, ClientSearchForm

PAGE_SIZE = 25
# The columns the list shows, read as plain rows: model instances (with the rest of a client's
# fields deferred) took a third longer to read and render (bench/pages.py).
LIST_COLUMNS = (
    "pk",
    "bsn",
    "first_name",
    "surname_prefix",
    "last_name",
    "date_of_birth",
    "current_group_name",
    "current_step",
    "target_step",
)
SEARCH_SESSION_KEY = "clients_search"


@permission_required("clients.view_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        # The search term lives in the session (post/redirect/get), never in the URL.
        search_form = ClientSearchForm(request.POST)
        if search_form.is_valid():
            request.session[SEARCH_SESSION_KEY] = search_form.cleaned_data["q"].strip()
        query = request.GET.copy()
        query.pop("page", None)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    term = request.session.get(SEARCH_SESSION_KEY, "")
    search_form = ClientSearchForm(initial={"q": term})
    filters = request.GET.copy()
    if is_consultant(request.user):
        # A consultant starts on their own caseload; "whole team" is an explicit empty choice.
        filters.setdefault("consultant", str(request.user.pk))
    filter_form = CaseloadFilterForm(filters, user=request.user)

    chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
    clients = selectors.search_clients(selectors.clients_for_user(request.user), term)
    clients = selectors.filter_caseload(clients, **chosen)
    clients = selectors.with_current_status(clients).values(*LIST_COLUMNS)

    # A list narrowed by an index (a search, one consultant's caseload) is counted in its page's
    # query; the whole team's is not, which would read all of the team's clients for the count
    # instead of the first page's in name order (casework.pagination).
    narrowed = term or chosen.get("consultant")
    paginator = (WindowCountPaginator if narrowed else Paginator)(clients, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    link = link_for_id("clients:detail")
    page.object_list = [_as_shown(row, link) for row in page]
    record_access(request=request, client_ids=[row["pk"] for row in page], view="clients:list")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clients/client_list.html",
        {
            "page": page,
            "search_form": search_form,
            "search_term": term,
            "filter_form": filter_form,
            "page_query": query.urlencode(),
        },
    )


def _as_shown(row: dict[str, Any], link: Callable[[int], str]) -> dict[str, Any]:
    """A row of the list as shown: the BSN masked (masked_bsn, as Client.masked_bsn), so the
    page's context never holds a whole one, and the link to the dossier."""
    shown = {column: value for column, value in row.items() if column != "bsn"}
    shown["masked_bsn"] = mask_bsn(row["bsn"])
    shown["url"] = link(row["pk"])
    return shown


@permission_required("clients.view_client", raise_exception=True)
@require_http_methods(["POST"])
def client_search_clear(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.session.pop(SEARCH_SESSION_KEY, None)
    return redirect("clients:list")


@permission_required("clients.view_client", raise_exception=True)
def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk)
    record_access(request=request, client_ids=[client.pk], view="clients:detail")
    measurements = list(client.ladder_measurements.all())
    assignments = list(client.group_assignments.all())
    periods = list(client.benefit_periods.all())
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "current_measurement": measurements[0] if measurements else None,
            "current_assignment": next((a for a in assignments if a.end_date is None), None),
            "current_benefit": next((p for p in periods if p.end_date is None), None),
            "measurements": measurements,
            "assignments": assignments,
            "benefit_periods": periods,
            "timeline": selectors.client_timeline(client),
            # Loaded once for the sections that apply it (due dates, plan, work).
            "policy": PolicySettings.load(),
        },
    )


@permission_required("clients.add_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        client = services.create_client(created_by=request.user, **form.service_arguments())
        messages.success(request, _("Client %(name)s has been registered.") % {"name": client})
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = selectors.get_client_for_user(request.user, pk, for_change=True)
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_client(client=client, **form.service_arguments())
        messages.success(request, _("The changes have been saved."))
        return redirect("clients:detail", pk=client.pk)
    record_access(request=request, client_ids=[client.pk], view="clients:update")
    return render(request, "clients/client_form.html", {"form": form, "client": client})
