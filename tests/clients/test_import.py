"""The client-base import: validation report, all-or-nothing writes, idempotence on BSN."""

import csv
import datetime
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from casework.models import Role
from clients.bsn import bsn_digest, check_digit
from clients.import_services import import_clients
from clients.imports import HEADERS, validate_table
from clients.models import BenefitPeriod, Client, ClientGroupAssignment, LadderMeasurement
from tests.casework.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def import_bsns() -> Iterator[str]:
    """Valid BSNs in a range of their own (the client factory counts up from 10,000,000)."""
    for number in itertools.count(60_000_000):
        check = check_digit(f"{number:08d}")
        if check is not None:
            yield f"{number:08d}{check}"


BSNS = list(itertools.islice(import_bsns(), 60))


# The application manager every import by the command is recorded by (--user).
IMPORTER = "beheerder"


@pytest.fixture(autouse=True)
def team():
    return TeamFactory(name="Team Noord")


@pytest.fixture(autouse=True)
def importer():
    return UserFactory(username=IMPORTER, role=Role.ADMIN, team=None)


def row(number: int = 0, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "bsn": BSNS[number],
        "voornaam": "Anna",
        "tussenvoegsel": "de",
        "achternaam": f"Vries {number}",
        "geboortedatum": "1980-05-17",
        "geslacht": "v",
        "huishouden": "single",
        "opleidingsniveau": "vocational",
        "team": "team noord",
        "regeling": "pw",
        "uitkering_start": "2021-03-01",
        "uitkering_einde": "",
        "uitstroomreden": "",
        "klantgroep": "groeien",
        "klantgroep_sinds": "01-04-2021",
        "trede": "2",
        "doeltrede": "3",
        "trede_datum": "2021-04-01",
    }
    values.update(overrides)
    return values


def table(*rows: dict[str, object]) -> list[list[object]]:
    return [list(HEADERS), *([r.get(h, "") for h in HEADERS] for r in rows)]


def write_csv(path: Path, *rows: dict[str, object], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(table(*rows))
    return path


def write_xlsx(path: Path, *rows: dict[str, object]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in table(*rows):
        sheet.append(values)
    workbook.save(path)
    return path


def run(*args: str, user: str | None = IMPORTER) -> str:
    out = io.StringIO()
    user_option = [] if user is None else ["--user", user]
    call_command("import_clients", *args, *user_option, stdout=out)
    return out.getvalue()


def problems_of(*rows: dict[str, object]) -> set[tuple[int, str]]:
    result = validate_table(table(*rows), today=timezone.localdate())
    return {(problem.row, problem.column) for problem in result.problems}


def test_good_csv_imports_clients_with_their_history(tmp_path, team):
    path = write_csv(
        tmp_path / "klanten.csv",
        row(0),
        row(1, uitkering_einde="2023-06-30", uitstroomreden="work", geslacht="m"),
        row(
            2,
            regeling="",
            uitkering_start="",
            klantgroep="",
            klantgroep_sinds="",
            trede="",
            doeltrede="",
            trede_datum="",
        ),
    )
    run(str(path))

    assert Client.objects.count() == 3
    anna = Client.objects.get(bsn_hash=bsn_digest(BSNS[0]))
    assert (anna.first_name, anna.surname_prefix, anna.gender, anna.team) == (
        "Anna",
        "de",
        "f",
        team,
    )
    assert anna.date_of_birth == datetime.date(1980, 5, 17)
    ended = BenefitPeriod.objects.get(client__bsn_hash=bsn_digest(BSNS[1]))
    assert (ended.end_date, ended.end_reason) == (datetime.date(2023, 6, 30), "work")
    assignment = ClientGroupAssignment.objects.get(client=anna)
    assert (assignment.group.code, assignment.start_date) == ("groeien", datetime.date(2021, 4, 1))
    measurement = LadderMeasurement.objects.get(client=anna)
    assert (measurement.step.number, measurement.target_step.number) == (2, 3)
    # The third row has no benefit, klantgroep or ladder step: only the client.
    assert BenefitPeriod.objects.count() == 2
    assert ClientGroupAssignment.objects.count() == 2
    assert LadderMeasurement.objects.count() == 2


def test_the_command_records_who_imported(tmp_path, importer):
    run(str(write_csv(tmp_path / "klanten.csv", row(0), row(1))))
    # The audit trail names the application manager, as the upload page names the logged-in user.
    assert {a.assigned_by for a in ClientGroupAssignment.objects.all()} == {importer}
    assert {m.measured_by for m in LadderMeasurement.objects.all()} == {importer}


@pytest.mark.parametrize("option", ["--dry-run", "--only-valid", None])
def test_the_command_needs_a_user(tmp_path, option):
    path = write_csv(tmp_path / "klanten.csv", row(0))
    with pytest.raises(CommandError, match="--user"):
        run(*filter(None, [str(path), option]), user=None)
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "user",
    [
        None,  # nobody by that name
        {"role": Role.ADMIN, "team": None, "is_active": False},
        {"role": Role.CONSULTANT},
        {"role": Role.POLICY, "team": None},
    ],
    ids=["unknown", "inactive", "consultant", "policy-officer"],
)
def test_the_command_refuses_a_user_who_may_not_import(tmp_path, user):
    if user is not None:
        UserFactory(username="oud", **user)
    path = write_csv(tmp_path / "klanten.csv", row(0))
    with pytest.raises(CommandError, match="oud"):
        run(str(path), user="oud")
    assert not Client.objects.exists()


def test_semicolon_csv_and_eight_digit_bsn(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0), delimiter=";")
    run(str(path))
    assert Client.objects.filter(bsn_hash=bsn_digest(BSNS[0])).exists()
    # Excel drops a BSN's leading zero; eight digits are padded back to nine.
    result = validate_table(table(row(0, bsn="012345672")), today=timezone.localdate())
    padded = validate_table(table(row(0, bsn="12345672")), today=timezone.localdate())
    assert [r.bsn for r in padded.rows] == [r.bsn for r in result.rows] == ["012345672"]


def test_cp1252_csv_from_excel(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0, voornaam="Zoë"), delimiter=";")
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    run(str(path))
    assert Client.objects.get(bsn_hash=bsn_digest(BSNS[0])).first_name == "Zoë"


def test_unreadable_xlsx_fails_cleanly(tmp_path):
    path = tmp_path / "klanten.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        run(str(path))


def test_good_xlsx_with_date_and_number_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "klanten.xlsx",
        row(0, bsn=int(BSNS[0]), geboortedatum=datetime.date(1975, 1, 2), trede=4, doeltrede=5),
        row(1, klantgroep_sinds=datetime.datetime(2022, 2, 3, 0, 0)),
    )
    run(str(path))

    anna = Client.objects.get(bsn_hash=bsn_digest(BSNS[0]))
    assert anna.date_of_birth == datetime.date(1975, 1, 2)
    assert LadderMeasurement.objects.get(client=anna).step.number == 4
    assignment = ClientGroupAssignment.objects.get(client__bsn_hash=bsn_digest(BSNS[1]))
    assert assignment.start_date == datetime.date(2022, 2, 3)


FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"bsn": "123456789"}, "bsn"),  # fails the elfproef
        ({"bsn": "12ab"}, "bsn"),
        ({"team": "Team Nergens"}, "team"),
        ({"klantgroep": "onbekend"}, "klantgroep"),
        ({"trede": "9"}, "trede"),
        ({"doeltrede": "drie"}, "doeltrede"),
        ({"huishouden": "commune"}, "huishouden"),
        ({"regeling": "ww"}, "regeling"),
        ({"uitkering_start": FUTURE}, "uitkering_start"),
        ({"geboortedatum": FUTURE}, "geboortedatum"),
        ({"trede_datum": "31-02-2021"}, "trede_datum"),
        ({"klantgroep_sinds": "gisteren"}, "klantgroep_sinds"),
        ({"uitkering_einde": "2020-01-01", "uitstroomreden": "work"}, "uitkering_einde"),
        ({"uitkering_einde": "2022-01-01"}, "uitstroomreden"),
        ({"uitstroomreden": "work"}, "uitkering_einde"),
        ({"voornaam": ""}, "voornaam"),
        ({"geboortedatum": ""}, "geboortedatum"),
        ({"klantgroep_sinds": ""}, "klantgroep_sinds"),
        ({"doeltrede": ""}, "doeltrede"),
        ({"regeling": ""}, "regeling"),
        ({"tussenvoegsel": "x" * 21}, "tussenvoegsel"),
    ],
)
def test_each_problem_is_reported_with_its_row_and_column(overrides, column):
    assert problems_of(row(0), row(1, **overrides)) == {(3, column)}


def test_duplicate_bsn_rejects_every_row_with_it():
    result = validate_table(table(row(0), row(1), row(2, bsn=BSNS[0])), today=timezone.localdate())
    assert {(p.row, p.column) for p in result.problems} == {(2, "bsn"), (4, "bsn")}
    assert [r.bsn for r in result.rows] == [BSNS[1]]
    assert "4" in result.problems[0].message


def test_missing_and_unknown_columns_are_reported_on_row_one():
    headers = [h for h in HEADERS if h != "achternaam"] + ["bijzonderheden"]
    result = validate_table([headers], today=timezone.localdate())
    assert {(p.row, p.column) for p in result.problems} == {
        (1, "achternaam"),
        (1, "bijzonderheden"),
    }


def test_optional_columns_may_be_left_out():
    required = ["bsn", "voornaam", "achternaam", "geboortedatum", "geslacht"]
    required += ["huishouden", "opleidingsniveau", "team"]
    values = row(0)
    result = validate_table([required, [values[h] for h in required]], today=timezone.localdate())
    assert result.is_valid
    assert result.rows[0].benefit is None


def test_bad_file_writes_nothing_and_fails(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0), row(1, bsn="123456789"))
    with pytest.raises(CommandError):
        run(str(path))
    assert not Client.objects.exists()


def test_report_names_row_and_column(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0), row(1, team="Team Nergens"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_clients", str(path), "--user", IMPORTER, stdout=out)
    report = out.getvalue()
    assert "3" in report
    assert "team" in report
    assert "Team Nergens" in report


def test_mixed_file_without_only_valid_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0), row(1, trede="9"), row(2))
    with pytest.raises(CommandError):
        run(str(path))
    assert not Client.objects.exists()
    assert not BenefitPeriod.objects.exists()


def test_mixed_file_with_only_valid_imports_the_valid_rows(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0), row(1, trede="9"), row(2))
    run(str(path), "--only-valid")
    assert set(Client.objects.values_list("bsn", flat=True)) == {BSNS[0], BSNS[2]}
    assert LadderMeasurement.objects.count() == 2


def test_only_valid_with_no_valid_rows_fails(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0, bsn="123456789"))
    with pytest.raises(CommandError):
        run(str(path), "--only-valid")


def test_dry_run_validates_only(tmp_path):
    path = write_csv(tmp_path / "klanten.csv", row(0), row(1))
    run(str(path), "--dry-run")
    assert not Client.objects.exists()


def counts() -> tuple[int, int, int, int]:
    return (
        Client.objects.count(),
        BenefitPeriod.objects.count(),
        ClientGroupAssignment.objects.count(),
        LadderMeasurement.objects.count(),
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_importing_twice_changes_nothing(tmp_path, suffix):
    writer = write_csv if suffix == "csv" else write_xlsx
    path = writer(tmp_path / f"klanten.{suffix}", *(row(n) for n in range(5)))
    run(str(path))
    first = counts()
    run(str(path))
    assert counts() == first == (5, 5, 5, 5)


def test_existing_clients_are_left_as_they_are():
    validate = validate_table(table(row(0), row(1)), today=timezone.localdate())
    assert import_clients(result=validate).created == 2
    changed = validate_table(
        table(row(0, voornaam="Bea", klantgroep="zorgen"), row(1), row(2)),
        today=timezone.localdate(),
    )
    outcome = import_clients(result=changed)
    assert (outcome.created, outcome.existing) == (1, 2)
    anna = Client.objects.get(bsn_hash=bsn_digest(BSNS[0]))
    assert anna.first_name == "Anna"
    assert list(anna.group_assignments.values_list("group__code", flat=True)) == ["groeien"]


def test_service_writes_nothing_for_an_invalid_file_unless_only_valid():
    result = validate_table(table(row(0), row(1, team="?")), today=timezone.localdate())
    outcome = import_clients(result=result)
    assert (outcome.written, outcome.created, outcome.invalid) == (False, 0, 1)
    assert not Client.objects.exists()
    outcome = import_clients(result=result, only_valid=True)
    assert (outcome.written, outcome.created, outcome.invalid) == (True, 1, 1)


def test_template_has_the_headers_and_imports_once_filled(tmp_path):
    path = tmp_path / "sjabloon.xlsx"
    run("--template", str(path), user=None)  # writing the template needs no user
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert sheet.max_row == 1
    sheet.append([row(0)[h] for h in HEADERS])
    workbook.save(path)
    run(str(path))
    assert Client.objects.filter(bsn_hash=bsn_digest(BSNS[0])).exists()


def test_validation_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    # One query each for teams, klantgroepen and ladder steps, whatever the number of rows.
    with django_assert_num_queries(3):
        validate_table(table(row(0)), today=timezone.localdate())
    with django_assert_num_queries(3):
        validate_table(table(*(row(n) for n in range(50))), today=timezone.localdate())


def test_writing_queries_do_not_grow_with_the_rows():
    small = validate_table(table(*(row(n) for n in range(2))), today=timezone.localdate())
    large = validate_table(table(*(row(n) for n in range(2, 40))), today=timezone.localdate())
    with CaptureQueriesContext(connection) as few:
        import_clients(result=small)
    with CaptureQueriesContext(connection) as many:
        import_clients(result=large)
    assert len(many) == len(few)
