"""CSV and XLSX files, and cells that a spreadsheet shows as the text they are, never runs as a
formula.

Names of people, klantgroepen, instruments and providers are typed in by users and end up in
exports; a text such as "=HYPERLINK(...)" must not become a formula (OWASP: CSV injection).

Every export of a table (the caseload, the access log) writes its file with `render` and sends it
with `attachment_response`, so they all look and download the same."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

Cell = Decimal | int | float | str | datetime.date | None

# The formats of a table export, as they appear in its URL.
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What makes a spreadsheet read a text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(cell: Cell) -> Cell:
    """Empty for nothing; a text a spreadsheet would run as a formula gets a leading apostrophe,
    so it is shown as the text it is."""
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8, comma-separated, one line per row, every cell through csv_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode()


def append_row(sheet: Worksheet, row: Sequence[Cell]) -> tuple[XlsxCell | MergedCell, ...]:
    """Append a row in which every text is stored as text: openpyxl would store one that starts
    with "=" as a formula (and "#N/A" as an error)."""
    sheet.append(list(row))
    cells = sheet[sheet.max_row]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    return cells


def header_row(sheet: Worksheet, header: Sequence[Cell]) -> None:
    """The first row of a sheet: bold, and kept in view while scrolling."""
    for cell in append_row(sheet, header):
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def workbook_to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(
    title: str,
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    *,
    number_formats: Mapping[int, str] | None = None,
) -> bytes:
    """One sheet named `title`: the header, then the rows; `number_formats` maps a column's
    index to the Excel number format of its cells (dates, amounts)."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = title[:31]  # Excel's limit
    header_row(sheet, header)
    formats = (number_formats or {}).items()
    for row in rows:
        cells = append_row(sheet, row)
        for column, number_format in formats:
            cells[column].number_format = number_format
    return workbook_to_bytes(workbook)


def render(
    file_format: str,
    *,
    title: str,
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    number_formats: Mapping[int, str] | None = None,
) -> bytes:
    """A table as a CSV file (the title and number formats are the XLSX's only) or as an XLSX
    workbook of one sheet."""
    if file_format == "csv":
        return csv_bytes(itertools.chain([header], rows))
    return workbook_bytes(title, header, rows, number_formats=number_formats)


def attachment_response(
    content: bytes, file_format: str, name_parts: Iterable[str]
) -> HttpResponse:
    """A download of a file in one of FORMATS, named by the non-empty parts as slugs:
    "caseload-team-a-2026-11-24.csv"."""
    name = "-".join(slugify(part) for part in name_parts if part)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
