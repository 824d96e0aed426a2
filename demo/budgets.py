"""Budgets for the demo's years: the budget page shows the current year and the last one.

A year without a budget on a line gets the amounts of the nearest year that has one (the latest
before it, else the earliest after it), with that year's allocation per klantgroep: the
application manager's figures carried over, as the migration does for a fresh installation."""

from __future__ import annotations

import datetime

from instruments.models import Allocation, Budget, BudgetLine


def ensure_budgets(*, today: datetime.date) -> int:
    """Add the missing budgets of last year and this year; returns how many were added."""
    years = (today.year - 1, today.year)
    # Every budget with its allocations: a few dozen rows, in two queries.
    budgets = Budget.objects.prefetch_related("allocations")
    by_line: dict[int, list[Budget]] = {}
    for budget in budgets:
        by_line.setdefault(budget.line_id, []).append(budget)
    added = 0
    for line_id in BudgetLine.objects.values_list("id", flat=True):
        existing = sorted(by_line.get(line_id, []), key=lambda b: b.year)
        if not existing:
            continue
        have = {b.year for b in existing}
        for year in years:
            if year in have:
                continue
            earlier = [b for b in existing if b.year < year]
            source = earlier[-1] if earlier else existing[0]
            budget = Budget.objects.create(line_id=line_id, year=year, amount=source.amount)
            Allocation.objects.bulk_create(
                Allocation(
                    budget=budget,
                    client_group_id=a.client_group_id,
                    organisation=a.organisation,
                    amount=a.amount,
                )
                for a in source.allocations.all()
            )
            added += 1
    return added
