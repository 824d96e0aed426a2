"""Mijn werkvoorraad (workqueue:index) and the dossier's due-date section."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog, PolicySettings, Role
from clients.models import ClientGroup, ConversationKind, QueueItemKind, QueueSnapshot
from tests.casework.factories import UserFactory
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
)
from tests.clients.plan_factories import AgreementFactory, PlanFactory

pytestmark = pytest.mark.django_db

URL = reverse("workqueue:index")


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def in_caseload(consultant, *, team=None, group="groeien", benefit_days=400, group_days=400):
    """A client of `consultant` on benefit for `benefit_days`, in `group` for `group_days`: with
    the defaults, ambition, progress (a year) and inactivity (90 days) are all overdue."""
    client = ClientFactory(team=team or consultant.team)
    client.consultants.add(consultant)
    BenefitPeriodFactory(client=client, start_date=days_ago(benefit_days))
    ClientGroupAssignmentFactory(
        client=client, group=ClientGroup.objects.get(code=group), start_date=days_ago(group_days)
    )
    return client


def shown(response):
    return [(row.client_pk, row.kind.value) for row in response.context["rows"]]


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_policy_staff_and_application_managers_are_refused(
    client, policy_officer, application_manager, client_a
):
    for user in (policy_officer, application_manager):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_consultant_sees_their_own_caseload_only(client, consultant_a, team_a, team_b):
    mine = in_caseload(consultant_a)
    colleague = UserFactory(role=Role.CONSULTANT, team=team_a)
    in_caseload(colleague)
    ClientFactory(team=team_a)  # nobody's, no benefit
    client.force_login(consultant_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert {pk for pk, _kind in shown(response)} == {mine.pk}
    assert f'href="{reverse("clients:detail", args=[mine.pk])}"' in response.text
    assert mine.last_name in response.text


def test_a_client_of_another_team_in_the_caseload_is_not_shown(client, consultant_a, team_b):
    # Scope comes first: a caseload link to a client outside the team shows nothing.
    in_caseload(consultant_a, team=team_b)
    client.force_login(consultant_a)
    assert client.get(URL).context["rows"] == []


def test_items_are_sorted_oldest_due_date_first_with_kind_and_status_text(client, consultant_a):
    person = in_caseload(consultant_a, benefit_days=400, group_days=380)
    plan = PlanFactory(client=person, drawn_up_on=days_ago(10))
    AgreementFactory(plan=plan, due_date=days_ago(3), description="Cv insturen")
    AgreementFactory(plan=plan, due_date=days_ago(-5), description="Sollicitatie")
    client.force_login(consultant_a)
    response = client.get(URL)
    rows = response.context["rows"]
    assert [row.due for row in rows] == sorted(row.due for row in rows)
    assert [row.kind.value for row in rows] == ["ambition", "progress", "agreement", "agreement"]
    assert [row.is_overdue for row in rows] == [True, True, True, False]
    # The plan drawn up 10 days ago is activity: not inactive.
    assert "inactive" not in [row.kind.value for row in rows]
    assert "Cv insturen" in response.text
    assert 'class="overdue"' in response.text and 'class="due-soon"' in response.text
    summary = {count.kind: count for count in response.context["counts"].kinds}
    assert summary[QueueItemKind.AGREEMENT].overdue == 1
    assert summary[QueueItemKind.AGREEMENT].due_soon == 1


def test_nothing_due_after_the_conversations_are_held(client, consultant_a):
    person = in_caseload(consultant_a, group="groeien")
    for kind in (ConversationKind.AMBITION, ConversationKind.PROGRESS):
        ConversationFactory(
            client=person, kind=kind, held_on=days_ago(1), completed=True, consultant=consultant_a
        )
    client.force_login(consultant_a)
    response = client.get(URL)
    assert response.context["rows"] == []
    assert response.context["counts"].total == 0


def test_every_client_shown_is_written_to_the_access_log_once(client, consultant_a):
    people = [in_caseload(consultant_a) for _ in range(3)]
    client.force_login(consultant_a)
    client.get(URL)
    logged = list(AccessLog.objects.values_list("client_id", "view", "user"))
    assert sorted(logged) == sorted((p.pk, "workqueue:index", consultant_a.pk) for p in people)


def test_the_queue_is_paged(client, consultant_a):
    for _ in range(10):  # three items each: ambition, progress, inactive
        in_caseload(consultant_a)
    client.force_login(consultant_a)
    first = client.get(URL)
    assert first.context["page"].paginator.count == 30
    assert len(first.context["rows"]) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 5
    # Each page logs the clients it shows, each once.
    on_second_page = {row.client_pk for row in second.context["rows"]}
    assert AccessLog.objects.count() == 10 + len(on_second_page)


def test_a_consultant_cannot_open_a_colleague_s_queue(client, consultant_a, team_a):
    colleague = UserFactory(role=Role.CONSULTANT, team=team_a)
    theirs = in_caseload(colleague)
    mine = in_caseload(consultant_a)
    client.force_login(consultant_a)
    response = client.get(URL, {"consultant": colleague.pk})
    assert {pk for pk, _kind in shown(response)} == {mine.pk}
    assert f'data-client="{theirs.pk}"' not in response.text


def test_a_team_leader_sees_the_team_per_consultant_then_opens_one(
    client, manager_a, consultant_a, team_a, django_assert_num_queries
):
    person = in_caseload(consultant_a)
    newcomer = UserFactory(role=Role.CONSULTANT, team=team_a)  # not recorded yet
    yesterday, before = days_ago(1), days_ago(2)
    QueueSnapshot.objects.bulk_create(
        [
            QueueSnapshot(
                day=yesterday, consultant=consultant_a, kind="progress", overdue=3, due_soon=1
            ),
            QueueSnapshot(
                day=yesterday, consultant=consultant_a, kind="ambition", overdue=2, due_soon=0
            ),
            # An older day does not count.
            QueueSnapshot(
                day=before, consultant=consultant_a, kind="ambition", overdue=9, due_soon=9
            ),
        ]
    )
    client.force_login(manager_a)
    # session, user (with the team and unread notifications of the layout: casework.backends),
    # the consultants with their recorded totals
    with django_assert_num_queries(3):
        overview = client.get(URL)
    assert overview.status_code == 200
    rows = {c.pk: (c.recorded_on, c.overdue, c.due_soon) for c in overview.context["consultants"]}
    assert rows == {consultant_a.pk: (yesterday, 5, 1), newcomer.pk: (yesterday, None, None)}
    assert f'href="?consultant={consultant_a.pk}"' in overview.text
    assert overview.text.count("<h1") == 1
    assert not AccessLog.objects.exists()  # no client was shown

    opened = client.get(URL, {"consultant": consultant_a.pk})
    assert {pk for pk, _kind in shown(opened)} == {person.pk}
    assert AccessLog.objects.filter(user=manager_a, client_id=person.pk).count() == 1


def test_a_team_leader_cannot_open_the_queue_of_another_team(client, manager_a, consultant_b):
    in_caseload(consultant_b)
    client.force_login(manager_a)
    for chosen in (consultant_b.pk, "nonsense"):
        response = client.get(URL, {"consultant": chosen})
        assert response.status_code == 200
        assert "rows" not in response.context
        assert consultant_b.pk not in [c.pk for c in response.context["consultants"]]
    assert not AccessLog.objects.exists()


def test_the_page_has_one_h1_and_tables_with_headers(client, consultant_a):
    in_caseload(consultant_a)
    client.force_login(consultant_a)
    text = client.get(URL).text
    assert text.count("<h1") == 1
    assert 'id="queue-items"' in text and '<th scope="col">' in text and '<th scope="row">' in text


# --- The dossier's section ----------------------------------------------------------------------


def render_due(person):
    return Template("{% load workqueue_tags %}{% dossier_due client %}").render(
        Context({"client": person})
    )


def test_the_dossier_shows_the_next_due_date_per_kind_and_says_when_it_is_overdue(
    consultant_a, django_assert_num_queries
):
    person = in_caseload(consultant_a, group="faciliteren", group_days=200)
    PolicySettings.load()
    with django_assert_num_queries(2):  # the policy settings and the due dates
        html = render_due(person)
    rows = {part.split('"')[0]: part.split("</tr>")[0] for part in html.split('data-kind="')[1:]}
    assert set(rows) == {"ambition", "progress", "legality_review"}
    # Overdue is said in words (bold), not by colour alone: progress is six-monthly in
    # Faciliteren, the legality review two-yearly.
    assert "<strong>" in rows["ambition"] and "<strong>" in rows["progress"]
    assert "<strong>" not in rows["legality_review"]
    assert f'datetime="{days_ago(200).replace(year=days_ago(200).year + 2)}"' in html
    assert 'id="dossier-signals"' in html  # no activity for more than 90 days


def test_the_dossier_of_a_client_without_benefit_says_nothing_is_due(client_a):
    html = render_due(client_a)
    assert 'id="dossier-due"' in html
    assert "<table" not in html


def test_the_dossier_page_renders_the_section(client, consultant_a):
    person = in_caseload(consultant_a)
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[person.pk]))
    assert 'id="dossier-due"' in response.text
