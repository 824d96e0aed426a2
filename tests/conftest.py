"""Named users for every permission test (healthchecks' habit): a consultant and a team leader
of team A, a consultant of team B, a policy officer and an application manager."""

import os

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from casework.models import Role
from tests.casework.factories import TeamFactory, UserFactory
from tests.clients.factories import ClientFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what an earlier test left there (the reference lists,
    the dashboard's figures) would outlive the rows it was read from."""
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def team_a():
    return TeamFactory(name="Team A")


@pytest.fixture
def team_b():
    return TeamFactory(name="Team B")


@pytest.fixture
def consultant_a(team_a):
    return UserFactory(username="consultant_a", role=Role.CONSULTANT, team=team_a)


@pytest.fixture
def consultant_b(team_b):
    return UserFactory(username="consultant_b", role=Role.CONSULTANT, team=team_b)


@pytest.fixture
def manager_a(team_a):
    return UserFactory(username="manager_a", role=Role.MANAGER, team=team_a)


@pytest.fixture
def policy_officer():
    return UserFactory(username="policy", role=Role.POLICY, team=None)


@pytest.fixture
def application_manager():
    return UserFactory(username="admin", role=Role.ADMIN, team=None, is_staff=True)


@pytest.fixture
def client_a(team_a, consultant_a):
    client = ClientFactory(team=team_a, first_name="Anna", last_name="Jansen")
    client.consultants.add(consultant_a)
    return client


def pytest_collection_modifyitems(config, items):
    """Tests marked `redis` need the real Redis that CI starts (CASEWORK_TEST_REDIS_URL);
    elsewhere they are deselected, and the run says so."""
    if os.environ.get("CASEWORK_TEST_REDIS_URL"):
        return
    selected = [item for item in items if item.get_closest_marker("redis") is None]
    deselected = [item for item in items if item.get_closest_marker("redis") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
