"""Employer services: employers with a validated KvK number, vacancies, placing a client (which can
end the benefit with reason "work") and the derived durability of a placement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.models import AccessLog
from clients.models import OutflowReason
from instruments import employer_selectors, placements
from instruments.models import (
    ContractType,
    Employer,
    Placement,
    Sector,
    Vacancy,
    VacancyLevel,
    validate_kvk_number,
)
from tests.clients.factories import BenefitPeriodFactory
from tests.instruments.factories import EmployerFactory

pytestmark = pytest.mark.django_db

DURABLE_MONTHS = 6  # DOMAIN.md's policy, passed to the selector as the caller would


def place(client_a, consultant_a, start, **kwargs):
    return placements.place_client(
        client=client_a,
        employer=EmployerFactory(),
        start_date=start,
        contract_type=ContractType.FIXED_TERM,
        hours_per_week=24,
        placed_by=consultant_a,
        **kwargs,
    )


def durability(placement, today):
    return employer_selectors.with_durability(
        Placement.objects.filter(pk=placement.pk), today=today, months=DURABLE_MONTHS
    ).get()


# The kansrijke sectoren and the KvK number -------------------------------------------------------


def test_the_kansrijke_sectoren_are_loaded():
    assert {"Zorg", "Techniek", "Logistiek", "Bouw", "Onderwijs", "Schoonmaak", "ICT"} <= set(
        Sector.objects.values_list("name", flat=True)
    )


@pytest.mark.parametrize("number", ["12345678", "00012345"])
def test_a_kvk_number_of_8_digits_is_valid(number):
    validate_kvk_number(number)


@pytest.mark.parametrize(
    "number", ["1234567", "123456789", "1234567a", "1234 567", "", "12345678\n"]
)
def test_a_kvk_number_is_exactly_8_digits(number):
    with pytest.raises(ValidationError) as error:
        validate_kvk_number(number)
    assert error.value.code == "kvk_number"


def test_the_service_refuses_an_invalid_kvk_number():
    with pytest.raises(ValidationError) as error:
        placements.create_employer(
            name="Bakkerij", kvk_number="1234", sector=Sector.objects.first(), contact_name="Jan"
        )
    assert "kvk_number" in error.value.message_dict
    assert not Employer.objects.exists()


# Placing a client --------------------------------------------------------------------------------


def test_a_placement_can_end_the_benefit_the_day_before_with_reason_work(client_a, consultant_a):
    period = BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    placement = place(client_a, consultant_a, datetime.date(2025, 3, 1), ends_benefit=True)
    period.refresh_from_db()
    assert (period.end_date, period.end_reason) == (datetime.date(2025, 2, 28), OutflowReason.WORK)
    assert placement.client == client_a and placement.placed_by == consultant_a


def test_a_placement_leaves_the_benefit_open_unless_asked(client_a, consultant_a):
    period = BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    place(client_a, consultant_a, datetime.date(2025, 3, 1), with_wage_subsidy=True)
    period.refresh_from_db()
    assert (period.end_date, period.end_reason) == (None, "")


def test_ending_the_benefit_needs_an_open_period(client_a, consultant_a):
    with pytest.raises(ValidationError):
        place(client_a, consultant_a, datetime.date(2025, 3, 1), ends_benefit=True)
    assert not Placement.objects.exists()  # the transaction is rolled back


def test_the_vacancy_must_be_the_employers(client_a, consultant_a):
    vacancy = placements.add_vacancy(
        employer=EmployerFactory(), title="Schoonmaker", hours_per_week=20, level="basic"
    )
    with pytest.raises(ValidationError):
        place(client_a, consultant_a, datetime.date(2025, 3, 1), vacancy=vacancy)


# Durability (derived) ----------------------------------------------------------------------------


def test_a_placement_off_benefit_for_6_months_is_durable(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    placement = place(client_a, consultant_a, datetime.date(2025, 3, 1), ends_benefit=True)
    annotated = durability(placement, today=datetime.date(2025, 9, 1))
    assert annotated.durable_from == datetime.date(2025, 9, 1)
    assert annotated.is_durable is True


def test_a_placement_is_not_durable_before_6_months_have_passed(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    placement = place(client_a, consultant_a, datetime.date(2025, 3, 1), ends_benefit=True)
    assert durability(placement, today=datetime.date(2025, 8, 31)).is_durable is False


def test_back_on_benefit_within_6_months_is_not_durable(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    placement = place(client_a, consultant_a, datetime.date(2025, 3, 1), ends_benefit=True)
    BenefitPeriodFactory(
        client=client_a,
        start_date=datetime.date(2025, 7, 1),
        end_date=datetime.date(2025, 7, 31),
        end_reason=OutflowReason.OTHER,
    )
    assert durability(placement, today=datetime.date(2026, 1, 1)).is_durable is False


def test_a_benefit_left_open_is_not_durable(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    placement = place(client_a, consultant_a, datetime.date(2025, 3, 1))
    assert durability(placement, today=datetime.date(2026, 1, 1)).is_durable is False


def test_back_on_benefit_after_6_months_stays_durable(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    placement = place(client_a, consultant_a, datetime.date(2025, 3, 1), ends_benefit=True)
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2025, 10, 1))
    assert durability(placement, today=datetime.date(2026, 1, 1)).is_durable is True


def test_durability_is_one_query_for_many_placements(
    client_a, consultant_a, django_assert_num_queries
):
    for month in range(1, 6):
        place(client_a, consultant_a, datetime.date(2024, month, 1))
    with django_assert_num_queries(1):
        rows = list(
            employer_selectors.with_durability(
                Placement.objects.all(), today=datetime.date(2026, 1, 1), months=DURABLE_MONTHS
            )
        )
    assert len(rows) == 5 and all(row.is_durable for row in rows)


# The pages ---------------------------------------------------------------------------------------

EMPLOYER_DATA = {
    "name": "Zorggroep Salland",
    "kvk_number": "05012345",
    "contact_name": "Karin Bos",
    "contact_phone": "0570 123456",
    "contact_email": "k.bos@example.nl",
    "address": "Brink 1",
    "city": "Deventer",
}


@pytest.mark.parametrize("user", ["consultant_a", "manager_a"])
def test_consultants_and_team_leaders_see_employers(client, request, user):
    employer = EmployerFactory()
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("instruments:employer-list"))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
    assert employer.name in response.content.decode()
    detail = client.get(reverse("instruments:employer-detail", args=[employer.pk]))
    assert detail.status_code == 200
    assert detail.content.decode().count("<h1") == 1
    assert not AccessLog.objects.exists()  # no person data


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_policy_staff_get_403_on_the_employer_pages(client, request, user):
    employer = EmployerFactory()
    client.force_login(request.getfixturevalue(user))
    for url in (
        reverse("instruments:employer-list"),
        reverse("instruments:employer-create"),
        reverse("instruments:employer-detail", args=[employer.pk]),
    ):
        assert client.get(url).status_code == 403
    response = client.post(reverse("instruments:vacancy-create", args=[employer.pk]), {})
    assert response.status_code == 403


def test_a_team_leader_reads_but_does_not_add(client, manager_a):
    employer = EmployerFactory()
    client.force_login(manager_a)
    assert client.get(reverse("instruments:employer-create")).status_code == 403
    detail = client.get(reverse("instruments:employer-detail", args=[employer.pk]))
    assert 'id="vacancy-form"' not in detail.content.decode()


def test_a_consultant_adds_an_employer(client, consultant_a):
    sector = Sector.objects.get(name="Techniek")
    client.force_login(consultant_a)
    response = client.post(
        reverse("instruments:employer-create"), {**EMPLOYER_DATA, "sector": sector.pk}
    )
    employer = Employer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("instruments:employer-detail", args=[employer.pk])
    assert (employer.kvk_number, employer.sector, employer.city) == ("05012345", sector, "Deventer")


def test_an_invalid_employer_shows_the_errors_next_to_the_fields(client, consultant_a):
    client.force_login(consultant_a)
    response = client.post(
        reverse("instruments:employer-create"),
        {**EMPLOYER_DATA, "kvk_number": "123", "sector": ""},
    )
    assert response.status_code == 200
    assert not Employer.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"kvk_number", "sector"}
    assert form.errors.as_data()["kvk_number"][0].code == "kvk_number"
    content = response.content.decode()
    assert 'id="error-summary"' in content and 'aria-describedby="id_kvk_number' in content


def test_a_consultant_adds_a_vacancy(client, consultant_a):
    employer = EmployerFactory()
    client.force_login(consultant_a)
    response = client.post(
        reverse("instruments:vacancy-create", args=[employer.pk]),
        {"title": "Helpende zorg", "hours_per_week": "24", "level": "mbo_1_2", "requirements": ""},
    )
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert (vacancy.employer, vacancy.hours_per_week, vacancy.level, vacancy.is_open) == (
        employer,
        24,
        VacancyLevel.MBO_1_2,
        True,
    )
    detail = client.get(reverse("instruments:employer-detail", args=[employer.pk]))
    assert "Helpende zorg" in detail.content.decode()


def test_an_invalid_vacancy_is_shown_again_with_its_errors(client, consultant_a):
    employer = EmployerFactory()
    client.force_login(consultant_a)
    response = client.post(
        reverse("instruments:vacancy-create", args=[employer.pk]),
        {"title": "", "hours_per_week": "0", "level": "mbo_3_4"},
    )
    assert response.status_code == 200
    assert set(response.context["vacancy_form"].errors) == {"title", "hours_per_week"}
    assert not Vacancy.objects.exists()


def test_a_vacancy_for_an_unknown_employer_is_404(client, consultant_a):
    client.force_login(consultant_a)
    response = client.post(reverse("instruments:vacancy-create", args=[999999]), {"title": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 8])
def test_the_employer_list_query_count_does_not_grow_with_the_rows(
    client, consultant_a, django_assert_num_queries, rows
):
    for employer in EmployerFactory.create_batch(rows):
        placements.add_vacancy(
            employer=employer, title="Magazijn", hours_per_week=32, level="basic"
        )
    client.force_login(consultant_a)
    # session, user (with the layout's team and notification count: casework.backends), then
    # one query for the employers with their sector and number of open vacancies
    with django_assert_num_queries(3):
        response = client.get(reverse("instruments:employer-list"))
    assert response.content.decode().count('data-column="open-vacancies">1<') == rows


def test_the_application_manager_maintains_the_sectors_in_the_admin(client, application_manager):
    employer = EmployerFactory()
    client.force_login(application_manager)
    for url in (
        reverse("admin:instruments_sector_changelist"),
        reverse("admin:instruments_employer_change", args=[employer.pk]),
        reverse("admin:instruments_vacancy_changelist"),
        reverse("admin:instruments_placement_changelist"),
    ):
        assert client.get(url).status_code == 200
    assert client.get(reverse("admin:instruments_placement_add")).status_code == 403
