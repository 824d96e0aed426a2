"""The application manager's privacy pages: the access log search and export, and the subject
access request (inzageverzoek) as one PDF."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.models import AccessLog, AccessReason, Role
from clients.models import Conversation
from clients.privacy import documents, selectors
from tests.casework.factories import UserFactory
from tests.casework.sudo import confirm_sudo
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.meeting_factories import InvitationFactory
from tests.clients.plan_factories import AgreementFactory, PlanFactory
from tests.instruments.factories import (
    PlacementFactory,
    ProviderFactory,
    TrajectoryFactory,
    WorkProfileFactory,
)

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example","klik")'
ACCESS_LOG = reverse("privacy:access-log")
SUBJECT_ACCESS = reverse("privacy:subject-access")


def export_url(file_format):
    return reverse("privacy:access-log-export", args=[file_format])


def log_entry(user, client_id, *, days_ago=0, view="clients:detail", path="/clienten/"):
    return AccessLog.objects.create(
        user=user,
        client_id=client_id,
        accessed_at=timezone.now() - datetime.timedelta(days=days_ago),
        view=view,
        path=path,
        reason=AccessReason.CASEWORK,
    )


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def pdf_text(response):
    """The PDF's text with all white space as single spaces: table cells wrap their lines."""
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def sign_in(client, user):
    """Logged in, and re-authenticated: the export and the inzage ask for sudo mode."""
    client.force_login(user)
    confirm_sudo(client)


def audit_rows():
    return AccessLog.objects.filter(reason=AccessReason.AUDIT)


# Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["consultant_a", "manager_a", "policy_officer"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", ACCESS_LOG),
        ("post", ACCESS_LOG),
        ("get", export_url("csv")),
        ("get", SUBJECT_ACCESS),
        ("post", SUBJECT_ACCESS),
    ],
)
def test_only_the_application_manager_gets_in(request, client, client_a, user_fixture, method, url):
    client.force_login(request.getfixturevalue(user_fixture))
    response = getattr(client, method)(url, {"client": client_a.pk, "client_number": client_a.pk})
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("url", [export_url("csv"), SUBJECT_ACCESS])
def test_the_export_and_the_inzage_ask_to_re_authenticate_first(client, application_manager, url):
    client.force_login(application_manager)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sudo"))
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("url", [ACCESS_LOG, export_url("csv"), SUBJECT_ACCESS])
def test_anonymous_users_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def navigation_of(response):
    return response.text.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_the_navigation_links_the_pages_for_the_application_manager(client, application_manager):
    sign_in(client, application_manager)
    navigation = navigation_of(client.get(reverse("profile")))
    assert f'href="{ACCESS_LOG}"' in navigation
    assert f'href="{SUBJECT_ACCESS}"' in navigation
    # The page the user is on is marked as such.
    navigation = navigation_of(client.get(ACCESS_LOG))
    assert f'<a href="{ACCESS_LOG}" aria-current="page">' in navigation
    assert f'<a href="{SUBJECT_ACCESS}">' in navigation


@pytest.mark.parametrize(
    "user_fixture", ["consultant_a", "manager_a", "policy_officer"], ids=lambda name: name
)
def test_other_roles_get_no_links_to_the_privacy_pages(request, client, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    navigation = navigation_of(response)
    assert f'href="{ACCESS_LOG}"' not in navigation
    assert f'href="{SUBJECT_ACCESS}"' not in navigation


# The access log search ---------------------------------------------------------------------------


def test_the_empty_page_asks_for_a_search_and_logs_nothing(client, application_manager):
    sign_in(client, application_manager)
    response = client.get(ACCESS_LOG)
    assert response.status_code == 200
    assert response.context["page"] is None
    assert len(re.findall(r"<h1[ >]", response.text)) == 1
    assert not AccessLog.objects.exists()


def test_a_search_needs_a_client_or_a_user(client, application_manager):
    sign_in(client, application_manager)
    response = client.get(ACCESS_LOG, {"view": "clients:"})
    assert response.context["page"] is None
    assert response.context["form"].non_field_errors()
    assert not AccessLog.objects.exists()


def test_a_search_by_client_shows_their_entries_newest_first_and_is_logged(
    client, application_manager, consultant_a, manager_a, client_a
):
    other = ClientFactory(team=client_a.team)
    older = log_entry(consultant_a, client_a.pk, days_ago=3)
    newer = log_entry(manager_a, client_a.pk, days_ago=1)
    log_entry(consultant_a, other.pk)
    sign_in(client, application_manager)

    response = client.get(ACCESS_LOG, {"client": client_a.pk})

    assert response.status_code == 200
    assert list(response.context["page"]) == [newer, older]
    assert response.context["client"] == client_a
    assert "Anna Jansen" in response.text
    assert 'id="log-client"' in response.text
    audit = audit_rows().get()
    assert audit.user == application_manager
    assert audit.client_id == client_a.pk
    assert audit.view == "privacy:access-log"


def test_a_search_by_bsn_becomes_a_search_by_client_number(
    client, application_manager, consultant_a, client_a
):
    log_entry(consultant_a, client_a.pk)
    sign_in(client, application_manager)

    response = client.post(ACCESS_LOG, {"bsn": client_a.bsn})

    assert response.status_code == 302
    assert response["Location"] == f"{ACCESS_LOG}?client={client_a.pk}"
    assert client_a.bsn not in response["Location"]
    assert not audit_rows().exists()


def test_an_unknown_bsn_is_an_error_next_to_the_field(client, application_manager, client_a):
    sign_in(client, application_manager)
    unknown = ClientFactory.build().bsn
    response = client.post(ACCESS_LOG, {"bsn": unknown})
    assert response.status_code == 200
    assert response.context["bsn_form"].errors["bsn"]
    assert 'id="id_bsn-errors"' in response.text


def test_a_client_that_is_gone_can_still_be_searched(client, application_manager, consultant_a):
    log_entry(consultant_a, 987654)
    sign_in(client, application_manager)
    response = client.get(ACCESS_LOG, {"client": 987654})
    assert response.context["client"] is None
    assert response.context["page"].paginator.count == 1


def test_a_search_by_user_shows_what_they_looked_at(
    client, application_manager, consultant_a, consultant_b, client_a
):
    other = ClientFactory()
    mine = [log_entry(consultant_a, client_a.pk), log_entry(consultant_a, other.pk, days_ago=1)]
    log_entry(consultant_b, other.pk)
    sign_in(client, application_manager)

    response = client.get(ACCESS_LOG, {"user": consultant_a.pk})

    assert list(response.context["page"]) == mine
    # Each client on the page was shown (by number): that is logged too.
    assert set(audit_rows().values_list("client_id", flat=True)) == {client_a.pk, other.pk}


def test_a_search_by_days_and_view(client, application_manager, consultant_a, client_a):
    log_entry(consultant_a, client_a.pk, days_ago=10)
    in_range = log_entry(consultant_a, client_a.pk, days_ago=5, view="plans:detail")
    log_entry(consultant_a, client_a.pk, days_ago=5, view="clients:detail")
    log_entry(consultant_a, client_a.pk, days_ago=1, view="plans:pdf")
    today = timezone.localdate()
    sign_in(client, application_manager)

    response = client.get(
        ACCESS_LOG,
        {
            "client": client_a.pk,
            "date_from": (today - datetime.timedelta(days=6)).isoformat(),
            "date_to": (today - datetime.timedelta(days=2)).isoformat(),
            "view": "plans:",
        },
    )

    assert list(response.context["page"]) == [in_range]


def test_an_end_date_before_the_start_date_is_an_error(client, application_manager, client_a):
    sign_in(client, application_manager)
    response = client.get(
        ACCESS_LOG, {"client": client_a.pk, "date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert response.context["form"].errors["date_to"]
    assert response.context["page"] is None


@pytest.mark.parametrize("rows", [1, 60])
@pytest.mark.parametrize("search", ["client", "user"])
def test_the_search_query_count_does_not_grow_with_the_rows(
    client, application_manager, consultant_a, client_a, django_assert_num_queries, rows, search
):
    others = ClientFactory.create_batch(3, team=client_a.team)
    for number in range(rows):
        log_entry(consultant_a, (client_a, *others)[number % 4].pk, days_ago=number)
    sign_in(client, application_manager)
    params = {"client": client_a.pk} if search == "client" else {"user": consultant_a.pk}
    # session, user (with unread notifications: casework.backends), (the client shown | the
    # user searched for), count, page of entries, log insert, users of the select
    with django_assert_num_queries(7):
        response = client.get(ACCESS_LOG, params)
    assert response.status_code == 200


# The export --------------------------------------------------------------------------------------


def test_the_csv_export_holds_the_current_search_and_is_logged(
    client, application_manager, consultant_a, manager_a, client_a
):
    hacker = UserFactory(first_name=INJECTION, last_name="", role=Role.CONSULTANT)
    log_entry(consultant_a, client_a.pk, days_ago=2)
    log_entry(hacker, client_a.pk, days_ago=1, path="-2+3")
    log_entry(manager_a, ClientFactory().pk)
    sign_in(client, application_manager)

    response = client.get(export_url("csv"), {"client": client_a.pk})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith('.csv"')
    assert "no-store" in response["Cache-Control"]
    header, *rows = csv_rows(response)
    assert len(header) == 8
    assert [row[2] for row in rows] == [hacker.username, consultant_a.username]
    assert {row[4] for row in rows} == {str(client_a.pk)}
    # Text a spreadsheet would run as a formula is shown as text.
    assert rows[0][1] == "'" + INJECTION
    assert rows[0][6] == "'-2+3"
    audit = audit_rows().get()
    assert (audit.client_id, audit.view) == (client_a.pk, "privacy:access-log-export")


def test_the_xlsx_export(client, application_manager, consultant_a, client_a):
    log_entry(consultant_a, client_a.pk)
    sign_in(client, application_manager)
    response = client.get(export_url("xlsx"), {"user": consultant_a.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert isinstance(rows[0][0], datetime.datetime)
    assert rows[0][2] == consultant_a.username
    assert rows[0][4] == client_a.pk


def test_the_export_reads_the_log_in_chunks_and_logs_each_client_once(
    client, application_manager, consultant_a, client_a, django_assert_num_queries
):
    other = ClientFactory()
    for days_ago in (3, 2, 1):
        log_entry(consultant_a, client_a.pk, days_ago=days_ago)
    log_entry(consultant_a, other.pk)
    sign_in(client, application_manager)
    # session, user, the user searched for (form), the log (through a cursor, in chunks), the
    # clients in it (DISTINCT), the log insert
    with django_assert_num_queries(6):
        response = client.get(export_url("csv"), {"user": consultant_a.pk})
    assert len(csv_rows(response)) == 1 + 4
    audit = audit_rows().order_by("client_id")
    assert list(audit.values_list("client_id", flat=True)) == sorted([client_a.pk, other.pk])


def test_an_export_without_a_valid_search_goes_back_to_the_form(client, application_manager):
    sign_in(client, application_manager)
    response = client.get(export_url("csv"), {"view": "clients:"})
    assert response.status_code == 302
    assert response["Location"].startswith(ACCESS_LOG)
    assert not AccessLog.objects.exists()


def test_an_unknown_export_format_is_not_found(client, application_manager, client_a):
    sign_in(client, application_manager)
    assert client.get(export_url("pdf"), {"client": client_a.pk}).status_code == 404


# The subject access request ----------------------------------------------------------------------


@pytest.fixture
def full_dossier(client_a, consultant_a, manager_a):
    """Client A with one record of every kind and two accesses by colleagues."""
    BenefitPeriodFactory(client=client_a)
    LadderMeasurementFactory(client=client_a, note="Stap gezet")
    ClientGroupAssignmentFactory(client=client_a, reason="Wil werken")
    ConversationFactory(
        client=client_a, consultant=consultant_a, notes="Zorgen over schulden besproken"
    )
    AgreementFactory(plan=PlanFactory(client=client_a, drawn_up_by=consultant_a))
    InvitationFactory(client=client_a, meeting__team=client_a.team, invited_by=consultant_a)
    TrajectoryFactory(
        client=client_a,
        instrument__name="Werkfit traject",
        provider=ProviderFactory(name="Werkbedrijf Oost"),
        cost=Decimal("1500.00"),
        goal="Ritme opbouwen",
    )
    WorkProfileFactory(client=client_a)
    PlacementFactory(client=client_a, employer__name="Zorggroep Noord")
    log_entry(consultant_a, client_a.pk, days_ago=2, view="clients:detail")
    log_entry(manager_a, client_a.pk, days_ago=1, view="plans:detail")
    return client_a


def test_the_subject_access_form(client, application_manager):
    sign_in(client, application_manager)
    response = client.get(SUBJECT_ACCESS)
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", response.text)) == 1
    assert 'name="bsn"' in response.text
    assert 'name="client_number"' in response.text


def test_a_subject_access_request_gives_one_pdf_with_everything(
    client, application_manager, consultant_a, full_dossier
):
    sign_in(client, application_manager)

    response = client.post(SUBJECT_ACCESS, {"client_number": full_dossier.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="inzage-{full_dossier.pk}-{today}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    assert "Anna Jansen" in text
    assert full_dossier.bsn in text  # the client's own copy: nothing masked
    assert "Zorgen over schulden besproken" in text
    assert "Werkfit traject" in text
    assert "Werkbedrijf Oost" in text
    assert "Zorggroep Noord" in text
    assert str(consultant_a) in text
    assert "plans:detail" in text
    assert "http" not in text
    logged = AccessLog.objects.get(reason=AccessReason.SUBJECT_ACCESS)
    assert logged.user == application_manager
    assert logged.client_id == full_dossier.pk
    assert logged.view == "privacy:subject-access"


def test_the_document_is_dutch_and_lists_every_access(
    application_manager, consultant_a, full_dossier
):
    html = documents.render_subject_access_html(
        selectors.client_for_subject_access(full_dossier.pk)
    )
    assert '<html lang="nl">' in html
    assert html.count("clients:detail") == 1
    assert html.count("plans:detail") == 1
    assert "Ritme opbouwen" in html
    assert "Stap gezet" in html
    assert "€ 1.500,00" in html
    assert "src=" not in html
    assert "href=" not in html


def test_a_subject_access_request_by_bsn(client, application_manager, client_a):
    sign_in(client, application_manager)
    response = client.post(SUBJECT_ACCESS, {"bsn": client_a.bsn})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client_a.bsn not in response["Content-Disposition"]
    assert AccessLog.objects.filter(
        reason=AccessReason.SUBJECT_ACCESS, client_id=client_a.pk
    ).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, None),
        ({"bsn": "123456789"}, "bsn"),  # fails the elfproef
        ({"client_number": "999999"}, "client_number"),
        ({"bsn": "BSN", "client_number": "1"}, "bsn"),
    ],
)
def test_a_subject_access_request_needs_one_existing_client(
    client, application_manager, client_a, data, field
):
    sign_in(client, application_manager)
    response = client.post(SUBJECT_ACCESS, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert form.errors[field] if field else form.non_field_errors()
    assert not AccessLog.objects.exists()


def test_both_a_bsn_and_a_client_number_is_refused(client, application_manager, client_a):
    sign_in(client, application_manager)
    response = client.post(SUBJECT_ACCESS, {"bsn": client_a.bsn, "client_number": client_a.pk})
    assert response.context["form"].non_field_errors()
    assert not AccessLog.objects.exists()


def test_the_conversation_leaves_out_empty_fields_and_checks_not_made(consultant_a, client_a):
    conversation = ConversationFactory(
        client=client_a,
        consultant=consultant_a,
        notes="nee",  # a text that reads as "no" is what was recorded
        ambition="",
        rights_and_duties_explained=False,
    )
    with translation.override("nl"):
        contents = documents.conversation_contents(conversation).splitlines()
        report = capfirst(str(Conversation._meta.get_field("notes").verbose_name))
        explained = capfirst(
            str(Conversation._meta.get_field("rights_and_duties_explained").verbose_name)
        )
    assert f"{report}: nee" in contents
    assert not [line for line in contents if line.startswith(f"{explained}:")]

    conversation.rights_and_duties_explained = True
    with translation.override("nl"):
        with_check = documents.conversation_contents(conversation).splitlines()
        yes = translation.gettext("yes")
    assert [line for line in with_check if line not in contents] == [f"{explained}: {yes}"]


def test_the_subject_access_query_count_does_not_grow_with_the_records(
    client, application_manager, consultant_a, full_dossier, django_assert_num_queries
):
    sign_in(client, application_manager)
    # session, user, the client by number, the log insert, the client and its 15 prefetches,
    # the access log, and instruments' trajecten, work profile, its sectors and placements
    with django_assert_num_queries(24):
        client.post(SUBJECT_ACCESS, {"client_number": full_dossier.pk})

    ConversationFactory(client=full_dossier, consultant=consultant_a, notes="Tweede gesprek")
    AgreementFactory(plan=PlanFactory(client=full_dossier, drawn_up_by=consultant_a))
    TrajectoryFactory(client=full_dossier)
    PlacementFactory(client=full_dossier)
    LadderMeasurementFactory(client=full_dossier)
    with django_assert_num_queries(24):
        response = client.post(SUBJECT_ACCESS, {"client_number": full_dossier.pk})
    assert "Tweede gesprek" in pdf_text(response)

    # A client without records: no nested prefetches (domain scores, agreements, ...) and no
    # sectors of a work profile.
    bare = ClientFactory(team=full_dossier.team)
    with django_assert_num_queries(17):
        client.post(SUBJECT_ACCESS, {"client_number": bare.pk})
