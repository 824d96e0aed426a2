import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients.models import ClientGroup
from instruments import selectors, services
from instruments.models import Commitment, EarlyEndReason, Trajectory, TrajectoryStatus
from tests.clients.factories import ClientFactory, ClientGroupAssignmentFactory
from tests.instruments.factories import BudgetFactory, BudgetLineFactory, InstrumentFactory

YEAR = 2024
TODAY = datetime.date(YEAR, 7, 15)

trajecten = st.lists(
    st.tuples(
        st.sampled_from(["matchen", "groeien", "faciliteren", "zorgen", None]),
        st.integers(min_value=0, max_value=2),  # which budget line
        st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2025, 6, 30)),
        st.integers(min_value=0, max_value=30),  # planned length in days / 30
        st.decimals(min_value=0, max_value=Decimal("50000"), places=2),
        st.one_of(st.none(), st.integers(min_value=0, max_value=400)),  # ended after days
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=trajecten)
def test_the_page_totals_reconcile_with_the_trajecten(consultant_a, team_a, rows):
    with transaction.atomic():
        lines = [BudgetLineFactory(code=f"test-{i}") for i in range(3)]
        instruments = [InstrumentFactory(budget_line=line) for line in lines]
        for line in lines[:2]:
            BudgetFactory(line=line, year=YEAR, amount=Decimal("100000.00"))
        for group_code, line_index, start, length, cost, ended_after in rows:
            client = ClientFactory(team=team_a)
            if group_code:
                ClientGroupAssignmentFactory(
                    client=client,
                    group=ClientGroup.objects.get(code=group_code),
                    start_date=datetime.date(2020, 1, 1),
                )
            trajectory = services.start_trajectory(
                client=client,
                instrument=instruments[line_index],
                start_date=start,
                planned_end_date=start + datetime.timedelta(days=30 * length),
                cost=cost,
                started_by=consultant_a,
            )
            if ended_after is not None:
                services.end_trajectory(
                    trajectory=trajectory,
                    status=TrajectoryStatus.ENDED_EARLY,
                    end_date=start + datetime.timedelta(days=ended_after),
                    early_end_reason=EarlyEndReason.OTHER,
                )

        overview = selectors.budget_overview(year=YEAR, today=TODAY)

        # Expected, from the trajecten themselves (Python over the test's few rows).
        committed = realised = Decimal("0.00")
        for trajectory in Trajectory.objects.prefetch_related("commitments"):
            for c in trajectory.commitments.all():
                if c.month.year == YEAR:
                    committed += c.amount
                    if c.month <= TODAY.replace(day=1):
                        realised += c.amount
        assert overview.total.committed == committed
        assert overview.total.realised == realised
        assert sum(r.committed for r in overview.lines) == committed
        assert sum(r.committed for r in overview.groups) == committed
        assert sum(r.realised for r in overview.lines) == realised
        assert sum(r.realised for r in overview.groups) == realised
        # Every traject's rows still sum to its cost unless it was ended early.
        for trajectory in Trajectory.objects.filter(status=TrajectoryStatus.RUNNING):
            total = trajectory.commitments.aggregate(total=Sum("amount"))["total"]
            assert (total or Decimal("0.00")) == trajectory.cost
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_overspending_is_flagged_and_forecast_from_the_run_rate(consultant_a, client_a):
    line = BudgetLineFactory(name="Testpost")
    BudgetFactory(line=line, year=YEAR, amount=Decimal("1000.00"))
    # 1,200 over Jan-Dec: 100 a month; by July 700 realised, forecast 1,200 > 1,000.
    services.start_trajectory(
        client=client_a,
        instrument=InstrumentFactory(budget_line=line),
        start_date=datetime.date(YEAR, 1, 1),
        planned_end_date=datetime.date(YEAR, 12, 31),
        cost=Decimal("1200.00"),
        started_by=consultant_a,
    )
    overview = selectors.budget_overview(year=YEAR, today=TODAY)
    [row] = [r for r in overview.lines if r.label == "Testpost"]
    assert (row.available, row.committed, row.realised) == (
        Decimal("1000.00"),
        Decimal("1200.00"),
        Decimal("700.00"),
    )
    assert row.remaining == Decimal("-200.00")
    assert row.forecast == Decimal("1200.00")
    assert row.overspending
    assert Commitment.objects.filter(line=line).count() == 12


def test_elapsed_months():
    assert selectors.elapsed_months(2023, TODAY) == 12
    assert selectors.elapsed_months(2024, TODAY) == 7
    assert selectors.elapsed_months(2025, TODAY) == 0


@pytest.mark.django_db
def test_the_defaults_give_a_current_budget_with_deventers_allocation():
    overview = selectors.budget_overview(year=datetime.date.today().year, today=TODAY)
    available = {r.label: r.available for r in overview.lines}
    assert available["Participatiebudget"] == Decimal("6393000.00")
    assert sum(a.amount for a in overview.allocations) == Decimal("7090000.00")
    groeien = next(r for r in overview.groups if r.label == "Groeien")
    assert groeien.available == Decimal("4950000.00")
