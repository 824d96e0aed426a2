import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.models import OutflowReason
from instruments import services
from instruments.dates import planned_months
from instruments.models import (
    BudgetChange,
    Commitment,
    CostUnit,
    EarlyEndReason,
    Instrument,
    TrajectoryStatus,
)
from tests.clients.factories import BenefitPeriodFactory
from tests.instruments.factories import AllocationFactory, BudgetFactory, InstrumentFactory

START = datetime.date(2024, 3, 15)
costs = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2)


@given(cost=costs, months=st.integers(min_value=1, max_value=60))
def test_a_split_sums_exactly_to_the_cost(cost, months):
    parts = services.split_cost(cost, months)
    assert len(parts) == months
    assert sum(parts) == cost
    assert all(p >= 0 and p == p.quantize(Decimal("0.01")) for p in parts)
    # Evenly: only the last month carries the rounding remainder (less than a cent a month).
    assert all(p == parts[0] for p in parts[:-1])
    assert parts[-1] - parts[0] < Decimal("0.01") * months


def test_planned_months_cross_the_year():
    assert planned_months(datetime.date(2024, 11, 30), datetime.date(2025, 2, 1)) == [
        datetime.date(2024, 11, 1),
        datetime.date(2024, 12, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
    ]


@pytest.mark.django_db
def test_the_cost_defaults_from_the_catalogue(consultant_a, client_a):
    per_month = InstrumentFactory(unit_cost=Decimal("250.00"), cost_unit=CostUnit.PER_MONTH)
    per_traject = InstrumentFactory(unit_cost=Decimal("750.00"))
    end = datetime.date(2024, 8, 14)  # March up to August: six months
    monthly = services.start_trajectory(
        client=client_a,
        instrument=per_month,
        start_date=START,
        planned_end_date=end,
        started_by=consultant_a,
    )
    once = services.start_trajectory(
        client=client_a,
        instrument=per_traject,
        start_date=START,
        planned_end_date=end,
        started_by=consultant_a,
    )
    assert monthly.cost == Decimal("1500.00")
    assert once.cost == Decimal("750.00")
    assert monthly.commitments.count() == 6
    assert {c.line_id for c in monthly.commitments.all()} == {per_month.budget_line_id}


@pytest.mark.django_db
def test_an_instrument_paid_by_others_commits_nothing(consultant_a, client_a):
    instrument = InstrumentFactory(budget_line=None)
    trajectory = services.start_trajectory(
        client=client_a,
        instrument=instrument,
        start_date=START,
        planned_end_date=START,
        started_by=consultant_a,
    )
    assert not trajectory.commitments.exists()


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cost=costs,
    months=st.integers(min_value=1, max_value=36),
    end_after=st.integers(min_value=0, max_value=40),
)
def test_commitments_sum_to_the_cost_and_ending_early_releases_the_rest(
    consultant_a, client_a, cost, months, end_after
):
    instrument = InstrumentFactory()
    with transaction.atomic():
        planned_end = datetime.date(
            START.year + (START.month - 1 + months - 1) // 12,
            (START.month - 1 + months - 1) % 12 + 1,
            20,
        )
        trajectory = services.start_trajectory(
            client=client_a,
            instrument=instrument,
            start_date=START,
            planned_end_date=planned_end,
            cost=cost,
            started_by=consultant_a,
        )
        assert trajectory.commitments.count() == months
        assert trajectory.commitments.aggregate(total=Sum("amount"))["total"] == cost

        end_date = datetime.date(
            START.year + (START.month - 1 + end_after) // 12,
            (START.month - 1 + end_after) % 12 + 1,
            20,
        )
        kept = trajectory.commitments.filter(month__lte=end_date).aggregate(total=Sum("amount"))[
            "total"
        ] or Decimal("0.00")
        released = services.end_trajectory(
            trajectory=trajectory,
            status=TrajectoryStatus.ENDED_EARLY,
            end_date=end_date,
            early_end_reason=EarlyEndReason.ILLNESS,
        )
        assert released == cost - kept
        remaining = trajectory.commitments.aggregate(total=Sum("amount"))["total"] or Decimal(
            "0.00"
        )
        assert remaining + released == cost
        assert not trajectory.commitments.filter(month__gt=end_date.replace(day=1)).exists()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_ending_validates_the_outcome(consultant_a, client_a):
    trajectory = services.start_trajectory(
        client=client_a,
        instrument=InstrumentFactory(),
        start_date=START,
        planned_end_date=datetime.date(2024, 12, 31),
        started_by=consultant_a,
    )
    with pytest.raises(ValidationError):
        services.end_trajectory(
            trajectory=trajectory, status=TrajectoryStatus.ENDED_EARLY, end_date=START
        )
    with pytest.raises(ValidationError):
        services.end_trajectory(
            trajectory=trajectory,
            status=TrajectoryStatus.SUCCEEDED,
            end_date=START,
            early_end_reason=EarlyEndReason.OTHER,
        )
    services.end_trajectory(
        trajectory=trajectory,
        status=TrajectoryStatus.CONVERTED_TO_WORK,
        end_date=datetime.date(2024, 12, 31),
    )
    assert trajectory.commitments.aggregate(total=Sum("amount"))["total"] == trajectory.cost
    with pytest.raises(ValidationError):
        services.end_trajectory(
            trajectory=trajectory, status=TrajectoryStatus.SUCCEEDED, end_date=START
        )


@pytest.mark.django_db
def test_budget_and_allocation_changes_are_logged(application_manager):
    budget = BudgetFactory(amount=Decimal("1000.00"))
    allocation = AllocationFactory(budget=budget, amount=Decimal("100.00"))
    with pytest.raises(ValidationError):
        services.change_budget_amount(
            budget=budget, amount=Decimal("1.00"), changed_by=application_manager, reason=" "
        )
    services.change_budget_amount(
        budget=budget,
        amount=Decimal("1500.00"),
        changed_by=application_manager,
        reason="Septembercirculaire",
    )
    services.change_allocation_amount(
        allocation=allocation,
        amount=Decimal("90.00"),
        changed_by=application_manager,
        reason="Minder instroom",
    )
    budget.refresh_from_db()
    assert budget.amount == Decimal("1500.00")
    changes = list(
        BudgetChange.objects.order_by("id").values_list(
            "allocation", "old_amount", "new_amount", "reason", "changed_by"
        )
    )
    assert changes == [
        (
            None,
            Decimal("1000.00"),
            Decimal("1500.00"),
            "Septembercirculaire",
            application_manager.pk,
        ),
        (
            allocation.pk,
            Decimal("100.00"),
            Decimal("90.00"),
            "Minder instroom",
            application_manager.pk,
        ),
    ]
    assert Commitment.objects.count() == 0


@pytest.mark.django_db
def test_the_uitstroompremie_is_paid_in_two_parts_at_three_and_six_months(consultant_a, client_a):
    premie = Instrument.objects.get(name="Uitstroompremie")
    BenefitPeriodFactory(
        client=client_a,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2024, 2, 10),
        end_reason=OutflowReason.WORK,
    )
    outflow = datetime.date(2024, 2, 10)
    trajectory = services.start_trajectory(
        client=client_a,
        instrument=premie,
        start_date=outflow,
        planned_end_date=datetime.date(2024, 8, 10),
        started_by=consultant_a,
    )
    assert not trajectory.overridden_rules  # more than a year on benefit
    assert list(trajectory.commitments.values_list("month", "amount")) == [
        (datetime.date(2024, 5, 1), Decimal("375.00")),
        (datetime.date(2024, 8, 1), Decimal("375.00")),
    ]
    # Back on benefit within six months: the second part is released.
    released = services.end_trajectory(
        trajectory=trajectory,
        status=TrajectoryStatus.ENDED_EARLY,
        end_date=datetime.date(2024, 6, 15),
        early_end_reason=EarlyEndReason.BACK_ON_BENEFIT,
    )
    assert released == Decimal("375.00")
