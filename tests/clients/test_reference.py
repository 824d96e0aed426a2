"""The caseload filter's reference lists kept in the cache (clients.reference): read once, and
dropped as soon as a klantgroep, a ladder step or a user changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Role
from clients import reference
from clients.models import ClientGroup, LadderStep
from tests.casework.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

WHOLE_TEAM = {"consultant": ""}


def options(client, name):
    """The options of the caseload filter's select `name`, as (value, label) pairs."""
    html = client.get(reverse("clients:list"), WHOLE_TEAM).text
    select = html[html.index(f'<select name="{name}"') :].split("</select>")[0]
    return [
        (part.split('"')[1], part.split(">", 1)[1].split("</option")[0])
        for part in select.split("<option value=")[1:]
    ]


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("clients:list"), WHOLE_TEAM).status_code == 200
    return [query["sql"] for query in queries]


def test_the_lists_are_read_once(client, consultant_a):
    client.force_login(consultant_a)
    first, second = list_queries(client), list_queries(client)
    # The klantgroepen, the ladder steps and the team's consultants: once. (The list's own query
    # reads the first two too, for its rows' current klantgroep and step; this team has none.)
    assert len(second) == len(first) - 3
    for table in ("clients_clientgroup", "clients_ladderstep"):
        assert any(f'FROM "{table}"' in sql for sql in first)
        assert not any(f'FROM "{table}"' in sql for sql in second)


def test_a_changed_klantgroep_is_offered_at_once(client, consultant_a):
    client.force_login(consultant_a)
    matchen = ClientGroup.objects.get(code="matchen")
    assert (str(matchen.pk), matchen.name) in options(client, "group")
    matchen.name = "Matchen op werk"
    matchen.save()
    assert (str(matchen.pk), "Matchen op werk") in options(client, "group")
    matchen.is_active = False
    matchen.save()
    assert str(matchen.pk) not in dict(options(client, "group"))
    # Nor is it accepted any more.
    response = client.get(reverse("clients:list"), {**WHOLE_TEAM, "group": matchen.pk})
    assert response.context["filter_form"].errors["group"]


def test_a_changed_ladder_step_is_offered_at_once(client, consultant_a):
    client.force_login(consultant_a)
    step = LadderStep.objects.get(number=3)
    options(client, "step")
    step.name = "Deelname aan georganiseerde activiteiten"
    step.save()
    assert ("3", "3. Deelname aan georganiseerde activiteiten") in options(client, "step")


def test_the_consultants_follow_the_team(client, consultant_a, team_a):
    client.force_login(consultant_a)
    assert str(consultant_a.pk) in dict(options(client, "consultant"))
    newcomer = UserFactory(role=Role.CONSULTANT, team=team_a, first_name="Nieuw", last_name="Lid")
    assert (str(newcomer.pk), "Nieuw Lid") in options(client, "consultant")
    newcomer.team = TeamFactory()
    newcomer.save()
    assert str(newcomer.pk) not in dict(options(client, "consultant"))
    newcomer.team = team_a
    newcomer.save()
    assert str(newcomer.pk) in dict(options(client, "consultant"))
    newcomer.delete()
    assert str(newcomer.pk) not in dict(options(client, "consultant"))


def test_a_change_drops_the_lists_again_when_it_commits(
    client, consultant_a, django_capture_on_commit_callbacks
):
    """A page that read the klantgroepen between the change and its commit put the old ones
    back in the cache: the commit drops them again."""
    client.force_login(consultant_a)
    matchen = ClientGroup.objects.get(code="matchen")
    with django_capture_on_commit_callbacks(execute=True):
        matchen.name = "Matchen op werk"
        matchen.save()
        cache.set(reference.ACTIVE_GROUPS, [ClientGroup.objects.get(code="groeien")])
    assert (str(matchen.pk), "Matchen op werk") in options(client, "group")


def test_a_log_in_leaves_the_consultants_be(client, consultant_a):
    """A log-in saves the user's last_login only: no list shows it."""
    client.force_login(consultant_a)
    first = list_queries(client)
    consultant_a.save(update_fields=["last_login"])
    assert len(list_queries(client)) == len(first) - 3
    consultant_a.first_name = "Anders"
    consultant_a.save(update_fields=["first_name"])
    assert len(list_queries(client)) == len(first) - 2  # the consultants read again
