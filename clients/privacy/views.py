"""The application manager's privacy pages: the access log search and its export, and the subject
access request. Thin: reads in clients.privacy.selectors, and each response that shows something
about a client is itself written to the access log."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from casework.models import AccessReason
from casework.services import record_access
from casework.spreadsheets import FORMATS, attachment_response
from casework.sudo import sudo_required
from casework.types import AuthenticatedHttpRequest
from clients.privacy import documents, exports, selectors
from clients.privacy.forms import AccessLogFilterForm, BsnSearchForm, SubjectAccessForm

PAGE_SIZE = 50
# Rows of the log read at a time for an export: a user's whole log can be long.
EXPORT_CHUNK_SIZE = 2000


@permission_required("clients.view_access_log", raise_exception=True)
@require_http_methods(["GET", "POST"])
@never_cache
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A search by BSN is posted and becomes a search by client number (post/redirect/get):
        # the BSN never appears in a URL.
        bsn_form = BsnSearchForm(request.POST)
        if bsn_form.is_valid():
            query = request.GET.copy()
            query.pop("page", None)
            query["client"] = str(bsn_form.client.pk)
            return redirect(f"{request.path}?{query.urlencode()}")
    else:
        bsn_form = BsnSearchForm()

    form = AccessLogFilterForm(request.GET or None)
    page = client = None
    if form.is_valid():
        arguments = form.search_arguments()
        page = Paginator(selectors.access_log(**arguments), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        # Read now, so that the page does not list the log row of this search itself.
        entries = list(page)
        client_id = arguments["client_id"]
        if client_id is not None:
            client = selectors.find_client(client_id)
            shown = [client_id]
        else:
            shown = sorted({entry.client_id for entry in entries})
        # Who looked at whom is itself personal data of the clients shown.
        record_access(
            request=request, client_ids=shown, view="privacy:access-log", reason=AccessReason.AUDIT
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/access_log.html",
        {
            "form": form,
            "bsn_form": bsn_form,
            "page": page,
            "client": client,
            "page_query": query.urlencode(),
        },
    )


@permission_required("clients.view_access_log", raise_exception=True)
@require_GET
@never_cache
@sudo_required
def access_log_export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    """The current search of the access log page, every row of it."""
    if file_format not in FORMATS:
        raise Http404
    form = AccessLogFilterForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('privacy:access-log')}?{request.GET.urlencode()}")
    entries = selectors.access_log(**form.search_arguments())
    # Written before this export is logged, so the file does not hold its own log rows; the log
    # is read in chunks, never as one list.
    content = exports.render(entries.iterator(chunk_size=EXPORT_CHUNK_SIZE), file_format)
    record_access(
        request=request,
        # The clients in the file, DISTINCT in the database.
        client_ids=entries.order_by("client_id").values_list("client_id", flat=True).distinct(),
        view="privacy:access-log-export",
        reason=AccessReason.AUDIT,
    )
    return attachment_response(
        content, file_format, (_("access log"), timezone.localdate().isoformat())
    )


@permission_required("clients.subject_access", raise_exception=True)
@require_http_methods(["GET", "POST"])
@never_cache
@sudo_required
def subject_access(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The answer to a subject access request: one PDF with everything held on the client. The
    request is logged first, so the document's list of accesses ends with this one."""
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        record_access(
            request=request,
            client_ids=[form.client.pk],
            view="privacy:subject-access",
            reason=AccessReason.SUBJECT_ACCESS,
        )
        client = selectors.client_for_subject_access(form.client.pk)
        response = HttpResponse(
            documents.render_subject_access_pdf(client), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(client)}"'
        return response
    return render(request, "privacy/subject_access.html", {"form": form})
