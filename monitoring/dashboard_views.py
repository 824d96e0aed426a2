"""The managers' dashboard: every indicator for the newest quarter against the previous quarter
and the same quarter last year, the year's target, and the trend over the last eight quarters as
a chart with its table; filtered by team and klantgroep. A team leader also sees the caseload per
consultant of their own team.

Everything here is an aggregate. Figures about fewer than SMALL_CELL_THRESHOLD people are shown
as "< 5", except to a team leader looking at their own team, whose clients they may see anyway.
Only that team leader sees the current quarter up to today: a figure that changes from day to day
tells, on the day it changes, what happened to someone, which hiding small cells cannot prevent.
Everyone else sees whole quarters, up to the last one that has ended; on the team leader's page a
figure that is not about the team alone (not split by team) is withheld for the current quarter.
Counts and amounts of a quarter not complete yet are not compared with whole quarters.

Cost: each indicator is computed once per quarter shown (TREND_QUARTERS quarters; the previous
quarter and the same quarter last year are among them), so a page is TREND_QUARTERS times the
indicators' own queries plus a fixed handful, whatever the number of clients; the reads that
every figure needs (klantgroepen, policy settings, the budget figures) are made once per page
(shared_reads). Whole quarters that have ended are reproducible and cached for an hour
(CACHE_SECONDS, in the cache of CACHE_URL), keyed by indicator, period, scope and language; the
current quarter up to today for CURRENT_CACHE_SECONDS (a few minutes: computing it takes seconds
at 100,000 clients), which the page states. Drawing the figures (some 33 charts and their tables)
takes ten times as long as the rest of the page, so their markup is cached too, for no longer than
the first of the figures it shows (cached_figures_html), under a key made of everything it depends
on (Visible.cache_key); and so is the caseload per consultant (cached_caseloads_html).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import math
import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rules.contrib.views import permission_required

from casework.models import User
from casework.rules import can_see_persons
from casework.types import AuthenticatedHttpRequest
from clients.selectors import clients_for_user
from clients.workqueue.selectors import on_benefit, team_overview
from monitoring.charts import bar_chart, format_difference, format_value, line_chart
from monitoring.indicators import Indicator, Scope, Theme, Unit
from monitoring.indicators.base import THEME_TITLES, ordered_indicators, trend_quarters
from monitoring.models import Target
from monitoring.periods import Period
from monitoring.scopes import (
    DashboardFilterForm,
    Shown,
    may_see_persons_in,
    may_show,
    shown_figure,
    suppresses,
    with_own_team,
)
from monitoring.selectors import (
    CACHE_SECONDS,
    CURRENT_CACHE_SECONDS,
    compute_figures,
    is_whole_quarter,
)

# The units of figures summed over the period (counts of people or trajecten, amounts): over part
# of a quarter they are lower than over a whole one, so not compared with whole quarters.
SUMMED_UNITS = frozenset({Unit.COUNT, Unit.EURO})


# --- Comparing figures --------------------------------------------------------------------------


class Verdict(enum.StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    # For figures where neither direction is good (Indicator.higher_is_better is None).
    HIGHER = "higher"
    LOWER = "lower"


VERDICT_WORDS: dict[Verdict, str | Promise] = {
    Verdict.BETTER: _("better"),
    Verdict.WORSE: _("worse"),
    Verdict.SAME: _("same"),
    Verdict.HIGHER: _("higher"),
    Verdict.LOWER: _("lower"),
}


@dataclasses.dataclass(frozen=True)
class Change:
    verdict: Verdict
    difference: str  # signed, with its unit: "+3", "-2,5 percentage points" (a real minus sign)
    arrow: str  # ▲ ▼ or =, next to the words (never instead of them)

    @property
    def words(self) -> str | Promise:
        return VERDICT_WORDS[self.verdict]


def compare(now: Shown, earlier: Shown, indicator: Indicator) -> Change | None:
    """The change from `earlier` to `now` in words; None when either has no (visible) value."""
    if now.value is None or earlier.value is None:
        return None
    difference = now.value - earlier.value
    if difference == 0:
        return Change(Verdict.SAME, format_difference(difference, indicator.unit), "=")
    up = difference > 0
    if indicator.higher_is_better is None:
        verdict = Verdict.HIGHER if up else Verdict.LOWER
    else:
        verdict = Verdict.BETTER if up == indicator.higher_is_better else Verdict.WORSE
    return Change(verdict, format_difference(difference, indicator.unit), "▲" if up else "▼")


@dataclasses.dataclass(frozen=True)
class IndicatorView:
    """One indicator on the dashboard."""

    indicator: Indicator
    trend: list[tuple[Period, Shown]]  # oldest first; the last is the current quarter
    breakdown: list[tuple[str, Shown]]  # the current quarter's rows
    target: Shown | None
    not_by_team: bool  # the team filter is set but does not apply to this figure
    not_by_group: bool
    partial: bool = False  # the current quarter is not complete yet (up to today)
    # Not shown for the current quarter: its small cells are hidden from the viewer, so a value
    # that changes day by day must not be shown either (dashboard_sections).
    withheld: bool = False

    @property
    def current(self) -> Shown:
        return self.trend[-1][1]

    @property
    def previous(self) -> Shown:
        return self.trend[-2][1]

    @property
    def last_year(self) -> Shown:
        return self.trend[-5][1]

    @property
    def incomplete(self) -> bool:
        """Whether the current quarter is not compared because it is not complete: a count or an
        amount over part of a quarter would read as a fall early in every quarter (and a
        withheld figure has nothing to compare)."""
        return self.partial and (self.withheld or self.indicator.unit in SUMMED_UNITS)

    @property
    def change_from_previous(self) -> Change | None:
        if self.incomplete:
            return None
        return compare(self.current, self.previous, self.indicator)

    @property
    def change_from_last_year(self) -> Change | None:
        if self.incomplete:
            return None
        return compare(self.current, self.last_year, self.indicator)

    @property
    def trend_chart(self) -> SafeString:
        return line_chart(
            [(period.label, shown.value) for period, shown in self.trend],
            title=self.indicator.name,
            unit=self.indicator.unit,
            chart_id=f"trend-{self.indicator.code}",
        )

    @property
    def breakdown_chart(self) -> SafeString:
        return bar_chart(
            [(label, shown.value) for label, shown in self.breakdown],
            title=self.indicator.name,
            unit=self.indicator.unit,
            chart_id=f"breakdown-{self.indicator.code}",
        )


@dataclasses.dataclass(frozen=True)
class Section:
    theme: Theme
    heading: str | Promise
    indicators: list[IndicatorView]


# --- Computing --------------------------------------------------------------------------------


def dashboard_periods(today: datetime.date, *, to_date: bool) -> list[Period]:
    """The TREND_QUARTERS quarters shown, oldest first. With `to_date` (a team leader on their
    own team) the newest is the current quarter up to today; otherwise it is the last quarter
    that has ended, so that no figure changes from day to day."""
    if to_date:
        return trend_quarters(Period(Period.quarter_of(today).start, today))
    return trend_quarters(Period.quarter_of(today).previous())


def year_targets(year: int) -> dict[str, Decimal]:
    """The targets set for the year, per indicator code: one query."""
    return dict(Target.objects.filter(year=year).values_list("indicator", "value"))


@dataclasses.dataclass(frozen=True)
class Visible:
    """What the user is shown of the figures in the scope on the day: everything the figures'
    part of the page depends on besides the figures themselves (and the language, with which
    the figures are cached too)."""

    scope: Scope
    today: datetime.date
    periods: list[Period]  # dashboard_periods
    suppressed: dict[str, bool]  # per indicator code: its small cells are hidden
    withheld: dict[str, bool]  # per indicator code: its current quarter is not shown
    targets: dict[str, Decimal]  # year_targets

    @property
    def partial(self) -> bool:
        return not is_whole_quarter(self.periods[-1])

    def cache_key(self) -> str:
        """The key of the figures' markup (cached_figures_html): made of all of the above, so
        that viewers who would see anything different never share an entry."""
        shown = repr(
            (
                self.periods,
                sorted(self.suppressed.items()),
                sorted(self.withheld.items()),
                sorted(self.targets.items()),
            )
        )
        return ":".join(
            (
                "monitoring:dashboard",
                get_language() or "",
                self.today.isoformat(),
                str(self.scope.team.pk) if self.scope.team else "",
                str(self.scope.group.pk) if self.scope.group else "",
                hashlib.sha256(shown.encode()).hexdigest(),
            )
        )


def visible_to(user: User, scope: Scope, today: datetime.date) -> Visible:
    """What the user is shown of the figures in the scope. The current quarter up to today only
    for a team leader on their own team (dashboard_periods); on that page a figure not split by
    team is about other teams' clients too, its small cells hidden, so it is withheld for the
    current quarter as well. One query (the targets)."""
    periods = dashboard_periods(today, to_date=may_see_persons_in(user, scope))
    suppressed = {
        indicator.code: suppresses(user, indicator, scope) for indicator in ordered_indicators()
    }
    return Visible(
        scope=scope,
        today=today,
        periods=periods,
        suppressed=suppressed,
        withheld={
            code: not may_show(periods[-1], suppress=suppress, today=today)
            for code, suppress in suppressed.items()
        },
        targets=year_targets(today.year),
    )


class Sections(list[Section]):
    """The dashboard's sections, and `expires`: when the first of their figures leaves the
    cache (Figures.expires)."""

    def __init__(self, sections: list[Section], expires: float) -> None:
        super().__init__(sections)
        self.expires = expires


def dashboard_sections(*, user: User, scope: Scope, today: datetime.date) -> Sections:
    """Every indicator of the registry, by theme, as the user may see it (visible_to)."""
    return sections_of(visible_to(user, scope, today))


def sections_of(visible: Visible) -> Sections:
    """Every indicator of the registry, by theme (in Theme's order, each in its module's order),
    as `visible` says."""
    periods, withheld = visible.periods, visible.withheld
    indicators = ordered_indicators()
    figures = compute_figures(
        [
            (indicator, periods[:-1] if withheld[indicator.code] else periods)
            for indicator in indicators
        ],
        visible.scope,
        today=visible.today,
        current_seconds=CURRENT_CACHE_SECONDS,
    )
    sections: dict[Theme, Section] = {}
    for indicator in indicators:
        suppress = visible.suppressed[indicator.code]
        trend = [
            (period, shown_figure(figures[indicator.code, period], indicator, suppress=suppress))
            for period in periods
            if (indicator.code, period) in figures
        ]
        if withheld[indicator.code]:
            trend.append((periods[-1], (Shown(None, format_value(None, indicator.unit)), [])))
        target = visible.targets.get(indicator.code)
        view = IndicatorView(
            indicator=indicator,
            trend=[(period, headline) for period, (headline, _rows) in trend],
            breakdown=trend[-1][1][1],  # the current quarter's rows
            target=None if target is None else Shown(target, format_value(target, indicator.unit)),
            not_by_team=visible.scope.team is not None and not indicator.by_team,
            not_by_group=visible.scope.group is not None and not indicator.by_group,
            partial=visible.partial,
            withheld=withheld[indicator.code],
        )
        theme = indicator.theme
        sections.setdefault(theme, Section(theme, THEME_TITLES[theme], [])).indicators.append(view)
    return Sections(list(sections.values()), figures.expires)


def cached_figures_html(visible: Visible) -> SafeString:
    """The figures' part of the page: the sections (sections_of) as markup, kept in the cache
    under Visible.cache_key until the first of the figures it shows leaves the cache
    (Sections.expires), so that it is never older than the page says. Drawing some 33 charts and
    their tables takes ten times as long as the rest of the page, figures cached or not."""
    key = visible.cache_key()
    html: SafeString | None = cache.get(key)  # a SafeString pickles as one
    if html is None:
        sections = sections_of(visible)
        periods = visible.periods
        html = render_to_string(
            "monitoring/dashboard/_sections.html",
            {
                "sections": sections,
                "current": periods[-1],
                "previous": periods[-2],
                "last_year": periods[-5],
                "year": visible.today.year,
                "partial": visible.partial,
            },
        )
        seconds = math.floor(sections.expires - time.time())
        if seconds > 0:
            cache.set(key, html, seconds)
    return html


def consultant_caseloads(user: User) -> QuerySet[User]:
    """The work queue's team overview (clients.workqueue.selectors.team_overview: overdue and
    due-soon items as the daily job recorded them), with each consultant's clients on benefit
    (`clients`) within what the user may see. One query: the consultants' links to clients
    counted in one pass, grouped by consultant, against the clients on benefit hashed once (a
    count per consultant, correlated, took three times as long: 0.35 s for a team of 374
    consultants at 100,000 clients). A client has one link per consultant and at most one open
    benefit period, so nobody is counted twice."""
    clients = on_benefit(clients_for_user(user)).values("pk")
    return team_overview(user).annotate(clients=Count("caseload", filter=Q(caseload__in=clients)))


def cached_caseloads_html(user: User, today: datetime.date) -> SafeString:
    """consultant_caseloads as markup, kept for CURRENT_CACHE_SECONDS per team, day and language
    like the current quarter's figures: counting a whole team's caseloads takes about 0.3 s at
    100,000 clients, and a table of a few hundred consultants takes longer to render than the
    rest of the page. (Who may see the table sees the clients of their team: clients_for_user.)"""
    key = f"monitoring:caseloads:{get_language() or ''}:{user.team_id}:{today.isoformat()}"
    html: SafeString | None = cache.get(key)  # a SafeString pickles as one
    if html is None:
        html = render_to_string(
            "monitoring/dashboard/_caseloads.html", {"caseloads": list(consultant_caseloads(user))}
        )
        cache.set(key, html, CURRENT_CACHE_SECONDS)
    return html


# --- The page ---------------------------------------------------------------------------------


@permission_required("monitoring.view_dashboard", raise_exception=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # A team leader starts on their own team; "all teams" is an explicit empty choice.
    form = DashboardFilterForm(with_own_team(user, request.GET))
    form.is_valid()  # an unknown team or group is reported next to its field and ignored
    scope = form.scope()
    today = timezone.localdate()
    visible = visible_to(user, scope, today)
    periods = visible.periods
    return render(
        request,
        "monitoring/dashboard/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "current": periods[-1],
            "previous": periods[-2],
            "last_year": periods[-5],
            "figures": cached_figures_html(visible),
            "suppressing": not may_see_persons_in(user, scope),
            "partial": visible.partial,
            "threshold": settings.SMALL_CELL_THRESHOLD,
            "cache_minutes": CACHE_SECONDS // 60,
            "current_cache_minutes": CURRENT_CACHE_SECONDS // 60,
            "caseload_table": cached_caseloads_html(user, today) if can_see_persons(user) else None,
        },
    )
