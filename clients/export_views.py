"""The caseload export: the user's caseload (clients.selectors) as a file, access-logged. A whole
caseload leaves the application with it: only in sudo mode (casework.sudo)."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from casework.selectors import team_consultants
from casework.services import record_access
from casework.spreadsheets import FORMATS, attachment_response
from casework.sudo import sudo_required
from casework.types import AuthenticatedHttpRequest
from clients import exports, selectors


@permission_required("clients.view_client", raise_exception=True)
@require_GET
@sudo_required
@never_cache
def client_export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    clients = selectors.clients_for_user(request.user)
    consultant_id = request.GET.get("consulent", "")
    if consultant_id:
        # Only a consultant of the user's own team; anyone else is not found.
        consultants = team_consultants(request.user)
        consultant = (
            consultants.filter(pk=consultant_id).first() if consultant_id.isdigit() else None
        )
        if consultant is None:
            raise Http404
        clients = selectors.filter_caseload(clients, consultant=consultant)
        scope = str(consultant)
    else:
        scope = request.user.team.name if request.user.team else ""

    rows = list(exports.caseload(clients))
    record_access(request=request, client_ids=[c.pk for c in rows], view="clients:export")
    return attachment_response(
        exports.render(rows, file_format),
        file_format,
        (_("caseload"), scope, timezone.localdate().isoformat()),
    )
