"""Indicators of the theme development: the participatieladder.

The terms (on benefit at the end of a day, klantgroep on a day, team) are those of
monitoring.indicators.caseload. `clients_per_group` is shared with the client-based indicators of
know_our_clients and instruments.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from casework.dates import add_months
from clients.models import Client, LadderMeasurement
from monitoring.indicators.base import Figure, Scope, Theme, Unit, register, share
from monitoring.indicators.caseload import caseload_on, rows_per_group
from monitoring.periods import Period

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from monitoring.indicators.caseload import InGroup


# The population of the client-based figures at a period's end.
BESTAND = _(
    "The bestand: clients on benefit at the end of the period's last day (as in Clients on "
    "benefit (bestand)), each in their klantgroep on that day."
)


def clients_per_group(
    clients: QuerySet[WithAnnotations[Client, InGroup]], scope: Scope, *, counted: Q | None = None
) -> Figure:
    """The number of `clients` (annotated with `client_group`, as caseload_on does), or, when
    `counted` is given, the share of them that meets it, with a row per klantgroep. Two queries:
    one grouped per klantgroep, whatever the number of clients, and the groups' names."""
    aggregates = {"whole": Count("pk")}
    if counted is not None:
        aggregates["part"] = Count("pk", filter=counted)
    per_group: list[Mapping[str, Any]] = list(
        clients.order_by().values("client_group").annotate(**aggregates)
    )
    whole = sum(row["whole"] for row in per_group)
    if counted is None:
        found = {row["client_group"]: (row["whole"], row["whole"]) for row in per_group}
        return Figure(whole, whole, rows_per_group(found, scope))
    found = {
        row["client_group"]: (share(row["part"], row["whole"]), row["whole"]) for row in per_group
    }
    part = sum(row["part"] for row in per_group)
    return Figure(share(part, whole), whole, rows_per_group(found, scope, empty=None))


# --- The participatieladder ----------------------------------------------------------------------


def _measured_by(day: datetime.date) -> QuerySet[LadderMeasurement]:
    """The client's (OuterRef("pk")) ladder measurements up to the day, the newest first."""
    return LadderMeasurement.objects.filter(client=OuterRef("pk"), measured_on__lte=day).order_by(
        "-measured_on", "-id"
    )


@register(
    code="ladder_climbed",
    name=_("Climbed the participatieladder (trede gestegen)"),
    theme=Theme.DEVELOPMENT,
    unit=Unit.PERCENT,
    numerator=_(
        "Clients whose ladder step at the period's end (their newest measurement up to that "
        "day) is at least one step above their step at the start of the 12 months."
    ),
    denominator=_(
        "Clients with development potential: on benefit at the period's end, whose newest "
        "ladder measurement on or before the day 12 months before the period's end had a "
        "target step above the step measured. Clients first measured later are not counted."
    ),
    population=BESTAND,
    period=_("The 12 months up to and including the period's last day."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=True,
)
def ladder_climbed(period: Period, scope: Scope) -> Figure:
    window_start = add_months(period.end, -12)
    before = _measured_by(window_start)
    clients = (
        caseload_on(period.end, scope)
        .annotate(
            step_before=Subquery(before.values("step__number")[:1]),
            target_before=Subquery(before.values("target_step__number")[:1]),
            step_now=Subquery(_measured_by(period.end).values("step__number")[:1]),
        )
        .filter(target_before__gt=F("step_before"))
    )
    return clients_per_group(clients, scope, counted=Q(step_now__gt=F("step_before")))
