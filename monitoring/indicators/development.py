"""Indicators of the theme development: the participatieladder.

The terms (on benefit at the end of a day, klantgroep on a day, team) are those of
monitoring.indicators.caseload. `clients_per_group` is shared with the client-based indicators of
know_our_clients and instruments.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Expression, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from casework.dates import add_months
from clients.models import Client
from monitoring.indicators.base import Figure, Scope, Theme, Unit, register, share
from monitoring.indicators.caseload import BESTAND_SQL, bestand_parameters, rows_per_group
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
    clients: QuerySet[WithAnnotations[Client, InGroup]],
    scope: Scope,
    *,
    counted: Q | None = None,
    outcome: Expression | None = None,
) -> Figure:
    """The number of `clients` (annotated with `client_group`, as caseload_on does), or the
    share of them that meets a condition, with a row per klantgroep. Two queries: one grouped
    per klantgroep, whatever the number of clients, and the groups' names.

    The condition is `counted`, or `outcome`: a boolean per client that is NULL for clients
    outside the share's denominator. The query groups on `outcome`, so it is computed once per
    client for both the denominator and the numerator (a filter and `counted` would each compute
    what they refer to)."""
    if outcome is not None:
        return _shares_per_group(clients, scope, outcome)
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


def _shares_per_group(
    clients: QuerySet[WithAnnotations[Client, InGroup]], scope: Scope, outcome: Expression
) -> Figure:
    """clients_per_group with `outcome`: one row per klantgroep and outcome (at most three)."""
    grouped = clients.order_by().values("client_group", met=outcome).annotate(n=Count("pk"))
    counts: dict[int | None, list[int]] = {}  # per klantgroep: [met, not met]
    for row in grouped:
        if row["met"] is not None:
            counts.setdefault(row["client_group"], [0, 0])[0 if row["met"] else 1] += row["n"]
    found = {
        group: (share(met, met + not_met), met + not_met)
        for group, (met, not_met) in counts.items()
    }
    met = sum(part for part, _not_met in counts.values())
    whole = sum(part + not_met for part, not_met in counts.values())
    return Figure(share(met, whole), whole, rows_per_group(found, scope, empty=None))


# --- The participatieladder ----------------------------------------------------------------------


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
    return share_per_group(_ladder_climbed_per_group(window_start, period.end, scope), scope)


# ladder_climbed's query. Each client's newest measurement up to a day is read for all clients at
# once, as one ordered pass over the index ladder_client_idx (DISTINCT ON, its steps included),
# and joined: the ORM can express it only as two correlated subqueries per client of the bestand
# (one of them evaluated twice, for the filter and for the count), several times slower at 100,000
# clients. The steps' numbers are joined after DISTINCT ON, to one measurement per client instead
# of every one up to the day. The clients and their klantgroep are caseload_on's (BESTAND_SQL),
# the newest measurement up to a day LadderMeasurement's ordering (latest measured_on, then
# highest id). The measurement at the period's end exists for every client with one at the
# window's start (window_start <= day): the inner join keeps them all.
_LADDER_CLIMBED_SQL = f"""
WITH {BESTAND_SQL}, newest_before AS MATERIALIZED (
    SELECT DISTINCT ON (measurement.client_id)
        measurement.client_id, measurement.step_id, measurement.target_step_id
    FROM clients_laddermeasurement measurement
    WHERE measurement.measured_on <= %(window_start)s
    ORDER BY measurement.client_id, measurement.measured_on DESC, measurement.id DESC
), newest_now AS MATERIALIZED (
    SELECT DISTINCT ON (measurement.client_id) measurement.client_id, measurement.step_id
    FROM clients_laddermeasurement measurement
    WHERE measurement.measured_on <= %(day)s
    ORDER BY measurement.client_id, measurement.measured_on DESC, measurement.id DESC
)
SELECT bestand.client_group, COUNT(*), COUNT(*) FILTER (WHERE step_now.number > step.number)
FROM bestand
JOIN newest_before before ON before.client_id = bestand.client_id
JOIN clients_ladderstep step ON step.id = before.step_id
JOIN clients_ladderstep target ON target.id = before.target_step_id
JOIN newest_now now ON now.client_id = bestand.client_id
JOIN clients_ladderstep step_now ON step_now.id = now.step_id
WHERE target.number > step.number
GROUP BY bestand.client_group
"""  # noqa: S608 (BESTAND_SQL is a constant: no input)


def share_per_group(per_group: Sequence[tuple[int | None, int, int]], scope: Scope) -> Figure:
    """The share of the part in the whole, in all and per klantgroep, from rows of (klantgroep,
    whole, part): what the set-based queries of ladder_climbed and progress_conversations_on_time
    return."""
    found = {group: (share(part, whole), whole) for group, whole, part in per_group}
    whole = sum(row[1] for row in per_group)
    part = sum(row[2] for row in per_group)
    return Figure(share(part, whole), whole, rows_per_group(found, scope, empty=None))


def _ladder_climbed_per_group(
    window_start: datetime.date, day: datetime.date, scope: Scope
) -> list[tuple[int | None, int, int]]:
    """Per klantgroep: the clients of the bestand at the end of `day` (within the scope) with
    development potential at `window_start`, and how many of them climbed by `day`."""
    with connection.cursor() as cursor:
        cursor.execute(
            _LADDER_CLIMBED_SQL,
            {**bestand_parameters(day, scope), "window_start": window_start},
        )
        return cursor.fetchall()
