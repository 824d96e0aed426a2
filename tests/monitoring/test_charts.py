import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from monitoring.charts import (
    MINUS,
    NO_VALUE,
    bar_chart,
    format_difference,
    format_value,
    line_chart,
)
from monitoring.indicators.base import Unit

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = ["Q3 2023", "Q4 2023", "Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024", "Q1 2025", "Q2 2025"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 (our own markup)


def texts(root):
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_a_line_chart_is_an_image_named_by_its_title_and_description():
    points = list(zip(QUARTERS, [12, 15, 14, 20, 18, 22, 25, 27], strict=True))
    root = parse(line_chart(points, title="Inflow", unit=Unit.COUNT, chart_id="trend-inflow"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id == "trend-inflow-title"
    assert root.find(f"{SVG}title").text == "Inflow"
    description = root.find(f"{SVG}desc")
    assert description.get("id") == desc_id
    assert "Q3 2023: 12" in description.text
    assert "Q2 2025: 27" in description.text
    # Sized for print, with its own font and no stylesheet.
    assert (root.get("width"), root.get("height")) == ("640", "260")
    assert root.get("viewBox") == "0 0 640 260"
    assert root.get("font-family") == "sans-serif"
    assert root.find(f"{SVG}style") is None


def test_every_point_has_a_marker_and_its_value_printed_not_colour_alone():
    points = list(
        zip(QUARTERS[:4], [Decimal("12.5"), Decimal("40"), 0, Decimal("41.2")], strict=True)
    )
    root = parse(line_chart(points, title="Share", unit=Unit.PERCENT))
    assert len(root.findall(f".//{SVG}circle")) == 4
    labels = texts(root)
    for value in ("12.5%", "40.0%", "0.0%", "41.2%"):
        assert value in labels
    for quarter in QUARTERS[:4]:
        assert quarter in labels
    assert "percent" in labels  # the axis names the unit


def test_a_missing_value_breaks_the_line_and_prints_a_dash():
    points = [("a", 1), ("b", 2), ("c", None), ("d", 3), ("e", 4)]
    root = parse(line_chart(points, title="Gaps", unit=Unit.COUNT))
    assert len(root.findall(f".//{SVG}polyline")) == 2
    assert len(root.findall(f".//{SVG}circle")) == 4
    assert NO_VALUE in texts(root)
    assert f"c: {NO_VALUE}" in root.find(f"{SVG}desc").text


def test_all_text_is_escaped():
    nasty = '<script>alert("x")</script> & Co'
    svg = line_chart([(nasty, 1)], title=nasty, unit=Unit.COUNT)
    assert "<script" not in svg
    root = parse(svg)  # well-formed
    assert root.find(f"{SVG}title").text == nasty
    assert nasty in texts(root)
    bars = bar_chart([(nasty, 1)], title=nasty, unit=Unit.COUNT)
    assert "<script" not in bars
    assert parse(bars).find(f"{SVG}title").text == nasty


def test_charts_without_any_value_are_still_well_formed():
    root = parse(line_chart([("a", None), ("b", None)], title="Nothing", unit=Unit.PERCENT))
    assert root.findall(f".//{SVG}circle") == []
    root = parse(line_chart([], title="Empty", unit=Unit.COUNT))
    assert "no figures" in root.find(f"{SVG}desc").text
    root = parse(bar_chart([], title="Empty", unit=Unit.COUNT))
    assert "No figures." in texts(root)


def test_the_id_is_stable_per_content_and_distinct_between_charts():
    one = line_chart([("a", 1)], title="One", unit=Unit.COUNT)
    assert one == line_chart([("a", 1)], title="One", unit=Unit.COUNT)
    two = line_chart([("a", 2)], title="One", unit=Unit.COUNT)
    assert parse(one).get("aria-labelledby") != parse(two).get("aria-labelledby")


def test_the_axis_includes_zero_and_negative_values():
    root = parse(line_chart([("a", -3), ("b", 4)], title="Saldo", unit=Unit.COUNT))
    labels = texts(root)
    assert "0" in labels
    assert any(label.startswith("-") for label in labels)


def test_a_bar_chart_prints_each_value_at_its_bar():
    bars = [("Matchen", 12), ("Groeien", 30), ("Faciliteren", None), ("Zorgen", 0)]
    root = parse(bar_chart(bars, title="Per group", unit=Unit.COUNT, chart_id="b"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "b-title b-desc"
    assert len(root.findall(f".//{SVG}rect")) == 3  # no bar without a value
    labels = texts(root)
    for label in ("Matchen", "12", "Groeien", "30", "Faciliteren", NO_VALUE, "Zorgen", "0"):
        assert label in labels
    assert f"Faciliteren: {NO_VALUE}" in root.find(f"{SVG}desc").text


def test_a_long_bar_label_is_shortened_with_the_whole_label_as_tooltip():
    label = "Re-integratietraject bij een zeer lange naam van een aanbieder"
    root = parse(bar_chart([(label, Decimal("1500.00"))], title="t", unit=Unit.EURO))
    text = next(
        element for element in root.iter(f"{SVG}text") if element.find(f"{SVG}title") is not None
    )
    assert text.find(f"{SVG}title").text == label
    assert text.find(f"{SVG}title").tail.endswith("…")
    assert "€ 1,500" in texts(root)
    assert label in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234, Unit.COUNT, "1,234"),
        (Decimal("12.5"), Unit.PERCENT, "12.5%"),
        (Decimal("14.2"), Unit.MONTHS, "14.2 months"),
        (Decimal("1234.5"), Unit.EURO, "€ 1,234.50"),
        (None, Unit.COUNT, NO_VALUE),
    ],
)
def test_values_are_formatted_per_unit(value, unit, text):
    assert format_value(value, unit) == text


def test_values_follow_the_active_language():
    with translation.override("nl"):
        assert format_value(1234, Unit.COUNT) == "1.234"
        assert format_value(Decimal("1234.5"), Unit.EURO).endswith("1.234,50")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (3, Unit.COUNT, "+3"),
        (-2, Unit.COUNT, f"{MINUS}2"),
        (0, Unit.COUNT, "±0"),
        (Decimal("-2.5"), Unit.PERCENT, f"{MINUS}2.5 percentage points"),
        (Decimal("1000"), Unit.EURO, "+€ 1,000.00"),
    ],
)
def test_differences_are_signed(value, unit, text):
    assert format_difference(value, unit) == text


def test_weasyprint_draws_the_charts_on_one_page_with_their_values():
    from weasyprint import HTML

    trend = line_chart(
        list(zip(QUARTERS, [6236000, 38800000, 1200000, 900000, 0, 1, 2, 3], strict=True)),
        title="Spending",
        unit=Unit.EURO,
    )
    bars = bar_chart([("Matchen", 12), ("Groeien", 30)], title="Per group", unit=Unit.COUNT)
    pdf = HTML(string=f"<html><body>{trend}{bars}</body></html>").write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for value in ("€ 38.8 mln", "€ 900k", "Q2 2025", "Groeien", "30"):
        assert value in text
