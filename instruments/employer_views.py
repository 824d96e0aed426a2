"""Pages of the employer services for the werkmakelaar: employers and their vacancies, which show
no person data, and the suitable clients for a vacancy, which do: those reach clients through
clients.selectors and are written to the access log. Writes go through instruments.placements."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from casework.models import PolicySettings
from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from instruments import employer_selectors, matching, placements
from instruments.employer_forms import CandidateFilterForm, EmployerForm, VacancyForm
from instruments.models import Employer, Vacancy

PAGE_SIZE = 25


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


@permission_required("clients.view_client", raise_exception=True)
def vacancy_candidates(request: AuthenticatedHttpRequest, pk: int, vacancy_pk: int) -> HttpResponse:
    # The employer's sector decides the sector interest and is named on the page: joined.
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("employer__sector"),
        pk=vacancy_pk,
        employer_id=pk,
        is_open=True,
    )
    default_step = PolicySettings.load().matching_min_ladder_step
    filters = request.GET.copy()
    filters.setdefault("min_step", str(default_step))
    form = CandidateFilterForm(filters)
    # An unknown step is shown as an error next to the field; the search keeps the policy's.
    form.is_valid()
    candidates = matching.candidates_for_vacancy(
        request.user,
        vacancy,
        min_step=form.cleaned_data.get("min_step") or default_step,
        sector_only=form.cleaned_data.get("sector_only", False),
    )

    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        request=request, client_ids=[c.pk for c in page], view="instruments:vacancy-candidates"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "instruments/employers/vacancy_candidates.html",
        {
            "vacancy": vacancy,
            "employer": vacancy.employer,
            "form": form,
            "page": page,
            "page_query": query.urlencode(),
        },
    )
