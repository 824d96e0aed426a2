import datetime

import pytest
from django.core.exceptions import ValidationError

from clients.models import ClientGroup
from instruments import eligibility, services
from instruments.models import Instrument, RuleKind, TrajectoryStatus
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.instruments.factories import EligibilityRuleFactory, InstrumentFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)


def outcome(client, instrument):
    [result] = eligibility.evaluate(client=client, instrument=instrument, on=DAY)
    return result


def test_requires_instrument():
    client = ClientFactory()
    rule = EligibilityRuleFactory(
        kind=RuleKind.REQUIRES_INSTRUMENT, required_instrument=InstrumentFactory()
    )
    result = outcome(client, rule.instrument)
    assert not result.passed
    assert str(rule.required_instrument) in result.message
    # A running traject is not enough; a completed one is.
    TrajectoryFactory(client=client, instrument=rule.required_instrument)
    assert not outcome(client, rule.instrument).passed
    TrajectoryFactory(
        client=client,
        instrument=rule.required_instrument,
        status=TrajectoryStatus.SUCCEEDED,
        end_date=DAY,
    )
    assert outcome(client, rule.instrument).passed


@pytest.mark.parametrize(
    ("start", "passes"),
    [(None, False), (datetime.date(2023, 6, 1), False), (datetime.date(2023, 5, 31), True)],
)
def test_min_months_on_benefit_means_more_than(start, passes):
    client = ClientFactory()
    if start:
        BenefitPeriodFactory(client=client, start_date=start)
    rule = EligibilityRuleFactory(kind=RuleKind.MIN_MONTHS_ON_BENEFIT, number=12)
    assert outcome(client, rule.instrument).passed is passes


@pytest.mark.parametrize(
    ("kind", "step", "passes"),
    [
        (RuleKind.MIN_LADDER_STEP, None, False),
        (RuleKind.MIN_LADDER_STEP, 3, False),
        (RuleKind.MIN_LADDER_STEP, 4, True),
        (RuleKind.MAX_LADDER_STEP, 5, False),
        (RuleKind.MAX_LADDER_STEP, 4, True),
    ],
)
def test_ladder_steps(kind, step, passes):
    from clients.models import LadderStep

    client = ClientFactory()
    if step:
        LadderMeasurementFactory(client=client, step=LadderStep.objects.get(number=step))
    rule = EligibilityRuleFactory(kind=kind, number=4)
    assert outcome(client, rule.instrument).passed is passes


def test_client_group_in_uses_the_instruments_groups():
    client = ClientFactory()
    rule = EligibilityRuleFactory(kind=RuleKind.CLIENT_GROUP_IN)
    rule.instrument.client_groups.set([ClientGroup.objects.get(code="groeien")])
    assert not outcome(client, rule.instrument).passed  # no group at all
    assignment = ClientGroupAssignmentFactory(
        client=client, group=ClientGroup.objects.get(code="zorgen")
    )
    assert not outcome(client, rule.instrument).passed
    assignment.group = ClientGroup.objects.get(code="groeien")
    assignment.save()
    assert outcome(client, rule.instrument).passed


@pytest.mark.parametrize(
    ("kind", "born", "passes"),
    [
        (RuleKind.MIN_AGE, datetime.date(1969, 6, 2), False),
        (RuleKind.MIN_AGE, datetime.date(1969, 6, 1), True),
        (RuleKind.MAX_AGE, datetime.date(1968, 6, 1), False),
        (RuleKind.MAX_AGE, datetime.date(1968, 6, 2), True),
    ],
)
def test_ages(kind, born, passes):
    client = ClientFactory(date_of_birth=born)
    rule = EligibilityRuleFactory(kind=kind, number=55)
    assert outcome(client, rule.instrument).passed is passes


def test_not_together_with_a_running_instrument():
    client = ClientFactory()
    rule = EligibilityRuleFactory(
        kind=RuleKind.NOT_TOGETHER_WITH, required_instrument=InstrumentFactory()
    )
    assert outcome(client, rule.instrument).passed
    other = TrajectoryFactory(client=client, instrument=rule.required_instrument)
    result = outcome(client, rule.instrument)
    assert not result.passed
    assert str(rule.required_instrument) in result.message
    # Once the other traject has ended, the two no longer overlap.
    other.status, other.end_date = TrajectoryStatus.SUCCEEDED, DAY
    other.save()
    assert outcome(client, rule.instrument).passed


def test_plaatsingssubsidie_and_loonkostensubsidie_are_not_combined(consultant_a, client_a):
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    plaatsing = Instrument.objects.get(name="Plaatsingssubsidie")
    TrajectoryFactory(client=client_a, instrument=lks, start_date=DAY, planned_end_date=DAY)
    messages = eligibility.failed_messages(client=client_a, instrument=plaatsing, on=DAY)
    assert any(str(lks) in message for message in messages)


def test_a_custom_message_replaces_the_standard_one():
    rule = EligibilityRuleFactory(kind=RuleKind.MIN_AGE, number=56, message="Alleen 56+")
    assert (
        outcome(ClientFactory(date_of_birth=datetime.date(2000, 1, 1)), rule.instrument).message
        == "Alleen 56+"
    )


def test_the_facts_are_read_in_a_constant_number_of_queries(django_assert_num_queries):
    client = ClientFactory()
    instrument = InstrumentFactory()
    for kind, number in [
        (RuleKind.MIN_AGE, 18),
        (RuleKind.MAX_AGE, 67),
        (RuleKind.MIN_LADDER_STEP, 2),
        (RuleKind.MAX_LADDER_STEP, 5),
        (RuleKind.MIN_MONTHS_ON_BENEFIT, 12),
        (RuleKind.CLIENT_GROUP_IN, None),
    ]:
        EligibilityRuleFactory(instrument=instrument, kind=kind, number=number)
    EligibilityRuleFactory(
        instrument=instrument,
        kind=RuleKind.REQUIRES_INSTRUMENT,
        required_instrument=InstrumentFactory(),
    )
    EligibilityRuleFactory(
        instrument=instrument,
        kind=RuleKind.NOT_TOGETHER_WITH,
        required_instrument=InstrumentFactory(),
    )
    # rules, instrument groups, benefit, ladder, group, completed and running trajecten
    with django_assert_num_queries(7):
        eligibility.evaluate(client=client, instrument=instrument, on=DAY)


def test_a_failed_rule_needs_a_reason_and_the_override_is_stored(consultant_a, client_a):
    lks = Instrument.objects.get(name="Loonkostensubsidie")
    arguments = {
        "client": client_a,
        "instrument": lks,
        "start_date": DAY,
        "planned_end_date": datetime.date(2024, 11, 30),
        "started_by": consultant_a,
        "cost": None,
    }
    with pytest.raises(services.IneligibleError) as error:
        services.start_trajectory(**arguments)
    assert len(error.value.messages) == 1
    with pytest.raises(ValidationError):
        services.start_trajectory(**arguments, override_reason="   ")
    assert not client_a.trajectories.exists()

    trajectory = services.start_trajectory(**arguments, override_reason="Meting is gepland")
    assert trajectory.overridden_rules == error.value.messages[0]
    assert trajectory.override_reason == "Meting is gepland"
    assert trajectory.overridden_by == consultant_a


def test_an_eligible_start_stores_no_override(consultant_a, client_a):
    instrument = InstrumentFactory()
    trajectory = services.start_trajectory(
        client=client_a,
        instrument=instrument,
        start_date=DAY,
        planned_end_date=DAY,
        started_by=consultant_a,
        override_reason="not needed",
    )
    assert (trajectory.overridden_rules, trajectory.override_reason, trajectory.overridden_by) == (
        "",
        "",
        None,
    )
