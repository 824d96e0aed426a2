"""Reading and validating a client-base import (CSV or XLSX): pure functions, no writes.

The column layout lives in COLUMNS, once: the validator reads it and the template writer writes
it. The layout is documented in docs/import.md. Row numbers are the file's own (the header is
row 1), so a user finds a reported row in the spreadsheet.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile, ZipFile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from casework.models import Team
from casework.spreadsheets import header_row
from clients.bsn import clean_bsn, normalise_bsn
from clients.models import (
    BenefitScheme,
    Client,
    ClientGroup,
    EducationLevel,
    Gender,
    HouseholdType,
    LadderStep,
    OutflowReason,
)


class UnreadableFileError(ValueError):
    """The file is not CSV or XLSX as expected; the message is for the user."""


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False


# The layout of an import file, in the template's order. Columns that are not required may be
# left out of the file altogether; some become required when a related column is filled in
# (see _validate_row).
COLUMNS: tuple[Column, ...] = (
    Column("bsn", required=True),
    Column("voornaam", required=True),
    Column("tussenvoegsel"),
    Column("achternaam", required=True),
    Column("geboortedatum", required=True),
    Column("geslacht", required=True),
    Column("huishouden", required=True),
    Column("opleidingsniveau", required=True),
    Column("team", required=True),
    Column("regeling"),
    Column("uitkering_start"),
    Column("uitkering_einde"),
    Column("uitstroomreden"),
    Column("klantgroep"),
    Column("klantgroep_sinds"),
    Column("trede"),
    Column("doeltrede"),
    Column("trede_datum"),
)
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)

# Dutch letters accepted for geslacht besides the stored codes (v = vrouw, o = onbekend).
GENDER_ALIASES = {"v": Gender.FEMALE.value, "o": Gender.UNKNOWN.value}

# Accepted date notations in CSV cells (XLSX date cells are read as dates).
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    """One valid row, as field values for the models (team, group and steps are instances)."""

    number: int
    bsn: str
    client: dict[str, Any]
    benefit: dict[str, Any] | None
    group: dict[str, Any] | None
    ladder: dict[str, Any] | None


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0  # data rows read (empty rows not counted)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def invalid_rows(self) -> int:
        return len({problem.row for problem in self.problems if problem.row > 1})


@dataclass(frozen=True)
class ReferenceData:
    """The policy lists a row is checked against, read in one query each."""

    teams: dict[str, Team]
    groups: dict[str, ClientGroup]
    steps: dict[int, LadderStep]

    @classmethod
    def load(cls) -> ReferenceData:
        return cls(
            teams={team.name.casefold(): team for team in Team.objects.all()},
            groups={group.code: group for group in ClientGroup.objects.filter(is_active=True)},
            steps={step.number: step for step in LadderStep.objects.all()},
        )


# ---------------------------------------------------------------------------------------------
# Reading


def _not_text_message() -> str:
    return _(
        "This is not a CSV file: it is not text in UTF-8 or Windows-1252. Save the file in Excel "
        "as CSV, or choose the XLSX file."
    )


# Control characters other than tab, line feed and carriage return: not in any CSV a person made.
_BINARY_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What [Content_Types].xml of an Excel workbook (.xlsx, no macros) declares for its workbook part.
_XLSX_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

# What openpyxl raises for a zip that is damaged or not quite a workbook: bad zip data, missing
# or broken parts, XML that does not parse (ParseError is a SyntaxError), values out of range.
_XLSX_ERRORS = (
    BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    SyntaxError,
    zlib.error,
)


def read_table(stream: IO[bytes], filename: str) -> list[list[object]]:
    """The rows of a CSV or XLSX file, header first; the kind is told by the file name."""
    if filename.lower().endswith(".xlsx"):
        return read_xlsx(stream)
    return read_csv(stream)


def read_csv(stream: IO[bytes]) -> list[list[object]]:
    """UTF-8 (with or without BOM) or Windows-1252, comma or semicolon separated (Dutch Excel
    writes `;`). Text only: a file with control characters (NUL, ...) is binary, whatever its
    name says."""
    data = stream.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what Excel writes for "CSV (gescheiden door ...)"
        except UnicodeDecodeError as error:
            raise UnreadableFileError(_not_text_message()) from error
    if _BINARY_CHARACTERS.search(text):
        raise UnreadableFileError(_not_text_message())
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:  # e.g. a field longer than the csv module allows
        raise UnreadableFileError(_("This is not a readable CSV file.")) from error


def check_xlsx(stream: IO[bytes], *, max_unpacked_bytes: int) -> None:
    """UnreadableFileError unless the file is a zip holding an Excel workbook (by its OOXML
    content types) that unpacks to at most max_unpacked_bytes (no zip bombs)."""
    not_a_workbook = _(
        'This is not an Excel workbook (XLSX). Save the file in Excel as "Excel Workbook" '
        "(.xlsx) or as CSV."
    )
    try:
        with ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_unpacked_bytes:
                raise UnreadableFileError(
                    _("The workbook is too large when unpacked (more than %(limit)s).")
                    % {"limit": filesizeformat(max_unpacked_bytes)}
                )
            with archive.open("[Content_Types].xml") as types:
                content_types = types.read(max_unpacked_bytes)
    except (BadZipFile, KeyError, OSError, EOFError, zlib.error) as error:
        raise UnreadableFileError(not_a_workbook) from error
    finally:
        stream.seek(0)
    if _XLSX_WORKBOOK_TYPE.encode() not in content_types:
        raise UnreadableFileError(not_a_workbook)


def read_xlsx(stream: IO[bytes]) -> list[list[object]]:
    """The first sheet's values (dates as dates, numbers as numbers)."""
    check_xlsx(stream, max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            # Read-only mode parses the sheet while iterating: its errors are caught here too.
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except _XLSX_ERRORS as error:
        raise UnreadableFileError(_("This is not a readable XLSX file.")) from error


def write_template(target: str | Path | IO[bytes]) -> None:
    """An empty XLSX workbook with the header row of COLUMNS."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = "clienten"
    header_row(sheet, HEADERS)
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 2)
    workbook.save(target)


# ---------------------------------------------------------------------------------------------
# Validating


def parse_file(
    stream: IO[bytes],
    filename: str,
    *,
    today: datetime.date,
    reference: ReferenceData | None = None,
) -> ImportResult:
    return validate_table(read_table(stream, filename), today=today, reference=reference)


def validate_table(
    table: Sequence[Sequence[object]],
    *,
    today: datetime.date,
    reference: ReferenceData | None = None,
) -> ImportResult:
    """Check every row; the valid ones come back as ImportRows, the rest as Problems.

    Reads the reference data in a constant number of queries, whatever the number of rows.
    """
    result = ImportResult()
    if not table:
        result.problems.append(Problem(1, "", _("The file is empty.")))
        return result
    headers = [_text(value).lower() for value in table[0]]
    result.problems.extend(_header_problems(headers))
    if result.problems:
        return result

    reference = reference or ReferenceData.load()
    rows: list[tuple[int, dict[str, object]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        rows.append((number, dict(zip(headers, cells, strict=False))))
    result.total = len(rows)

    duplicates = _duplicate_bsns(rows)
    for number, values in rows:
        row, problems = _validate_row(number, values, reference=reference, today=today)
        bsn = normalise_bsn(_text(values.get("bsn")))
        if bsn in duplicates:
            others = ", ".join(str(n) for n in duplicates[bsn] if n != number)
            problems.append(
                Problem(
                    number,
                    "bsn",
                    _("This BSN appears more than once in the file (also on row %(rows)s).")
                    % {"rows": others},
                )
            )
            row = None
        result.problems.extend(problems)
        if row is not None and not problems:
            result.rows.append(row)
    return result


def _header_problems(headers: list[str]) -> list[Problem]:
    problems = [
        Problem(1, header, _("Unknown column."))
        for header in headers
        if header and header not in HEADERS
    ]
    problems += [
        Problem(1, column.header, _("This required column is missing."))
        for column in COLUMNS
        if column.required and column.header not in headers
    ]
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            problems.append(Problem(1, header, _("This column appears more than once.")))
        seen.add(header)
    return problems


def _duplicate_bsns(rows: Iterable[tuple[int, dict[str, object]]]) -> dict[str, list[int]]:
    numbers: dict[str, list[int]] = defaultdict(list)
    for number, values in rows:
        bsn = normalise_bsn(_text(values.get("bsn")))
        if bsn:
            numbers[bsn].append(number)
    return {bsn: found for bsn, found in numbers.items() if len(found) > 1}


class _RowChecker:
    """Collects one row's problems while converting its cells."""

    def __init__(self, number: int, values: dict[str, object], today: datetime.date) -> None:
        self.number = number
        self.values = values
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = _text(self.values.get(column))
        if required and not value:
            self.problem(column, _("This value is required."))
        elif max_length is not None and len(value) > max_length:
            self.problem(
                column,
                _("At most %(max)d characters (this value has %(length)d).")
                % {"max": max_length, "length": len(value)},
            )
        return value

    def choice(
        self,
        column: str,
        choices: Iterable[str],
        *,
        required: bool = False,
        aliases: dict[str, str] | None = None,
    ) -> str:
        value = self.text(column, required=required).lower()
        value = (aliases or {}).get(value, value)
        allowed = list(choices)
        if value and value not in allowed:
            self.problem(
                column,
                _("Unknown value %(value)s; choose one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(allowed)},
            )
            return ""
        return value

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        raw = self.values.get(column)
        if isinstance(raw, datetime.datetime):
            value = raw.date()
        elif isinstance(raw, datetime.date):
            value = raw
        else:
            text = self.text(column, required=required)
            if not text:
                return None
            parsed = _parse_date(text)
            if parsed is None:
                self.problem(
                    column,
                    _("Not a date: %(value)s. Write it as YYYY-MM-DD or DD-MM-YYYY.")
                    % {"value": text},
                )
                return None
            value = parsed
        if value > self.today:
            self.problem(column, _("This date lies in the future."))
            return None
        return value

    def step(
        self, column: str, steps: dict[int, LadderStep], *, required: bool
    ) -> LadderStep | None:
        text = self.text(column, required=required)
        if not text:
            return None
        number = int(text) if text.isdigit() else None
        if number is None or number not in steps:
            self.problem(
                column,
                _("Unknown ladder step %(value)s; choose one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(n) for n in sorted(steps))},
            )
            return None
        return steps[number]

    def filled(self, column: str) -> bool:
        return _text(self.values.get(column)) != ""


def _validate_row(
    number: int,
    values: dict[str, object],
    *,
    reference: ReferenceData,
    today: datetime.date,
) -> tuple[ImportRow | None, list[Problem]]:
    check = _RowChecker(number, values, today)

    bsn = check.text("bsn", required=True)
    if bsn:
        try:
            bsn = clean_bsn(bsn)
        except ValidationError as error:
            check.problem("bsn", " ".join(str(message) for message in error.messages))

    def limit(name: str) -> int | None:
        return getattr(Client._meta.get_field(name), "max_length", None)

    client: dict[str, Any] = {
        "bsn": bsn,
        "first_name": check.text("voornaam", required=True, max_length=limit("first_name")),
        "surname_prefix": check.text("tussenvoegsel", max_length=limit("surname_prefix")),
        "last_name": check.text("achternaam", required=True, max_length=limit("last_name")),
        "date_of_birth": check.date("geboortedatum", required=True),
        "gender": check.choice(
            "geslacht",
            [*GENDER_ALIASES, *Gender.values],
            required=True,
            aliases=GENDER_ALIASES,
        ),
        "household_type": check.choice("huishouden", HouseholdType.values, required=True),
        "education_level": check.choice("opleidingsniveau", EducationLevel.values, required=True),
    }
    team_name = check.text("team", required=True)
    if team_name:
        team = reference.teams.get(team_name.casefold())
        if team is None:
            check.problem("team", _("Unknown team %(value)s.") % {"value": team_name})
        client["team"] = team

    benefit = _benefit(check)
    group = _group(check, reference.groups)
    ladder = _ladder(check, reference.steps)

    if check.problems:
        # Reported in the layout's column order.
        return None, sorted(check.problems, key=lambda problem: HEADERS.index(problem.column))
    return ImportRow(number, bsn, client, benefit, group, ladder), []


def _benefit(check: _RowChecker) -> dict[str, Any] | None:
    """A benefit period: regeling and start, optionally an end with its reason."""
    start = check.date("uitkering_start", required=check.filled("uitkering_einde"))
    end = check.date("uitkering_einde")
    scheme = check.choice(
        "regeling", BenefitScheme.values, required=check.filled("uitkering_start")
    )
    reason = check.choice(
        "uitstroomreden", OutflowReason.values, required=check.filled("uitkering_einde")
    )
    if reason and not check.filled("uitkering_einde"):
        check.problem("uitkering_einde", _("An outflow reason needs an end date."))
    if start and end and end < start:
        check.problem("uitkering_einde", _("The end date lies before the start date."))
    if not (start and scheme):
        return None
    return {"scheme": scheme, "start_date": start, "end_date": end, "end_reason": reason}


def _group(check: _RowChecker, groups: dict[str, ClientGroup]) -> dict[str, Any] | None:
    code = check.text("klantgroep").lower()
    since = check.date("klantgroep_sinds", required=bool(code))
    if code and code not in groups:
        check.problem(
            "klantgroep",
            _("Unknown klantgroep %(value)s; choose one of: %(choices)s.")
            % {"value": code, "choices": ", ".join(groups)},
        )
        return None
    if since and not code:
        check.problem("klantgroep", _("This value is required when a start date is given."))
    if not (code and since):
        return None
    return {"group": groups[code], "start_date": since}


def _ladder(check: _RowChecker, steps: dict[int, LadderStep]) -> dict[str, Any] | None:
    filled = check.filled("trede")
    step = check.step("trede", steps, required=check.filled("doeltrede"))
    target = check.step("doeltrede", steps, required=filled)
    measured_on = check.date("trede_datum", required=filled)
    if not (step and target and measured_on):
        return None
    return {"step": step, "target_step": target, "measured_on": measured_on}


def _text(value: object) -> str:
    """A cell as stripped text; whole numbers (XLSX stores BSNs and steps as numbers) without
    a decimal point."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _parse_date(text: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None
