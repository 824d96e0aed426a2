"""Aggregate figures. Nothing here returns a person; small cells are suppressed where shown
(monitoring.scopes decides for whom).

The indicators' figures of whole quarters that have ended are reproducible and cached for an hour
(CACHE_SECONDS, in the cache of CACHE_URL), keyed by indicator, period, scope and language. A
period that has not ended is not reproducible: the API computes it on every call, the dashboard
keeps it for CURRENT_CACHE_SECONDS (compute_figures' `current_seconds`). The dashboard and the API
read them through compute_figures."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language

from casework.models import Team
from clients.models import ClientGroup, ClientGroupAssignment
from monitoring.indicators import Figure, Indicator, Scope
from monitoring.indicators.base import is_small_cell, shared_reads
from monitoring.periods import Period
from monitoring.scopes import effective_scope

# How long the figures of a whole quarter that has ended are kept: they depend only on the
# histories, so only a correction recorded later (a benefit ended with a date in the past) makes
# them out of date.
CACHE_SECONDS = 60 * 60
# How long the dashboard keeps the figures of the current quarter up to today (a team leader on
# their own team): computing every indicator over the histories takes seconds at 100,000 clients
# (bench/pages.py), too slow for every page view. The key has the period's last day, today, so a
# new day starts afresh; within the day a figure is at most this old, and the page says so.
CURRENT_CACHE_SECONDS = 5 * 60


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


def is_whole_quarter(period: Period) -> bool:
    return period == Period.quarter_of(period.start)


def _cache_key(indicator: Indicator, period: Period, scope: Scope) -> str:
    # The language too: a figure's row labels are translated when it is computed.
    return ":".join(
        (
            "monitoring:figure",
            get_language() or "",
            indicator.code,
            period.start.isoformat(),
            period.end.isoformat(),
            str(scope.team.pk) if scope.team else "",
            str(scope.group.pk) if scope.group else "",
        )
    )


def compute_figures(
    wanted: Sequence[tuple[Indicator, Sequence[Period]]],
    scope: Scope,
    *,
    today: datetime.date,
    current_seconds: int = 0,
) -> dict[tuple[str, Period], Figure]:
    """Each indicator for its periods, in its effective scope, within one shared_reads() batch
    (only the indicators asked for are computed). Figures of whole quarters that have ended are
    reproducible, so they come from the cache when there (one cache round trip each way); the
    rest, the current quarter among them, are computed, and with `current_seconds` kept in the
    cache for that long."""

    def closed(period: Period) -> bool:
        return is_whole_quarter(period) and period.end < today

    keys = {
        (indicator.code, period): _cache_key(indicator, period, effective_scope(indicator, scope))
        for indicator, periods in wanted
        for period in periods
        if current_seconds or closed(period)
    }
    cached = cache.get_many(keys.values())
    figures: dict[tuple[str, Period], Figure] = {}
    fresh: dict[str, Figure] = {}
    fresh_current: dict[str, Figure] = {}
    with shared_reads():
        for indicator, periods in wanted:
            indicator_scope = effective_scope(indicator, scope)
            for period in periods:
                key = keys.get((indicator.code, period))
                if key is not None and key in cached:
                    figures[indicator.code, period] = cached[key]
                    continue
                figure = indicator.compute(period, indicator_scope)
                figures[indicator.code, period] = figure
                if key is not None:
                    (fresh if closed(period) else fresh_current)[key] = figure
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    if fresh_current:
        cache.set_many(fresh_current, current_seconds)
    return figures
