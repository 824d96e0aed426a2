"""casework.pagination.WindowCountPaginator: Django's pages, with the count read in the page's
query."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext

from casework.models import Team
from casework.pagination import WindowCountPaginator

pytestmark = pytest.mark.django_db

PER_PAGE = 10


def teams(count):
    Team.objects.bulk_create(Team(name=f"Team {i:03}") for i in range(count))
    return Team.objects.order_by("name").values("pk", "name")


def described(page):
    paginator = page.paginator
    return (
        page.number,
        list(page),
        paginator.count,
        paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
    )


@pytest.mark.parametrize("count", [0, 1, 10, 11, 35])
def test_it_gives_the_pages_djangos_paginator_gives(count):
    rows = teams(count)
    for number in (1, 2, 3, 4, "2", None, "x", "1.5", 0, -1, 99, 10**6 + 1, "9" * 20):
        expected = described(Paginator(rows, PER_PAGE).get_page(number))
        assert described(WindowCountPaginator(rows, PER_PAGE).get_page(number)) == expected


def queries(rows, number):
    with CaptureQueriesContext(connection) as captured:
        list(WindowCountPaginator(rows, PER_PAGE).get_page(number))
    return len(captured)


def test_a_page_and_the_count_are_one_query():
    rows = teams(35)
    assert [queries(rows, number) for number in (1, 2, 4)] == [1, 1, 1]
    assert queries(teams(0), 1) == 1  # no rows: none to count
    # Past the end there is no row to carry the count: Django's count, then the last page.
    assert queries(rows, 9) == 3


def test_a_distinct_list_is_counted_after_distinct():
    teams(12)  # Team 000 ... Team 011: two tens, "Team 00" and "Team 01"
    tens = Team.objects.values(ten=Substr("name", 1, 7)).distinct().order_by("ten")
    page = WindowCountPaginator(tens, PER_PAGE).get_page(1)
    assert page.paginator.count == 2
    assert list(page) == [{"ten": "Team 00"}, {"ten": "Team 01"}]
