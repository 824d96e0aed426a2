"""The employer services API (werkgeversdienstverlening): /api/v1/employers/, /api/v1/vacancies/
and /api/v1/placements/. Employers and vacancies follow the employer pages' permissions and show no
person data; placements are scoped to the user's team and access-logged; a new employer goes
through the page's form and service, so the API refuses what the page refuses."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog, PolicySettings
from instruments import employer_selectors
from instruments.models import ContractType, Employer, Placement, Sector, VacancyLevel
from tests.api import as_user, ids, with_token
from tests.clients.factories import BenefitPeriodFactory, ClientFactory
from tests.instruments.factories import EmployerFactory, PlacementFactory, VacancyFactory

pytestmark = pytest.mark.django_db

EMPLOYERS = "/api/v1/employers/"
VACANCIES = "/api/v1/vacancies/"
PLACEMENTS = "/api/v1/placements/"


def detail(url, pk):
    return f"{url}{pk}/"


# Employers (werkgevers) ---------------------------------------------------------------------------


EMPLOYER_DATA = {
    "name": "Zorggroep Salland",
    "kvk_number": "05012345",
    "contact_name": "Karin Bos",
    "contact_phone": "0570 123456",
    "contact_email": "k.bos@example.nl",
    "address": "Brink 1",
    "city": "Deventer",
}


def test_anonymous_calls_are_401(api_client):
    employer = EmployerFactory()
    vacancy = VacancyFactory(employer=employer)
    placement = PlacementFactory(employer=employer)
    for response in [
        api_client.get(EMPLOYERS),
        api_client.get(detail(EMPLOYERS, employer.pk)),
        api_client.post(EMPLOYERS, EMPLOYER_DATA, format="json"),
        api_client.get(VACANCIES),
        api_client.get(detail(VACANCIES, vacancy.pk)),
        api_client.get(PLACEMENTS),
        api_client.get(detail(PLACEMENTS, placement.pk)),
    ]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert Employer.objects.count() == 1
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user", ["consultant_a", "manager_a", "consultant_b"])
def test_every_consultant_and_team_leader_reads_employers_and_vacancies(api_client, request, user):
    # Employers are municipality-wide, not tied to a team (like the pages).
    employer = EmployerFactory()
    vacancy = VacancyFactory(employer=employer)
    api = with_token(api_client, request.getfixturevalue(user))
    assert ids(api.get(EMPLOYERS)) == [employer.pk]
    assert api.get(detail(EMPLOYERS, employer.pk)).json()["id"] == employer.pk
    assert ids(api.get(VACANCIES)) == [vacancy.pk]
    assert api.get(detail(VACANCIES, vacancy.pk)).json()["employer"] == employer.pk
    assert not AccessLog.objects.exists()  # no person data


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_get_403(api_client, request, user, client_a):
    employer = EmployerFactory()
    vacancy = VacancyFactory(employer=employer)
    placement = PlacementFactory(client=client_a, employer=employer)
    api = with_token(api_client, request.getfixturevalue(user))
    for url in [
        EMPLOYERS,
        detail(EMPLOYERS, employer.pk),
        VACANCIES,
        detail(VACANCIES, vacancy.pk),
        PLACEMENTS,
        detail(PLACEMENTS, placement.pk),
    ]:
        assert api.get(url).status_code == 403, url
    sector = Sector.objects.get(name="Zorg")
    response = api.post(EMPLOYERS, {**EMPLOYER_DATA, "sector": sector.pk}, format="json")
    assert response.status_code == 403
    assert Employer.objects.count() == 1
    assert not AccessLog.objects.exists()


def test_an_unknown_or_non_numeric_id_is_404(api_client, consultant_a):
    api = as_user(api_client, consultant_a)
    for url in [EMPLOYERS, VACANCIES, PLACEMENTS]:
        assert api.get(detail(url, 999999)).status_code == 404
        assert api.get(f"{url}abc/").status_code == 404


def test_an_employer_shows_its_sector_contact_and_open_vacancies(api_client, consultant_a):
    sector = Sector.objects.get(name="Techniek")
    employer = EmployerFactory(sector=sector, city="Deventer", contact_email="a@example.nl")
    VacancyFactory.create_batch(2, employer=employer)
    VacancyFactory(employer=employer, is_open=False)
    data = as_user(api_client, consultant_a).get(detail(EMPLOYERS, employer.pk)).json()
    assert data == {
        "id": employer.pk,
        "name": employer.name,
        "kvk_number": employer.kvk_number,
        "sector": sector.pk,
        "sector_name": "Techniek",
        "contact_name": "Piet de Vries",
        "contact_phone": "",
        "contact_email": "a@example.nl",
        "address": "",
        "city": "Deventer",
        "created_at": data["created_at"],
        "open_vacancy_count": 2,
    }


def test_employer_filters(api_client, consultant_a):
    zorg = Sector.objects.get(name="Zorg")
    techniek = Sector.objects.get(name="Techniek")
    bakker = EmployerFactory(name="Bakkerij De Korenbloem", sector=zorg, city="Deventer")
    smit = EmployerFactory(name="Smit Techniek", sector=techniek, city="Zwolle")
    VacancyFactory(employer=bakker)
    VacancyFactory(employer=smit, is_open=False)
    api = as_user(api_client, consultant_a)
    assert ids(api.get(EMPLOYERS, {"name": "korenbl"})) == [bakker.pk]
    assert ids(api.get(EMPLOYERS, {"kvk_number": smit.kvk_number})) == [smit.pk]
    assert ids(api.get(EMPLOYERS, {"kvk_number": smit.kvk_number[:4]})) == []
    assert ids(api.get(EMPLOYERS, {"sector": techniek.pk})) == [smit.pk]
    assert ids(api.get(EMPLOYERS, {"city": "deventer"})) == [bakker.pk]
    assert ids(api.get(EMPLOYERS, {"has_open_vacancies": "true"})) == [bakker.pk]
    assert ids(api.get(EMPLOYERS, {"has_open_vacancies": "false"})) == [smit.pk]
    assert api.get(EMPLOYERS, {"sector": "zorg"}).status_code == 400


def test_employer_ordering(api_client, consultant_a):
    b = EmployerFactory(name="B", city="Almelo")
    a = EmployerFactory(name="A", city="Zwolle")
    VacancyFactory.create_batch(2, employer=a)
    api = as_user(api_client, consultant_a)
    assert ids(api.get(EMPLOYERS)) == [a.pk, b.pk]
    assert ids(api.get(EMPLOYERS, {"ordering": "-name"})) == [b.pk, a.pk]
    assert ids(api.get(EMPLOYERS, {"ordering": "city"})) == [b.pk, a.pk]
    assert ids(api.get(EMPLOYERS, {"ordering": "open_vacancy_count"})) == [b.pk, a.pk]


@pytest.mark.parametrize("rows", [2, 6])
def test_the_employer_list_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, django_assert_num_queries, rows
):
    for _i in range(rows):
        VacancyFactory(employer=EmployerFactory())
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page (sector joined, vacancies counted)
    with django_assert_num_queries(4):
        response = api.get(EMPLOYERS)
    assert len(response.json()["results"]) == rows


# Adding an employer: the page's form and service -------------------------------------------------


def test_a_consultant_adds_an_employer(api_client, consultant_a):
    sector = Sector.objects.get(name="Techniek")
    response = with_token(api_client, consultant_a).post(
        EMPLOYERS, {**EMPLOYER_DATA, "sector": sector.pk}, format="json"
    )
    assert response.status_code == 201
    employer = Employer.objects.get()
    assert response.json()["id"] == employer.pk
    assert response.json()["open_vacancy_count"] == 0
    assert (employer.name, employer.kvk_number, employer.sector, employer.city) == (
        "Zorggroep Salland",
        "05012345",
        sector,
        "Deventer",
    )


def test_a_team_leader_reads_but_does_not_add(api_client, manager_a):
    sector = Sector.objects.get(name="Techniek")
    response = with_token(api_client, manager_a).post(
        EMPLOYERS, {**EMPLOYER_DATA, "sector": sector.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Employer.objects.exists()


def inactive_sector():
    sector = Sector.objects.get(name="Bouw")
    sector.is_active = False
    sector.save()
    return sector.pk


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kvk_number": "123"}, {"kvk_number"}),
        ({"kvk_number": "1234567a"}, {"kvk_number"}),
        ({"kvk_number": "123456789"}, {"kvk_number"}),
        ({"kvk_number": ""}, {"kvk_number"}),
        ({"sector": ""}, {"sector"}),
        ({"sector": 999999}, {"sector"}),
        ({"sector": inactive_sector}, {"sector"}),
        ({"contact_name": "", "contact_email": "geen-adres"}, {"contact_name", "contact_email"}),
    ],
)
def test_the_api_refuses_what_the_page_refuses(client, api_client, consultant_a, changes, fields):
    sector = Sector.objects.get(name="Zorg")
    data = {**EMPLOYER_DATA, "sector": sector.pk}
    data.update({key: value() if callable(value) else value for key, value in changes.items()})
    client.force_login(consultant_a)
    page = client.post(reverse("instruments:employer-create"), data)
    assert page.status_code == 200
    assert set(page.context["form"].errors) == fields
    response = with_token(api_client, consultant_a).post(EMPLOYERS, data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert all(isinstance(message, str) for field in fields for message in response.json()[field])
    assert not Employer.objects.exists()


def test_the_api_adds_what_the_page_adds(client, api_client, consultant_a):
    # The KvK number is not unique in the model (a branch office shares it): neither the page nor
    # the API refuses a second employer with the same number.
    existing = EmployerFactory(kvk_number="05012345")
    data = {**EMPLOYER_DATA, "sector": existing.sector_id}
    client.force_login(consultant_a)
    assert client.post(reverse("instruments:employer-create"), data).status_code == 302
    response = with_token(api_client, consultant_a).post(EMPLOYERS, data, format="json")
    assert response.status_code == 201
    assert Employer.objects.filter(kvk_number="05012345").count() == 3


def test_a_body_that_is_no_object_is_400(api_client, consultant_a):
    response = with_token(api_client, consultant_a).post(EMPLOYERS, ["naam"], format="json")
    assert response.status_code == 400
    assert not Employer.objects.exists()


def test_a_field_that_is_no_single_value_is_400(api_client, consultant_a):
    # A browser posts one text per field: a list or object is refused, not turned into text.
    sector = Sector.objects.get(name="Zorg")
    data = {**EMPLOYER_DATA, "sector": sector.pk, "name": ["Zorggroep", "Salland"]}
    response = with_token(api_client, consultant_a).post(EMPLOYERS, data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name"}
    assert not Employer.objects.exists()


# Vacancies (vacatures) ----------------------------------------------------------------------------


def test_vacancy_filters(api_client, consultant_a):
    zorg = Sector.objects.get(name="Zorg")
    techniek = Sector.objects.get(name="Techniek")
    care = EmployerFactory(sector=zorg)
    tech = EmployerFactory(sector=techniek)
    small = VacancyFactory(employer=care, hours_per_week=12, level=VacancyLevel.BASIC)
    large = VacancyFactory(employer=tech, hours_per_week=36, level=VacancyLevel.MBO_3_4)
    closed = VacancyFactory(employer=tech, hours_per_week=24, is_open=False)
    api = as_user(api_client, consultant_a)
    assert set(ids(api.get(VACANCIES, {"employer": tech.pk}))) == {large.pk, closed.pk}
    assert set(ids(api.get(VACANCIES, {"is_open": "true"}))) == {small.pk, large.pk}
    assert ids(api.get(VACANCIES, {"is_open": "false"})) == [closed.pk]
    assert ids(api.get(VACANCIES, {"sector": zorg.pk})) == [small.pk]
    assert ids(api.get(VACANCIES, {"level": "mbo_3_4"})) == [large.pk]
    assert set(ids(api.get(VACANCIES, {"min_hours": 24}))) == {large.pk, closed.pk}
    assert set(ids(api.get(VACANCIES, {"max_hours": 24}))) == {small.pk, closed.pk}
    assert ids(api.get(VACANCIES, {"min_hours": 13, "max_hours": 30})) == [closed.pk]
    assert api.get(VACANCIES, {"level": "master"}).status_code == 400
    assert api.get(VACANCIES, {"min_hours": "veel"}).status_code == 400


def test_a_vacancy_shows_its_employer_and_sector(api_client, consultant_a):
    employer = EmployerFactory(sector=Sector.objects.get(name="Logistiek"))
    vacancy = VacancyFactory(employer=employer, level=VacancyLevel.MBO_1_2)
    data = as_user(api_client, consultant_a).get(detail(VACANCIES, vacancy.pk)).json()
    assert (data["employer"], data["employer_name"], data["sector"]) == (
        employer.pk,
        employer.name,
        employer.sector_id,
    )
    assert (data["level"], data["is_open"], data["hours_per_week"]) == ("mbo_1_2", True, 24)


def test_vacancy_ordering(api_client, consultant_a):
    old = VacancyFactory(posted_on=datetime.date(2024, 1, 1), hours_per_week=36)
    new = VacancyFactory(posted_on=datetime.date(2024, 6, 1), hours_per_week=8)
    api = as_user(api_client, consultant_a)
    assert ids(api.get(VACANCIES)) == [new.pk, old.pk]
    assert ids(api.get(VACANCIES, {"ordering": "posted_on"})) == [old.pk, new.pk]
    assert ids(api.get(VACANCIES, {"ordering": "-hours_per_week"})) == [old.pk, new.pk]


@pytest.mark.parametrize("rows", [2, 6])
def test_the_vacancy_list_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, django_assert_num_queries, rows
):
    VacancyFactory.create_batch(rows)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page (employer joined)
    with django_assert_num_queries(4):
        response = api.get(VACANCIES)
    assert len(response.json()["results"]) == rows


# Placements (plaatsingen) -------------------------------------------------------------------------


def test_a_consultant_sees_the_placements_of_their_own_team(
    api_client, consultant_a, team_b, client_a
):
    own = PlacementFactory(client=client_a)
    other = PlacementFactory(client=ClientFactory(team=team_b))
    api = with_token(api_client, consultant_a)
    assert ids(api.get(PLACEMENTS)) == [own.pk]
    # Another team's client as a filter does not widen the scope.
    assert ids(api.get(PLACEMENTS, {"client": other.client_id})) == []
    assert api.get(detail(PLACEMENTS, other.pk)).status_code == 404
    assert set(AccessLog.objects.values_list("client_id", flat=True)) == {client_a.pk}


def test_a_team_leader_sees_the_team(api_client, manager_a, team_a, client_a):
    first = PlacementFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    second = PlacementFactory(
        client=ClientFactory(team=team_a), start_date=datetime.date(2024, 2, 1)
    )
    assert ids(with_token(api_client, manager_a).get(PLACEMENTS)) == [second.pk, first.pk]


def test_a_consultant_of_another_team_sees_nothing(api_client, consultant_b, client_a):
    placement = PlacementFactory(client=client_a)
    api = with_token(api_client, consultant_b)
    assert ids(api.get(PLACEMENTS)) == []
    assert api.get(detail(PLACEMENTS, placement.pk)).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_list_logs_exactly_the_clients_in_the_page(api_client, consultant_a, team_a):
    placements = [
        PlacementFactory(client=ClientFactory(team=team_a), start_date=datetime.date(2024, m, 1))
        for m in (1, 2, 3)
    ]
    response = with_token(api_client, consultant_a).get(PLACEMENTS, {"page_size": 2})
    assert ids(response) == [placements[2].pk, placements[1].pk]
    rows = AccessLog.objects.all()
    assert {row.client_id for row in rows} == {placements[2].client_id, placements[1].client_id}
    assert {(row.user_id, row.view, row.path) for row in rows} == {
        (consultant_a.pk, "api:placements-list", PLACEMENTS)
    }


def test_a_placement_is_logged(api_client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a)
    response = with_token(api_client, consultant_a).get(detail(PLACEMENTS, placement.pk))
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.user_id, row.client_id, row.view) == (
        consultant_a.pk,
        client_a.pk,
        "api:placements-retrieve",
    )


def test_a_placement_shows_its_fields(api_client, consultant_a, client_a):
    vacancy = VacancyFactory()
    placement = PlacementFactory(
        client=client_a,
        employer=vacancy.employer,
        vacancy=vacancy,
        contract_type=ContractType.TRIAL,
        with_job_coaching=True,
        placed_by=consultant_a,
    )
    data = as_user(api_client, consultant_a).get(detail(PLACEMENTS, placement.pk)).json()
    months = PolicySettings.load().durable_placement_months
    assert data == {
        "id": placement.pk,
        "client": client_a.pk,
        "employer": vacancy.employer_id,
        "employer_name": vacancy.employer.name,
        "vacancy": vacancy.pk,
        "start_date": "2024-01-01",
        "contract_type": "trial",
        "hours_per_week": 24,
        "with_wage_subsidy": False,
        "with_job_coaching": True,
        "ended_on": None,
        "placed_by": consultant_a.pk,
        "created_at": data["created_at"],
        "durable_from": (datetime.date(2024, 1, 1) + relativedelta(months=months)).isoformat(),
        "is_durable": True,
    }


def make_placements(team):
    """A durable placement, one back on benefit, one whose months have not passed, and one ended
    without being durable; one client each."""
    today = timezone.localdate()
    durable = PlacementFactory(
        client=ClientFactory(team=team), start_date=datetime.date(2024, 1, 1)
    )
    back = PlacementFactory(
        client=ClientFactory(team=team),
        start_date=datetime.date(2024, 1, 1),
        ended_on=datetime.date(2024, 2, 29),
        contract_type=ContractType.AGENCY,
    )
    BenefitPeriodFactory(client=back.client, start_date=datetime.date(2024, 3, 1))
    recent = PlacementFactory(
        client=ClientFactory(team=team), start_date=today - relativedelta(days=10)
    )
    return durable, back, recent


def test_placement_filters(api_client, consultant_a, team_a):
    durable, back, recent = make_placements(team_a)
    vacancy = VacancyFactory(employer=recent.employer)
    Placement.objects.filter(pk=recent.pk).update(vacancy=vacancy)
    api = as_user(api_client, consultant_a)
    assert ids(api.get(PLACEMENTS, {"client": back.client_id})) == [back.pk]
    assert ids(api.get(PLACEMENTS, {"employer": durable.employer_id})) == [durable.pk]
    assert ids(api.get(PLACEMENTS, {"vacancy": vacancy.pk})) == [recent.pk]
    assert ids(api.get(PLACEMENTS, {"contract_type": "agency"})) == [back.pk]
    assert set(ids(api.get(PLACEMENTS, {"current": "true"}))) == {durable.pk, recent.pk}
    assert ids(api.get(PLACEMENTS, {"current": "false"})) == [back.pk]
    assert ids(api.get(PLACEMENTS, {"durable": "true"})) == [durable.pk]
    assert set(ids(api.get(PLACEMENTS, {"durable": "false"}))) == {back.pk, recent.pk}
    assert api.get(PLACEMENTS, {"contract_type": "vast"}).status_code == 400


def test_durability_is_the_rule_of_the_dossier_and_the_monitor(api_client, consultant_a, team_a):
    settings = PolicySettings.load()
    settings.durable_placement_months = 3
    settings.save()
    make_placements(team_a)
    # 3 months: a client back on benefit after 4 months is durable now.
    late = PlacementFactory(client=ClientFactory(team=team_a), start_date=datetime.date(2024, 1, 1))
    BenefitPeriodFactory(client=late.client, start_date=datetime.date(2024, 5, 1))
    rows = as_user(api_client, consultant_a).get(PLACEMENTS).json()["results"]
    expected = employer_selectors.with_durability(
        Placement.objects.all(), today=timezone.localdate(), months=3
    )
    assert {(r["id"], r["durable_from"], r["is_durable"]) for r in rows} == {
        (p.pk, p.durable_from.isoformat(), p.is_durable) for p in expected
    }
    assert next(r for r in rows if r["id"] == late.pk)["is_durable"] is True


def test_placement_ordering(api_client, consultant_a, team_a):
    durable, back, recent = make_placements(team_a)
    api = as_user(api_client, consultant_a)
    # Newest first; on the same start date the newest row first.
    assert ids(api.get(PLACEMENTS)) == [recent.pk, back.pk, durable.pk]
    assert ids(api.get(PLACEMENTS, {"ordering": "start_date"})) == [
        durable.pk,
        back.pk,
        recent.pk,
    ]


@pytest.mark.parametrize("rows", [2, 6])
def test_the_placement_list_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, team_a, django_assert_num_queries, rows
):
    PolicySettings.load()
    for _i in range(rows):
        placement = PlacementFactory(client=ClientFactory(team=team_a), vacancy=VacancyFactory())
        BenefitPeriodFactory(client=placement.client)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, policy settings, count, page (employer joined, durability
    # in the same query), access-log insert
    with django_assert_num_queries(6):
        response = api.get(PLACEMENTS)
    assert len(response.json()["results"]) == rows


def test_the_schema_describes_the_resources(client, consultant_a):
    client.force_login(consultant_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert "post" in paths[EMPLOYERS]
    assert set(paths[EMPLOYERS]["post"]["responses"]) >= {"201", "400", "401", "403"}
    for url in [EMPLOYERS, VACANCIES, PLACEMENTS]:
        operation = paths[url]["get"]
        assert operation["summary"] and operation["description"]
        assert all(p.get("description") for p in operation["parameters"])
        assert set(operation["responses"]) >= {"200", "400", "401", "403"}
        assert set(paths[f"{url}{{id}}/"]["get"]["responses"]) >= {"200", "401", "403", "404"}
    assert "put" not in paths[f"{EMPLOYERS}{{id}}/"]
    assert "post" not in paths[VACANCIES] and "post" not in paths[PLACEMENTS]
