"""The instruments API: /api/v1/instruments/ (the catalogue), /api/v1/trajectories/ (trajecten) and
/api/v1/budget-lines/ (the budget page's figures).

The catalogue and the budget lines show no person data and follow their own rules permissions;
trajecten are scoped to the user's team and access-logged like every client record. A traject is
started and ended through the page's forms and services: the same invalid input is refused by the
page and by the API, and leaves the database as it was."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog
from clients.models import ClientGroup
from instruments import selectors, services
from instruments.models import (
    Commitment,
    Instrument,
    InstrumentCategory,
    RuleKind,
    Trajectory,
    TrajectoryStatus,
)
from tests.api import as_user, ids, with_token
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import ClientFactory, ClientGroupAssignmentFactory
from tests.clients.plan_factories import PlanFactory
from tests.instruments.factories import (
    BudgetFactory,
    BudgetLineFactory,
    EligibilityRuleFactory,
    InstrumentFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db

INSTRUMENTS = "/api/v1/instruments/"
TRAJECTORIES = "/api/v1/trajectories/"
BUDGET_LINES = "/api/v1/budget-lines/"
BUDGET_TOTAL = "/api/v1/budget-lines/total/"
YEAR = timezone.localdate().year


def detail(url, pk):
    return f"{url}{pk}/"


def end_url(trajectory):
    return f"{TRAJECTORIES}{trajectory.pk}/end/"


def start(client, consultant, instrument=None, **kwargs):
    """A traject through the service, with its commitments."""
    return services.start_trajectory(
        client=client,
        instrument=instrument or InstrumentFactory(),
        start_date=kwargs.pop("start_date", datetime.date(YEAR, 1, 10)),
        planned_end_date=kwargs.pop("planned_end_date", datetime.date(YEAR, 6, 10)),
        started_by=consultant,
        **kwargs,
    )


def the_database():
    """What a refused write must leave unchanged: every traject and commitment as it was."""
    return (
        list(Trajectory.objects.order_by("pk").values()),
        list(Commitment.objects.order_by("pk").values()),
    )


# The catalogue (instrumentenkaart) ----------------------------------------------------------------


def test_the_catalogue_needs_authentication(api_client):
    instrument = InstrumentFactory()
    for response in [
        api_client.get(INSTRUMENTS),
        api_client.get(detail(INSTRUMENTS, instrument.pk)),
    ]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "user", ["consultant_a", "consultant_b", "manager_a", "policy_officer", "application_manager"]
)
def test_every_role_reads_the_catalogue_without_an_access_log(api_client, request, user):
    instrument = InstrumentFactory()
    api = with_token(api_client, request.getfixturevalue(user))
    response = api.get(INSTRUMENTS, {"budget_line": instrument.budget_line.code})
    assert response.status_code == 200
    assert ids(response) == [instrument.pk]
    assert api.get(detail(INSTRUMENTS, instrument.pk)).status_code == 200
    assert not AccessLog.objects.exists()


def test_an_instrument_shows_its_providers_line_rules_and_groups(api_client, consultant_a):
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    provider = ProviderFactory()
    lks.providers.add(provider)
    lks.client_groups.set([ClientGroup.objects.get(code="matchen")])
    data = as_user(api_client, consultant_a).get(detail(INSTRUMENTS, lks.pk)).json()
    assert data["name"] == "Loonkostensubsidie"
    assert data["budget_line"] == lks.budget_line.code
    assert {"id": provider.pk, "name": provider.name, "is_active": True} in data["providers"]
    assert data["client_groups"] == ["matchen"]
    assert {(rule["kind"], rule["other_instrument"]) for rule in data["eligibility_rules"]} == {
        (RuleKind.REQUIRES_INSTRUMENT, Instrument.objects.get(name="Loonwaardemeting").pk),
        (RuleKind.NOT_TOGETHER_WITH, Instrument.objects.get(name="Plaatsingssubsidie").pk),
    }
    assert data["is_active"] is True
    premie = as_user(api_client, consultant_a).get(
        detail(INSTRUMENTS, Instrument.objects.get(name="Uitstroompremie").pk)
    )
    assert premie.json()["instalment_months"] == [3, 6]
    assert premie.json()["unit_cost"] == "750.00"


def test_catalogue_filters_and_ordering(api_client, manager_a):
    line = BudgetLineFactory()
    provider = ProviderFactory()
    training = InstrumentFactory(
        budget_line=line, category=InstrumentCategory.TRAINING, unit_cost=Decimal("10.00")
    )
    training.providers.add(provider)
    training.client_groups.add(ClientGroup.objects.get(code="zorgen"))
    inactive = InstrumentFactory(budget_line=line, is_active=False, unit_cost=Decimal("20.00"))
    api = with_token(api_client, manager_a)
    in_line = {"budget_line": line.code}
    assert ids(api.get(INSTRUMENTS, in_line)) == sorted(
        [training.pk, inactive.pk], key=lambda pk: Instrument.objects.get(pk=pk).name
    )
    assert ids(api.get(INSTRUMENTS, {**in_line, "ordering": "-unit_cost"})) == [
        inactive.pk,
        training.pk,
    ]
    assert ids(api.get(INSTRUMENTS, {**in_line, "active": "false"})) == [inactive.pk]
    assert ids(api.get(INSTRUMENTS, {**in_line, "category": "training"})) == [training.pk]
    assert ids(api.get(INSTRUMENTS, {"provider": provider.pk})) == [training.pk]
    zorgen = ids(api.get(INSTRUMENTS, {**in_line, "client_group": "zorgen"}))
    assert zorgen == [training.pk]
    assert api.get(INSTRUMENTS, {"category": "unknown"}).status_code == 400
    assert api.get(f"{INSTRUMENTS}abc/").status_code == 404


@pytest.mark.parametrize("rows", [2, 6])
def test_the_catalogue_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, django_assert_num_queries, rows
):
    line = BudgetLineFactory()
    groeien = ClientGroup.objects.get(code="groeien")
    for _i in range(rows):
        instrument = InstrumentFactory(budget_line=line)
        instrument.providers.add(ProviderFactory())
        instrument.client_groups.add(groeien)
        EligibilityRuleFactory(instrument=instrument, kind=RuleKind.MIN_AGE, number=18)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page, providers, client groups, rules
    with django_assert_num_queries(7):
        response = api.get(INSTRUMENTS, {"budget_line": line.code})
    assert len(response.json()["results"]) == rows


# Trajecten: reading -------------------------------------------------------------------------------


def test_trajecten_need_authentication(api_client, consultant_a, client_a):
    trajectory = start(client_a, consultant_a)
    for response in [
        api_client.get(TRAJECTORIES),
        api_client.get(detail(TRAJECTORIES, trajectory.pk)),
        api_client.post(TRAJECTORIES, {"client": client_a.pk}, format="json"),
        api_client.post(end_url(trajectory), {}, format="json"),
    ]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert not AccessLog.objects.exists()


def test_a_consultant_sees_the_trajecten_of_their_own_team(
    api_client, consultant_a, consultant_b, client_a, team_b
):
    own = start(client_a, consultant_a)
    start(ClientFactory(team=team_b), consultant_b)
    api = with_token(api_client, consultant_a)
    assert ids(api.get(TRAJECTORIES)) == [own.pk]
    assert api.get(detail(TRAJECTORIES, own.pk)).status_code == 200


def test_another_team_gets_an_empty_list_and_404(api_client, consultant_a, consultant_b, client_a):
    trajectory = start(client_a, consultant_a)
    api = with_token(api_client, consultant_b)
    assert ids(api.get(TRAJECTORIES)) == []
    assert api.get(detail(TRAJECTORIES, trajectory.pk)).status_code == 404
    response = api.post(
        end_url(trajectory), {"status": "succeeded", "end_date": f"{YEAR}-05-01"}, format="json"
    )
    assert response.status_code == 404
    assert not AccessLog.objects.exists()
    assert Trajectory.objects.get().is_running


def test_a_team_leader_reads_but_does_not_write(api_client, manager_a, consultant_a, client_a):
    trajectory = start(client_a, consultant_a)
    api = with_token(api_client, manager_a)
    assert ids(api.get(TRAJECTORIES)) == [trajectory.pk]
    assert api.get(detail(TRAJECTORIES, trajectory.pk)).status_code == 200
    created = api.post(
        TRAJECTORIES,
        {
            "client": client_a.pk,
            "instrument": InstrumentFactory().pk,
            "start_date": f"{YEAR}-02-01",
        },
        format="json",
    )
    assert created.status_code == 403
    ended = api.post(
        end_url(trajectory), {"status": "succeeded", "end_date": f"{YEAR}-05-01"}, format="json"
    )
    assert ended.status_code == 403
    assert Trajectory.objects.count() == 1 and Trajectory.objects.get().is_running


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_get_403(api_client, request, consultant_a, client_a, user):
    trajectory = start(client_a, consultant_a)
    api = with_token(api_client, request.getfixturevalue(user))
    assert api.get(TRAJECTORIES).status_code == 403
    assert api.get(detail(TRAJECTORIES, trajectory.pk)).status_code == 403
    assert api.post(TRAJECTORIES, {"client": client_a.pk}, format="json").status_code == 403
    assert api.post(end_url(trajectory), {}, format="json").status_code == 403
    assert not AccessLog.objects.exists()


def test_a_traject_shows_cost_commitment_and_confirmed_warnings(api_client, consultant_a, client_a):
    ClientGroupAssignmentFactory(client=client_a)
    instrument = InstrumentFactory()
    EligibilityRuleFactory(instrument=instrument, kind=RuleKind.MIN_LADDER_STEP, number=5)
    this_month = timezone.localdate().replace(day=1)
    trajectory = start(
        client_a,
        consultant_a,
        instrument,
        cost=Decimal("1000.00"),
        start_date=this_month.replace(month=1),
        planned_end_date=this_month.replace(month=12),
        override_reason="Meting volgt",
        goal="Werkritme opdoen",
    )
    data = with_token(api_client, consultant_a).get(detail(TRAJECTORIES, trajectory.pk)).json()
    assert data["client"] == client_a.pk
    assert data["instrument"] == instrument.pk
    assert data["instrument_name"] == instrument.name
    assert data["client_group"] == "groeien"
    assert (data["status"], data["is_running"]) == ("running", True)
    assert data["cost"] == data["committed"] == "1000.00"
    realised = Commitment.objects.filter(trajectory=trajectory, month__lte=this_month)
    assert Decimal(data["realised"]) == sum(c.amount for c in realised)
    assert data["overridden_rules"] == [trajectory.overridden_rules]
    assert data["override_reason"] == "Meting volgt"
    assert data["overridden_by"] == consultant_a.pk
    assert data["goal"] == "Werkritme opdoen"
    assert data["provider"] is None and data["provider_name"] is None


def test_a_traject_without_a_budget_line_commits_nothing(api_client, consultant_a, client_a):
    trajectory = start(client_a, consultant_a, InstrumentFactory(budget_line=None))
    data = with_token(api_client, consultant_a).get(detail(TRAJECTORIES, trajectory.pk)).json()
    assert (data["cost"], data["committed"], data["realised"]) == ("1200.00", "0.00", "0.00")


def test_trajecten_filters(api_client, consultant_a, client_a, team_a):
    other = ClientFactory(team=team_a)
    instrument = InstrumentFactory()
    early = start(client_a, consultant_a, instrument, start_date=datetime.date(YEAR - 1, 3, 1))
    late = start(other, consultant_a, start_date=datetime.date(YEAR, 2, 1))
    services.end_trajectory(
        trajectory=late, status=TrajectoryStatus.SUCCEEDED, end_date=datetime.date(YEAR, 3, 1)
    )
    api = with_token(api_client, consultant_a)
    assert ids(api.get(TRAJECTORIES, {"client": client_a.pk})) == [early.pk]
    assert ids(api.get(TRAJECTORIES, {"instrument": instrument.pk})) == [early.pk]
    assert ids(api.get(TRAJECTORIES, {"status": "succeeded"})) == [late.pk]
    assert ids(api.get(TRAJECTORIES, {"running": "true"})) == [early.pk]
    assert ids(api.get(TRAJECTORIES, {"running": "false"})) == [late.pk]
    assert ids(api.get(TRAJECTORIES, {"started_after": f"{YEAR}-01-01"})) == [late.pk]
    assert ids(api.get(TRAJECTORIES, {"started_before": f"{YEAR - 1}-12-31"})) == [early.pk]
    assert api.get(TRAJECTORIES, {"status": "unknown"}).status_code == 400
    assert api.get(TRAJECTORIES, {"started_after": "gisteren"}).status_code == 400


def test_trajecten_ordering(api_client, consultant_a, client_a):
    cheap = start(
        client_a, consultant_a, cost=Decimal("10.00"), start_date=datetime.date(YEAR, 2, 1)
    )
    dear = start(
        client_a, consultant_a, cost=Decimal("99.00"), start_date=datetime.date(YEAR, 1, 1)
    )
    api = with_token(api_client, consultant_a)
    assert ids(api.get(TRAJECTORIES)) == [cheap.pk, dear.pk]  # newest first
    assert ids(api.get(TRAJECTORIES, {"ordering": "-cost"})) == [dear.pk, cheap.pk]
    assert ids(api.get(TRAJECTORIES, {"ordering": "start_date"})) == [dear.pk, cheap.pk]


def test_the_list_logs_exactly_the_clients_in_the_page(api_client, consultant_a, team_a):
    clients = ClientFactory.create_batch(3, team=team_a)
    trajecten = [
        start(client, consultant_a, start_date=datetime.date(YEAR, 1, day))
        for day, client in enumerate(clients, 1)
    ]
    response = with_token(api_client, consultant_a).get(TRAJECTORIES, {"page_size": 2})
    assert ids(response) == [trajecten[2].pk, trajecten[1].pk]
    rows = AccessLog.objects.all()
    assert {row.client_id for row in rows} == {clients[2].pk, clients[1].pk}
    assert {(row.user_id, row.view, row.path) for row in rows} == {
        (consultant_a.pk, "api:trajectories-list", TRAJECTORIES)
    }


def test_the_detail_is_logged(api_client, consultant_a, client_a):
    trajectory = start(client_a, consultant_a)
    with_token(api_client, consultant_a).get(detail(TRAJECTORIES, trajectory.pk))
    row = AccessLog.objects.get()
    assert (row.user_id, row.client_id, row.view) == (
        consultant_a.pk,
        client_a.pk,
        "api:trajectories-retrieve",
    )


@pytest.mark.parametrize("rows", [2, 6])
def test_the_trajecten_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, team_a, django_assert_num_queries, rows
):
    provider = ProviderFactory()
    for _i in range(rows):
        client = ClientFactory(team=team_a)
        ClientGroupAssignmentFactory(client=client)
        start(client, consultant_a, provider=provider)
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page (instrument, provider, klantgroep joined;
    # commitments summed), access-log insert
    with django_assert_num_queries(5):
        response = api.get(TRAJECTORIES)
    assert len(response.json()["results"]) == rows


# Trajecten: starting and ending -------------------------------------------------------------------


def start_body(client, instrument, **extra):
    return {
        "client": client.pk,
        "instrument": instrument.pk,
        "start_date": f"{YEAR}-02-01",
        "planned_end_date": f"{YEAR}-07-31",
        **extra,
    }


def test_a_consultant_starts_a_traject(api_client, consultant_a, client_a):
    instrument = InstrumentFactory(unit_cost=Decimal("900.00"))
    response = with_token(api_client, consultant_a).post(
        TRAJECTORIES, start_body(client_a, instrument), format="json"
    )
    assert response.status_code == 201
    trajectory = Trajectory.objects.get()
    assert response.json()["id"] == trajectory.pk
    assert (trajectory.client, trajectory.cost, trajectory.started_by) == (
        client_a,
        Decimal("900.00"),
        consultant_a,
    )
    amounts = [c.amount for c in trajectory.commitments.all()]
    assert len(amounts) == 6 and sum(amounts) == Decimal("900.00")
    assert response.json()["committed"] == "900.00"
    row = AccessLog.objects.get()
    assert (row.client_id, row.view) == (client_a.pk, "api:trajectories-create")


def test_a_traject_is_started_from_a_conversation_and_a_plan(api_client, consultant_a, client_a):
    conversation = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    plan = PlanFactory(client=client_a)
    provider = ProviderFactory()
    body = start_body(
        client_a,
        InstrumentFactory(),
        conversation=conversation.pk,
        plan=plan.pk,
        provider=provider.pk,
        cost="450.50",
        goal="Werkritme",
    )
    response = with_token(api_client, consultant_a).post(TRAJECTORIES, body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["conversation"], data["plan"], data["provider"], data["cost"]) == (
        conversation.pk,
        plan.pk,
        provider.pk,
        "450.50",
    )


def test_a_failed_rule_is_a_400_with_the_warnings_until_confirmed(
    api_client, consultant_a, client_a
):
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    api = with_token(api_client, consultant_a)
    response = api.post(TRAJECTORIES, start_body(client_a, lks), format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["override_reason"]
    assert len(data["eligibility_warnings"]) == 1
    assert not Trajectory.objects.exists()
    # The warnings are about the client: logged.
    assert AccessLog.objects.get().view == "api:trajectories-create"
    # A reason without the confirmation is not enough, as on the page.
    body = start_body(client_a, lks, override_reason="Meting volgt")
    assert api.post(TRAJECTORIES, body, format="json").status_code == 400
    assert not Trajectory.objects.exists()
    body = start_body(client_a, lks, confirm_override=True, override_reason="Meting volgt")
    response = api.post(TRAJECTORIES, body, format="json")
    assert response.status_code == 201
    trajectory = Trajectory.objects.get()
    assert trajectory.override_reason == "Meting volgt"
    assert trajectory.overridden_by == consultant_a
    assert response.json()["overridden_rules"] == data["eligibility_warnings"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client": None}, "client"),
        ({"client": "abc"}, "client"),
        ({"client": 10**20}, "client"),
        ({"instrument": 10**20}, "instrument"),
        ({"instrument": [1]}, "instrument"),
        ({"start_date": 20240101}, "start_date"),
        ({"start_date": {"day": 1}}, "start_date"),
        ({"cost": "-1"}, "cost"),
        ({"conversation": True}, "conversation"),
    ],
)
def test_malformed_values_are_a_400_on_their_field(api_client, consultant_a, client_a, body, field):
    response = with_token(api_client, consultant_a).post(
        TRAJECTORIES, {**start_body(client_a, InstrumentFactory()), **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Trajectory.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(api_client, consultant_a):
    response = with_token(api_client, consultant_a).post(TRAJECTORIES, [1, 2], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_consultant_ends_a_traject_early(api_client, consultant_a, client_a):
    trajectory = start(client_a, consultant_a, cost=Decimal("600.00"))
    api = with_token(api_client, consultant_a)
    body = {"status": "ended_early", "end_date": f"{YEAR}-01-20"}
    response = api.post(end_url(trajectory), body, format="json")
    assert response.status_code == 400
    assert "early_end_reason" in response.json()
    response = api.post(end_url(trajectory), {**body, "early_end_reason": "illness"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["released"] == "500.00"
    assert data["trajectory"]["status"] == "ended_early"
    assert data["trajectory"]["end_date"] == f"{YEAR}-01-20"
    assert data["trajectory"]["committed"] == "100.00"
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ENDED_EARLY
    assert [c.amount for c in trajectory.commitments.all()] == [Decimal("100.00")]
    row = AccessLog.objects.get()
    assert (row.client_id, row.view) == (client_a.pk, "api:trajectories-end")


def test_a_session_needs_csrf_to_write(consultant_a, client_a):
    from rest_framework.test import APIClient

    api = APIClient(enforce_csrf_checks=True)
    api.force_login(consultant_a)
    assert api.get(TRAJECTORIES).status_code == 200
    body = start_body(client_a, InstrumentFactory())
    assert api.post(TRAJECTORIES, body, format="json").status_code == 403
    assert not Trajectory.objects.exists()


# The API cannot create a traject state the page cannot --------------------------------------------


def page_start_data(body):
    """The page's form fields for an API body (the client is in the page's URL)."""
    data = {key: value for key, value in body.items() if key != "client"}
    if data.get("confirm_override"):
        data["confirm_override"] = "on"
    return data


def invalid_start(name, consultant, client, team_a, team_b):
    """An invalid start: the client of the page's URL and the API body."""
    instrument = InstrumentFactory()
    if name == "planned end before start":
        return client, start_body(client, instrument, planned_end_date=f"{YEAR}-01-31")
    if name == "ineligible without override reason":
        lks = Instrument.objects.get(name="Loonkostensubsidie")
        return client, start_body(client, lks, confirm_override=True)
    if name == "override reason without confirmation":
        lks = Instrument.objects.get(name="Loonkostensubsidie")
        return client, start_body(client, lks, override_reason="Meting volgt")
    if name == "conversation of another client":
        other = ConversationFactory(client=ClientFactory(team=team_a), completed=True)
        return client, start_body(client, instrument, conversation=other.pk)
    if name == "plan of another client":
        other = PlanFactory(client=ClientFactory(team=team_a))
        return client, start_body(client, instrument, plan=other.pk)
    if name == "inactive instrument":
        return client, start_body(client, InstrumentFactory(is_active=False))
    if name == "inactive provider":
        provider = ProviderFactory(is_active=False)
        return client, start_body(client, instrument, provider=provider.pk)
    if name == "negative cost":
        return client, start_body(client, instrument, cost="-5.00")
    if name == "client of another team":
        outsider = ClientFactory(team=team_b)
        return outsider, start_body(outsider, instrument)
    raise ValueError(name)


@pytest.mark.parametrize(
    "case",
    [
        "planned end before start",
        "ineligible without override reason",
        "override reason without confirmation",
        "conversation of another client",
        "plan of another client",
        "inactive instrument",
        "inactive provider",
        "negative cost",
        "client of another team",
    ],
)
def test_an_invalid_start_is_refused_by_the_page_and_the_api(
    client, api_client, consultant_a, client_a, team_a, team_b, case
):
    page_client, body = invalid_start(case, consultant_a, client_a, team_a, team_b)
    before = the_database()

    client.force_login(consultant_a)
    page = client.post(
        reverse("instruments:trajectory-start", args=[page_client.pk]), page_start_data(body)
    )
    # The page shows the form again with the errors (or knows no such client).
    assert page.status_code in (200, 404)
    if page.status_code == 200:
        assert page.context["form"].errors
    assert the_database() == before

    response = with_token(api_client, consultant_a).post(TRAJECTORIES, body, format="json")
    assert response.status_code == 400
    assert response.json()
    assert the_database() == before


def invalid_end(name, consultant, client, team_b):
    """An invalid end: the traject and the body."""
    if name == "end date before start":
        trajectory = start(client, consultant)
        return trajectory, {"status": "succeeded", "end_date": f"{YEAR}-01-01"}
    if name == "ending an ended traject":
        trajectory = start(client, consultant)
        services.end_trajectory(
            trajectory=trajectory,
            status=TrajectoryStatus.SUCCEEDED,
            end_date=datetime.date(YEAR, 3, 1),
        )
        return trajectory, {"status": "converted_to_work", "end_date": f"{YEAR}-04-01"}
    if name == "ended early without reason":
        trajectory = start(client, consultant)
        return trajectory, {"status": "ended_early", "end_date": f"{YEAR}-03-01"}
    if name == "running as an outcome":
        trajectory = start(client, consultant)
        return trajectory, {"status": "running", "end_date": f"{YEAR}-03-01"}
    if name == "traject of another team":
        outsider = ClientFactory(team=team_b)
        return start(outsider, consultant), {"status": "succeeded", "end_date": f"{YEAR}-03-01"}
    raise ValueError(name)


@pytest.mark.parametrize(
    ("case", "api_status"),
    [
        ("end date before start", 400),
        ("ending an ended traject", 400),
        ("ended early without reason", 400),
        ("running as an outcome", 400),
        ("traject of another team", 404),
    ],
)
def test_an_invalid_end_is_refused_by_the_page_and_the_api(
    client, api_client, consultant_a, client_a, team_b, case, api_status
):
    trajectory, body = invalid_end(case, consultant_a, client_a, team_b)
    before = the_database()

    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-end", args=[trajectory.client_id, trajectory.pk])
    page = client.post(url, body)
    assert page.status_code in (200, 404)
    if page.status_code == 200:
        assert page.context["form"].errors
    assert the_database() == before

    response = with_token(api_client, consultant_a).post(end_url(trajectory), body, format="json")
    assert response.status_code == api_status
    assert the_database() == before


def traject_state(trajectory):
    """A traject's state without who and which client: what the page and the API must agree on."""
    return (
        {
            field: getattr(trajectory, field)
            for field in [
                "instrument_id",
                "provider_id",
                "client_group_id",
                "start_date",
                "planned_end_date",
                "cost",
                "goal",
                "started_by_id",
                "status",
                "end_date",
                "early_end_reason",
                "overridden_rules",
                "override_reason",
                "overridden_by_id",
            ]
        },
        [(c.line_id, c.month, c.amount) for c in trajectory.commitments.order_by("month")],
    )


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"cost": "1000.00"},
        {"planned_end_date": f"{YEAR + 1}-03-31", "cost": "1234.57"},
        {"confirm_override": True, "override_reason": "Meting volgt"},
    ],
)
def test_a_valid_start_makes_the_same_traject_by_page_and_api(
    client, api_client, consultant_a, team_a, extra
):
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    lks.unit_cost = Decimal("777.77")
    lks.save()
    by_page, by_api = ClientFactory.create_batch(2, team=team_a)
    for person in (by_page, by_api):
        ClientGroupAssignmentFactory(client=person)
    instrument = lks if extra.get("override_reason") else InstrumentFactory()

    client.force_login(consultant_a)
    page = client.post(
        reverse("instruments:trajectory-start", args=[by_page.pk]),
        page_start_data(start_body(by_page, instrument, **extra)),
    )
    assert page.status_code == 302
    response = with_token(api_client, consultant_a).post(
        TRAJECTORIES, start_body(by_api, instrument, **extra), format="json"
    )
    assert response.status_code == 201

    made_by_page = Trajectory.objects.get(client=by_page)
    made_by_api = Trajectory.objects.get(client=by_api)
    assert traject_state(made_by_api) == traject_state(made_by_page)
    commitments = traject_state(made_by_api)[1]
    assert sum(amount for _line, _month, amount in commitments) == made_by_api.cost


def test_a_valid_end_makes_the_same_state_by_page_and_api(client, api_client, consultant_a, team_a):
    instrument = InstrumentFactory()
    by_page, by_api = (
        start(ClientFactory(team=team_a), consultant_a, instrument, cost=Decimal("600.00"))
        for _i in range(2)
    )
    body = {"status": "ended_early", "end_date": f"{YEAR}-03-15", "early_end_reason": "moved"}
    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-end", args=[by_page.client_id, by_page.pk])
    assert client.post(url, body).status_code == 302
    assert with_token(api_client, consultant_a).post(end_url(by_api), body).status_code == 200
    by_page.refresh_from_db()
    by_api.refresh_from_db()
    assert traject_state(by_api) == traject_state(by_page)


# Budget lines (begrotingsposten) ------------------------------------------------------------------


def spend(consultant, team):
    """Trajecten on two budget lines, this year and the previous, in and out of a klantgroep."""
    line = BudgetLineFactory(code="extra", name="Extra")
    BudgetFactory(line=line, year=YEAR, amount=Decimal("5000.00"))
    for year, cost in [(YEAR, Decimal("1200.00")), (YEAR - 1, Decimal("300.00"))]:
        person = ClientFactory(team=team)
        ClientGroupAssignmentFactory(client=person)
        start(
            person,
            consultant,
            InstrumentFactory(budget_line=line),
            cost=cost,
            start_date=datetime.date(year, 1, 10),
            planned_end_date=datetime.date(year, 12, 10),
        )
    start(
        ClientFactory(team=team),
        consultant,
        Instrument.objects.get(name="Loonwaardemeting"),
        cost=Decimal("99.99"),
    )
    return line


def test_budget_lines_need_authentication(api_client):
    line = BudgetLineFactory()
    for url in [BUDGET_LINES, detail(BUDGET_LINES, line.pk), BUDGET_TOTAL]:
        response = api_client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("manager_a", 200),
        ("policy_officer", 200),
        ("application_manager", 200),
        ("consultant_a", 403),
    ],
)
def test_who_sees_the_budget_lines(api_client, request, user, status):
    line = BudgetLineFactory()
    api = with_token(api_client, request.getfixturevalue(user))
    for url in [BUDGET_LINES, detail(BUDGET_LINES, line.pk), BUDGET_TOTAL]:
        assert api.get(url).status_code == status


@pytest.mark.parametrize("year", [YEAR, YEAR - 1, YEAR + 1])
def test_the_figures_are_the_budget_pages(api_client, policy_officer, consultant_a, team_a, year):
    spend(consultant_a, team_a)
    overview = selectors.budget_overview(year=year, today=timezone.localdate())
    api = with_token(api_client, policy_officer)
    rows = api.get(BUDGET_LINES, {"year": year}).json()["results"]

    def money(value):
        return None if value is None else f"{value:.2f}"

    assert [
        (
            row["code"],
            row["name"],
            row["year"],
            row["available"],
            row["committed"],
            row["realised"],
            row["remaining"],
            row["forecast"],
            row["overspending"],
        )
        for row in rows
    ] == [
        (
            line.key,
            line.label,
            year,
            money(line.available),
            money(line.committed),
            money(line.realised),
            money(line.remaining),
            money(line.forecast),
            line.overspending,
        )
        for line in overview.lines
    ]
    total = api.get(BUDGET_TOTAL, {"year": year}).json()
    assert total == {
        "year": year,
        "available": money(overview.total.available),
        "committed": money(overview.total.committed),
        "realised": money(overview.total.realised),
        "remaining": money(overview.total.remaining),
        "forecast": money(overview.total.forecast),
        "overspending": overview.total.overspending,
    }
    assert not AccessLog.objects.exists()


def test_the_budget_page_shows_the_same_totals(client, api_client, manager_a, consultant_a, team_a):
    spend(consultant_a, team_a)
    client.force_login(manager_a)
    page = client.get(reverse("instruments:budget", args=[YEAR])).context["overview"]
    api = with_token(api_client, manager_a)
    total = api.get(BUDGET_TOTAL).json()
    assert Decimal(total["committed"]) == page.total.committed
    assert Decimal(total["available"]) == page.total.available
    rows = api.get(BUDGET_LINES).json()["results"]
    assert {row["code"]: Decimal(row["committed"]) for row in rows} == {
        line.key: line.committed for line in page.lines
    }


def test_the_year_defaults_to_this_year_and_is_validated(
    api_client, manager_a, consultant_a, team_a
):
    line = spend(consultant_a, team_a)
    api = with_token(api_client, manager_a)
    response = api.get(detail(BUDGET_LINES, line.pk))
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["code"], data["year"]) == (line.pk, "extra", YEAR)
    assert (data["available"], data["committed"]) == ("5000.00", "1200.00")
    previous = api.get(detail(BUDGET_LINES, line.pk), {"year": YEAR - 1}).json()
    assert (previous["available"], previous["committed"]) == ("0.00", "300.00")
    assert previous["overspending"] is True
    for year in ["abc", "0", "10000", "2024.5"]:
        for url in [BUDGET_LINES, detail(BUDGET_LINES, line.pk), BUDGET_TOTAL]:
            assert api.get(url, {"year": year}).status_code == 400, (url, year)


def test_budget_lines_filter_and_ordering(api_client, manager_a):
    api = with_token(api_client, manager_a)
    codes = [row["code"] for row in api.get(BUDGET_LINES).json()["results"]]
    assert codes[:2] == ["participatie", "wsw"]  # the budget page's order
    descending = [
        row["code"] for row in api.get(BUDGET_LINES, {"ordering": "-code"}).json()["results"]
    ]
    assert descending == sorted(codes, reverse=True)
    assert [row["code"] for row in api.get(BUDGET_LINES, {"code": "wsw"}).json()["results"]] == [
        "wsw"
    ]


@pytest.mark.parametrize("rows", [2, 6])
def test_the_budget_lines_query_count_does_not_grow_with_the_rows(
    api_client, manager_a, consultant_a, team_a, django_assert_num_queries, rows
):
    for _i in range(rows):
        line = BudgetLineFactory()
        BudgetFactory(line=line, year=YEAR)
        start(ClientFactory(team=team_a), consultant_a, InstrumentFactory(budget_line=line))
    api = with_token(api_client, manager_a)
    # token and user, last_used_at, count, page; the budget page's seven (lines, groups,
    # no-group sums, intake allocation, totals, budget total, allocations)
    with django_assert_num_queries(11):
        response = api.get(BUDGET_LINES)
    assert response.json()["count"] == BudgetLineFactory._meta.model.objects.count()


# The schema ---------------------------------------------------------------------------------------


def test_the_schema_describes_the_resources(client, consultant_a):
    client.force_login(consultant_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/trajectories/"]) == {"get", "post"}
    assert "post" in paths["/api/v1/trajectories/{id}/end/"]
    assert {"get"} == set(paths["/api/v1/instruments/"]) == set(paths["/api/v1/budget-lines/"])
    assert {"400", "401", "403"} <= set(paths["/api/v1/trajectories/"]["post"]["responses"])
    listed = {p["name"] for p in paths["/api/v1/trajectories/"]["get"]["parameters"]}
    assert {
        "client",
        "instrument",
        "status",
        "running",
        "started_after",
        "started_before",
    } <= listed
    year = [p for p in paths["/api/v1/budget-lines/"]["get"]["parameters"] if p["name"] == "year"]
    assert year[0]["schema"]["type"] == "integer"
