"""Showing a client's full BSN. Everywhere else it is masked (*****1234); here it is shown on an
explicit request, which is written to the access log like every other look at a person's data."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients import selectors


@permission_required("clients.view_client", raise_exception=True)
@require_POST  # a deliberate act (a button with CSRF protection), never a link or a prefetch
@never_cache  # Cache-Control: no-store, so the full BSN stays out of every cache
def client_bsn_show(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The full BSN: with HTMX in place of the masked one in the dossier, without a page."""
    # Without the dossier's histories, which this response does not show.
    client = selectors.get_client_for_user(request.user, pk, with_histories=False)
    record_access(request=request, client_ids=[client.pk], view="clients:bsn-show")
    if request.htmx:
        # Only the number: no request context, so none of the page's navigation queries.
        return HttpResponse(
            render_to_string("clients/_partials/bsn_shown.html", {"client": client})
        )
    return render(request, "clients/client_bsn_show.html", {"client": client})
