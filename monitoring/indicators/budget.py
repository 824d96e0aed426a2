"""Indicators of the theme budget: allocation, committed, realised and forecast per budget line and
per klantgroep, and the BUIG against its budget.

Every figure comes from the budget page's sums (instruments.selectors.budget_overview) for the
calendar year the period ends in, as they stood on the period's last day: realised counts the
months up to and including the month the period ends in, committed only the trajecten started by
then, and the forecast is the run rate of those months. Two things are read as they stand now,
not as they stood then: the budget and allocation amounts (a change is logged in BudgetChange
but the row holds the new amount), and the months a traject ended early no longer commits
(ending one deletes the commitments after its end).

Budgets are municipal: the team filter never applies. The klantgroep filter applies to the
figures per klantgroep (a traject counts for the klantgroep recorded when it started).

Committed, realised and forecast amounts are about the clients whose trajecten they pay for: each
figure and row carries the number of distinct clients behind it (`people`), so an amount about
fewer than SMALL_CELL_THRESHOLD clients (one client's traject cost) is suppressed like any small
cell. Budget and allocation amounts are set by the council, not about people (`people` None).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from instruments.selectors import BudgetOverview, BudgetRow, budget_overview
from monitoring.indicators.base import Figure, Row, Scope, Theme, Unit, register, shared
from monitoring.periods import Period

# The code of the BUIG line (uitkeringen) as migration instruments 0002 loads it.
BUIG_CODE = "buig"

Measure = Callable[[BudgetRow], Decimal | None]
# The people behind a measure: None for amounts that are not about people.
People = Callable[[BudgetRow], int | None]


def _not_about_people(row: BudgetRow) -> None:
    return None


def _committed_clients(row: BudgetRow) -> int:
    return row.clients


def _realised_clients(row: BudgetRow) -> int:
    """The clients behind the realised amount, and so behind the forecast made from it."""
    return row.realised_clients


_PERIOD = _(
    "The calendar year the period ends in, up to and including the month the period ends in."
)
_LINES = _("Every budget line.")
_GROUPS = _(
    "Every klantgroep; a traject counts for the klantgroep recorded when it started, and the "
    "row without a klantgroep is intake, granting the benefit and clients without a group."
)
_COMMITTED = _(
    "The commitments (verplichtingen) in the year of the trajecten started on or before the "
    "period's last day: each traject's cost spread over the months it runs, or over its "
    "instalments. A traject ended early no longer commits the months after its end."
)
_REALISED = _(
    "The commitments of the months of the year up to and including the month the period ends "
    "in (realisatie), of the trajecten started on or before the period's last day."
)
_FORECAST = _(
    "The forecast to year-end (prognose): realised divided by the months of the year up to the "
    "period's end, times 12."
)


def overview_at(period: Period) -> BudgetOverview:
    """The budget page's figures for the period's year as they stood on its last day: read once
    for all the budget indicators of a period within shared_reads()."""
    return shared(
        ("budget_overview", period.end),
        lambda: budget_overview(year=period.end.year, today=period.end, started_by=period.end),
    )


def _total(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, Decimal("0.00")) if known else None


def _per_line(period: Period, measure: Measure, people: People) -> Figure:
    overview = overview_at(period)
    rows = tuple(Row(row.label, measure(row), people(row)) for row in overview.lines)
    return Figure(measure(overview.total), people(overview.total), rows)


def _per_group(period: Period, scope: Scope, measure: Measure, people: People) -> Figure:
    overview = overview_at(period)
    groups = overview.groups
    # The groups' rows, the one without a klantgroep included, add up to the total.
    whole: BudgetRow | None = overview.total
    if scope.group is not None:
        groups = [row for row in groups if row.key == scope.group.code]
        whole = groups[0] if groups else None
    return Figure(
        _total([measure(row) for row in groups]),
        None if whole is None else people(whole),
        tuple(Row(row.label, measure(row), people(row)) for row in groups),
    )


def _define(
    *,
    code: str,
    name: Promise,
    numerator: Promise,
    measure: Measure,
    people: People,
    per_group: bool,
) -> None:
    """Register one budget figure, per budget line or per klantgroep."""

    def compute(period: Period, scope: Scope) -> Figure:
        if per_group:
            return _per_group(period, scope, measure, people)
        return _per_line(period, measure, people)

    register(
        code=code,
        name=name,
        theme=Theme.BUDGET,
        unit=Unit.EURO,
        numerator=numerator,
        denominator="",
        population=_GROUPS if per_group else _LINES,
        period=_PERIOD,
        breakdown=_("Per klantgroep: the klantgroep recorded on the traject when it started.")
        if per_group
        else _("Per budget line."),
        by_team=False,
        by_group=per_group,
    )(compute)


_define(
    code="budget_available_by_line",
    name=_("Budget per budget line (begroting per begrotingspost)"),
    numerator=_(
        "The amount budgeted on each line for the year (as it stands now: a later change to "
        "the budget changes this figure)."
    ),
    measure=lambda row: row.available,
    people=_not_about_people,
    per_group=False,
)
_define(
    code="budget_committed_by_line",
    name=_("Committed per budget line (verplicht per begrotingspost)"),
    numerator=_COMMITTED,
    measure=lambda row: row.committed,
    people=_committed_clients,
    per_group=False,
)
_define(
    code="budget_realised_by_line",
    name=_("Realised per budget line (gerealiseerd per begrotingspost)"),
    numerator=_REALISED,
    measure=lambda row: row.realised,
    people=_realised_clients,
    per_group=False,
)
_define(
    code="budget_forecast_by_line",
    name=_("Forecast to year-end per budget line (prognose per begrotingspost)"),
    numerator=_FORECAST,
    measure=lambda row: row.forecast,
    people=_realised_clients,
    per_group=False,
)
_define(
    code="budget_allocated_by_group",
    name=_("Allocation per klantgroep (toewijzing per klantgroep)"),
    numerator=_(
        "The amounts of the year's budgets allocated to each klantgroep, over all executing "
        "organisations (as they stand now: a later change changes this figure)."
    ),
    measure=lambda row: row.available,
    people=_not_about_people,
    per_group=True,
)
_define(
    code="budget_committed_by_group",
    name=_("Committed per klantgroep (verplicht per klantgroep)"),
    numerator=_COMMITTED,
    measure=lambda row: row.committed,
    people=_committed_clients,
    per_group=True,
)
_define(
    code="budget_realised_by_group",
    name=_("Realised per klantgroep (gerealiseerd per klantgroep)"),
    numerator=_REALISED,
    measure=lambda row: row.realised,
    people=_realised_clients,
    per_group=True,
)
_define(
    code="budget_forecast_by_group",
    name=_("Forecast to year-end per klantgroep (prognose per klantgroep)"),
    numerator=_FORECAST,
    measure=lambda row: row.forecast,
    people=_realised_clients,
    per_group=True,
)


# --- The BUIG ----------------------------------------------------------------------------------

_BUIG_POPULATION = _(
    "The BUIG line (uitkeringen) as far as this system records spending on it: the trajecten "
    "paid from it, such as loonkostensubsidie. Benefit payments themselves are not recorded "
    "here."
)


def _buig(period: Period) -> BudgetRow | None:
    """The BUIG line's row of the budget figures; None when there is no such line."""
    return next((row for row in overview_at(period).lines if row.key == BUIG_CODE), None)


@register(
    code="budget_buig",
    name=_("BUIG spending (besteding BUIG)"),
    theme=Theme.BUDGET,
    unit=Unit.EURO,
    numerator=_REALISED,
    denominator="",
    population=_BUIG_POPULATION,
    period=_PERIOD,
    breakdown=_("Budget, committed, realised and forecast to year-end."),
    by_team=False,
    by_group=False,
)
def budget_buig(period: Period, scope: Scope) -> Figure:
    row = _buig(period)
    if row is None:
        return Figure(None)
    return Figure(
        row.realised,
        row.realised_clients,
        (
            Row(gettext("Budget"), row.available),
            Row(gettext("Committed"), row.committed, row.clients),
            Row(gettext("Realised"), row.realised, row.realised_clients),
            Row(gettext("Forecast to year-end"), row.forecast, row.realised_clients),
        ),
    )


def _share(amount: Decimal | None, budget: Decimal) -> Decimal | None:
    """A percentage of the budget with one decimal; None without a budget."""
    if amount is None or not budget:
        return None
    return (Decimal(100) * amount / budget).quantize(Decimal("0.1"))


@register(
    code="budget_buig_share",
    name=_("BUIG spending against its budget (besteding BUIG ten opzichte van de begroting)"),
    theme=Theme.BUDGET,
    unit=Unit.PERCENT,
    numerator=_REALISED,
    denominator=_("The amount budgeted on the BUIG line for the year (as it stands now)."),
    population=_BUIG_POPULATION,
    period=_PERIOD,
    breakdown=_("Committed, realised and forecast to year-end, each as a share of the budget."),
    by_team=False,
    by_group=False,
)
def budget_buig_share(period: Period, scope: Scope) -> Figure:
    row = _buig(period)
    if row is None:
        return Figure(None)
    return Figure(
        _share(row.realised, row.available),
        row.realised_clients,
        (
            Row(gettext("Committed"), _share(row.committed, row.available), row.clients),
            Row(gettext("Realised"), _share(row.realised, row.available), row.realised_clients),
            Row(
                gettext("Forecast to year-end"),
                _share(row.forecast, row.available),
                row.realised_clients,
            ),
        ),
    )
