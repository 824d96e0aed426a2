"""Mijn werkvoorraad: what is overdue and due soon in a consultant's caseload."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rules.contrib.views import permission_required

from casework.models import PolicySettings, User
from casework.pagination import KnownCountPaginator
from casework.rules import is_consultant
from casework.selectors import team_consultants
from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.selectors import clients_for_user, filter_caseload
from clients.workqueue import selectors

PAGE_SIZE = 25


def _chosen_consultant(request: AuthenticatedHttpRequest) -> User | None:
    """The consultant of the own team a team leader chose (?consultant=<id>), if any."""
    pk = request.GET.get("consultant", "")
    if not pk.isdigit():
        return None
    return team_consultants(request.user).filter(pk=pk).first()


@permission_required("clients.view_client", raise_exception=True)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A consultant sees their own queue. A team leader first sees the team per consultant, as
    the daily job recorded it, and opens a consultant's queue from there."""
    consultant = request.user if is_consultant(request.user) else _chosen_consultant(request)
    if consultant is None:
        return render(
            request,
            "clients/workqueue/team.html",
            {"consultants": list(selectors.team_overview(request.user))},
        )

    policy = PolicySettings.load()
    window = selectors.Window.starting(timezone.localdate(), policy)
    clients = filter_caseload(clients_for_user(request.user), consultant=consultant)
    counts = selectors.queue_counts(clients, window=window, policy=policy)
    items = selectors.queue_items(clients, window=window, policy=policy)
    page = KnownCountPaginator(items, PAGE_SIZE, count=counts.total).get_page(
        request.GET.get("page")
    )
    rows = [selectors.QueueItem.from_row(row, window.today) for row in page]
    record_access(
        request=request,
        client_ids=dict.fromkeys(row.client_pk for row in rows),
        view="workqueue:index",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clients/workqueue/index.html",
        {
            "consultant": consultant,
            "own_queue": consultant == request.user,
            "counts": counts,
            "window": window,
            "page": page,
            "rows": rows,
            "page_query": query.urlencode(),
        },
    )
