import pytest
from django.urls import reverse

from clients.models import ClientGroup
from tests.clients.factories import BenefitPeriodFactory, ClientGroupAssignmentFactory

pytestmark = pytest.mark.django_db


def on_benefit_in(group_code, team, count):
    group = ClientGroup.objects.get(code=group_code)
    for _ in range(count):
        assignment = ClientGroupAssignmentFactory(group=group, client__team=team)
        BenefitPeriodFactory(client=assignment.client)


def counts(response):
    return {cell.label: cell.count for cell in response.context["cells"]}


def test_policy_staff_see_municipal_aggregates_with_small_cells_hidden(
    client, policy_officer, team_a, team_b
):
    on_benefit_in("groeien", team_a, 4)
    on_benefit_in("groeien", team_b, 3)
    on_benefit_in("zorgen", team_b, 2)
    client.force_login(policy_officer)
    response = client.get(reverse("home"))
    assert counts(response) == {"Matchen": 0, "Groeien": 7, "Faciliteren": 0, "Zorgen": 2}
    table = response.text.split("<tbody>")[1]
    assert '<td class="number">7</td>' in table
    assert "&lt; 5" in table  # Zorgen: 2 people, suppressed
    assert ">2<" not in table


def test_a_team_leader_sees_their_own_team(client, manager_a, team_a, team_b):
    on_benefit_in("matchen", team_a, 6)
    on_benefit_in("matchen", team_b, 5)
    client.force_login(manager_a)
    assert counts(client.get(reverse("home")))["Matchen"] == 6


def test_clients_off_benefit_are_not_counted(client, policy_officer, team_a):
    on_benefit_in("matchen", team_a, 5)
    assignment = ClientGroupAssignmentFactory(
        group=ClientGroup.objects.get(code="matchen"), client__team=team_a
    )
    BenefitPeriodFactory(client=assignment.client, end_date="2023-01-01", end_reason="work")
    client.force_login(policy_officer)
    assert counts(client.get(reverse("home")))["Matchen"] == 5
