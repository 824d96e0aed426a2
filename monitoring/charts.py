"""Charts as SVG, drawn on the server: the same markup on the dashboard and in the PDF monitor
(WeasyPrint runs no JavaScript, so nothing here needs any).

Every chart is readable without colour: one series, a marker and a printed value at each point or
bar, and the values in words in its <desc>. It names itself to assistive technology
(role="img", aria-labelledby its <title> and <desc>). It carries its own presentation as SVG
attributes (no stylesheet, no external font: the generic "sans-serif"), so it looks the same in a
browser and in a PDF. The page that shows a chart also shows its numbers as a table.

All text is escaped (format_html), so the result is safe to put in a template as is.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from casework import formatting
from casework.formatting import NO_VALUE
from monitoring.indicators.base import Unit

Value = Decimal | int | None
Point = tuple[str, Value]

# The drawing, in SVG user units (1 unit = 1 CSS pixel; a 640 wide chart fits an A4 page's
# text width at 96 dpi).
WIDTH = 640
FONT_SIZE = 12
INK = "#1a1a1a"  # text: the site's text colour
LINE = "#00437a"  # the series: the site's brand colour, 10:1 against white
GRID = "#c8c8c8"  # grid lines are decoration; the values are printed
MINUS = "\u2212"  # a real minus sign, as wide as the plus
CHARACTER_WIDTH = 7  # an estimate for bold 12px sans-serif, to size the box behind a value
# Longer labels on a bar chart are shortened (the whole label is in the table and the tooltip).
MAX_LABEL_CHARACTERS = 32

DECIMALS = {Unit.COUNT: 0, Unit.PERCENT: 1, Unit.MONTHS: 1, Unit.EURO: 2}


def format_value(value: Value, unit: Unit) -> str:
    """A figure as people read it, in the active language: 1.234 · 12,5% · 14,2 months ·
    € 1.234,56. No value is a dash."""
    if value is None:
        return NO_VALUE
    number = formatting.number(value, DECIMALS[unit])
    match unit:
        case Unit.PERCENT:
            return _("%(value)s%%") % {"value": number}
        case Unit.MONTHS:
            return _("%(value)s months") % {"value": number}
        case Unit.EURO:
            return formatting.euro(value, DECIMALS[unit])
    return number


def format_difference(value: Decimal | int, unit: Unit) -> str:
    """A change between two figures, always signed: +3, -2,5 percentage points (with a real minus
    sign), +€ 1.000,00; no change is ±0."""
    sign = "+" if value > 0 else MINUS if value < 0 else "±"
    number = formatting.number(abs(Decimal(value)), DECIMALS[unit])
    match unit:
        case Unit.PERCENT:
            return _("%(sign)s%(value)s percentage points") % {"sign": sign, "value": number}
        case Unit.MONTHS:
            return _("%(sign)s%(value)s months") % {"sign": sign, "value": number}
        case Unit.EURO:
            return _("%(sign)s€ %(value)s") % {"sign": sign, "value": number}
    return f"{sign}{number}"


def _short_value(value: Decimal | int, unit: Unit) -> str:
    """The value printed next to a point or bar: no unit words (the axis names the unit), whole
    euros, millions of euros shortened, so eight of them fit side by side."""
    match unit:
        case Unit.PERCENT:
            return _("%(value)s%%") % {"value": formatting.number(value, 1)}
        case Unit.MONTHS:
            return formatting.number(value, 1)
        case Unit.EURO if abs(Decimal(value)) >= 1_000_000:
            return _("€ %(value)s mln") % {
                "value": formatting.number(Decimal(value) / 1_000_000, 1)
            }
        case Unit.EURO if abs(Decimal(value)) >= 10_000:
            return _("€ %(value)sk") % {"value": formatting.number(Decimal(value) / 1_000, 0)}
        case Unit.EURO:
            return formatting.euro(value, 0)
    return formatting.number(value, 0)


def unit_caption(unit: Unit) -> str:
    match unit:
        case Unit.PERCENT:
            return _("percent")
        case Unit.MONTHS:
            return _("months")
        case Unit.EURO:
            return _("euro")
    return pgettext("unit of a count", "number")


def _chart_id(chart_id: str | None, kind: str, title: str, points: Sequence[Point]) -> str:
    """The id the chart's <title> and <desc> are named by: given, or derived from the content
    (stable, so the same chart renders the same markup)."""
    if chart_id:
        return chart_id
    digest = hashlib.sha256(repr((kind, title, list(points))).encode()).hexdigest()
    return f"chart-{digest[:12]}"


def _description(title: str, points: Sequence[Point], unit: Unit) -> str:
    if not points:
        return _("%(title)s: no figures.") % {"title": title}
    values = "; ".join(f"{label}: {format_value(value, unit)}" for label, value in points)
    return _("%(title)s. %(values)s.") % {"title": title, "values": values}


def _svg(
    *, chart_id: str, height: int, title: str, description: str, body: SafeString
) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-labelledby="{id}-title {id}-desc" width="{width}" height="{height}" '
        'viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="{font_size}" fill="{ink}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{body}</svg>",
        id=chart_id,
        width=WIDTH,
        height=height,
        font_size=FONT_SIZE,
        ink=INK,
        title=title,
        description=description,
        body=body,
    )


def _scale(values: Sequence[Decimal | int], unit: Unit) -> tuple[float, float, float]:
    """The axis: (bottom, top, step), with round steps (1, 2 or 5 times a power of 10) and 0
    always on it."""
    low = float(min(0, *values)) if values else 0.0
    high = float(max(0, *values)) if values else 0.0
    span = (high - low) or 1.0
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if raw <= f * magnitude)
    if unit == Unit.COUNT:
        step = max(step, 1.0)  # no half people
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top == bottom:
        top = bottom + step
    return bottom, top, step


def _f(number: float) -> str:
    """A coordinate, to a tenth of a pixel."""
    return f"{number:.1f}"


def line_chart(
    points: Sequence[tuple[str, Decimal | int | None]],
    *,
    title: str | Promise,
    unit: Unit,
    chart_id: str | None = None,
) -> SafeString:
    """A trend: one labelled point per period, oldest first, joined by a line; a period without
    a value (None: no figure, or suppressed) leaves a gap and prints a dash."""
    title = str(title)
    chart_id = _chart_id(chart_id, "line", title, points)
    height = 260
    left, right, top, bottom = 80, 16, 36, 36  # room for the axis, the labels above points
    plot_width, plot_height = WIDTH - left - right, height - top - bottom
    known = [value for _label, value in points if value is not None]
    low, high, step = _scale(known, unit)

    def y(value: float) -> float:
        return top + plot_height * (high - value) / (high - low)

    def x(index: int) -> float:
        return left + plot_width * (index + 0.5) / max(len(points), 1)

    parts: list[SafeString] = [
        format_html(
            '<text x="{x}" y="{y}" font-size="11">{unit}</text>',
            x=_f(left - 8),
            y=_f(top - 20),
            unit=unit_caption(unit),
        )
    ]
    decimals = max(0, -math.floor(math.log10(step)))
    for index in range(round((high - low) / step) + 1):
        tick = low + index * step
        is_zero = abs(tick) < step / 2
        parts.append(
            format_html(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{colour}" '
                'stroke-width="{width}"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end">{label}</text>',
                x1=_f(left),
                x2=_f(WIDTH - right),
                y=_f(y(tick)),
                colour=INK if is_zero else GRID,
                width=1.5 if is_zero else 1,
                tx=_f(left - 8),
                ty=_f(y(tick) + 4),
                label=formatting.number(0 if is_zero else tick, decimals),
            )
        )
    # The line, broken where a period has no value.
    runs: list[list[tuple[float, float]]] = [[]]
    for index, (_label, value) in enumerate(points):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((x(index), y(float(value))))
    for run in runs:
        if len(run) > 1:
            parts.append(
                format_html(
                    '<polyline points="{points}" fill="none" stroke="{colour}" '
                    'stroke-width="2.5" stroke-linejoin="round"/>',
                    points=" ".join(f"{_f(px)},{_f(py)}" for px, py in run),
                    colour=LINE,
                )
            )
    for index, (label, value) in enumerate(points):
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="middle">{label}</text>',
                x=_f(x(index)),
                y=_f(height - bottom + 20),
                label=label,
            )
        )
        if value is None:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle">{dash}</text>',
                    x=_f(x(index)),
                    y=_f(y(max(low, 0)) - 8),
                    dash=NO_VALUE,
                )
            )
            continue
        point_y = y(float(value))
        text = _short_value(value, unit)
        # A white box behind the value keeps it legible where the line runs through it
        # (estimated width: WeasyPrint knows no paint-order, so a text halo would hide it).
        box_width = len(text) * CHARACTER_WIDTH + 4
        parts.append(
            format_html(
                '<circle cx="{x}" cy="{y}" r="4.5" fill="{colour}" stroke="#fff" '
                'stroke-width="1.5"/>'
                '<rect x="{bx}" y="{by}" width="{bw}" height="15" rx="2" fill="#fff" '
                'fill-opacity="0.85"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle" font-weight="bold">{label}</text>',
                x=_f(x(index)),
                y=_f(point_y),
                colour=LINE,
                bx=_f(x(index) - box_width / 2),
                by=_f(point_y - 22),
                bw=_f(box_width),
                ty=_f(point_y - 10),
                label=text,
            )
        )
    return _svg(
        chart_id=chart_id,
        height=height,
        title=title,
        description=_description(title, points, unit),
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )


def bar_chart(
    bars: Sequence[tuple[str, Decimal | int | None]],
    *,
    title: str | Promise,
    unit: Unit,
    chart_id: str | None = None,
) -> SafeString:
    """A breakdown: one horizontal bar per row, its label on the left and its value printed at
    its end; a row without a value (None) has no bar and prints a dash."""
    title = str(title)
    chart_id = _chart_id(chart_id, "bar", title, bars)
    row_height, top, bottom = 28, 8, 8
    height = top + row_height * max(len(bars), 1) + bottom
    label_width, value_width = 232, 96
    plot_left, plot_right = label_width, WIDTH - value_width
    known = [value for _label, value in bars if value is not None]
    low = float(min(0, *known)) if known else 0.0
    high = float(max(0, *known)) if known else 0.0

    def x(value: float) -> float:
        if high == low:
            return plot_left
        return plot_left + (plot_right - plot_left) * (value - low) / (high - low)

    zero = x(0)
    parts: list[SafeString] = []
    for index, (label, value) in enumerate(bars):
        row_top = top + index * row_height
        middle = row_top + row_height / 2 + 4
        shown_label = format_html("{}", label)
        if len(label) > MAX_LABEL_CHARACTERS:
            # Shortened, with the whole label as its tooltip.
            shown_label = format_html(
                "<title>{}</title>{}", label, label[: MAX_LABEL_CHARACTERS - 1].rstrip() + "…"
            )
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="end">{label}</text>',
                x=_f(label_width - 8),
                y=_f(middle),
                label=shown_label,
            )
        )
        if value is None:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}">{dash}</text>',
                    x=_f(zero + 6),
                    y=_f(middle),
                    dash=NO_VALUE,
                )
            )
            continue
        end = x(float(value))
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{colour}"/>'
                '<text x="{tx}" y="{ty}" font-weight="bold">{value}</text>',
                x=_f(min(zero, end)),
                y=_f(row_top + 5),
                width=_f(abs(end - zero)),
                height=_f(row_height - 10),
                colour=LINE,
                tx=_f(max(zero, end) + 6),
                ty=_f(middle),
                value=_short_value(value, unit),
            )
        )
    if not bars:
        parts.append(
            format_html(
                '<text x="{x}" y="{y}">{text}</text>',
                x=_f(plot_left),
                y=_f(top + row_height / 2 + 4),
                text=_("No figures."),
            )
        )
    parts.append(
        format_html(
            '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{colour}" stroke-width="1.5"/>',
            x=_f(zero),
            y1=_f(top),
            y2=_f(height - bottom),
            colour=INK,
        )
    )
    return _svg(
        chart_id=chart_id,
        height=height,
        title=title,
        description=_description(title, bars, unit),
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )
