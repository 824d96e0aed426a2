"""The trajecten of the demo data and their commitments: the budget page's figures.

The municipality is seeded once for the module; every test only reads it. The commitments are
checked against the arithmetic of instruments.services, row by row."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import override_settings

from clients.models import ClientGroupAssignment
from instruments.dates import first_of_month
from instruments.models import Commitment, Trajectory, TrajectoryStatus
from instruments.selectors import budget_overview
from instruments.services import commitment_months, split_cost

TODAY = datetime.date(2025, 6, 30)
CLIENTS = 400

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_municipality(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the default is slow
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        call_command("seed_demo", clients=CLIENTS, today=TODAY, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def trajectories() -> list[Trajectory]:
    # Instrument (months, line) and its groups and providers for every traject: joined once.
    return list(
        Trajectory.objects.select_related("instrument").prefetch_related(
            "instrument__client_groups", "instrument__providers"
        )
    )


def commitments_by_trajectory() -> dict[int, list[tuple[datetime.date, Decimal, int]]]:
    rows = defaultdict(list)
    for trajectory_id, month, amount, line_id in Commitment.objects.order_by(
        "trajectory", "month"
    ).values_list("trajectory", "month", "amount", "line"):
        rows[trajectory_id].append((month, amount, line_id))
    return rows


def test_trajecten_with_every_outcome_exist():
    statuses = dict(Trajectory.objects.values_list("status").annotate(n=Count("id")))

    assert set(statuses) == set(TrajectoryStatus.values)
    assert sum(statuses.values()) > CLIENTS / 2
    assert not Trajectory.objects.filter(start_date__gt=TODAY).exists()
    assert not Trajectory.objects.filter(end_date__gt=TODAY).exists()
    ended_early = Trajectory.objects.filter(status=TrajectoryStatus.ENDED_EARLY)
    assert ended_early.exclude(early_end_reason="").count() == ended_early.count()


def test_instrument_and_provider_fit_the_clients_group_at_the_start():
    groups = defaultdict(list)
    for a in ClientGroupAssignment.objects.all():
        groups[a.client_id].append(a)

    for t in trajectories():
        at_start = [
            a.group_id
            for a in groups[t.client_id]
            if a.start_date <= t.start_date and (a.end_date is None or t.start_date <= a.end_date)
        ]
        assert t.client_group_id in at_start
        assert t.client_group_id in {g.pk for g in t.instrument.client_groups.all()}
        providers = {p.pk for p in t.instrument.providers.all()}
        assert t.provider_id in providers if providers else t.provider_id is None
        assert t.cost > 0


def test_commitments_are_the_services_rows_up_to_the_end_month():
    rows = commitments_by_trajectory()

    for t in trajectories():
        line = t.instrument.budget_line_id
        if line is None:
            assert t.pk not in rows
            continue
        months = commitment_months(
            instrument=t.instrument, start_date=t.start_date, planned_end_date=t.planned_end_date
        )
        planned = list(zip(months, split_cost(t.cost, len(months)), strict=True))
        assert sum(amount for _month, amount in planned) == t.cost
        end = None if t.end_date is None else first_of_month(t.end_date)
        expected = [(m, amount, line) for m, amount in planned if end is None or m <= end]
        assert rows.get(t.pk, []) == expected


def test_running_trajecten_commit_exactly_their_cost():
    running = Trajectory.objects.filter(
        status=TrajectoryStatus.RUNNING, instrument__budget_line__isnull=False
    ).annotate(committed=Sum("commitments__amount"))

    assert running.exists()
    assert all(t.committed == t.cost for t in running)


def test_ended_trajecten_have_no_commitments_after_their_end_month():
    late = [
        c
        for c in Commitment.objects.exclude(trajectory__status=TrajectoryStatus.RUNNING).values(
            "month", "trajectory__end_date"
        )
        if c["month"] > first_of_month(c["trajectory__end_date"])
    ]

    assert late == []


def test_the_budget_page_has_figures_for_this_year_and_last():
    for year in (TODAY.year - 1, TODAY.year):
        overview = budget_overview(year=year, today=TODAY)
        participatie = next(row for row in overview.lines if row.committed)
        assert participatie.realised <= participatie.committed
        assert 0 < overview.total.committed < overview.total.available
