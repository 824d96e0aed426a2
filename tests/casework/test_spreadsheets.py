"""The one way table exports are written and downloaded (casework.spreadsheets)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from casework import spreadsheets

HEADER = ["Name", "Since", "Amount"]
ROWS = [['=HYPERLINK("x")', datetime.date(2026, 1, 2), Decimal("12.50")], ["Bea", None, 3]]


def test_a_csv_has_the_header_then_the_rows_and_no_formulas():
    content = spreadsheets.render("csv", title="Ignored", header=HEADER, rows=iter(ROWS))
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows == [HEADER, ['\'=HYPERLINK("x")', "2026-01-02", "12.50"], ["Bea", "", "3"]]


def test_an_xlsx_has_one_sheet_with_a_bold_fixed_header_and_number_formats():
    content = spreadsheets.render(
        "xlsx",
        title="A title longer than the thirty-one characters Excel allows",
        header=HEADER,
        rows=iter(ROWS),  # an iterator is enough: the rows are written as they come
        number_formats={1: "DD-MM-YYYY"},
    )
    (sheet,) = load_workbook(io.BytesIO(content)).worksheets
    assert sheet.title == "A title longer than the thirty-o"[:31]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    formula, since, _amount = sheet[2]
    assert formula.value == '=HYPERLINK("x")'
    assert formula.data_type == "s"  # text, not a formula
    assert since.number_format == "DD-MM-YYYY"
    assert since.value == datetime.datetime(2026, 1, 2)


@pytest.mark.parametrize("file_format", spreadsheets.FORMATS)
def test_the_download_is_named_by_its_parts_as_slugs(file_format):
    response = spreadsheets.attachment_response(
        b"content", file_format, ("Caseload", "", "Team Één", "2026-11-24")
    )
    assert response["Content-Type"] == spreadsheets.CONTENT_TYPES[file_format]
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="caseload-team-een-2026-11-24.{file_format}"'
    )
    assert response.content == b"content"
