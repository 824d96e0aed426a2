"""Pages of the monitor archive: the list with the request form, a monitor's page with its build
status (updated in place by htmx), rebuilding and the downloads.

Everything here is aggregates: no person is shown or exported, so nothing is written to the
access log.
"""

from http import HTTPStatus

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from casework import spreadsheets
from casework.types import AuthenticatedHttpRequest
from monitoring import report_selectors, report_services
from monitoring.models import Report
from monitoring.report_forms import ReportRequestForm
from monitoring.report_selectors import FileFormat

PAGE_SIZE = 25
# htmx stops polling when a response has this status code (and still shows it).
STOP_POLLING = 286
CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.CSV: spreadsheets.CONTENT_TYPES["csv"],
    FileFormat.XLSX: spreadsheets.CONTENT_TYPES["xlsx"],
}


def _list(request: AuthenticatedHttpRequest, form: ReportRequestForm | None) -> HttpResponse:
    page = Paginator(report_selectors.archive(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "monitoring/reports/report_list.html", {"page": page, "form": form})


@permission_required("monitoring.view_report", raise_exception=True)
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    may_request = request.user.has_perm("monitoring.add_report")
    return _list(request, ReportRequestForm() if may_request else None)


@permission_required("monitoring.add_report", raise_exception=True)
@require_POST
def report_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return _list(request, form)
    row = report_services.request_report(
        period=form.cleaned_data["period"], requested_by=request.user
    )
    if row.in_progress:
        messages.success(request, _("The monitor is being built. You can leave this page."))
    else:
        messages.success(request, _("This monitor exists already. Rebuild it for new figures."))
    return redirect("monitor-detail", pk=row.pk)


def _status_context(request: AuthenticatedHttpRequest, row: Report) -> dict[str, object]:
    return {
        "report": row,
        "may_rebuild": request.user.has_perm("monitoring.add_report")
        and report_services.can_rebuild(row, now=timezone.now()),
    }


@permission_required("monitoring.view_report", raise_exception=True)
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = report_selectors.get_report(pk)
    return render(request, "monitoring/reports/report_detail.html", _status_context(request, row))


@permission_required("monitoring.view_report", raise_exception=True)
def report_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The status part of the monitor's page, polled by htmx every 2 seconds while the monitor
    is queued or being built. An unchanged status answers 204 (htmx swaps nothing, so screen
    readers hear only changes); a done or failed one also stops the polling. The downloads come
    along out of band: they are outside the page's live region."""
    row = report_selectors.get_report(pk)
    if row.in_progress and request.GET.get("status") == row.status:
        return HttpResponse(status=HTTPStatus.NO_CONTENT)
    return render(
        request,
        "monitoring/reports/_partials/status.html",
        {**_status_context(request, row), "downloads_out_of_band": True},
        status=STOP_POLLING if request.htmx and not row.in_progress else HTTPStatus.OK,
    )


@permission_required("monitoring.add_report", raise_exception=True)
@require_POST
def report_rebuild(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = report_selectors.get_report(pk)
    if report_services.rebuild_report(report_row=row, requested_by=request.user):
        messages.success(request, _("The monitor is being rebuilt. You can leave this page."))
    else:
        messages.info(request, _("The monitor is being built already."))
    return redirect("monitor-detail", pk=row.pk)


@permission_required("monitoring.view_report", raise_exception=True)
def report_download(request: AuthenticatedHttpRequest, pk: int, file_format: str) -> HttpResponse:
    """A monitor's PDF, CSV or XLSX. Aggregates only: no access-log row."""
    try:
        chosen = FileFormat(file_format)
    except ValueError:
        raise Http404(_("No such format.")) from None
    row, content = report_selectors.get_report_file(pk, chosen)
    response = HttpResponse(content, content_type=CONTENT_TYPES[chosen])
    response["Content-Disposition"] = f'attachment; filename="{row.file_name(chosen.value)}"'
    return response
