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
    elapsed = elapsed_months(year, today)
    commitment_sums = {
        "committed": Coalesce(Sum("amount"), ZERO, output_field=money),
        "realised": Coalesce(
            Sum("amount", filter=Q(month__lte=this_month)), ZERO, output_field=money
        ),
        # The distinct clients behind committed and behind realised.
        "clients": Count("trajectory__client", distinct=True),
        "realised_clients": Count(
            "trajectory__client", distinct=True, filter=Q(month__lte=this_month)
        ),
    }

    def sums_by(field: str) -> dict[int | None, dict[str, Any]]:
        """The year's commitments summed per budget line or per klantgroep (None: none) in ONE
        pass over them, not a correlated subquery per row and figure (which scanned the year's
        commitments sixteen times for the klantgroepen: 70 ms at 100,000 clients)."""
        rows = Commitment.objects.filter(in_year).order_by().values(field)
        return {row.pop(field): row for row in rows.annotate(**commitment_sums)}

    nothing = {"committed": ZERO, "realised": ZERO, "clients": 0, "realised_clients": 0}
    line_sums = sums_by("line")
    lines = BudgetLine.objects.annotate(
        available=Coalesce(
            Subquery(
                Budget.objects.filter(line=OuterRef("pk"), year=year).values("amount")[:1],
                output_field=money,
            ),
            Value(ZERO),
            output_field=money,
        ),
    ).values("pk", "code", "name", "available")
    group_sums = sums_by("trajectory__client_group")
    allocated: dict[int | None, Decimal] = dict(
        Allocation.objects.filter(budget__year=year)
        .order_by()
        .values("client_group")
        .annotate(total=Sum("amount"))
        .values_list("client_group", "total")
    )
    groups = ClientGroup.objects.values("pk", "code", "name")
    totals = Commitment.objects.filter(in_year).aggregate(**commitment_sums)
    line_list = list(lines)
    # One budget per line and year (one_budget_per_year): the lines' budgets add up to the year's.
    available_total = sum((line["available"] for line in line_list), ZERO)

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

    group_rows = [
        row(g["code"], g["name"], allocated.get(g["pk"], ZERO), group_sums.get(g["pk"], nothing))
        for g in groups
    ]
    # Intake and clients without a klantgroep: the commitments and allocations without a group.
    no_group = group_sums.get(None, nothing)
    if allocated.get(None) or no_group["committed"]:
        group_rows.append(
            row(
                "",
                gettext("Intake and clients without a client group"),
                allocated.get(None, ZERO),
                no_group,
            )
        )
    return BudgetOverview(
        year=year,
        elapsed_months=elapsed,
        lines=[
            row(line["code"], line["name"], line["available"], line_sums.get(line["pk"], nothing))
            for line in line_list
        ],
        groups=group_rows,
        total=row("", "", available_total, totals),
        # The allocation table shows line, group and organisation names: joined in one query.
        allocations=list(
            Allocation.objects.filter(budget__year=year).select_related(
                "budget__line", "client_group"
            )
        ),
    )
