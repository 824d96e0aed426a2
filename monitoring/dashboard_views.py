"""The managers' dashboard: every indicator for the current quarter (up to today) against the
previous quarter and the same quarter last year, the year's target, and the trend over the last
eight quarters as a chart with its table; filtered by team and klantgroep. A team leader also sees
the caseload per consultant of their own team.

Everything here is an aggregate. Figures about fewer than SMALL_CELL_THRESHOLD people are shown
as "< 5", except to a team leader looking at their own team, whose clients they may see anyway.

Cost: each indicator is computed once per quarter shown (TREND_QUARTERS quarters; the previous
quarter and the same quarter last year are among them), so a page is TREND_QUARTERS times the
indicators' own queries plus a fixed handful, whatever the number of clients. Closed quarters are
cached for a few minutes (CACHE_SECONDS), keyed by indicator, period, scope and language; the
current quarter is always computed afresh.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Sequence
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rules.contrib.views import permission_required

from casework.models import Team, User
from casework.rules import can_see_persons, is_manager
from casework.types import AuthenticatedHttpRequest
from clients.models import ClientGroup
from clients.selectors import clients_for_user
from clients.workqueue.selectors import on_benefit, team_overview
from monitoring.charts import bar_chart, format_difference, format_value, line_chart
from monitoring.indicators import REGISTRY, Figure, Indicator, Row, Scope, Theme
from monitoring.indicators.base import THEME_TITLES, is_small_cell, shared_reads
from monitoring.models import Target
from monitoring.periods import Period, PeriodKind

# The issue asks for the trend over the last eight quarters; the previous quarter and the same
# quarter last year are the second-to-last and the fifth-to-last of them.
TREND_QUARTERS = 8
CACHE_SECONDS = 10 * 60


class DashboardFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )
    group = forms.ModelChoiceField(
        label=_("Client group"),
        queryset=ClientGroup.objects.filter(is_active=True),
        required=False,
        empty_label=_("All client groups"),
    )


# --- Figures as the viewer may see them -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Shown:
    """A figure on the page: `value` is None when there is none or it is suppressed."""

    value: Decimal | int | None
    text: str
    suppressed: bool = False


def _shown(figure: Figure | Row, indicator: Indicator, *, suppress: bool) -> Shown:
    """Suppressed like monitoring.selectors.Cell: about 1 to threshold - 1 people."""
    people = figure.people
    if suppress and is_small_cell(people):
        return Shown(None, f"< {settings.SMALL_CELL_THRESHOLD}", suppressed=True)
    return Shown(figure.value, format_value(figure.value, indicator.unit))


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
    def change_from_previous(self) -> Change | None:
        return compare(self.current, self.previous, self.indicator)

    @property
    def change_from_last_year(self) -> Change | None:
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


def dashboard_periods(today: datetime.date) -> list[Period]:
    """The last TREND_QUARTERS quarters, oldest first; the current one runs up to today."""
    quarters = Period.quarter_of(today).quarters_up_to(TREND_QUARTERS)
    quarters[-1] = Period(quarters[-1].start, today, PeriodKind.QUARTER)
    return quarters


def effective_scope(indicator: Indicator, scope: Scope) -> Scope:
    """The scope without the filters the indicator cannot be split by."""
    return Scope(
        team=scope.team if indicator.by_team else None,
        group=scope.group if indicator.by_group else None,
    )


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
    indicators: Sequence[Indicator],
    periods: Sequence[Period],
    scope: Scope,
    *,
    today: datetime.date,
) -> dict[tuple[str, Period], Figure]:
    """Every indicator for every period, in its effective scope. Figures of quarters that have
    ended are reproducible, so they come from the cache when there (one cache round trip each
    way); the rest are computed."""
    wanted = {
        (indicator.code, period): _cache_key(indicator, period, effective_scope(indicator, scope))
        for indicator in indicators
        for period in periods
        if period.end < today
    }
    cached = cache.get_many(wanted.values())
    figures: dict[tuple[str, Period], Figure] = {}
    fresh: dict[str, Figure] = {}
    with shared_reads():
        for indicator in indicators:
            indicator_scope = effective_scope(indicator, scope)
            for period in periods:
                key = wanted.get((indicator.code, period))
                if key is not None and key in cached:
                    figures[indicator.code, period] = cached[key]
                    continue
                figure = indicator.compute(period, indicator_scope)
                figures[indicator.code, period] = figure
                if key is not None:
                    fresh[key] = figure
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    return figures


def year_targets(year: int) -> dict[str, Decimal]:
    """The targets set for the year, per indicator code: one query."""
    return dict(Target.objects.filter(year=year).values_list("indicator", "value"))


def may_see_persons_in(user: User, scope: Scope) -> bool:
    """Whether the figure is about people the user may see one by one (a team leader's own
    team), so small cells need not be hidden."""
    return bool(
        can_see_persons(user)
        and user.team_id is not None
        and scope.team is not None
        and scope.team.pk == user.team_id
    )


def dashboard_sections(*, user: User, scope: Scope, today: datetime.date) -> list[Section]:
    """Every indicator of the registry, by theme (in Theme's order, each in its module's order)."""
    periods = dashboard_periods(today)
    indicators = sorted(REGISTRY.values(), key=lambda indicator: list(Theme).index(indicator.theme))
    figures = compute_figures(indicators, periods, scope, today=today)
    targets = year_targets(today.year)
    sections: dict[Theme, Section] = {}
    for indicator in indicators:
        suppress = not may_see_persons_in(user, effective_scope(indicator, scope))
        current = figures[indicator.code, periods[-1]]
        target = targets.get(indicator.code)
        view = IndicatorView(
            indicator=indicator,
            trend=[
                (period, _shown(figures[indicator.code, period], indicator, suppress=suppress))
                for period in periods
            ],
            breakdown=[
                (row.label, _shown(row, indicator, suppress=suppress)) for row in current.rows
            ],
            target=None if target is None else Shown(target, format_value(target, indicator.unit)),
            not_by_team=scope.team is not None and not indicator.by_team,
            not_by_group=scope.group is not None and not indicator.by_group,
        )
        theme = indicator.theme
        sections.setdefault(theme, Section(theme, THEME_TITLES[theme], [])).indicators.append(view)
    return list(sections.values())


def consultant_caseloads(user: User) -> QuerySet[User]:
    """The work queue's team overview (clients.workqueue.selectors.team_overview: overdue and
    due-soon items as the daily job recorded them), with each consultant's clients on benefit
    (`clients`) within what the user may see. One query."""
    clients = on_benefit(clients_for_user(user).filter(consultants=OuterRef("pk"))).order_by()
    # COUNT(*) over the correlated rows, without GROUP BY: always exactly one row.
    count = clients.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return team_overview(user).annotate(clients=Subquery(count, output_field=IntegerField()))


# --- The page ---------------------------------------------------------------------------------


@permission_required("monitoring.view_dashboard", raise_exception=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    filters = request.GET.copy()
    if is_manager(user) and user.team_id is not None:
        # A team leader starts on their own team; "all teams" is an explicit empty choice.
        filters.setdefault("team", str(user.team_id))
    form = DashboardFilterForm(filters)
    form.is_valid()  # an unknown team or group is reported next to its field and ignored
    scope = Scope(team=form.cleaned_data.get("team"), group=form.cleaned_data.get("group"))
    today = timezone.localdate()
    periods = dashboard_periods(today)
    return render(
        request,
        "monitoring/dashboard/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "current": periods[-1],
            "previous": periods[-2],
            "last_year": periods[-5],
            "year": today.year,
            "sections": dashboard_sections(user=user, scope=scope, today=today),
            "suppressing": not may_see_persons_in(user, scope),
            "threshold": settings.SMALL_CELL_THRESHOLD,
            "cache_minutes": CACHE_SECONDS // 60,
            "caseloads": list(consultant_caseloads(user)) if can_see_persons(user) else None,
        },
    )
