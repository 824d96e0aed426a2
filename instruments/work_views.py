"""Pages of the dossier's work section for the werkmakelaar: the client's work profile, placing the
client in work and ending a placement. Thin, like instruments.views: the client is reached through
clients.selectors, writes go through instruments.placements, and every page that shows the client
is written to the access log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.selectors import get_client_for_user
from instruments import placements
from instruments.models import Placement, Vacancy, WorkProfile
from instruments.work_forms import PlacementEndForm, PlacementForm, WorkProfileForm

# Errors place_client raises without a field, shown next to the field they are about.
PLACEMENT_ERROR_FIELDS = {"vacancy": "vacancy", "no_benefit": "ends_benefit"}


def add_service_errors(
    form: BaseForm, error: ValidationError, fields_by_code: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: a field's errors next to that field, the
    others (or errors about fields the form does not have) in the error summary."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
        return
    for item in error.error_list:
        form.add_error((fields_by_code or {}).get(item.code or ""), item)


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def work_profile_edit(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    # The form shows the chosen sectors: fetched with the profile.
    profile = WorkProfile.objects.filter(client=client).prefetch_related("sectors").first()
    form = WorkProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            placements.save_work_profile(
                client=client,
                sectors=form.cleaned_data["sectors"],
                hours_per_week=form.cleaned_data["hours_per_week"],
                updated_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The work profile has been saved."))
            return redirect("clients:detail", pk=client.pk)
    record_access(request=request, client_ids=[client.pk], view="instruments:work-profile")
    return render(
        request,
        "instruments/work/work_profile_form.html",
        {"client": client, "form": form, "is_new": profile is None},
    )


def preset_vacancy(pk: str | None) -> dict[str, int]:
    """The form's initial employer and vacancy for `?vacature=<pk>` (the link from the suitable
    clients of a vacancy), when that is an open vacancy; otherwise nothing is preset."""
    if not pk or not pk.isdecimal():
        return {}
    vacancy = Vacancy.objects.filter(pk=pk, is_open=True).values("pk", "employer_id").first()
    if vacancy is None:
        return {}
    return {"vacancy": vacancy["pk"], "employer": vacancy["employer_id"]}


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def placement_create(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    initial = {"start_date": timezone.localdate(), **preset_vacancy(request.GET.get("vacature"))}
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placements.place_client(client=client, placed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, PLACEMENT_ERROR_FIELDS)
        else:
            messages.success(request, _("The placement has been recorded."))
            return redirect("clients:detail", pk=client.pk)
    record_access(request=request, client_ids=[client.pk], view="instruments:placement-create")
    # The dossier's benefit periods are prefetched by get_client_for_user: no extra query.
    current_benefit = next((p for p in client.benefit_periods.all() if p.end_date is None), None)
    return render(
        request,
        "instruments/work/placement_form.html",
        {"client": client, "form": form, "current_benefit": current_benefit},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def placement_end(request: AuthenticatedHttpRequest, client_pk: int, pk: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_pk, for_change=True)
    # Only this client's running placements; the page names the employer: joined.
    placement = get_object_or_404(
        Placement.objects.filter(client=client, ended_on__isnull=True).select_related("employer"),
        pk=pk,
    )
    form = PlacementEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            placements.end_placement(placement=placement, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The placement has ended."))
            return redirect("clients:detail", pk=client.pk)
    record_access(request=request, client_ids=[client.pk], view="instruments:placement-end")
    return render(
        request,
        "instruments/work/placement_end.html",
        {"client": client, "placement": placement, "form": form},
    )
