"""Pages of the instruments app. Thin: scoping through clients.selectors, writes in
instruments.services, and every response that shows a person's data is written to the access log."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.selectors import get_client_for_user
from instruments import selectors, services
from instruments.forms import TrajectoryEndForm, TrajectoryStartForm
from instruments.models import TrajectoryStatus


@permission_required("instruments.view_budget_overview", raise_exception=True)
def budget_current(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect("instruments:budget", year=timezone.localdate().year)


@permission_required("instruments.view_budget_overview", raise_exception=True)
def budget_overview(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """Aggregates only: no person is shown, so nothing is written to the access log."""
    overview = selectors.budget_overview(year=year, today=timezone.localdate())
    return render(
        request,
        "instruments/budget_overview.html",
        {"overview": overview, "previous_year": year - 1, "next_year": year + 1},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def trajectory_start(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    # Started from a conversation (?gesprek=<pk>): the form proposes it.
    form = TrajectoryStartForm(
        request.POST or None,
        client=client,
        initial={"start_date": timezone.localdate(), "conversation": request.GET.get("gesprek")},
    )
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.start_trajectory(
                client=client, started_by=request.user, **form.service_arguments()
            )
        except services.IneligibleError as error:
            warnings = error.messages
            form.add_error(
                "override_reason",
                _("The client does not meet every condition: confirm and give a reason."),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The trajectory has been started."))
            if trajectory.conversation_id is not None:
                return redirect("conversations:detail", pk=trajectory.conversation_id)
            return redirect("clients:detail", pk=client.pk)
    record_access(request=request, client_ids=[client.pk], view="instruments:trajectory-start")
    return render(
        request,
        "instruments/trajectory_start.html",
        {"client": client, "form": form, "warnings": warnings},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def trajectory_end(request: AuthenticatedHttpRequest, client_pk: int, pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    trajectory = get_object_or_404(
        selectors.trajectories_for_client(client), pk=pk, status=TrajectoryStatus.RUNNING
    )
    form = TrajectoryEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        end_date: datetime.date = form.cleaned_data["end_date"]
        try:
            released = services.end_trajectory(
                trajectory=trajectory,
                status=form.cleaned_data["status"],
                end_date=end_date,
                early_end_reason=form.cleaned_data["early_end_reason"],
            )
        except ValidationError as error:
            form.add_error("end_date", error)
        else:
            messages.success(
                request,
                _("The trajectory has ended; € %(amount)s of the commitment was released.")
                % {"amount": released},
            )
            return redirect("clients:detail", pk=client.pk)
    record_access(request=request, client_ids=[client.pk], view="instruments:trajectory-end")
    return render(
        request,
        "instruments/trajectory_end.html",
        {"client": client, "trajectory": trajectory, "form": form},
    )
