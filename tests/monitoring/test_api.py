import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from casework.models import AccessLog
from clients.models import BenefitPeriod, ClientGroup
from monitoring.dashboard_views import dashboard_sections
from monitoring.indicators import REGISTRY, Scope, Theme
from monitoring.indicators.base import ordered_indicators
from monitoring.periods import Period
from tests.api import as_user, with_token
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
)
from tests.monitoring.fake_indicators import CALLS, SHARES

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators/"


def get(api, code, **query):
    return api.get(f"{INDICATORS}{code}/", query)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def today():
    return timezone.localdate()


def last_closed_quarter():
    return Period.quarter_of(today()).previous()


def code_of(period):
    return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"


@pytest.fixture
def registry(registry):
    """The test indicators, with the share at 12.5 % of 40 people in every period."""
    SHARES.default = (Decimal("12.5"), 40)


def on_benefit_from(team, start, *, count=1, group=None):
    for _ in range(count):
        benefit = BenefitPeriodFactory(client__team=team, start_date=start, end_date=None)
        if group is not None:
            ClientGroupAssignmentFactory(
                client=benefit.client, group=ClientGroup.objects.get(code=group), start_date=start
            )


LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture
def population(team_a, team_b):
    """Team A: 6 on benefit (klantgroep groeien); team B: 2 (groeien)."""
    on_benefit_from(team_a, LONG_AGO, count=6, group="groeien")
    on_benefit_from(team_b, LONG_AGO, count=2, group="groeien")


# --- Who may call -------------------------------------------------------------------------------


def test_anonymous_calls_are_401(api_client, registry):
    for response in [api_client.get(INDICATORS), get(api_client, "test_on_benefit")]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("consultant_a", 403),
        ("consultant_b", 403),
        ("manager_a", 200),
        ("policy_officer", 200),
        ("application_manager", 200),
    ],
)
def test_the_dashboard_s_roles(api_client, registry, request, user, status):
    api = as_user(api_client, request.getfixturevalue(user))
    assert api.get(INDICATORS).status_code == status
    assert get(api, "test_on_benefit").status_code == status


def test_token_authentication(api_client, registry, policy_officer):
    response = with_token(api_client, policy_officer).get(INDICATORS)
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["test_on_benefit", "test_share"]


# --- The definitions ----------------------------------------------------------------------------


def test_the_list_in_the_monitor_s_order(api_client, policy_officer):
    response = as_user(api_client, policy_officer).get(INDICATORS, {"page_size": 100})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == len(REGISTRY)
    assert [row["code"] for row in data["results"]] == [i.code for i in ordered_indicators()]
    caseload = data["results"][0]
    assert set(caseload) == {
        "code", "name", "theme", "unit", "numerator", "denominator", "population", "period",
        "breakdown", "higher_is_better", "by_team", "by_group",
    }  # fmt: skip
    assert (caseload["code"], caseload["theme"], caseload["unit"]) == (
        "caseload",
        "caseload",
        "count",
    )
    assert caseload["name"] and caseload["numerator"] and caseload["population"]


def test_the_list_is_paginated(api_client, policy_officer):
    response = as_user(api_client, policy_officer).get(INDICATORS, {"page_size": 2, "page": 2})
    codes = [i.code for i in ordered_indicators()]
    assert [row["code"] for row in response.json()["results"]] == codes[2:4]


def test_the_theme_filter(api_client, policy_officer):
    api = as_user(api_client, policy_officer)
    response = api.get(INDICATORS, {"theme": "budget", "page_size": 100})
    assert [row["code"] for row in response.json()["results"]] == [
        i.code for i in ordered_indicators() if i.theme == Theme.BUDGET
    ]
    response = api.get(INDICATORS, {"theme": "nonsense"})
    assert response.status_code == 400
    assert list(response.json()) == ["theme"]


def test_an_unknown_indicator_is_404(api_client, registry, policy_officer):
    api = as_user(api_client, policy_officer)
    assert get(api, "no_such_indicator").status_code == 404
    assert get(api, "Test_On_Benefit").status_code == 404  # keys are lower case
    assert api.get(f"{INDICATORS}test_on_benefit/extra/").status_code == 404


# --- Figures ------------------------------------------------------------------------------------


def test_the_last_closed_quarter_by_default(api_client, registry, population, policy_officer):
    response = get(as_user(api_client, policy_officer), "test_on_benefit")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "test_on_benefit"
    assert data["numerator"] == "Clients on benefit at the period's end."
    figure = data["figure"]
    quarter = last_closed_quarter()
    assert figure["period"] == {
        "code": code_of(quarter),
        "start": quarter.start.isoformat(),
        "end": quarter.end.isoformat(),
        "complete": True,
    }
    assert (figure["value"], figure["suppressed"], figure["display"]) == (8, False, "8")
    assert (figure["team"], figure["group"]) == (None, None)
    assert figure["small_cells_hidden"] is True
    # Team B's 2 is a small cell; team A's 6 is hidden too, or 8 - 6 would give it away.
    assert figure["rows"] == [
        {"label": "Team A", "value": None, "suppressed": True, "display": "x"},
        {"label": "Team B", "value": None, "suppressed": True, "display": "< 5"},
    ]


def test_a_quarter_and_a_year(api_client, registry, policy_officer, team_a):
    on_benefit_from(team_a, LONG_AGO, count=5)
    on_benefit_from(team_a, datetime.date(2024, 12, 1), count=1)
    api = as_user(api_client, policy_officer)
    figure = get(api, "test_on_benefit", period="2024-Q3").json()["figure"]
    assert figure["period"]["code"] == "2024-Q3"
    assert figure["period"]["end"] == "2024-09-30"
    assert figure["value"] == 5
    figure = get(api, "test_on_benefit", period="2024").json()["figure"]
    assert figure["period"] == {
        "code": "2024",
        "start": "2024-01-01",
        "end": "2024-12-31",
        "complete": True,
    }
    assert figure["value"] == 6
    assert get(api, "test_on_benefit", period="2024-q3").json()["figure"]["value"] == 5


def test_the_team_and_group_filters(api_client, registry, population, policy_officer, team_b):
    api = as_user(api_client, policy_officer)
    figure = get(api, "test_on_benefit", team=team_b.pk).json()["figure"]
    assert figure["team"] == team_b.pk
    assert (figure["value"], figure["suppressed"], figure["display"]) == (None, True, "< 5")
    figure = get(api, "test_on_benefit", group="groeien").json()["figure"]
    assert (figure["group"], figure["value"]) == ("groeien", 8)
    figure = get(api, "test_on_benefit", group="zorgen").json()["figure"]
    assert (figure["group"], figure["value"], figure["rows"]) == ("zorgen", 0, [])


def test_a_figure_not_split_by_team_ignores_the_team(api_client, registry, policy_officer, team_a):
    figure = get(as_user(api_client, policy_officer), "test_share", team=team_a.pk).json()["figure"]
    assert (figure["team"], figure["not_by_team"], figure["not_by_group"]) == (None, True, False)
    assert figure["value"] == 12.5
    assert [scope for _code, _period, scope in CALLS] == [Scope()]


def test_a_team_leader_starts_on_their_own_team(
    api_client, registry, population, manager_a, team_a
):
    BenefitPeriod.objects.filter(client__team=team_a).delete()
    on_benefit_from(team_a, LONG_AGO, count=3)
    api = as_user(api_client, manager_a)
    figure = get(api, "test_on_benefit").json()["figure"]
    # Their own clients: small cells are not hidden.
    assert (figure["team"], figure["small_cells_hidden"]) == (team_a.pk, False)
    assert (figure["value"], figure["rows"][0]["value"]) == (3, 3)
    # "All teams" is an explicit empty choice: small cells hidden.
    figure = get(api, "test_on_benefit", team="").json()["figure"]
    assert (figure["team"], figure["small_cells_hidden"], figure["value"]) == (None, True, 5)
    assert [row["display"] for row in figure["rows"]] == ["< 5", "< 5"]


def test_a_team_leader_on_another_team_sees_small_cells_hidden(
    api_client, registry, population, manager_a, team_b
):
    figure = get(as_user(api_client, manager_a), "test_on_benefit", team=team_b.pk).json()["figure"]
    assert figure["small_cells_hidden"] is True
    assert (figure["value"], figure["display"]) == (None, "< 5")


# --- Periods not ended --------------------------------------------------------------------------


def current_quarter():
    return code_of(Period.quarter_of(today()))


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_policy_staff_get_no_quarter_that_has_not_ended(api_client, registry, request, user):
    api = as_user(api_client, request.getfixturevalue(user))
    for period in (current_quarter(), str(today().year)):
        response = get(api, "test_on_benefit", period=period)
        assert response.status_code == 400
        assert list(response.json()) == ["period"]
    assert CALLS == []


def test_a_team_leader_gets_their_own_team_up_to_today(
    api_client, registry, population, manager_a, team_a, team_b
):
    api = as_user(api_client, manager_a)
    response = get(api, "test_on_benefit", period=current_quarter())
    assert response.status_code == 200
    period = response.json()["figure"]["period"]
    assert period == {
        "code": current_quarter(),
        "start": Period.quarter_of(today()).start.isoformat(),
        "end": today().isoformat(),
        "complete": False,
    }
    assert response.json()["figure"]["value"] == 6
    # Not for another team or all teams, nor a figure not split by team (it is about other
    # teams' clients too): the dashboard withholds those for the current quarter.
    for team, code in [
        (team_b.pk, "test_on_benefit"),
        ("", "test_on_benefit"),
        (None, "test_share"),
    ]:
        query = {"period": current_quarter()} | ({} if team is None else {"team": team})
        response = get(api, code, **query)
        assert response.status_code == 400
        assert list(response.json()) == ["period"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "2025-Q5"}, "period"),
        ({"period": "Q1 2025"}, "period"),
        ({"period": "1999"}, "period"),
        ({"period": "2025-01-01"}, "period"),
        ({"period": "next"}, "period"),
        ({"period": "\uff12\uff10\uff12\uff15"}, "period"),  # 2025 in full-width digits
        ({"team": "\x00"}, "team"),
        ({"team": "abc"}, "team"),
        ({"team": "999999"}, "team"),
        ({"group": "nonsense"}, "group"),
    ],
)
def test_invalid_parameters_are_400(api_client, registry, policy_officer, query, field):
    response = get(as_user(api_client, policy_officer), "test_on_benefit", **query)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field][0], str)
    assert CALLS == []


def test_a_period_that_has_not_begun_is_400(api_client, registry, manager_a):
    next_year = str(today().year + 1)
    response = get(as_user(api_client, manager_a), "test_on_benefit", period=next_year)
    assert response.status_code == 400
    assert list(response.json()) == ["period"]


# --- As the dashboard ---------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["all", "team_a", "groeien"])
def test_every_real_indicator_as_the_dashboard_shows_it(
    api_client, population, policy_officer, team_a, scope
):
    """The value and the rows of the last closed quarter as on the dashboard, for every
    indicator of the registry."""
    query, dashboard_scope = {
        "all": ({}, Scope()),
        "team_a": ({"team": team_a.pk}, Scope(team=team_a)),
        "groeien": ({"group": "groeien"}, Scope(group=ClientGroup.objects.get(code="groeien"))),
    }[scope]
    sections = dashboard_sections(user=policy_officer, scope=dashboard_scope, today=today())
    cache.clear()  # computed again, not read from what the dashboard stored
    api = as_user(api_client, policy_officer)
    for section in sections:
        for view in section.indicators:
            response = get(api, view.indicator.code, **query)
            assert response.status_code == 200, view.indicator.code
            figure = response.json()["figure"]
            assert figure["display"] == view.current.text
            assert figure["suppressed"] == view.current.suppressed
            assert [(row["label"], row["display"]) for row in figure["rows"]] == [
                (label, shown.text) for label, shown in view.breakdown
            ]


def keys(data):
    """Every key of the objects in a JSON answer, nested ones too."""
    if isinstance(data, dict):
        return set(data).union(*(keys(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(keys(value) for value in data))
    return set()


def test_no_person_leaves_the_api(api_client, manager_a, policy_officer, team_a):
    """Not a client's name nor id in any answer, whoever asks; no access-log rows."""
    groeien = ClientGroup.objects.get(code="groeien")
    for number in range(3):
        client = ClientFactory(
            pk=987_650 + number, team=team_a, first_name="Quirinus", last_name="Zwanenburg"
        )
        BenefitPeriodFactory(client=client, start_date=LONG_AGO, end_date=None)
        ClientGroupAssignmentFactory(client=client, group=groeien, start_date=LONG_AGO)
    for user in (manager_a, policy_officer):
        api = as_user(api_client, user)
        bodies = [api.get(INDICATORS, {"page_size": 100}).content.decode()]
        for code in REGISTRY:
            response = get(api, code)
            assert response.status_code == 200
            bodies.append(response.content.decode())
        for body in bodies:
            assert "Quirinus" not in body
            assert "Zwanenburg" not in body
            assert "98765" not in body
            assert not keys(json.loads(body)) & {"id", "client", "client_id", "clients", "bsn"}
    assert not AccessLog.objects.exists()


# --- Cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("clients", [5, 12])  # not small cells: the value is shown
def test_one_indicator_costs_its_own_queries_only(
    api_client, registry, policy_officer, team_a, clients, django_assert_num_queries
):
    on_benefit_from(team_a, LONG_AGO, count=clients, group="groeien")
    api = as_user(api_client, policy_officer)
    # The chosen team and group (the filters); test_on_benefit once.
    with django_assert_num_queries(2 + 1):
        response = get(api, "test_on_benefit", team=team_a.pk, group="groeien")
    assert response.json()["figure"]["value"] == clients
    # Only the indicator asked for, only for its period.
    assert [(code, period) for code, period, _scope in CALLS] == [
        ("test_on_benefit", last_closed_quarter())
    ]


def test_closed_quarters_come_from_the_dashboard_s_cache(
    api_client, registry, policy_officer, team_a, django_assert_num_queries
):
    on_benefit_from(team_a, LONG_AGO, count=6)
    api = as_user(api_client, policy_officer)
    assert get(api, "test_on_benefit").json()["figure"]["value"] == 6
    on_benefit_from(team_a, LONG_AGO, count=1)  # a correction recorded later
    with django_assert_num_queries(0):
        assert get(api, "test_on_benefit").json()["figure"]["value"] == 6
    # The dashboard reads the same cache.
    sections = dashboard_sections(user=policy_officer, scope=Scope(), today=today())
    view = next(v for s in sections for v in s.indicators if v.indicator.code == "test_on_benefit")
    assert view.current.value == 6
    # A year is not a whole quarter: computed each time.
    year = str(today().year - 1)
    assert get(api, "test_on_benefit", period=year).json()["figure"]["value"] == 7
