"""Two indicators for the dashboard and API tests, in place of the real registry (the `registry`
fixture in conftest.py): exact values and a fixed query count. Each records its calls."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from clients.models import BenefitPeriod, ClientGroupAssignment
from monitoring.indicators import Figure, Row, Scope
from monitoring.periods import Period

CALLS: list[tuple[str, Period, Scope]] = []


class Shares(dict[datetime.date, tuple[Decimal | None, int]]):
    """The share's value and people per quarter start; `default` for the quarters not set."""

    default: tuple[Decimal | None, int] = (None, 0)


SHARES = Shares()


def on_benefit(period: Period, scope: Scope) -> Figure:
    """Clients on benefit at the period's end, per team: one query."""
    CALLS.append(("test_on_benefit", period, scope))
    end = period.end
    benefits = BenefitPeriod.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end)
    )
    if scope.team is not None:
        benefits = benefits.filter(client__team=scope.team)
    if scope.group is not None:
        benefits = benefits.filter(
            Exists(
                ClientGroupAssignment.objects.filter(
                    client=OuterRef("client"), group=scope.group, start_date__lte=end
                ).filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
            )
        )
    per_team = (
        benefits.values("client__team__name")
        .annotate(n=Count("client", distinct=True))
        .order_by("client__team__name")
    )
    rows = tuple(Row(row["client__team__name"], row["n"], row["n"]) for row in per_team)
    total = sum(row.value for row in rows)
    return Figure(total, total, rows)


def a_share(period: Period, scope: Scope) -> Figure:
    """A share not split by team, as set in SHARES for the period's start."""
    CALLS.append(("test_share", period, scope))
    value, people = SHARES.get(period.start, SHARES.default)
    return Figure(value, people)
