"""The upload page of the client-base import, for the application manager.

Two steps: "Check" validates the file and shows the report without writing; "Import" validates
the file again and writes it in one transaction (clients.import_services.import_clients). The
file is uploaded again for the second step rather than kept on the server: it holds BSNs and
other personal data, which should not linger in the session or in temporary files, and
validating again means exactly the checked rules apply to what is written.
"""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from casework.spreadsheets import attachment_response
from casework.types import AuthenticatedHttpRequest
from clients.import_forms import ClientImportForm
from clients.import_services import import_clients
from clients.imports import UnreadableFileError, parse_file, write_template

# The report shows at most this many problems; the count above it says how many there are.
PROBLEMS_SHOWN = 200
IMPORT_ACTION = "import"


@permission_required("clients.import_clients", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "clients/imports/upload.html", {"form": ClientImportForm()})

    form = ClientImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "clients/imports/upload.html", {"form": form})
    upload = form.cleaned_data["file"]
    try:
        result = parse_file(upload, upload.name, today=timezone.localdate())
    except UnreadableFileError as error:
        form.add_error("file", str(error))
        return render(request, "clients/imports/upload.html", {"form": form})

    only_valid = form.cleaned_data["only_valid"]
    context = {
        "result": result,
        "problems": result.problems[:PROBLEMS_SHOWN],
        "only_valid": only_valid,
        "can_import": result.is_valid or (only_valid and bool(result.rows)),
        # The confirmation form asks for the file again (see the module docstring).
        "form": ClientImportForm(initial={"only_valid": only_valid}),
    }
    if request.POST.get("action") == IMPORT_ACTION and context["can_import"]:
        outcome = import_clients(result=result, only_valid=only_valid, imported_by=request.user)
        return render(request, "clients/imports/done.html", {**context, "outcome": outcome})
    return render(request, "clients/imports/report.html", context)


@permission_required("clients.import_clients", raise_exception=True)
@require_http_methods(["GET"])
def client_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    buffer = io.BytesIO()
    write_template(buffer)
    return attachment_response(buffer.getvalue(), "xlsx", (_("client import template"),))
