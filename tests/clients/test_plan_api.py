import datetime

import pytest

from casework.models import AccessLog
from clients.models import AgreementStatus, Responsible
from tests.api import as_user, ids, with_token
from tests.clients.factories import ClientFactory
from tests.clients.plan_factories import AgreementFactory, PlanFactory

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans/"
AGREEMENTS = "/api/v1/agreements/"
MARCH = datetime.date(2024, 3, 1)
SEPTEMBER = datetime.date(2024, 9, 1)


def detail(url, record):
    return f"{url}{record.pk}/"


@pytest.fixture
def plans(client_a):
    """An earlier and the current plan of client_a, each with an agreement."""
    old = PlanFactory(client=client_a, drawn_up_on=MARCH)
    current = PlanFactory(client=client_a, drawn_up_on=SEPTEMBER, goals="Find a job in care.")
    return old, current


def test_anonymous_calls_are_401(api_client, plans):
    agreement = AgreementFactory(plan=plans[1])
    for url in [PLANS, detail(PLANS, plans[1]), AGREEMENTS, detail(AGREEMENTS, agreement)]:
        response = api_client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_get_403(api_client, request, plans, user):
    agreement = AgreementFactory(plan=plans[1])
    api = as_user(api_client, request.getfixturevalue(user))
    for url in [PLANS, detail(PLANS, plans[1]), AGREEMENTS, detail(AGREEMENTS, agreement)]:
        assert api.get(url).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user", ["consultant_a", "manager_a"])
def test_consultants_and_team_leaders_see_their_teams_plans(
    api_client, request, team_b, plans, user
):
    agreement = AgreementFactory(plan=plans[1])
    other_team = AgreementFactory(plan=PlanFactory(client=ClientFactory(team=team_b)))
    api = as_user(api_client, request.getfixturevalue(user))
    assert ids(api.get(PLANS)) == [plans[1].pk, plans[0].pk]
    assert ids(api.get(AGREEMENTS)) == [agreement.pk]
    assert api.get(detail(PLANS, other_team.plan)).status_code == 404
    assert api.get(detail(AGREEMENTS, other_team)).status_code == 404


def test_another_teams_consultant_sees_nothing(api_client, consultant_b, plans):
    agreement = AgreementFactory(plan=plans[1])
    api = as_user(api_client, consultant_b)
    assert ids(api.get(PLANS)) == []
    assert ids(api.get(AGREEMENTS)) == []
    assert api.get(detail(PLANS, plans[1])).status_code == 404
    assert api.get(detail(AGREEMENTS, agreement)).status_code == 404
    # A filter on another team's client does not widen the scope.
    assert ids(api.get(PLANS, {"client": plans[1].client_id})) == []
    assert not AccessLog.objects.exists()


def test_a_non_numeric_id_is_404(api_client, consultant_a):
    api = as_user(api_client, consultant_a)
    assert api.get(f"{PLANS}abc/").status_code == 404
    assert api.get(f"{AGREEMENTS}abc/").status_code == 404


def test_a_token_works(api_client, consultant_a, plans):
    api = with_token(api_client, consultant_a)
    assert api.get(PLANS).status_code == 200
    assert api.get(detail(AGREEMENTS, AgreementFactory(plan=plans[1]))).status_code == 200


def test_the_plan_shows_its_goals_and_agreements_open_ones_first(api_client, consultant_a, plans):
    old, current = plans
    done = AgreementFactory(
        plan=current, status=AgreementStatus.DONE, due_date=datetime.date(2024, 10, 1)
    )
    open_ = AgreementFactory(
        plan=current, due_date=datetime.date(2024, 12, 1), responsible=Responsible.CONSULTANT
    )
    AgreementFactory(plan=old)
    data = as_user(api_client, consultant_a).get(detail(PLANS, current)).json()
    assert data["goals"] == "Find a job in care."
    assert data["is_current"] is True
    assert data["drawn_up_on"] == "2024-09-01"
    assert data["drawn_up_by"] == current.drawn_up_by_id
    assert [row["id"] for row in data["agreements"]] == [open_.pk, done.pk]
    assert data["agreements"][0]["responsible"] == "consultant"
    assert data["agreements"][1]["status"] == "done"


def test_an_earlier_plan_can_be_retrieved_and_is_not_current(api_client, consultant_a, plans):
    data = as_user(api_client, consultant_a).get(detail(PLANS, plans[0])).json()
    assert data["is_current"] is False


def test_the_list_leaves_out_goals_and_agreements(api_client, consultant_a, plans):
    rows = as_user(api_client, consultant_a).get(PLANS).json()["results"]
    assert [row["is_current"] for row in rows] == [True, False]
    assert "goals" not in rows[0]
    assert "agreements" not in rows[0]


def test_an_agreement_names_its_plan_and_client(api_client, consultant_a, client_a, plans):
    agreement = AgreementFactory(
        plan=plans[0],
        status=AgreementStatus.MISSED,
        missed_reason="Ill.",
        status_changed_on=datetime.date(2024, 5, 1),
    )
    data = as_user(api_client, consultant_a).get(detail(AGREEMENTS, agreement)).json()
    assert data == {
        "id": agreement.pk,
        "plan": plans[0].pk,
        "client": client_a.pk,
        "description": agreement.description,
        "responsible": "client",
        "due_date": "2024-06-01",
        "status": "missed",
        "missed_reason": "Ill.",
        "status_changed_on": "2024-05-01",
        "plan_is_current": False,
    }


def test_plan_filters(api_client, consultant_a, team_a, plans):
    old, current = plans
    current.client_signed_on = current.municipality_signed_on = SEPTEMBER
    current.save()
    other = PlanFactory(client=ClientFactory(team=team_a), client_signed_on=SEPTEMBER)
    api = as_user(api_client, consultant_a)
    assert ids(api.get(PLANS, {"client": current.client_id})) == [current.pk, old.pk]
    assert ids(api.get(PLANS, {"current": "true"})) == [current.pk, other.pk]
    assert ids(api.get(PLANS, {"current": "false"})) == [old.pk]
    assert ids(api.get(PLANS, {"signed": "true"})) == [current.pk]
    assert ids(api.get(PLANS, {"signed": "false"})) == [other.pk, old.pk]
    assert ids(api.get(PLANS, {"drawn_up_after": "2024-06-01"})) == [current.pk]
    assert ids(api.get(PLANS, {"drawn_up_before": "2024-06-01"})) == [other.pk, old.pk]
    assert api.get(PLANS, {"drawn_up_after": "soon"}).status_code == 400
    assert api.get(PLANS, {"client": "anna"}).status_code == 400


def test_agreement_filters(api_client, consultant_a, team_a, plans):
    old, current = plans
    earlier = AgreementFactory(plan=old, status=AgreementStatus.CANCELLED)
    due = AgreementFactory(plan=current, due_date=datetime.date(2024, 10, 1))
    later = AgreementFactory(
        plan=current, due_date=datetime.date(2024, 12, 1), responsible=Responsible.PARTNER
    )
    other = AgreementFactory(plan=PlanFactory(client=ClientFactory(team=team_a)))
    api = as_user(api_client, consultant_a)
    assert ids(api.get(AGREEMENTS, {"client": current.client_id})) == [
        earlier.pk,
        due.pk,
        later.pk,
    ]
    assert ids(api.get(AGREEMENTS, {"plan": current.pk})) == [due.pk, later.pk]
    assert ids(api.get(AGREEMENTS, {"current_plan": "true"})) == [other.pk, due.pk, later.pk]
    assert ids(api.get(AGREEMENTS, {"current_plan": "false"})) == [earlier.pk]
    assert ids(api.get(AGREEMENTS, {"status": "cancelled"})) == [earlier.pk]
    assert ids(api.get(AGREEMENTS, {"responsible": "partner"})) == [later.pk]
    assert ids(api.get(AGREEMENTS, {"due_after": "2024-10-01"})) == [due.pk, later.pk]
    assert ids(api.get(AGREEMENTS, {"due_before": "2024-10-01"})) == [
        earlier.pk,
        other.pk,
        due.pk,
    ]
    assert api.get(AGREEMENTS, {"status": "unknown"}).status_code == 400
    assert api.get(AGREEMENTS, {"due_before": "soon"}).status_code == 400


def test_ordering(api_client, consultant_a, plans):
    old, current = plans
    old.client_signed_on = SEPTEMBER
    old.save()
    first = AgreementFactory(plan=current, due_date=datetime.date(2024, 10, 1))
    second = AgreementFactory(
        plan=current, due_date=datetime.date(2024, 12, 1), status=AgreementStatus.DONE
    )
    api = as_user(api_client, consultant_a)
    assert ids(api.get(PLANS, {"ordering": "drawn_up_on"})) == [old.pk, current.pk]
    assert ids(api.get(PLANS, {"ordering": "client_signed_on"})) == [old.pk, current.pk]
    assert ids(api.get(AGREEMENTS, {"ordering": "-due_date"})) == [second.pk, first.pk]
    assert ids(api.get(AGREEMENTS, {"ordering": "-status"})) == [first.pk, second.pk]


def test_the_plan_list_logs_exactly_the_clients_in_the_page(api_client, consultant_a, team_a):
    newer = PlanFactory(client=ClientFactory(team=team_a), drawn_up_on=SEPTEMBER)
    newest = PlanFactory(client=ClientFactory(team=team_a), drawn_up_on=datetime.date(2024, 10, 1))
    PlanFactory(client=ClientFactory(team=team_a), drawn_up_on=MARCH)
    response = as_user(api_client, consultant_a).get(PLANS, {"page_size": 2})
    assert ids(response) == [newest.pk, newer.pk]
    assert {
        (row.user_id, row.client_id, row.view, row.path) for row in AccessLog.objects.all()
    } == {
        (consultant_a.pk, newest.client_id, "api:plans-list", PLANS),
        (consultant_a.pk, newer.client_id, "api:plans-list", PLANS),
    }


def test_the_agreement_list_logs_each_client_once(api_client, consultant_a, team_a, plans):
    AgreementFactory.create_batch(2, plan=plans[1])
    other = AgreementFactory(plan=PlanFactory(client=ClientFactory(team=team_a)))
    as_user(api_client, consultant_a).get(AGREEMENTS)
    rows = AccessLog.objects.all()
    assert sorted(row.client_id for row in rows) == sorted(
        [plans[1].client_id, other.plan.client_id]
    )
    assert {row.view for row in rows} == {"api:agreements-list"}


def test_retrieving_is_logged(api_client, consultant_a, client_a, plans):
    agreement = AgreementFactory(plan=plans[1])
    api = as_user(api_client, consultant_a)
    api.get(detail(PLANS, plans[0]))
    api.get(detail(AGREEMENTS, agreement))
    assert [(row.client_id, row.view) for row in AccessLog.objects.order_by("id")] == [
        (client_a.pk, "api:plans-retrieve"),
        (client_a.pk, "api:agreements-retrieve"),
    ]


def make_plans(team, rows):
    for _i in range(rows):
        plan = PlanFactory(client=ClientFactory(team=team))
        AgreementFactory(plan=plan)


@pytest.mark.parametrize("rows", [2, 6])
def test_the_list_query_counts_do_not_grow_with_the_rows(
    api_client, consultant_a, team_a, django_assert_num_queries, rows
):
    make_plans(team_a, rows)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page, access-log insert
    with django_assert_num_queries(5):
        response = api.get(PLANS)
    assert len(response.json()["results"]) == rows
    with django_assert_num_queries(5):
        response = api.get(AGREEMENTS)
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [2, 6])
def test_the_plan_query_count_does_not_grow_with_its_agreements(
    api_client, consultant_a, client_a, django_assert_num_queries, rows
):
    plan = PlanFactory(client=client_a)
    AgreementFactory.create_batch(rows, plan=plan)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, plan, agreements (prefetch), access-log insert
    with django_assert_num_queries(5):
        response = api.get(detail(PLANS, plan))
    assert len(response.json()["agreements"]) == rows


def test_the_schema_describes_both_resources(client, consultant_a):
    client.force_login(consultant_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in [PLANS, "/api/v1/plans/{id}/", AGREEMENTS, "/api/v1/agreements/{id}/"]:
        operation = schema["paths"][path]["get"]
        assert operation["summary"]
        assert operation["description"]
        assert set(operation["responses"]) >= {"200", "401", "403", "404"}
    parameters = {p["name"]: p for p in schema["paths"][AGREEMENTS]["get"]["parameters"]}
    assert {"client", "plan", "current_plan", "status", "due_before", "due_after"} <= set(
        parameters
    )
    assert all(p.get("description") for p in parameters.values())
