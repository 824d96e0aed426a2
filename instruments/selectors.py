"""Reads: the budget overview per year (aggregates only, no person) and a client's trajecten."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from clients.models import Client, ClientGroup
from instruments.models import Allocation, Budget, BudgetLine, Commitment, Trajectory

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONTHS_IN_YEAR = 12  # the calendar, not policy
# The fields of a budget line's or klantgroep's row as budget_overview reads them.
SUMS = ("code", "name", "available", "committed", "realised", "clients", "realised_clients")


def trajectories_for_client(client: Client) -> QuerySet[Trajectory]:
    # The dossier lists instrument and provider of each traject: joined, not one query per row.
    return Trajectory.objects.filter(client=client).select_related("instrument", "provider")


@dataclasses.dataclass(frozen=True)
class BudgetRow:
    """One row of the budget page: a budget line or a klantgroep, with its code as key ("" for
    the total and for the row without a klantgroep). `clients` and `realised_clients` are the
    distinct clients behind `committed` and behind `realised` (and the forecast), so that the
    monitor can hide amounts about fewer than SMALL_CELL_THRESHOLD people."""

    key: str
    label: str
    available: Decimal
    committed: Decimal
    realised: Decimal
    forecast: Decimal | None
    clients: int = 0
    realised_clients: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.available - self.committed

    @property
    def overspending(self) -> bool:
        """Heading for overspending: more committed than available, or a run-rate forecast
        above what is available."""
        return self.committed > self.available or (
            self.forecast is not None and self.forecast > self.available
        )


@dataclasses.dataclass(frozen=True)
class BudgetOverview:
    year: int
    elapsed_months: int
    lines: list[BudgetRow]
    groups: list[BudgetRow]
    total: BudgetRow
    allocations: list[Allocation]


def elapsed_months(year: int, today: datetime.date) -> int:
    """Months of the year that have started by today: 0 for a future year, 12 for a past one."""
    if year < today.year:
        return MONTHS_IN_YEAR
    if year > today.year:
        return 0
    return today.month


def _forecast(realised: Decimal, elapsed: int) -> Decimal | None:
    if elapsed == 0:
        return None
    return (realised / elapsed * MONTHS_IN_YEAR).quantize(CENT)


def budget_overview(
    *, year: int, today: datetime.date, started_by: datetime.date | None = None
) -> BudgetOverview:
    """Per budget line and per klantgroep: available (budget or allocation), committed, realised
    and a run-rate forecast, with the clients behind them. Every sum and count is an aggregate in
    the database; seven queries.

    `started_by` leaves out the trajecten that start after that day (the monitor's figures as
    they stood at the end of a past period)."""
    money = DecimalField(max_digits=14, decimal_places=2)
    year_start = datetime.date(year, 1, 1)
    year_end = datetime.date(year, 12, 1)
    this_month = today.replace(day=1)
    in_year = Q(month__gte=year_start, month__lte=year_end)
    if started_by is not None:
        in_year &= Q(trajectory__start_date__lte=started_by)
    realised_filter = in_year & Q(month__lte=this_month)
    elapsed = elapsed_months(year, today)

    def commitments_sum(outer: str, filter_q: Q) -> Coalesce:
        rows = (
            Commitment.objects.filter(filter_q, **{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return Coalesce(Subquery(rows, output_field=money), Value(ZERO), output_field=money)

    def clients_count(outer: str, filter_q: Q) -> Coalesce:
        rows = (
            Commitment.objects.filter(filter_q, **{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(n=Count("trajectory__client", distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    # The distinct clients behind committed and behind realised, for aggregate().
    clients_counts = {
        "clients": Count("trajectory__client", distinct=True),
        "realised_clients": Count(
            "trajectory__client", distinct=True, filter=Q(month__lte=this_month)
        ),
    }

    lines = BudgetLine.objects.annotate(
        available=Coalesce(
            Subquery(
                Budget.objects.filter(line=OuterRef("pk"), year=year).values("amount")[:1],
                output_field=money,
            ),
            Value(ZERO),
            output_field=money,
        ),
        committed=commitments_sum("line", in_year),
        realised=commitments_sum("line", realised_filter),
        clients=clients_count("line", in_year),
        realised_clients=clients_count("line", realised_filter),
    ).values(*SUMS)

    allocated = (
        Allocation.objects.filter(budget__year=year, client_group=OuterRef("pk"))
        .order_by()
        .values("client_group")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    groups = ClientGroup.objects.annotate(
        available=Coalesce(
            Subquery(allocated, output_field=money), Value(ZERO), output_field=money
        ),
        committed=commitments_sum("trajectory__client_group", in_year),
        realised=commitments_sum("trajectory__client_group", realised_filter),
        clients=clients_count("trajectory__client_group", in_year),
        realised_clients=clients_count("trajectory__client_group", realised_filter),
    ).values(*SUMS)
    # Intake and clients without a klantgroep: the rows whose group is empty.
    no_group = Commitment.objects.filter(in_year, trajectory__client_group__isnull=True).aggregate(
        committed=Coalesce(Sum("amount"), ZERO, output_field=money),
        realised=Coalesce(Sum("amount", filter=Q(month__lte=this_month)), ZERO, output_field=money),
        **clients_counts,
    )
    no_group_allocated = Allocation.objects.filter(
        budget__year=year, client_group__isnull=True
    ).aggregate(total=Coalesce(Sum("amount"), ZERO, output_field=money))["total"]
    totals = Commitment.objects.filter(in_year).aggregate(
        committed=Coalesce(Sum("amount"), ZERO, output_field=money),
        realised=Coalesce(Sum("amount", filter=Q(month__lte=this_month)), ZERO, output_field=money),
        **clients_counts,
    )
    available_total = Budget.objects.filter(year=year).aggregate(
        total=Coalesce(Sum("amount"), ZERO, output_field=money)
    )["total"]

    def row(key: str, label: str, available: Decimal, sums: Mapping[str, Any]) -> BudgetRow:
        """`sums` has committed, realised and the clients behind them."""
        return BudgetRow(
            key,
            label,
            available,
            sums["committed"],
            sums["realised"],
            _forecast(sums["realised"], elapsed),
            clients=sums["clients"],
            realised_clients=sums["realised_clients"],
        )

    group_rows = [row(g["code"], g["name"], g["available"], g) for g in groups]
    if no_group_allocated or no_group["committed"]:
        group_rows.append(
            row(
                "",
                gettext("Intake and clients without a client group"),
                no_group_allocated,
                no_group,
            )
        )
    return BudgetOverview(
        year=year,
        elapsed_months=elapsed,
        lines=[row(line["code"], line["name"], line["available"], line) for line in lines],
        groups=group_rows,
        total=row("", "", available_total, totals),
        # The allocation table shows line, group and organisation names: joined in one query.
        allocations=list(
            Allocation.objects.filter(budget__year=year).select_related(
                "budget__line", "client_group"
            )
        ),
    )
