"""The periodic monitor: every indicator for a period, compared with the previous period, with the
same quarter a year earlier (for quarters) and with the year's target; as a PDF for the council
and as CSV and XLSX with the same figures.

Nothing here reads a person: indicators return aggregates with the number of people behind them.
This module is the one place where figures are suppressed for the monitor: `collect` turns every
figure the suppression rule hides (monitoring.indicators.base.suppression: about fewer than
SMALL_CELL_THRESHOLD people, or one that would give such a figure away) into "< 5" before any
output is made, so the PDF, the CSV and the XLSX cannot differ in what they reveal.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Font

from casework.spreadsheets import append_row, csv_bytes, header_row, workbook_to_bytes
from instruments.selectors import BudgetOverview, BudgetRow
from monitoring.charts import format_difference, format_value, line_chart, unit_caption
from monitoring.indicators import Figure, Indicator, Row, Scope, Theme, Unit, budget
from monitoring.indicators.base import (
    HIDDEN,
    THEME_MEANING,
    THEME_TITLES,
    hidden_as,
    is_small_cell,
    ordered_indicators,
    shared_reads,
    suppression,
    trend_quarters,
)
from monitoring.models import Target
from monitoring.periods import Period, PeriodKind
from monitoring.snapshot import consistent_view, run_all

# Presentation, not policy: how many changes and missed targets the one-page summary names.
SUMMARY_CHANGES = 5
SUMMARY_MISSED_TARGETS = 5

# Units whose yearly target also holds for a part of the year (a share, an average). A count or an
# amount is a year's total: a quarter is not judged against it.
RATE_UNITS = (Unit.PERCENT, Unit.MONTHS)

Number = Decimal | int


@dataclasses.dataclass(frozen=True)
class Value:
    """A figure as policy staff may see it: a number, nothing (a share of nobody, a row that does
    not occur) or suppressed (about fewer than `threshold` people)."""

    number: Number | None
    unit: Unit
    threshold: int
    suppressed: bool = False
    difference: bool = False  # a change: signed, percentages in points
    hidden_as: str = HIDDEN  # what a suppressed value shows (base.hidden_as)

    def __str__(self) -> str:
        if self.suppressed:
            return self.hidden_as
        if self.difference and self.number is not None:
            return format_difference(self.number, self.unit)
        return format_value(self.number, self.unit)

    @property
    def export(self) -> Number | str | None:
        """For CSV and XLSX: the number itself, what a hidden one shows, or empty."""
        if self.suppressed:
            return self.hidden_as
        return self.number

    @property
    def shown(self) -> Number | None:
        """The number when it may be shown and exists."""
        return None if self.suppressed else self.number


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of an indicator's table: the headline (label "") or one breakdown row."""

    label: str
    current: Value
    previous: Value
    year_earlier: Value | None  # None when the period is not a quarter

    @property
    def difference(self) -> Value:
        """The change against the previous period; suppressed when either side is."""
        current, previous = self.current, self.previous
        if current.suppressed or previous.suppressed:
            return dataclasses.replace(
                current, number=None, suppressed=True, difference=True, hidden_as=HIDDEN
            )
        if current.number is None or previous.number is None:
            return dataclasses.replace(current, number=None, difference=True)
        return dataclasses.replace(
            current, number=current.number - previous.number, difference=True
        )

    @property
    def relative_change(self) -> Decimal | None:
        """The size of the change as a fraction of the previous value, for ranking changes."""
        current, previous = self.current.shown, self.previous.shown
        if current is None or previous is None or not previous or current == previous:
            return None
        return abs(Decimal(current - previous) / Decimal(previous))


@dataclasses.dataclass(frozen=True)
class Result:
    """An indicator in the monitor: its lines, target and chart."""

    indicator: Indicator
    headline: Line
    rows: tuple[Line, ...]
    target: Value | None
    target_year: int
    # Whether the target is compared with this period (see RATE_UNITS).
    target_applies: bool
    chart: SafeString  # the trend over the last quarters, server-rendered SVG

    @property
    def lines(self) -> tuple[Line, ...]:
        """The headline first, then the breakdown."""
        return (self.headline, *self.rows)

    @property
    def target_difference(self) -> Value | None:
        if self.target is None or not self.target_applies:
            return None
        return Line("", self.headline.current, self.target, None).difference

    @property
    def target_met(self) -> bool | None:
        """None when there is nothing to judge: no target, not this period, no direction, no
        value or a suppressed one."""
        current = self.headline.current.shown
        target = self.target.number if self.target and self.target_applies else None
        if target is None or current is None or self.indicator.higher_is_better is None:
            return None
        if self.indicator.higher_is_better:
            return current >= target
        return current <= target


@dataclasses.dataclass(frozen=True)
class Section:
    theme: Theme
    results: tuple[Result, ...]

    @property
    def title(self) -> str:
        return str(THEME_TITLES[self.theme])

    @property
    def meaning(self) -> str:
        return str(THEME_MEANING[self.theme])


@dataclasses.dataclass(frozen=True)
class Summary:
    """The one-page summary in plain words: what changed and why it matters."""

    introduction: str
    changes: tuple[str, ...]
    targets: tuple[str, ...]
    privacy: str


@dataclasses.dataclass(frozen=True)
class Monitor:
    period: Period
    previous: Period
    year_earlier: Period | None
    target_year: int
    threshold: int
    made_at: datetime.datetime
    sections: tuple[Section, ...]  # in Theme's order; the budget section is always there
    # The budget page's figures for the year as at the period's end: the budget section's summary
    # table of the budget indicators' figures.
    budget: BudgetOverview
    summary: Summary

    @property
    def results(self) -> Iterator[Result]:
        for section in self.sections:
            yield from section.results


def _values(figure: Figure, unit: Unit, threshold: int) -> tuple[Value, dict[str, Value]]:
    """The headline and the rows by label, as policy staff may see them (suppression)."""
    hidden = suppression(figure)

    def value(shown: Figure | Row, suppressed: bool) -> Value:
        if suppressed:
            return Value(None, unit, threshold, suppressed=True, hidden_as=hidden_as(shown.people))
        return Value(shown.value, unit, threshold)

    rows = zip(figure.rows, hidden.rows, strict=True)
    return value(figure, hidden.headline), {
        row.label: value(row, suppressed) for row, suppressed in rows
    }


def _lines(
    current: Figure,
    previous: Figure,
    year_earlier: Figure | None,
    unit: Unit,
    threshold: int,
) -> tuple[Line, tuple[Line, ...]]:
    """The headline and the breakdown rows, matched by label across the periods (a row that
    occurs in one period only shows a dash in the others)."""
    figures = [current, previous] + ([year_earlier] if year_earlier else [])
    labels = dict.fromkeys(row.label for figure in figures for row in figure.rows)
    shown = [_values(figure, unit, threshold) for figure in figures]
    nothing = Value(None, unit, threshold)

    def line(label: str, values: list[Value]) -> Line:
        return Line(label, values[0], values[1], values[2] if year_earlier else None)

    headline = line("", [headline for headline, _rows in shown])
    rows = tuple(
        line(label, [rows.get(label, nothing) for _headline, rows in shown]) for label in labels
    )
    return headline, rows


def _chart(
    indicator: Indicator, figures: Iterable[tuple[Period, Figure]], threshold: int
) -> SafeString:
    """The trend over the last quarters; a suppressed quarter is a gap."""
    points = [
        (quarter.label, _values(figure, indicator.unit, threshold)[0].shown)
        for quarter, figure in figures
    ]
    return line_chart(points, title=str(indicator.name), unit=indicator.unit)


def collect(period: Period, *, made_at: datetime.datetime) -> Monitor:
    """Compute every indicator for the period, the previous period and (quarters) the same
    quarter a year earlier, with the targets of the period's year. All of it from one consistent
    view of the data, the figures on several database connections at once (monitoring.snapshot).
    Each indicator's value per period is computed once (a quarter can be both the period and a
    point of the chart), and the reads indicators share are made once (shared_reads)."""
    with consistent_view() as snapshot, shared_reads():
        return _collect(period, made_at=made_at, snapshot=snapshot)


def _collect(period: Period, *, made_at: datetime.datetime, snapshot: str | None) -> Monitor:
    threshold = settings.SMALL_CELL_THRESHOLD
    previous = period.previous()
    year_earlier = period.a_year_earlier() if period.kind == PeriodKind.QUARTER else None
    target_year = period.end.year
    targets = dict(Target.objects.filter(year=target_year).values_list("indicator", "value"))
    scope = Scope()  # the whole municipality

    quarters = trend_quarters(period)
    periods = list(dict.fromkeys([period, previous, *filter(None, [year_earlier]), *quarters]))
    indicators = ordered_indicators()
    wanted = [(indicator, of) for indicator in indicators for of in periods]
    figures = run_all(
        [functools.partial(indicator.compute, of, scope) for indicator, of in wanted],
        snapshot=snapshot,
    )
    computed = dict(zip([(indicator.code, of) for indicator, of in wanted], figures, strict=True))

    def figure(indicator: Indicator, of: Period) -> Figure:
        return computed[indicator.code, of]

    results: dict[Theme, list[Result]] = {theme: [] for theme in Theme}
    for indicator in indicators:
        headline, rows = _lines(
            figure(indicator, period),
            figure(indicator, previous),
            figure(indicator, year_earlier) if year_earlier else None,
            indicator.unit,
            threshold,
        )
        target = targets.get(indicator.code)
        chart = _chart(indicator, [(q, figure(indicator, q)) for q in quarters], threshold)
        results[indicator.theme].append(
            Result(
                indicator=indicator,
                headline=headline,
                rows=rows,
                target=None if target is None else Value(target, indicator.unit, threshold),
                target_year=target_year,
                target_applies=period.kind == PeriodKind.YEAR or indicator.unit in RATE_UNITS,
                chart=chart,
            )
        )

    sections = tuple(
        Section(theme, tuple(results[theme]))
        for theme in Theme
        if results[theme] or theme == Theme.BUDGET
    )
    return Monitor(
        period=period,
        previous=previous,
        year_earlier=year_earlier,
        target_year=target_year,
        threshold=threshold,
        made_at=made_at,
        sections=sections,
        # As the budget indicators compute it: trajecten started by the period's end.
        budget=budget.overview_at(period),
        summary=summarise(
            sections,
            period=period,
            previous=previous,
            year_earlier=year_earlier,
            target_year=target_year,
            threshold=threshold,
        ),
    )


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def _change_sentence(result: Result, previous: Period) -> str:
    line = result.headline  # both values shown: the change was ranked
    words = {
        "name": result.indicator.name,
        "old": line.previous,
        "new": line.current,
        "previous": previous.label,
    }
    if (line.current.shown or 0) > (line.previous.shown or 0):
        sentence = _("%(name)s rose from %(old)s in %(previous)s to %(new)s.") % words
        better = result.indicator.higher_is_better
    else:
        sentence = _("%(name)s fell from %(old)s in %(previous)s to %(new)s.") % words
        better = (
            None
            if result.indicator.higher_is_better is None
            else (not result.indicator.higher_is_better)
        )
    if better is True:
        sentence += " " + _("That is an improvement.")
    elif better is False:
        sentence += " " + _("That is a deterioration.")
    return sentence


def summarise(
    sections: Iterable[Section],
    *,
    period: Period,
    previous: Period,
    year_earlier: Period | None,
    target_year: int,
    threshold: int,
) -> Summary:
    """The summary's sentences, made from the figures: the largest changes against the previous
    period (with why their theme matters) and the targets that were missed."""
    dates = {
        "period": period.label,
        "start": _day(period.start),
        "end": _day(period.end),
        "previous": previous.label,
    }
    if year_earlier:
        introduction = _(
            "This monitor covers %(period)s, from %(start)s to %(end)s. It compares the figures "
            "with %(previous)s and with the same quarter a year earlier, %(earlier)s."
        ) % {**dates, "earlier": year_earlier.label}
    else:
        introduction = (
            _(
                "This monitor covers %(period)s, from %(start)s to %(end)s. It compares the "
                "figures with %(previous)s."
            )
            % dates
        )

    results = [result for section in sections for result in section.results]
    # Not the budget: its amounts add up from the start of the year, so they always "fall" from
    # the fourth quarter to the first.
    ranked = sorted(
        (
            r
            for r in results
            if r.headline.relative_change is not None and r.indicator.theme != Theme.BUDGET
        ),
        key=lambda r: r.headline.relative_change or 0,
        reverse=True,
    )[:SUMMARY_CHANGES]
    changes = []
    explained: set[Theme] = set()
    for result in ranked:
        sentence = _change_sentence(result, previous)
        if result.indicator.theme not in explained:
            explained.add(result.indicator.theme)
            sentence += " " + str(THEME_MEANING[result.indicator.theme])
        changes.append(sentence)
    if not changes:
        changes.append(
            _("No indicator changed compared with %(previous)s.") % {"previous": previous.label}
        )

    judged = [r for r in results if r.target_met is not None]
    missed = [r for r in judged if not r.target_met]
    if judged:
        targets = [
            ngettext(
                "%(met)d of the %(count)d target that applies to this period was met.",
                "%(met)d of the %(count)d targets that apply to this period were met.",
                len(judged),
            )
            % {"met": len(judged) - len(missed), "count": len(judged)}
        ]
    else:
        targets = [_("No targets for %(year)s apply to this period.") % {"year": target_year}]
    for result in missed[:SUMMARY_MISSED_TARGETS]:
        targets.append(
            _("%(name)s is %(value)s, against a target of %(target)s for %(year)s.")
            % {
                "name": result.indicator.name,
                "value": result.headline.current,
                "target": result.target,
                "year": target_year,
            }
        )
    privacy = _(
        "Figures about fewer than %(threshold)d people are shown as “< %(threshold)d”, so that "
        "no one can be recognised. Where such a figure could be calculated from the total and "
        "the other figures, one more figure is hidden and shown as “x”."
    ) % {"threshold": threshold}
    return Summary(introduction, tuple(changes), tuple(targets), privacy)


# Outputs -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BudgetTableRow:
    label: str
    amounts: tuple[Value, ...]  # available, committed, realised, forecast
    overspending: bool


@dataclasses.dataclass(frozen=True)
class BudgetTables:
    lines: tuple[BudgetTableRow, ...]  # per budget line, with the total last
    groups: tuple[BudgetTableRow, ...]  # per client group


def budget_tables(monitor: Monitor) -> BudgetTables:
    def row(budget_row: BudgetRow, label: str) -> BudgetTableRow:
        # Budgets are set by the council; what was spent is about the clients behind it, so an
        # amount spent on fewer than the threshold of people is suppressed.
        people = (
            None,
            budget_row.clients,
            budget_row.realised_clients,
            budget_row.realised_clients,
        )
        amounts = tuple(
            Value(
                None if is_small_cell(n) else getattr(budget_row, measure),
                Unit.EURO,
                monitor.threshold,
                suppressed=is_small_cell(n),
                hidden_as=hidden_as(n),
            )
            for measure, n in zip(
                ("available", "committed", "realised", "forecast"), people, strict=True
            )
        )
        return BudgetTableRow(label, amounts, budget_row.overspending)

    budget = monitor.budget
    lines = [row(line, line.label) for line in budget.lines]
    if lines:
        lines.append(row(budget.total, _("Total")))
    return BudgetTables(tuple(lines), tuple(row(group, group.label) for group in budget.groups))


def render_html(monitor: Monitor) -> str:
    return render_to_string(
        "monitoring/reports/monitor_pdf.html",
        {"monitor": monitor, "budget": budget_tables(monitor)},
    )


def render_pdf(monitor: Monitor) -> bytes:
    """A tagged PDF (PDF/UA), so screen readers can read it too."""
    # Imported here: importing WeasyPrint parses its stylesheets (slow), which only the worker
    # that builds a monitor needs.
    from casework.pdf import html_to_pdf

    return html_to_pdf(render_html(monitor))


Cell = Number | str | None


def table(monitor: Monitor) -> tuple[list[str], list[list[Cell]]]:
    """The monitor's figures as one table (the CSV and the XLSX): one row per indicator line; the
    period columns are headed by the periods' names. (The PDF's budget overview is a summary of
    the budget indicators, which are here.)"""
    header = [
        _("Theme"),
        _("Code"),
        _("Indicator"),
        _("Breakdown"),
        _("Unit"),
        monitor.period.label,
        monitor.previous.label,
        _("Difference to previous period"),
    ]
    if monitor.year_earlier:
        header.append(monitor.year_earlier.label)
    header.append(_("Target %(year)s") % {"year": monitor.target_year})

    rows: list[list[Cell]] = []
    for section in monitor.sections:
        for result in section.results:
            indicator = result.indicator
            for line in (result.headline, *result.rows):
                row: list[Cell] = [
                    section.title,
                    indicator.code,
                    str(indicator.name),
                    line.label or _("Total"),
                    unit_caption(indicator.unit),
                    line.current.export,
                    line.previous.export,
                    line.difference.export,
                ]
                if monitor.year_earlier:
                    row.append(line.year_earlier.export if line.year_earlier else None)
                is_headline = line is result.headline
                row.append(result.target.export if result.target and is_headline else None)
                rows.append(row)

    return header, rows


def render_csv(monitor: Monitor) -> bytes:
    """UTF-8, comma-separated, decimal point: for analysis software (Excel users take the XLSX).
    Texts typed in by users cannot run as formulas (casework.spreadsheets)."""
    header, rows = table(monitor)
    return csv_bytes([header, *rows])


XLSX_FORMATS = {
    Unit.COUNT: "#,##0",
    Unit.PERCENT: "0.0",
    Unit.MONTHS: "0.0",
    Unit.EURO: "#,##0.00",
}


def render_xlsx(monitor: Monitor) -> bytes:
    """Three sheets: the figures (numbers as numbers, "< 5" as text), the definitions and an
    explanation of the monitor. Texts are texts, never formulas (append_row)."""
    header, rows = table(monitor)
    units = {unit_caption(unit): unit for unit in Unit}
    workbook = Workbook()
    figures = workbook.worksheets[0]
    figures.title = _("Figures")[:31]
    header_row(figures, header)
    for row in rows:
        cells = append_row(figures, row)
        number_format = XLSX_FORMATS[units[str(row[4])]]
        for cell in cells[5:]:
            if isinstance(cell.value, Decimal | int):
                cell.number_format = number_format
    figures.auto_filter.ref = figures.dimensions
    for column, width in zip("ABCDEFGHIJK", (22, 28, 48, 32, 10), strict=False):
        figures.column_dimensions[column].width = width

    definitions = workbook.create_sheet(_("Definitions")[:31])
    header_row(
        definitions,
        [
            _("Code"),
            _("Indicator"),
            _("Unit"),
            _("Numerator"),
            _("Denominator"),
            _("Population"),
            _("Period"),
            _("Breakdown"),
        ],
    )
    for result in monitor.results:
        indicator = result.indicator
        append_row(
            definitions,
            [
                indicator.code,
                str(indicator.name),
                unit_caption(indicator.unit),
                str(indicator.numerator),
                str(indicator.denominator),
                str(indicator.population),
                str(indicator.period),
                str(indicator.breakdown),
            ],
        )

    about = workbook.create_sheet(_("About")[:31])
    summary = monitor.summary
    for text in (
        _("Work and income monitor"),
        summary.introduction,
        _("Made on %(date)s.") % {"date": _day(monitor.made_at.date())},
        summary.privacy,
        _("Percentages are between 0 and 100; amounts are in euros."),
    ):
        append_row(about, [text])
    about["A1"].font = Font(bold=True, size=14)

    return workbook_to_bytes(workbook)


@dataclasses.dataclass(frozen=True)
class Files:
    pdf: bytes
    csv: bytes
    xlsx: bytes


def render(monitor: Monitor) -> Files:
    return Files(pdf=render_pdf(monitor), csv=render_csv(monitor), xlsx=render_xlsx(monitor))
