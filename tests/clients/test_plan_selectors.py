"""The plan rule: who needs a plan, and when a plan is outdated (clients.plans.selectors)."""

import datetime

import pytest

from casework.models import PolicySettings
from clients.models import Client, ClientGroup
from clients.plans import selectors
from tests.clients.factories import ClientFactory, ClientGroupAssignmentFactory
from tests.clients.plan_factories import PlanFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 6, 15)


def status_of(client, on=ON):
    return selectors.with_plan_status(Client.objects.filter(pk=client.pk), on=on).get()


def born(years_before, days=0, on=ON):
    return on.replace(year=on.year - years_before) + datetime.timedelta(days=days)


def grown_up(**kwargs):
    """A client well past the age limit, in a klantgroep that needs no plan."""
    client = ClientFactory(date_of_birth=born(40), **kwargs)
    ClientGroupAssignmentFactory(
        client=client, group=ClientGroup.objects.get(code="faciliteren"), start_date=ON
    )
    return client


@pytest.mark.parametrize(
    ("date_of_birth", "required"),
    [
        (born(27), True),  # 27 today
        (born(28, days=1), True),  # turns 28 tomorrow
        (born(28), False),  # turns 28 today
        (born(18), True),
        (born(45), False),
    ],
)
def test_a_plan_is_required_up_to_the_age_in_the_policy(date_of_birth, required):
    client = ClientFactory(date_of_birth=date_of_birth)
    assert status_of(client).plan_required_by_age is required
    assert status_of(client).plan_required is required


@pytest.mark.parametrize(
    ("date_of_birth", "on"),
    [
        (datetime.date(1996, 2, 29), datetime.date(2024, 2, 28)),
        (datetime.date(1996, 2, 29), datetime.date(2024, 2, 29)),
        (datetime.date(1996, 2, 29), datetime.date(2023, 2, 28)),
        (datetime.date(1996, 2, 29), datetime.date(2023, 3, 1)),
        (datetime.date(1997, 3, 1), datetime.date(2024, 2, 29)),
        (datetime.date(1995, 12, 31), datetime.date(2023, 12, 31)),
        (datetime.date(1996, 1, 1), datetime.date(2023, 12, 31)),
    ],
)
def test_the_age_rule_in_sql_agrees_with_client_age_on(date_of_birth, on):
    client = ClientFactory(date_of_birth=date_of_birth)
    expected = client.age_on(on) <= PolicySettings.load().plan_required_up_to_age
    assert status_of(client, on=on).plan_required_by_age is expected


def test_the_age_limit_is_policy_data():
    policy = PolicySettings.load()
    policy.plan_required_up_to_age = 30
    policy.save()
    assert status_of(ClientFactory(date_of_birth=born(30))).plan_required is True
    assert status_of(ClientFactory(date_of_birth=born(31))).plan_required is False


@pytest.mark.parametrize(
    ("group", "required"),
    [("matchen", True), ("groeien", True), ("faciliteren", False), ("zorgen", False)],
)
def test_a_plan_is_required_by_the_current_client_group(group, required):
    client = ClientFactory(date_of_birth=born(40))
    ClientGroupAssignmentFactory(client=client, group=ClientGroup.objects.get(code=group))
    status = status_of(client)
    assert (status.plan_required_by_group, status.plan_required_by_age) == (required, False)
    assert status.plan_required is required


def test_only_the_current_client_group_counts():
    client = grown_up()
    ClientGroupAssignmentFactory(
        client=client,
        group=ClientGroup.objects.get(code="groeien"),
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    assert status_of(client).plan_required is False


def test_a_group_stops_requiring_a_plan_when_the_policy_changes():
    client = ClientFactory(date_of_birth=born(40))
    ClientGroupAssignmentFactory(client=client)  # groeien
    ClientGroup.objects.filter(code="groeien").update(requires_plan=False)
    assert status_of(client).plan_required is False


def test_a_required_plan_that_does_not_exist_is_missing():
    status = status_of(ClientFactory(date_of_birth=born(20)))
    assert (status.plan_missing, status.plan_expired, status.plan_drawn_up_on) == (
        True,
        False,
        None,
    )


def test_a_plan_that_is_not_required_is_never_missing_or_expired():
    client = grown_up()
    assert (status_of(client).plan_missing, status_of(client).plan_expired) == (False, False)
    PlanFactory(client=client, drawn_up_on=datetime.date(2020, 1, 1))
    status = status_of(client)
    assert (status.plan_missing, status.plan_expired, status.plan_is_outdated) == (
        False,
        False,
        True,
    )


@pytest.mark.parametrize(
    ("drawn_up_on", "expired"),
    [
        (datetime.date(2024, 6, 15), False),  # exactly 12 months: not older than 12 months
        (datetime.date(2024, 6, 14), True),  # one day more
        (datetime.date(2025, 6, 15), False),
        (datetime.date(2022, 1, 1), True),
    ],
)
def test_a_plan_older_than_the_valid_months_is_expired(drawn_up_on, expired):
    client = ClientFactory(date_of_birth=born(20))
    PlanFactory(client=client, drawn_up_on=drawn_up_on)
    status = status_of(client)
    assert (status.plan_expired, status.plan_is_outdated, status.plan_missing) == (
        expired,
        expired,
        False,
    )


def test_the_validity_is_policy_data():
    policy = PolicySettings.load()
    policy.plan_valid_months = 6
    policy.save()
    client = ClientFactory(date_of_birth=born(20))
    PlanFactory(client=client, drawn_up_on=datetime.date(2024, 12, 14))
    assert status_of(client).plan_expired is True


def test_the_newest_plan_decides():
    client = ClientFactory(date_of_birth=born(20))
    PlanFactory(client=client, drawn_up_on=datetime.date(2021, 1, 1))
    PlanFactory(client=client, drawn_up_on=datetime.date(2025, 1, 1))
    status = status_of(client)
    assert status.plan_drawn_up_on == datetime.date(2025, 1, 1)
    assert status.plan_expired is False


def test_without_current_plan_lists_missing_and_expired_plans_in_one_query(
    django_assert_num_queries,
):
    missing = ClientFactory(date_of_birth=born(20))
    expired = ClientFactory(date_of_birth=born(20))
    PlanFactory(client=expired, drawn_up_on=datetime.date(2023, 1, 1))
    current = ClientFactory(date_of_birth=born(20))
    PlanFactory(client=current, drawn_up_on=datetime.date(2025, 1, 1))
    grown_up()
    policy = PolicySettings.load()
    with django_assert_num_queries(1):
        found = set(
            selectors.without_current_plan(Client.objects.all(), on=ON, policy=policy).values_list(
                "pk", flat=True
            )
        )
    assert found == {missing.pk, expired.pk}


def test_plan_status_of_one_client():
    client = ClientFactory(date_of_birth=born(20))
    ClientGroupAssignmentFactory(client=client)
    status = selectors.plan_status(client, on=ON)
    assert (status.required_by_age, status.required_by_group, status.missing) == (
        True,
        True,
        True,
    )
    assert (status.required_up_to_age, status.valid_months) == (27, 12)
