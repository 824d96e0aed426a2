"""Deleting a client registered in error (clients.deletion): a team leader of the client's team,
in sudo mode. The access log keeps the client's id and who deleted it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.sudo import sudo_required
from casework.types import AuthenticatedHttpRequest
from clients import deletion, selectors


@permission_required("clients.delete_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
@sudo_required
def client_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Which clients: the team's (scoping, 404 otherwise); the page shows none of the histories.
    client = selectors.get_client_for_user(request.user, pk, with_histories=False)
    record_access(request=request, client_ids=[client.pk], view="clients:delete")
    if request.method == "POST":
        name = str(client)
        try:
            deletion.delete_client(client=client)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("clients:detail", pk=pk)
        messages.success(request, _("%(name)s has been deleted.") % {"name": name})
        return redirect("clients:list")
    try:
        deletion.check_deletable(client)
    except ValidationError as refusal:
        refused = " ".join(refusal.messages)
    else:
        refused = ""
    return render(request, "clients/client_delete.html", {"client": client, "refused": refused})
