import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from casework.models import AccessLog
from instruments import services
from instruments.models import Instrument, RuleKind, Trajectory, TrajectoryStatus
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import ClientFactory
from tests.instruments.factories import BudgetFactory, InstrumentFactory

pytestmark = pytest.mark.django_db

YEAR = datetime.date.today().year


def start(client, consultant, instrument=None, **kwargs):
    return services.start_trajectory(
        client=client,
        instrument=instrument or InstrumentFactory(),
        start_date=datetime.date(YEAR, 1, 10),
        planned_end_date=datetime.date(YEAR, 6, 10),
        started_by=consultant,
        **kwargs,
    )


# The budget page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("policy_officer", 200),
        ("manager_a", 200),
        ("application_manager", 200),
        ("consultant_a", 403),
    ],
)
def test_who_sees_the_budget_page(client, request, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("instruments:budget", args=[YEAR])).status_code == status


def test_policy_staff_see_totals_but_no_client_names(
    client, policy_officer, consultant_a, client_a
):
    start(client_a, consultant_a, cost=Decimal("1234.56"))
    client.force_login(policy_officer)
    response = client.get(reverse("instruments:budget", args=[YEAR]))
    content = response.content.decode()
    assert response.context["overview"].total.committed >= Decimal("1234.56")
    # The full name: a generated user (the policy officer in the header) may be called Jansen too.
    assert f"{client_a.first_name} {client_a.last_name}" not in content
    assert client_a.bsn not in content
    assert content.count("<h1") == 1
    assert not AccessLog.objects.exists()


def test_an_overspending_line_is_marked_in_text_not_colour_alone(
    client, manager_a, consultant_a, client_a
):
    start(client_a, consultant_a, cost=Decimal("1000000000.00"))
    client.force_login(manager_a)
    content = client.get(reverse("instruments:budget", args=[YEAR])).content.decode()
    row = content[content.index('<tr class="overspending">') :]
    row = row[: row.index("</tr>")]
    assert '<td data-column="signal"><strong>' in row


def test_the_current_budget_redirects_to_this_year(client, manager_a):
    client.force_login(manager_a)
    response = client.get(reverse("instruments:budget-current"))
    assert response.url == reverse("instruments:budget", args=[YEAR])


# Starting and ending a traject ----------------------------------------------------------------


def form_data(instrument, **extra):
    return {
        "instrument": instrument.pk,
        "start_date": f"{YEAR}-02-01",
        "planned_end_date": f"{YEAR}-07-31",
        **extra,
    }


def test_a_consultant_starts_a_traject_with_the_catalogue_cost(client, consultant_a, client_a):
    instrument = InstrumentFactory(unit_cost=Decimal("900.00"))
    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-start", args=[client_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    response = client.post(url, form_data(instrument))
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(client=client_a)
    assert trajectory.cost == Decimal("900.00")
    assert trajectory.started_by == consultant_a
    assert AccessLog.objects.filter(
        client_id=client_a.pk, view="instruments:trajectory-start"
    ).exists()


def test_a_traject_is_started_from_a_conversation(client, consultant_a, client_a):
    conversation = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    instrument = InstrumentFactory()
    client.force_login(consultant_a)
    conversation_url = reverse("conversations:detail", args=[conversation.pk])
    start_url = reverse("instruments:trajectory-start", args=[client_a.pk])
    assert f"{start_url}?gesprek={conversation.pk}" in client.get(conversation_url).content.decode()
    page = client.get(start_url, {"gesprek": conversation.pk})
    assert page.context["form"]["conversation"].value() == str(conversation.pk)
    response = client.post(start_url, form_data(instrument, conversation=conversation.pk))
    assert response.status_code == 302
    assert response.url == conversation_url
    trajectory = Trajectory.objects.get(client=client_a)
    assert trajectory.conversation == conversation
    page = client.get(conversation_url).content.decode()
    assert f'id="trajectory-{trajectory.pk}"' in page


def test_a_conversation_of_another_client_cannot_be_chosen(client, consultant_a, client_a, team_a):
    other = ConversationFactory(client=ClientFactory(team=team_a), completed=True)
    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-start", args=[client_a.pk])
    response = client.post(url, form_data(InstrumentFactory(), conversation=other.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["conversation"]
    assert not Trajectory.objects.exists()


def test_the_service_refuses_a_conversation_of_another_client(consultant_a, client_a):
    other = ConversationFactory(completed=True)
    with pytest.raises(ValidationError):
        services.start_trajectory(
            client=client_a,
            instrument=InstrumentFactory(),
            start_date=datetime.date(YEAR, 2, 1),
            planned_end_date=datetime.date(YEAR, 3, 31),
            started_by=consultant_a,
            conversation=other,
        )


def test_a_failed_rule_is_a_warning_that_needs_confirmation_and_reason(
    client, consultant_a, client_a
):
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-start", args=[client_a.pk])
    response = client.post(url, form_data(lks))
    assert response.status_code == 200
    assert 'id="eligibility-warnings"' in response.content.decode()
    assert response.context["form"].errors["override_reason"]
    # A reason without the confirmation is not enough either.
    response = client.post(url, form_data(lks, override_reason="Meting volgt"))
    assert response.status_code == 200
    assert not Trajectory.objects.exists()

    response = client.post(
        url, form_data(lks, confirm_override="on", override_reason="Meting volgt")
    )
    assert response.status_code == 302
    trajectory = Trajectory.objects.get()
    assert trajectory.override_reason == "Meting volgt"
    assert trajectory.overridden_rules


def test_a_consultant_ends_a_traject_early(client, consultant_a, client_a):
    trajectory = start(client_a, consultant_a, cost=Decimal("600.00"))
    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-end", args=[client_a.pk, trajectory.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    assert AccessLog.objects.filter(
        client_id=client_a.pk, view="instruments:trajectory-end"
    ).exists()
    response = client.post(url, {"status": "ended_early", "end_date": f"{YEAR}-01-20"})
    assert response.status_code == 200  # a reason is required
    response = client.post(
        url, {"status": "ended_early", "end_date": f"{YEAR}-01-20", "early_end_reason": "illness"}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ENDED_EARLY
    assert [c.amount for c in trajectory.commitments.all()] == [Decimal("100.00")]
    # An ended traject cannot be ended again.
    assert client.get(url).status_code == 404


def test_team_leaders_read_but_do_not_write(client, manager_a, client_a, consultant_a):
    trajectory = start(client_a, consultant_a)
    client.force_login(manager_a)
    assert (
        client.get(reverse("instruments:trajectory-start", args=[client_a.pk])).status_code == 403
    )
    assert (
        client.get(
            reverse("instruments:trajectory-end", args=[client_a.pk, trajectory.pk])
        ).status_code
        == 403
    )


def test_another_team_gets_404_and_policy_staff_403(
    client, consultant_b, policy_officer, client_a, consultant_a
):
    trajectory = start(client_a, consultant_a)
    urls = [
        reverse("instruments:trajectory-start", args=[client_a.pk]),
        reverse("instruments:trajectory-end", args=[client_a.pk, trajectory.pk]),
    ]
    client.force_login(consultant_b)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(policy_officer)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert not AccessLog.objects.exists()


def test_a_traject_of_another_client_is_404(client, consultant_a, client_a, team_a):
    other = ClientFactory(team=team_a)
    trajectory = start(other, consultant_a)
    client.force_login(consultant_a)
    url = reverse("instruments:trajectory-end", args=[client_a.pk, trajectory.pk])
    assert client.get(url).status_code == 404


# The dossier partial ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [0, 1, 6])
def test_the_dossier_partial_uses_one_query(
    rf, consultant_a, client_a, django_assert_num_queries, rows
):
    instrument = InstrumentFactory()
    for _ in range(rows):
        start(client_a, consultant_a, instrument)
    template = Template("{% load trajectory_tags %}{% dossier_trajectories client %}")
    request = rf.get("/")
    request.user = consultant_a
    with django_assert_num_queries(1):
        html = template.render(Context({"client": client_a, "request": request}))
    assert html.count('id="trajectory-') == rows


def test_the_catalogue_defaults_hold_the_named_rules():
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    assert {
        (rule.kind, rule.required_instrument.name)
        for rule in lks.eligibility_rules.select_related("required_instrument")
    } == {
        (RuleKind.REQUIRES_INSTRUMENT, "Loonwaardemeting"),
        (RuleKind.NOT_TOGETHER_WITH, "Plaatsingssubsidie"),
    }
    premie = Instrument.objects.get(name="Uitstroompremie")
    assert premie.unit_cost == Decimal("750.00")
    assert premie.eligibility_rules.get().number == 12
    assert Instrument.objects.get(name="Detachering via SW-bedrijf").unit_cost == Decimal("250.00")
    BudgetFactory(year=1999)  # a factory budget does not clash with the defaults
