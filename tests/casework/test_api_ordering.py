"""casework.api.ordering.OrderingFilter: a list sorted on a field many rows share still has one
order, so its pages neither repeat nor skip a row."""

import datetime

import pytest

from instruments.models import Placement
from tests.api import as_user, ids
from tests.clients.factories import ClientFactory
from tests.instruments.factories import PlacementFactory

pytestmark = pytest.mark.django_db

PLACEMENTS = "/api/v1/placements/"


def all_pages(api, ordering):
    rows, page = [], 1
    while page:
        response = api.get(PLACEMENTS, {"ordering": ordering, "page_size": 7, "page": page})
        rows += ids(response)
        page = page + 1 if response.json()["next"] else None
    return rows


def test_rows_equal_on_the_sort_field_follow_their_id_across_the_pages(
    api_client, consultant_a, team_a
):
    same_day = datetime.date(2025, 3, 3)
    # Written in descending id order, so the rows lie on disk (and in any index) the other way.
    placements = [
        PlacementFactory(pk=10**6 - n, client=ClientFactory(team=team_a), start_date=same_day)
        for n in range(30)
    ]
    by_id = sorted(placement.pk for placement in placements)
    api = as_user(api_client, consultant_a)
    assert all_pages(api, "start_date") == by_id
    assert all_pages(api, "-start_date") == by_id[::-1]
    # A second field equal on every row too: the id still decides.
    Placement.objects.update(hours_per_week=20)
    assert all_pages(api, "-start_date,hours_per_week") == by_id[::-1]
    # The views' own orderings, which end with the id, are left as they are.
    assert all_pages(api, "") == by_id[::-1]
