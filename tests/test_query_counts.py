"""The key pages and API lists of bench/pages.py make a fixed number of queries, whatever the
data: each is rendered over a small and over a larger population (more clients, each with more
history: benefit periods, klantgroepen, ladder measurements, conversations, plans, trajecten with
their monthly commitments), as the user who works with it, and must make exactly as many.

The dashboard's own count, with the test indicators, is asserted in
tests/monitoring/test_dashboard.py (test_the_number_of_queries_does_not_depend_on_the_data);
here it is rendered with the real indicators, whose queries are the monitoring's, and must make
as many queries over the larger population as over the small one.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import PolicySettings
from clients.models import ClientGroup, ConversationKind
from instruments import services
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.plan_factories import AgreementFactory, PlanFactory
from tests.instruments.factories import BudgetFactory, InstrumentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SURNAME = "Jansen"
# (clients, history items of each kind per client)
SMALL, LARGE = (1, 1), (4, 2)


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def populate(team, consultant, size):
    """`clients` clients of `consultant` called Jansen, each with `items` of every kind of
    history; the first is the one whose dossier is opened. Returns the first."""
    clients, items = size
    groups = list(ClientGroup.objects.order_by("pk"))
    instrument = InstrumentFactory()
    BudgetFactory(line=instrument.budget_line, year=TODAY.year)
    people = []
    for i in range(clients):
        person = ClientFactory(team=team, last_name=SURNAME)
        person.consultants.add(consultant)
        BenefitPeriodFactory(client=person, start_date=days_ago(400 + 30 * items))
        for j in range(items):
            ClientGroupAssignmentFactory(
                client=person,
                group=groups[(i + j) % len(groups)],
                start_date=days_ago(400 - 10 * j),
                end_date=None if j == items - 1 else days_ago(400 - 10 * j - 5),
            )
            LadderMeasurementFactory(client=person, measured_on=days_ago(300 - j))
            ConversationFactory(
                client=person,
                consultant=consultant,
                kind=ConversationKind.PROGRESS,
                held_on=days_ago(200 - j),
                completed=True,
            )
            plan = PlanFactory(client=person, drawn_up_on=days_ago(200 - j))
            AgreementFactory(plan=plan, due_date=days_ago(5))
            services.start_trajectory(
                client=person,
                instrument=instrument,
                start_date=days_ago(100 + j),
                planned_end_date=days_ago(100 + j) + datetime.timedelta(days=180),
                started_by=consultant,
                override_reason="Test",
            )
        people.append(person)
    return people[0]


def list_url(person):
    # The whole team (the consultant filter left empty) with the name searched for.
    return f"{reverse('clients:list')}?consultant="


PAGES = {
    # page: (user, URL of the page given the client whose dossier is opened, queries)
    # session, user (with the team and unread notifications of the layout: casework.backends);
    # the page with its count (a searched list: casework.pagination), access-log insert. The
    # filter's choices (group, step, consultant) and the consultant's validation come from the
    # cache (clients.reference) the first view filled.
    "caseload list": ("consultant_a", list_url, 4),
    # ... and the same on the consultant's own caseload (the default)
    "own caseload": ("consultant_a", lambda person: reverse("clients:list"), 4),
    # session, user (with the team and unread notifications of the layout), the client with its
    # five prefetched histories, access-log insert, the policy settings (loaded once
    # by the view for the sections); the sections: due dates, plans (plans, agreements, plan
    # requirement), conversations (conversations, domain scores), trajecten, work (work
    # profile, placements), meetings (invitations, meetings)
    "client dossier": (
        "consultant_a",
        lambda person: reverse("clients:detail", args=[person.pk]),
        21,
    ),
    # session, user (with the team and unread notifications of the layout), policy settings,
    # the counts, the page of items, the access-log insert
    "work queue": ("consultant_a", lambda person: reverse("workqueue:index"), 6),
    # session, user (with the team and unread notifications of the layout); the overview's
    # seven: sums per line, lines, sums per klantgroep, allocations per klantgroep,
    # klantgroepen, totals, allocations
    "budget page": (
        "manager_a",
        lambda person: reverse("instruments:budget", args=[TODAY.year]),
        9,
    ),
    # session, user, count, page, consultants (prefetch), access-log insert (session auth)
    "api clients": ("consultant_a", lambda person: reverse("api:clients-list"), 6),
}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("page_name", list(PAGES))
def test_each_page_makes_as_many_queries_whatever_the_data(
    client, request, team_a, consultant_a, django_assert_num_queries, page_name, size
):
    person = populate(team_a, consultant_a, size)
    username, url, queries = PAGES[page_name]
    client.force_login(request.getfixturevalue(username))
    client.post(reverse("clients:list"), {"q": SURNAME})  # the search term, in the session
    PolicySettings.load()
    client.get(url(person))  # per process: content types, the policy settings
    with django_assert_num_queries(queries):
        response = client.get(url(person))
    assert response.status_code == 200


def count_queries(client, url):
    cache.clear()  # the dashboard keeps figures for a while
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_makes_as_many_queries_whatever_the_data(
    client, team_a, consultant_a, manager_a, django_assert_num_queries
):
    populate(team_a, consultant_a, SMALL)
    client.force_login(manager_a)
    url = reverse("dashboard")
    client.get(url)
    small = count_queries(client, url)
    populate(team_a, consultant_a, LARGE)
    cache.clear()
    with django_assert_num_queries(small):
        client.get(url)
