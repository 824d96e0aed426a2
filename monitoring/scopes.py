"""What a viewer of the monitor's aggregates may see, for the dashboard and the API alike: the scope
asked for (team, klantgroep), whether small cells are hidden in it, and which periods may be shown.

Figures about fewer than SMALL_CELL_THRESHOLD people are hidden (base.suppression) except to a team
leader looking at their own team, whose clients they may see anyway. A figure of a period that has
not ended changes from day to day and tells, on the day it changes, what happened to someone, which
hiding small cells cannot prevent: only a viewer who sees the persons anyway is shown such a period.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from casework.models import Team, User
from casework.rules import is_manager
from clients.models import ClientGroup
from clients.selectors import may_see_team
from monitoring.charts import format_value
from monitoring.indicators import Figure, Indicator, Row, Scope
from monitoring.indicators.base import hidden_as, suppression
from monitoring.periods import Period, PeriodKind
from monitoring.report_forms import FIRST_YEAR

# --- The scope asked for ----------------------------------------------------------------------


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

    def scope(self) -> Scope:
        """The valid filters as a scope; an invalid one is left out."""
        return Scope(team=self.cleaned_data.get("team"), group=self.cleaned_data.get("group"))


def with_own_team(user: User, data: QueryDict) -> QueryDict:
    """The filters asked for; a team leader without a team filter is on their own team ("all
    teams" is an explicit empty choice)."""
    filters = data.copy()
    if is_manager(user) and user.team_id is not None:
        filters.setdefault("team", str(user.team_id))
    return filters


def may_see_persons_in(user: User, scope: Scope) -> bool:
    """Whether the figure is about people the user may see one by one (a team leader's own
    team), so small cells need not be hidden."""
    return scope.team is not None and may_see_team(user, scope.team)


def effective_scope(indicator: Indicator, scope: Scope) -> Scope:
    """The scope without the filters the indicator cannot be split by."""
    return Scope(
        team=scope.team if indicator.by_team else None,
        group=scope.group if indicator.by_group else None,
    )


def suppresses(user: User, indicator: Indicator, scope: Scope) -> bool:
    """Whether the indicator's small cells are hidden from the user in this scope: unless it is
    about a team whose clients the user may see, once the filters the indicator cannot be split
    by are left out (a figure not split by team is about other teams' clients too)."""
    return not may_see_persons_in(user, effective_scope(indicator, scope))


def may_show(period: Period, *, suppress: bool, today: datetime.date) -> bool:
    """Whether a figure of the period may be shown to a viewer from whom small cells are hidden
    (`suppress`) or not: a period that has not ended only to those who see the persons."""
    return not suppress or period.end < today


# --- A figure as the viewer may see it --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Shown:
    """A figure on the page: `value` is None when there is none or it is suppressed."""

    value: Decimal | int | None
    text: str
    suppressed: bool = False


def shown_figure(
    figure: Figure, indicator: Indicator, *, suppress: bool
) -> tuple[Shown, list[tuple[str, Shown]]]:
    """The headline and the rows, hidden by the monitor's rule (suppression: small cells and a
    cell that would give one away) when `suppress`."""
    hidden = suppression(figure)

    def shown(value: Figure | Row, suppressed: bool) -> Shown:
        if suppress and suppressed:
            return Shown(None, hidden_as(value.people), suppressed=True)
        return Shown(value.value, format_value(value.value, indicator.unit))

    rows = zip(figure.rows, hidden.rows, strict=True)
    return shown(figure, hidden.headline), [
        (row.label, shown(row, suppressed)) for row, suppressed in rows
    ]


# --- One indicator's figure, as the API asks for it -------------------------------------------

PERIOD_FORMAT = re.compile(r"(?P<year>[0-9]{4})(?:-[Qq](?P<quarter>[1-4]))?")


def period_code(period: Period) -> str:
    """A year or a quarter as the API writes it (2025, 2025-Q1); also when cut at today."""
    if period.kind == PeriodKind.YEAR:
        return str(period.start.year)
    return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"


class FigureForm(DashboardFilterForm):
    """The period and the dashboard's filters of one indicator's figure, with the klantgroep by
    its code. Valid only for what the user may see: a period that has not ended only where the
    figure's small cells are not hidden from them (may_show); that period is then cut at today.

    `cleaned_data` then holds `period` (the period to compute), `scope` and `suppress`."""

    period = forms.CharField(required=False)

    def __init__(
        self, *args: Any, user: User, indicator: Indicator, today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].to_field_name = "code"  # type: ignore[attr-defined]
        self.user = user
        self.indicator = indicator
        self.today = today

    def clean_period(self) -> Period:
        text: str = self.cleaned_data["period"].strip()
        if not text:
            return Period.quarter_of(self.today).previous()  # the last quarter that has ended
        match = PERIOD_FORMAT.fullmatch(text)
        if match is None:
            raise forms.ValidationError(
                _("Give a quarter as 2025-Q1 or a year as 2025."), code="format"
            )
        year = int(match["year"])
        if year < FIRST_YEAR:
            raise forms.ValidationError(
                _("Figures start in %(year)d or later."),
                code="too_early",
                params={"year": FIRST_YEAR},
            )
        if match["quarter"]:
            period = Period.quarter(year, int(match["quarter"]))
        else:
            period = Period.year(year)
        if period.start > self.today:
            raise forms.ValidationError(_("This period has not begun yet."), code="future")
        return period

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        period: Period | None = cleaned.get("period")
        if period is None or self.errors:
            return cleaned
        scope = self.scope()
        suppress = suppresses(self.user, self.indicator, scope)
        if not may_show(period, suppress=suppress, today=self.today):
            self.add_error(
                "period",
                forms.ValidationError(
                    _(
                        "This period has not ended yet: figures are given for whole quarters "
                        "and years that have ended (up to %(last)s), except to a team leader for "
                        "a figure about their own team."
                    ),
                    code="not_ended",
                    params={"last": period_code(Period.quarter_of(self.today).previous())},
                ),
            )
            return cleaned
        if period.end > self.today:  # a team leader's own team: up to today
            period = Period(period.start, self.today, period.kind)
        cleaned.update(period=period, scope=scope, suppress=suppress)
        return cleaned
