"""The upload page of the client-base import: check first, then import; application manager only."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clients.imports import HEADERS
from clients.models import Client, ClientGroupAssignment
from tests.casework.factories import TeamFactory
from tests.clients.test_import import row, table

pytestmark = pytest.mark.django_db

URL = reverse("clients:import")


@pytest.fixture(autouse=True)
def team():
    return TeamFactory(name="Team Noord")


def csv_file(*rows: dict[str, object], name: str = "clienten.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(table(*rows))
    return SimpleUploadedFile(name, text.getvalue().encode(), content_type="text/csv")


def post(client, upload, *, action: str = "check", only_valid: bool = False):
    data = {"file": upload, "action": action}
    if only_valid:
        data["only_valid"] = "on"
    return client.post(URL, data)


@pytest.mark.parametrize(
    "user", ["consultant_a", "manager_a", "policy_officer"], ids=lambda name: name
)
def test_other_roles_get_403(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("clients:import-template")).status_code == 403
    assert post(client, csv_file(row(0)), action="import").status_code == 403
    assert not Client.objects.exists()


def test_upload_page_has_one_h1_and_a_labelled_file_field(client, application_manager):
    client.force_login(application_manager)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'for="id_file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("clients:import") in html  # the navigation entry


def test_template_download_has_the_headers(client, application_manager):
    client.force_login(application_manager)
    response = client.get(reverse("clients:import-template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert tuple(cell.value for cell in sheet[1]) == HEADERS


def test_bad_file_shows_the_report_and_writes_nothing(client, application_manager):
    client.force_login(application_manager)
    response = post(client, csv_file(row(0), row(1, geboortedatum="31-02-1980")))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'id="problems"' in html
    assert '<th scope="col">' in html
    assert response.context["result"].invalid_rows == 1
    assert ("geboortedatum", 3) in {(p.column, p.row) for p in response.context["problems"]}
    assert not response.context["can_import"]
    assert 'value="import"' not in html
    assert not Client.objects.exists()

    # Asking to import anyway does not write either: the report is shown again.
    response = post(client, csv_file(row(0), row(1, geboortedatum="31-02-1980")), action="import")
    assert response.templates[0].name == "clients/imports/report.html"
    assert not Client.objects.exists()


def test_good_file_is_checked_then_imported_after_confirmation(client, application_manager):
    client.force_login(application_manager)
    response = post(client, csv_file(row(0), row(1)))
    assert response.context["can_import"]
    assert 'value="import"' in response.content.decode()
    assert not Client.objects.exists()

    response = post(client, csv_file(row(0), row(1)), action="import")
    assert response.status_code == 200
    assert response.templates[0].name == "clients/imports/done.html"
    assert response.content.decode().count("<h1") == 1
    assert response.context["outcome"].created == 2
    assert Client.objects.count() == 2
    assignment = ClientGroupAssignment.objects.first()
    assert assignment is not None
    assert assignment.assigned_by == application_manager


def test_only_valid_imports_the_valid_rows(client, application_manager):
    client.force_login(application_manager)
    rows = (row(0), row(1, bsn="123456789"), row(2))
    response = post(client, csv_file(*rows), only_valid=True)
    assert response.context["can_import"]
    assert not Client.objects.exists()

    response = post(client, csv_file(*rows), action="import", only_valid=True)
    outcome = response.context["outcome"]
    assert (outcome.created, outcome.invalid) == (2, 1)
    assert Client.objects.count() == 2


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("clienten.pdf", b"%PDF-1.4", content_type="application/pdf"), "type"),
        (SimpleUploadedFile("clienten.csv", b"x" * 101, content_type="text/csv"), "size"),
    ],
    ids=["wrong type", "too large"],
)
def test_wrong_type_or_too_large_file_is_refused_next_to_the_field(
    client, application_manager, settings, upload, code
):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(application_manager)
    response = post(client, upload, action="import")
    form = response.context["form"]
    assert form.has_error("file", code=f"file_{code}")
    html = response.content.decode()
    assert 'id="id_file-errors"' in html
    assert 'id="error-summary"' in html
    assert not Client.objects.exists()


def test_unreadable_xlsx_is_refused_next_to_the_field(client, application_manager):
    client.force_login(application_manager)
    upload = SimpleUploadedFile("clienten.xlsx", b"not a workbook")
    response = post(client, upload)
    assert response.context["form"].has_error("file")
    assert 'id="id_file-errors"' in response.content.decode()


def zip_bytes(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_bytes(*rows: dict[str, object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in table(*rows):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("clienten.xlsx", PNG),
        ("clienten.xlsx", zip_bytes(**{"readme.txt": b"hello"})),
        (  # a Word document: OOXML, but no workbook
            "clienten.xlsx",
            zip_bytes(
                **{
                    "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'wordprocessingml.document.main+xml"/></Types>'
                }
            ),
        ),
        (  # says it is a workbook, but the parts are missing or broken
            "clienten.xlsx",
            zip_bytes(
                **{
                    "[Content_Types].xml": b"application/vnd.openxmlformats-officedocument."
                    b"spreadsheetml.sheet.main+xml",
                    "xl/workbook.xml": b"<not xml",
                }
            ),
        ),
        ("clienten.csv", PNG),
        ("clienten.csv", b"bsn,voornaam\n123\x00,Anna\n"),
        ("clienten.csv", b"bsn;voornaam\n\x81\x8d\x8f\x90\x9d;\xff\xfe\n"),
    ],
    ids=[
        "png as xlsx",
        "zip that is not an xlsx",
        "docx as xlsx",
        "broken xlsx",
        "png as csv",
        "nul byte in csv",
        "undecodable csv",
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    client, application_manager, name, content
):
    client.force_login(application_manager)
    response = post(client, SimpleUploadedFile(name, content), action="import")
    assert response.status_code == 200
    assert response.templates[0].name == "clients/imports/upload.html"
    assert response.context["form"].has_error("file")
    html = response.content.decode()
    assert 'id="id_file-errors"' in html
    assert 'id="error-summary"' in html
    assert not Client.objects.exists()


def test_a_workbook_that_unpacks_too_large_is_refused(client, application_manager, settings):
    content = xlsx_bytes(row(0))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    settings.IMPORT_MAX_UNPACKED_BYTES = unpacked - 1
    client.force_login(application_manager)
    response = post(client, SimpleUploadedFile("clienten.xlsx", content), action="import")
    assert response.context["form"].has_error("file")
    assert not Client.objects.exists()

    settings.IMPORT_MAX_UNPACKED_BYTES = unpacked
    response = post(client, SimpleUploadedFile("clienten.xlsx", content), action="import")
    assert response.templates[0].name == "clients/imports/done.html"
    assert Client.objects.count() == 1


def test_a_cp1252_csv_from_dutch_excel_is_still_read(client, application_manager):
    client.force_login(application_manager)
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(table(row(0, achternaam="Pérez")))
    upload = SimpleUploadedFile("clienten.csv", text.getvalue().encode("cp1252"))
    response = post(client, upload, action="import")
    assert response.templates[0].name == "clients/imports/done.html"
    assert Client.objects.get().last_name == "Pérez"


def test_more_than_one_file_in_a_request_is_refused(client, application_manager):
    client.force_login(application_manager)
    response = client.post(
        URL,
        {
            "file": SimpleUploadedFile("clienten.csv", b"a"),
            "other": SimpleUploadedFile("andere.csv", b"b"),
        },
    )
    assert response.status_code == 400
    assert not Client.objects.exists()
