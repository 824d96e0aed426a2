"""Pages of the employer services for the werkmakelaar: employers and their vacancies. No person
data is shown, so nothing is written to the access log. Writes go through instruments.placements."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from casework.types import AuthenticatedHttpRequest
from instruments import employer_selectors, placements
from instruments.employer_forms import EmployerForm, VacancyForm
from instruments.models import Employer


@permission_required("clients.view_client", raise_exception=True)
def employer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "instruments/employers/employer_list.html",
        {"employers": employer_selectors.employer_list()},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def employer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = placements.create_employer(**form.cleaned_data)
        messages.success(request, _("The employer has been added."))
        return redirect("instruments:employer-detail", pk=employer.pk)
    return render(request, "instruments/employers/employer_form.html", {"form": form})


@permission_required("clients.view_client", raise_exception=True)
def employer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, VacancyForm())


@permission_required("clients.change_client", raise_exception=True)
@require_POST
def vacancy_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer, pk=pk)
    form = VacancyForm(request.POST)
    if form.is_valid():
        placements.add_vacancy(employer=employer, **form.cleaned_data)
        messages.success(request, _("The vacancy has been added."))
        return redirect("instruments:employer-detail", pk=employer.pk)
    return _detail(request, pk, form)


def _detail(request: AuthenticatedHttpRequest, pk: int, vacancy_form: VacancyForm) -> HttpResponse:
    # The sector's name is shown in the heading: joined.
    employer = get_object_or_404(Employer.objects.select_related("sector"), pk=pk)
    return render(
        request,
        "instruments/employers/employer_detail.html",
        {
            "employer": employer,
            "vacancies": employer_selectors.vacancies_of(employer),
            "vacancy_form": vacancy_form,
        },
    )
