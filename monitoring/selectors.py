"""Aggregate figures. Nothing here returns a person; small cells are suppressed where shown
(monitoring.scopes decides for whom).

The indicators' figures of whole quarters that have ended are reproducible and cached for an hour
(CACHE_SECONDS, in the cache of CACHE_URL), keyed by indicator, period, scope and language. A
period that has not ended is not reproducible: the API computes it on every call, the dashboard
keeps it for CURRENT_CACHE_SECONDS (compute_figures' `current_seconds`). The dashboard and the API
read them through compute_figures, which also says until when they stay as they are
(Figures.expires: the dashboard keeps its markup of them no longer)."""

from __future__ import annotations

import dataclasses
import datetime
import time
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


class Figures(dict[tuple[str, Period], Figure]):
    """compute_figures' answer: each figure by indicator code and period, and `expires`: the
    time (time.time()) at which the first of them leaves the cache, so that what is shown of
    them is up to date again; no later than now for a figure that is not kept, no later than
    CACHE_SECONDS from now when there are none."""

    def __init__(self) -> None:
        super().__init__()
        self.expires = time.time() + CACHE_SECONDS

    def kept_until(self, expires: float) -> None:
        self.expires = min(self.expires, expires)


def _cache_key(indicator: Indicator, period: Period, scope: Scope) -> str:
    # The language too: a figure's row labels are translated when it is computed. The entry is
    # (the time it expires, the figure): Figures.expires.
    return ":".join(
        (
            "monitoring:figure-until",
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
) -> Figures:
    """Each indicator for its periods, in its effective scope, within one shared_reads() batch
    (only the indicators asked for are computed). Figures of whole quarters that have ended are
    reproducible, so they come from the cache when there (one cache round trip each way); the
    rest, the current quarter among them, are computed, and with `current_seconds` kept in the
    cache for that long. Stored with the time they leave the cache (Figures.expires)."""

    def closed(period: Period) -> bool:
        return is_whole_quarter(period) and period.end < today

    keys = {
        (indicator.code, period): _cache_key(indicator, period, effective_scope(indicator, scope))
        for indicator, periods in wanted
        for period in periods
        if current_seconds or closed(period)
    }
    cached: dict[str, tuple[float, Figure]] = cache.get_many(keys.values())
    figures = Figures()
    fresh: dict[str, Figure] = {}
    fresh_current: dict[str, Figure] = {}
    with shared_reads():
        for indicator, periods in wanted:
            indicator_scope = effective_scope(indicator, scope)
            for period in periods:
                key = keys.get((indicator.code, period))
                if key is not None and key in cached:
                    expires, figures[indicator.code, period] = cached[key]
                    figures.kept_until(expires)
                    continue
                figure = indicator.compute(period, indicator_scope)
                figures[indicator.code, period] = figure
                if key is None:
                    figures.kept_until(time.time())
                else:
                    (fresh if closed(period) else fresh_current)[key] = figure
    for entries, seconds in ((fresh, CACHE_SECONDS), (fresh_current, current_seconds)):
        if entries:
            expires = time.time() + seconds
            cache.set_many({key: (expires, figure) for key, figure in entries.items()}, seconds)
            figures.kept_until(expires)
    return figures
