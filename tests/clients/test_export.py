import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import AccessLog, Role
from tests.casework.factories import UserFactory
from tests.casework.sudo import confirm_sudo
from tests.clients.factories import BenefitPeriodFactory, ClientFactory

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example","klik")'


def export_url(file_format, consultant=None):
    url = reverse("clients:export", args=[file_format])
    return f"{url}?consulent={consultant.pk}" if consultant else url


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def names_in(response, file_format):
    if file_format == "csv":
        return {row[0] for row in csv_rows(response)[1:]}
    return {row[0].value for row in xlsx_sheet(response).iter_rows(min_row=2)}


@pytest.fixture
def other_team_client(team_b, consultant_b):
    other = ClientFactory(team=team_b, first_name="Bram", last_name="Buiten")
    other.consultants.add(consultant_b)
    return other


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_consultant_exports_the_team_caseload_only(
    client, consultant_a, client_a, other_team_client, file_format
):
    client.force_login(consultant_a)
    confirm_sudo(client)
    response = client.get(export_url(file_format))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    assert names_in(response, file_format) == {"Anna Jansen"}
    logged = AccessLog.objects.filter(view="clients:export")
    assert list(logged.values_list("client_id", flat=True)) == [client_a.pk]
    assert logged.get().user == consultant_a


def test_a_team_leader_exports_and_filters_by_consultant(client, manager_a, client_a, team_a):
    colleague = UserFactory(role=Role.CONSULTANT, team=team_a)
    theirs = ClientFactory(team=team_a)
    theirs.consultants.add(colleague)
    client.force_login(manager_a)
    confirm_sudo(client)

    whole_team = client.get(export_url("csv"))
    assert len(csv_rows(whole_team)) == 3
    only_colleague = client.get(export_url("csv", colleague))
    assert names_in(only_colleague, "csv") == {theirs.full_name}
    assert set(
        AccessLog.objects.filter(view="clients:export").values_list("client_id", flat=True)
    ) == {client_a.pk, theirs.pk}
    assert AccessLog.objects.filter(view="clients:export").count() == 3


def test_a_consultant_of_another_team_cannot_be_chosen(client, consultant_a, consultant_b):
    client.force_login(consultant_a)
    confirm_sudo(client)
    assert client.get(export_url("csv", consultant_b)).status_code == 404
    assert client.get(export_url("csv") + "?consulent=abc").status_code == 404
    assert client.get(reverse("clients:export", args=["pdf"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_another_team_never_gets_the_clients(client, consultant_b, client_a):
    client.force_login(consultant_b)
    confirm_sudo(client)
    for file_format in ("csv", "xlsx"):
        response = client.get(export_url(file_format))
        assert names_in(response, file_format) == set()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_are_refused(client, request, client_a, user):
    client.force_login(request.getfixturevalue(user))
    for file_format in ("csv", "xlsx"):
        assert client.get(export_url(file_format)).status_code == 403
    assert not AccessLog.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(export_url("csv"))
    assert response.status_code == 302


def test_the_file_has_the_masked_bsn_and_the_current_status(client, consultant_a, client_a):
    BenefitPeriodFactory(client=client_a)
    client.force_login(consultant_a)
    confirm_sudo(client)
    (row,) = csv_rows(client.get(export_url("csv")))[1:]
    assert client_a.bsn not in "".join(row)
    assert row[1] == client_a.masked_bsn
    assert row[2] == client_a.date_of_birth.isoformat()
    assert row[5] == "2022-01-01"
    assert row[6] == str(consultant_a)
    assert row[7] == "Team A"
    sheet = xlsx_sheet(client.get(export_url("xlsx")))
    values = [cell.value for cell in sheet[2]]
    assert values[1] == client_a.masked_bsn
    assert client_a.bsn not in [str(value) for value in values]


def test_a_formula_in_a_name_is_neutralised(client, consultant_a, team_a):
    evil = ClientFactory(team=team_a, first_name=INJECTION, last_name="X")
    evil.consultants.add(consultant_a)
    client.force_login(consultant_a)
    confirm_sudo(client)

    (row,) = csv_rows(client.get(export_url("csv")))[1:]
    assert row[0] == "'" + evil.full_name

    sheet = xlsx_sheet(client.get(export_url("xlsx")))
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == evil.full_name  # stored as the text it is, not as a formula


def test_the_list_page_links_to_the_export(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(reverse("clients:list"))
    assert f'{export_url("csv", consultant_a)}"' in response.text
    assert f'{export_url("xlsx", consultant_a)}"' in response.text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_query_count_does_not_depend_on_the_number_of_clients(
    client, consultant_a, team_a, django_assert_num_queries, file_format
):
    def export(number):
        for _ in range(number):
            extra = ClientFactory(team=team_a)
            extra.consultants.add(consultant_a)
            BenefitPeriodFactory(client=extra)
        client.force_login(consultant_a)
        confirm_sudo(client)
        # session, user, consultant, rows, consultants prefetch, access log
        with django_assert_num_queries(6):
            response = client.get(export_url(file_format, consultant_a))
        return response

    export(2)
    assert len(names_in(export(4), file_format)) == 6


def test_the_export_asks_to_confirm_it_is_you_first(client, consultant_a, client_a):
    client.force_login(consultant_a)
    url = export_url("csv", consultant_a)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('sudo')}?{urlencode({'next': url})}"
    assert not AccessLog.objects.exists()
