"""Aggregate figures. Nothing here returns a person; small cells are suppressed."""

from __future__ import annotations

import dataclasses

from django.db.models import Count

from casework.models import Team
from clients.models import ClientGroup, ClientGroupAssignment
from monitoring.indicators.base import is_small_cell


@dataclasses.dataclass(frozen=True)
class Cell:
    label: str
    count: int

    @property
    def suppressed(self) -> bool:
        return is_small_cell(self.count)


def caseload_by_group(*, team: Team | None = None) -> list[Cell]:
    """Clients on benefit now, per current klantgroep: one grouped query."""
    assignments = ClientGroupAssignment.objects.filter(
        end_date__isnull=True, client__benefit_periods__end_date__isnull=True
    )
    if team is not None:
        assignments = assignments.filter(client__team=team)
    counts = dict(assignments.values_list("group_id").annotate(n=Count("client_id", distinct=True)))
    return [
        Cell(label=group.name, count=counts.get(group.pk, 0))
        for group in ClientGroup.objects.filter(is_active=True)
    ]
