"""The histories of a client in the REST API: /api/v1/benefit-periods/,
/api/v1/ladder-measurements/ and /api/v1/group-assignments/ (read-only)."""

import datetime

import pytest

from casework.models import AccessLog
from clients.models import (
    BenefitPeriod,
    ClientGroup,
    ClientGroupAssignment,
    LadderMeasurement,
    LadderStep,
    OutflowReason,
)
from tests.api import as_user, ids, with_token
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)

pytestmark = pytest.mark.django_db

BENEFIT_PERIODS = "/api/v1/benefit-periods/"
LADDER_MEASUREMENTS = "/api/v1/ladder-measurements/"
GROUP_ASSIGNMENTS = "/api/v1/group-assignments/"

# Per resource: its URL and the factory of one of its rows for a client.
RESOURCES = {
    "benefit-periods": (BENEFIT_PERIODS, BenefitPeriodFactory),
    "ladder-measurements": (LADDER_MEASUREMENTS, LadderMeasurementFactory),
    "group-assignments": (GROUP_ASSIGNMENTS, ClientGroupAssignmentFactory),
}
MODELS = {
    "benefit-periods": BenefitPeriod,
    "ladder-measurements": LadderMeasurement,
    "group-assignments": ClientGroupAssignment,
}

every_resource = pytest.mark.parametrize("resource", list(RESOURCES))


def url_of(resource: str) -> str:
    return RESOURCES[resource][0]


def make_row(resource: str, client, **fields):
    return RESOURCES[resource][1](client=client, **fields)


def detail(resource: str, row) -> str:
    return f"{url_of(resource)}{row.pk}/"


# Roles and scope ----------------------------------------------------------------------------------


@every_resource
def test_anonymous_calls_are_401(api_client, client_a, resource):
    row = make_row(resource, client_a)
    for response in [api_client.get(url_of(resource)), api_client.get(detail(resource, row))]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert not AccessLog.objects.exists()


@every_resource
def test_a_consultant_sees_the_rows_of_their_own_team_by_token(
    api_client, consultant_a, team_b, client_a, resource
):
    own = make_row(resource, client_a)
    make_row(resource, ClientFactory(team=team_b))
    api = with_token(api_client, consultant_a)
    assert ids(api.get(url_of(resource))) == [own.pk]
    response = api.get(detail(resource, own))
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["client"]) == (own.pk, client_a.pk)


@every_resource
def test_a_team_leader_sees_the_rows_of_the_team(api_client, manager_a, team_a, client_a, resource):
    other = ClientFactory(team=team_a)
    rows = [make_row(resource, client_a), make_row(resource, other)]
    response = as_user(api_client, manager_a).get(url_of(resource))
    assert set(ids(response)) == {row.pk for row in rows}


@every_resource
def test_a_consultant_of_another_team_sees_nothing(api_client, consultant_b, client_a, resource):
    row = make_row(resource, client_a)
    api = as_user(api_client, consultant_b)
    assert ids(api.get(url_of(resource))) == []
    assert api.get(detail(resource, row)).status_code == 404
    # Filtering on the client does not widen the scope.
    assert ids(api.get(url_of(resource), {"client": client_a.pk})) == []
    assert not AccessLog.objects.exists()


@every_resource
@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_get_403(api_client, request, client_a, user, resource):
    row = make_row(resource, client_a)
    api = as_user(api_client, request.getfixturevalue(user))
    assert api.get(url_of(resource)).status_code == 403
    assert api.get(detail(resource, row)).status_code == 403
    assert not AccessLog.objects.exists()


@every_resource
def test_ids_are_numbers_only(api_client, consultant_a, resource):
    assert as_user(api_client, consultant_a).get(f"{url_of(resource)}abc/").status_code == 404


@every_resource
def test_the_resources_are_read_only(api_client, consultant_a, client_a, resource):
    """A klantgroep changes only by completing a conversation; benefit periods and ladder
    measurements are not written through these resources either."""
    row = make_row(resource, client_a)
    model = MODELS[resource]
    before = list(model.objects.values())
    api = with_token(api_client, consultant_a)
    body = {"client": client_a.pk, "group": "zorgen", "start_date": "2024-01-01"}
    responses = [
        api.post(url_of(resource), body, format="json"),
        api.put(detail(resource, row), body, format="json"),
        api.patch(detail(resource, row), {"start_date": "2024-01-01"}, format="json"),
        api.delete(detail(resource, row)),
    ]
    assert [response.status_code for response in responses] == [405, 405, 405, 405]
    assert list(model.objects.values()) == before
    assert not AccessLog.objects.exists()


def test_no_write_operation_is_in_the_schema(client, consultant_a):
    client.force_login(consultant_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for resource in RESOURCES:
        assert set(schema["paths"][f"/api/v1/{resource}/"]) == {"get"}
        assert set(schema["paths"][f"/api/v1/{resource}/{{id}}/"]) == {"get"}
        operation = schema["paths"][f"/api/v1/{resource}/"]["get"]
        assert operation["summary"] and operation["description"]
        assert set(operation["responses"]) >= {"200", "400", "401", "403", "404"}
        assert all(parameter.get("description") for parameter in operation["parameters"])


# Access log ---------------------------------------------------------------------------------------


@every_resource
def test_the_list_logs_exactly_the_clients_in_the_page(api_client, consultant_a, team_a, resource):
    clients = ClientFactory.create_batch(3, team=team_a)
    # The newest rows come first: the clients of the two newest rows are in the page.
    for number, client in enumerate(clients):
        make_row(resource, client, **{date_field(resource): datetime.date(2023, 1, 1 + number)})
    response = as_user(api_client, consultant_a).get(url_of(resource), {"page_size": 2})
    shown = {row["client"] for row in response.json()["results"]}
    assert shown == {clients[2].pk, clients[1].pk}
    rows = AccessLog.objects.all()
    assert sorted(row.client_id for row in rows) == sorted(shown)
    assert {(row.user_id, row.view, row.path) for row in rows} == {
        (consultant_a.pk, f"api:{resource}-list", url_of(resource))
    }


@every_resource
def test_a_client_with_several_rows_is_logged_once(api_client, consultant_a, client_a, resource):
    make_row(resource, client_a, **{date_field(resource): datetime.date(2020, 1, 1)})
    make_row(resource, client_a, **ended(resource))
    response = as_user(api_client, consultant_a).get(url_of(resource))
    assert len(ids(response)) == 2
    assert list(AccessLog.objects.values_list("client_id", flat=True)) == [client_a.pk]


@every_resource
def test_a_row_is_logged(api_client, consultant_a, client_a, resource):
    row = make_row(resource, client_a)
    as_user(api_client, consultant_a).get(detail(resource, row))
    log = AccessLog.objects.get()
    assert (log.user_id, log.client_id, log.view) == (
        consultant_a.pk,
        client_a.pk,
        f"api:{resource}-retrieve",
    )


def date_field(resource: str) -> str:
    return "measured_on" if resource == "ladder-measurements" else "start_date"


def ended(resource: str) -> dict[str, object]:
    """Fields of an ended (or, for ladder measurements, a later) row beside a factory default."""
    if resource == "ladder-measurements":
        return {"measured_on": datetime.date(2023, 6, 1)}
    fields: dict[str, object] = {
        "start_date": datetime.date(2020, 1, 1),
        "end_date": datetime.date(2021, 6, 30),
    }
    if resource == "benefit-periods":
        fields["end_reason"] = OutflowReason.MOVED
    return fields


# Query counts -------------------------------------------------------------------------------------


@every_resource
@pytest.mark.parametrize("rows", [2, 6])
def test_the_list_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, team_a, django_assert_num_queries, resource, rows
):
    for _i in range(rows):
        client = ClientFactory(team=team_a)
        make_row(resource, client)
        make_row(resource, client, **ended(resource))
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page (related rows joined), access-log insert
    with django_assert_num_queries(5):
        response = api.get(url_of(resource))
    assert len(response.json()["results"]) == 2 * rows


# Benefit periods ----------------------------------------------------------------------------------


def test_a_benefit_period_shows_codes_and_ids(api_client, consultant_a, team_a, client_a):
    partner = ClientFactory(team=team_a)
    period = BenefitPeriodFactory(
        client=client_a,
        partner=partner,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 3, 31),
        end_reason=OutflowReason.WORK,
    )
    response = as_user(api_client, consultant_a).get(detail("benefit-periods", period))
    assert response.json() == {
        "id": period.pk,
        "client": client_a.pk,
        "scheme": "pw",
        "start_date": "2020-01-01",
        "end_date": "2022-03-31",
        "end_reason": "work",
        "partner": partner.pk,
    }


@pytest.fixture
def benefit_periods(team_a, client_a):
    other = ClientFactory(team=team_a)
    ended = BenefitPeriodFactory(
        client=client_a,
        scheme="ioaw",
        start_date=datetime.date(2019, 5, 1),
        end_date=datetime.date(2020, 12, 31),
        end_reason=OutflowReason.WORK,
    )
    current = BenefitPeriodFactory(client=client_a, start_date=datetime.date(2021, 3, 1))
    moved = BenefitPeriodFactory(
        client=other,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 1, 1),
        end_reason=OutflowReason.MOVED,
    )
    return ended, current, moved, other


def test_benefit_period_filters(api_client, consultant_a, client_a, benefit_periods):
    ended, current, moved, other = benefit_periods
    api = as_user(api_client, consultant_a)

    def found(**params):
        return ids(api.get(BENEFIT_PERIODS, params))

    assert found(client=client_a.pk) == [current.pk, ended.pk]
    assert found(client=other.pk) == [moved.pk]
    assert found(scheme="ioaw") == [ended.pk]
    assert found(open="true") == [current.pk]
    assert found(open="false") == [moved.pk, ended.pk]
    assert found(end_reason="work") == [ended.pk]
    assert found(started_after="2021-03-01") == [moved.pk, current.pk]
    assert found(started_before="2021-03-01") == [current.pk, ended.pk]
    assert found(started_after="2020-01-01", started_before="2021-12-31") == [current.pk]
    for bad in [{"scheme": "ww"}, {"end_reason": "lottery"}, {"started_after": "gisteren"}]:
        assert api.get(BENEFIT_PERIODS, bad).status_code == 400


def test_benefit_period_ordering(api_client, consultant_a, benefit_periods):
    ended, current, moved, _other = benefit_periods
    api = as_user(api_client, consultant_a)
    assert ids(api.get(BENEFIT_PERIODS)) == [moved.pk, current.pk, ended.pk]
    assert ids(api.get(BENEFIT_PERIODS, {"ordering": "start_date"})) == [
        ended.pk,
        current.pk,
        moved.pk,
    ]
    assert ids(api.get(BENEFIT_PERIODS, {"ordering": "end_date"})) == [
        ended.pk,
        moved.pk,
        current.pk,  # open: no end date, last
    ]


# Ladder measurements ------------------------------------------------------------------------------


def test_a_ladder_measurement_shows_step_numbers(api_client, consultant_a, client_a):
    measurement = LadderMeasurementFactory(client=client_a, measured_by=consultant_a, note="Goed")
    response = as_user(api_client, consultant_a).get(detail("ladder-measurements", measurement))
    assert response.json() == {
        "id": measurement.pk,
        "client": client_a.pk,
        "measured_on": "2022-02-01",
        "step": 2,
        "target_step": 3,
        "note": "Goed",
        "measured_by": consultant_a.pk,
        "conversation": None,
    }


@pytest.fixture
def ladder_measurements(team_a, client_a):
    step_4 = LadderStep.objects.get(number=4)
    other = ClientFactory(team=team_a)
    first = LadderMeasurementFactory(client=client_a, measured_on=datetime.date(2021, 1, 1))
    second = LadderMeasurementFactory(
        client=client_a, measured_on=datetime.date(2022, 6, 1), step=step_4, target_step=step_4
    )
    others = LadderMeasurementFactory(client=other, measured_on=datetime.date(2022, 1, 1))
    return first, second, others, other


def test_ladder_measurement_filters(api_client, consultant_a, client_a, ladder_measurements):
    first, second, others, other = ladder_measurements
    api = as_user(api_client, consultant_a)

    def found(**params):
        return ids(api.get(LADDER_MEASUREMENTS, params))

    assert found(client=client_a.pk) == [second.pk, first.pk]
    assert found(client=other.pk) == [others.pk]
    assert found(step=4) == [second.pk]
    assert found(step=2) == [others.pk, first.pk]
    assert found(measured_after="2022-01-01") == [second.pk, others.pk]
    assert found(measured_before="2021-12-31") == [first.pk]
    for bad in [{"step": 9}, {"step": "twee"}, {"measured_before": "2021-13-01"}]:
        assert api.get(LADDER_MEASUREMENTS, bad).status_code == 400


def test_ladder_measurement_ordering(api_client, consultant_a, ladder_measurements):
    first, second, others, _other = ladder_measurements
    api = as_user(api_client, consultant_a)
    assert ids(api.get(LADDER_MEASUREMENTS)) == [second.pk, others.pk, first.pk]
    assert ids(api.get(LADDER_MEASUREMENTS, {"ordering": "measured_on"})) == [
        first.pk,
        others.pk,
        second.pk,
    ]


# Client group assignments -------------------------------------------------------------------------


def test_a_group_assignment_shows_the_group_code(api_client, consultant_a, client_a):
    assignment = ClientGroupAssignmentFactory(
        client=client_a, assigned_by=consultant_a, reason="Wil werken", chosen_by_client=False
    )
    response = as_user(api_client, consultant_a).get(detail("group-assignments", assignment))
    assert response.json() == {
        "id": assignment.pk,
        "client": client_a.pk,
        "group": "groeien",
        "group_name": ClientGroup.objects.get(code="groeien").name,
        "start_date": "2022-02-01",
        "end_date": None,
        "reason": "Wil werken",
        "chosen_by_client": False,
        "assigned_by": consultant_a.pk,
        "conversation": None,
    }


@pytest.fixture
def group_assignments(team_a, client_a):
    other = ClientFactory(team=team_a)
    past = ClientGroupAssignmentFactory(
        client=client_a,
        group=ClientGroup.objects.get(code="zorgen"),
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 1, 31),
    )
    current = ClientGroupAssignmentFactory(client=client_a, start_date=datetime.date(2022, 2, 1))
    others = ClientGroupAssignmentFactory(
        client=other,
        group=ClientGroup.objects.get(code="matchen"),
        start_date=datetime.date(2021, 1, 1),
    )
    return past, current, others, other


def test_group_assignment_filters(api_client, consultant_a, client_a, group_assignments):
    past, current, others, other = group_assignments
    api = as_user(api_client, consultant_a)

    def found(**params):
        return ids(api.get(GROUP_ASSIGNMENTS, params))

    assert found(client=client_a.pk) == [current.pk, past.pk]
    assert found(client=other.pk) == [others.pk]
    assert found(group="zorgen") == [past.pk]
    assert found(group="matchen") == [others.pk]
    assert found(current="true") == [current.pk, others.pk]
    assert found(current="false") == [past.pk]
    assert found(client=client_a.pk, current="true") == [current.pk]
    assert api.get(GROUP_ASSIGNMENTS, {"group": "onbekend"}).status_code == 400


def test_group_assignment_ordering(api_client, consultant_a, group_assignments):
    past, current, others, _other = group_assignments
    api = as_user(api_client, consultant_a)
    assert ids(api.get(GROUP_ASSIGNMENTS)) == [current.pk, others.pk, past.pk]
    assert ids(api.get(GROUP_ASSIGNMENTS, {"ordering": "start_date"})) == [
        past.pk,
        others.pk,
        current.pk,
    ]
    assert ids(api.get(GROUP_ASSIGNMENTS, {"ordering": "-end_date"}))[-1] == past.pk


def test_the_dossier_shows_the_same_rows(api_client, consultant_a, client_a):
    """The nested histories of /api/v1/clients/{id}/ and the flat resources agree, also in the
    order of periods that start on one day (written in descending id order, so that the rows lie
    on disk the other way)."""
    day = datetime.date(2024, 3, 1)
    BenefitPeriodFactory(
        pk=10**6, client=client_a, start_date=day, end_date=day, end_reason=OutflowReason.WORK
    )
    BenefitPeriodFactory(pk=10**6 - 1, client=client_a, start_date=day)
    ClientGroupAssignmentFactory(client=client_a)
    LadderMeasurementFactory(client=client_a)
    api = as_user(api_client, consultant_a)
    dossier = api.get(f"/api/v1/clients/{client_a.pk}/").json()
    assert dossier["benefit_periods"] == api.get(BENEFIT_PERIODS).json()["results"]
    assert dossier["group_assignments"] == api.get(GROUP_ASSIGNMENTS).json()["results"]
    assert dossier["ladder_measurements"] == api.get(LADDER_MEASUREMENTS).json()["results"]
