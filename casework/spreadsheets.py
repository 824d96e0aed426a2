"""CSV and XLSX cells that a spreadsheet shows as the text they are, never runs as a formula.

Names of people, klantgroepen, instruments and providers are typed in by users and end up in
exports; a text such as "=HYPERLINK(...)" must not become a formula (OWASP: CSV injection)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

Cell = Decimal | int | float | str | datetime.date | None

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
