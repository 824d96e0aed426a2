import datetime

import pytest
from rest_framework.test import APIClient

from casework.models import AccessLog
from clients.models import ClientGroup, LadderStep, OutflowReason
from tests.api import as_user, ids, with_token
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"
SEARCH = "/api/v1/clients/search/"


def detail(client):
    return f"{CLIENTS}{client.pk}/"


def test_anonymous_calls_are_401(api_client, client_a):
    for response in [
        api_client.get(CLIENTS),
        api_client.get(detail(client_a)),
        api_client.post(SEARCH, {"bsn": client_a.bsn}, format="json"),
    ]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert not AccessLog.objects.exists()


def test_a_consultant_sees_only_their_own_team(api_client, consultant_a, team_a, team_b, client_a):
    ClientFactory(team=team_b)
    response = with_token(api_client, consultant_a).get(CLIENTS)
    assert response.status_code == 200
    assert ids(response) == [client_a.pk]


def test_a_team_leader_sees_the_team(api_client, manager_a, team_a, client_a):
    other = ClientFactory(team=team_a)
    response = with_token(api_client, manager_a).get(CLIENTS)
    assert set(ids(response)) == {client_a.pk, other.pk}


def test_a_client_of_another_team_is_404(api_client, consultant_b, client_a):
    response = with_token(api_client, consultant_b).get(detail(client_a))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_a_non_numeric_id_is_404(api_client, consultant_a):
    assert as_user(api_client, consultant_a).get(f"{CLIENTS}abc/").status_code == 404


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_get_403(api_client, request, client_a, user):
    api = with_token(api_client, request.getfixturevalue(user))
    assert api.get(CLIENTS).status_code == 403
    assert api.get(detail(client_a)).status_code == 403
    assert api.post(SEARCH, {"bsn": client_a.bsn}, format="json").status_code == 403
    assert not AccessLog.objects.exists()


def test_the_dossier_shows_the_histories_and_a_masked_bsn(api_client, consultant_a, client_a):
    BenefitPeriodFactory(client=client_a)
    ClientGroupAssignmentFactory(client=client_a)
    LadderMeasurementFactory(client=client_a)
    response = with_token(api_client, consultant_a).get(detail(client_a))
    assert response.status_code == 200
    data = response.json()
    assert data["full_name"] == "Anna Jansen"
    assert data["masked_bsn"] == "*****" + client_a.bsn[-4:]
    assert client_a.bsn not in response.content.decode()
    assert data["group_assignments"][0]["group"] == "groeien"
    assert data["ladder_measurements"][0]["step"] == 2
    assert data["ladder_measurements"][0]["target_step"] == 3
    assert data["benefit_periods"][0]["scheme"] == "pw"


def test_the_list_never_shows_a_plain_bsn(api_client, consultant_a, client_a):
    response = with_token(api_client, consultant_a).get(CLIENTS)
    assert client_a.bsn not in response.content.decode()
    assert response.json()["results"][0]["masked_bsn"].endswith(client_a.bsn[-4:])


def test_the_list_logs_exactly_the_clients_in_the_page(api_client, consultant_a, team_a):
    clients = ClientFactory.create_batch(3, team=team_a)
    shown = sorted(clients, key=lambda c: (c.last_name, c.first_name, c.pk))[:2]
    response = with_token(api_client, consultant_a).get(CLIENTS, {"page_size": 2})
    assert set(ids(response)) == {c.pk for c in shown}
    rows = AccessLog.objects.all()
    assert {row.client_id for row in rows} == {c.pk for c in shown}
    assert {(row.user_id, row.view, row.path) for row in rows} == {
        (consultant_a.pk, "api:clients-list", CLIENTS)
    }


def test_the_dossier_is_logged(api_client, consultant_a, client_a):
    with_token(api_client, consultant_a).get(detail(client_a))
    row = AccessLog.objects.get()
    assert (row.user_id, row.client_id, row.view) == (
        consultant_a.pk,
        client_a.pk,
        "api:clients-retrieve",
    )


def test_the_bsn_look_up_uses_post(api_client, consultant_a, consultant_b, client_a):
    api = with_token(api_client, consultant_a)
    response = api.post(SEARCH, {"bsn": client_a.bsn}, format="json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [client_a.pk]
    assert AccessLog.objects.get().view == "api:clients-search"
    # Not by GET (a BSN never goes in a URL).
    assert api.get(SEARCH, {"bsn": client_a.bsn}).status_code == 405


def test_the_bsn_look_up_is_scoped(api_client, consultant_b, client_a):
    response = with_token(api_client, consultant_b).post(SEARCH, {"bsn": client_a.bsn})
    assert response.status_code == 200
    assert response.json() == []
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("bsn", ["123", "123456789", ""])
def test_the_bsn_look_up_refuses_an_invalid_bsn(api_client, consultant_a, bsn):
    response = with_token(api_client, consultant_a).post(SEARCH, {"bsn": bsn}, format="json")
    assert response.status_code == 400
    assert "bsn" in response.json()


def test_a_session_works_too_and_needs_csrf(consultant_a, client_a):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(consultant_a)
    assert api.get(CLIENTS).status_code == 200
    assert api.post(SEARCH, {"bsn": client_a.bsn}, format="json").status_code == 403


def make_clients(team):
    groeien = ClientGroup.objects.get(code="groeien")
    matchen = ClientGroup.objects.get(code="matchen")
    step_4 = LadderStep.objects.get(number=4)
    old = ClientFactory(team=team, last_name="Aarts", date_of_birth=datetime.date(1960, 1, 1))
    BenefitPeriodFactory(client=old)
    ClientGroupAssignmentFactory(client=old, group=groeien)
    LadderMeasurementFactory(client=old)
    young = ClientFactory(team=team, last_name="Bakker", date_of_birth=datetime.date(2000, 1, 1))
    BenefitPeriodFactory(
        client=young,
        end_date=datetime.date(2023, 1, 1),
        end_reason=OutflowReason.WORK,
    )
    ClientGroupAssignmentFactory(client=young, group=matchen)
    LadderMeasurementFactory(client=young, step=step_4, target_step=step_4)
    return old, young


def test_filters(api_client, consultant_a, consultant_b, team_a, team_b):
    old, young = make_clients(team_a)
    api = with_token(api_client, consultant_a)
    assert ids(api.get(CLIENTS, {"group": "groeien"})) == [old.pk]
    assert ids(api.get(CLIENTS, {"group": "matchen"})) == [young.pk]
    assert ids(api.get(CLIENTS, {"on_benefit": "true"})) == [old.pk]
    assert ids(api.get(CLIENTS, {"on_benefit": "false"})) == [young.pk]
    assert ids(api.get(CLIENTS, {"ladder_step": 4})) == [young.pk]
    assert ids(api.get(CLIENTS, {"team": team_a.pk})) == [old.pk, young.pk]
    # Another team's id does not widen the scope.
    ClientFactory(team=team_b)
    assert ids(api.get(CLIENTS, {"team": team_b.pk})) == []
    assert api.get(CLIENTS, {"group": "unknown"}).status_code == 400


def test_the_list_shows_the_current_status(api_client, consultant_a, team_a):
    make_clients(team_a)
    rows = with_token(api_client, consultant_a).get(CLIENTS).json()["results"]
    status = ("current_group", "current_ladder_step", "target_ladder_step", "on_benefit")
    assert [tuple(row[name] for name in status) for row in rows] == [
        (ClientGroup.objects.get(code="groeien").name, 2, 3, True),
        (ClientGroup.objects.get(code="matchen").name, 4, 4, False),
    ]


def test_ordering(api_client, consultant_a, team_a):
    old, young = make_clients(team_a)
    api = with_token(api_client, consultant_a)
    assert ids(api.get(CLIENTS)) == [old.pk, young.pk]
    assert ids(api.get(CLIENTS, {"ordering": "-last_name"})) == [young.pk, old.pk]
    assert ids(api.get(CLIENTS, {"ordering": "-date_of_birth"})) == [young.pk, old.pk]
    assert ids(api.get(CLIENTS, {"ordering": "-current_step"})) == [young.pk, old.pk]


def test_pagination(api_client, consultant_a, team_a):
    ClientFactory.create_batch(5, team=team_a)
    api = with_token(api_client, consultant_a)
    first = api.get(CLIENTS, {"page_size": 2}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"] and first["previous"] is None
    last = api.get(CLIENTS, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1
    assert api.get(CLIENTS, {"page": 9}).status_code == 404
    assert len(api.get(CLIENTS).json()["results"]) == 5  # the default page size is larger


@pytest.mark.parametrize("rows", [2, 6])
def test_the_list_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, team_a, django_assert_num_queries, rows
):
    for _i in range(rows):
        old, _young = make_clients(team_a)
        old.consultants.add(consultant_a)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page, consultants (prefetch), access-log insert
    with django_assert_num_queries(6):
        response = api.get(CLIENTS)
    assert len(response.json()["results"]) == 2 * rows


def test_the_schema_is_valid_openapi(client, consultant_a):
    client.force_login(consultant_a)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/clients/" in schema["paths"]
    assert "/api/v1/clients/search/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/clients/search/"]
    assert set(schema["paths"]["/api/v1/clients/{id}/"]["get"]["responses"]) >= {
        "200",
        "401",
        "403",
        "404",
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_is_english_unless_asked_otherwise(client, consultant_a):
    client.force_login(consultant_a)
    client.cookies["django_language"] = "nl"
    accept = "application/vnd.oai.openapi+json"

    def title(response):
        field = response.json()["components"]["schemas"]["ClientDetail"]["properties"]["last_name"]
        return field.get("title")

    # In English the title is the field name's, so the schema leaves it out.
    assert title(client.get("/api/schema/", HTTP_ACCEPT=accept)) is None
    assert title(client.get("/api/schema/?lang=nl", HTTP_ACCEPT=accept)) == "Achternaam"


def test_the_schema_and_docs_need_authentication(client, consultant_a):
    assert client.get("/api/schema/").status_code == 401
    client.force_login(consultant_a)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    # Swagger UI comes from the installed sidecar, not from a CDN.
    assert "cdn.jsdelivr" not in response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in response.content.decode()
