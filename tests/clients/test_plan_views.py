"""The plan van aanpak pages: drawing up, editing with a formset, signatures, agreement status,
the client's PDF, scoping and the access log."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from casework.models import AccessLog
from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    ClientGroup,
    Conversation,
    ConversationKind,
    Plan,
    Responsible,
)
from clients.plans import pdf, selectors
from tests.casework.factories import UserFactory
from tests.clients.factories import ClientFactory, ClientGroupAssignmentFactory
from tests.clients.plan_factories import AgreementFactory, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def plan_a(client_a, consultant_a):
    plan = PlanFactory(
        client=client_a,
        drawn_up_by=consultant_a,
        drawn_up_on=TODAY - datetime.timedelta(days=60),
        goals="Anna wants to work in a shop.",
    )
    AgreementFactory(plan=plan, description="Apply for three jobs", due_date=NEXT_MONTH)
    AgreementFactory(
        plan=plan,
        description="Find a work placement",
        responsible=Responsible.CONSULTANT,
        due_date=NEXT_MONTH,
    )
    AgreementFactory(
        plan=plan,
        description="Register at the library",
        status=AgreementStatus.DONE,
        status_changed_on=YESTERDAY,
    )
    AgreementFactory(
        plan=plan,
        description="Visit the job fair",
        status=AgreementStatus.MISSED,
        missed_reason="Was ill that week, confidential note",
    )
    AgreementFactory(plan=plan, description="Old course", status=AgreementStatus.CANCELLED)
    return plan


def formset_data(rows, initial=0, prefix="agreements"):
    """POST data of the agreements formset: rows of dicts with the row's fields."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def new_row(description="", responsible="client", due_date=""):
    return {"description": description, "responsible": responsible, "due_date": due_date}


def existing_rows(plan):
    """The edit formset's rows as the page renders them: the plan's open agreements."""
    return [
        {
            "id": str(a.pk),
            "plan": str(plan.pk),
            "description": a.description,
            "responsible": a.responsible,
            "due_date": a.due_date.isoformat(),
        }
        for a in selectors.open_agreements(plan).order_by("due_date", "id")
    ]


def plan_urls(client_pk):
    return [
        reverse("plans:detail", args=[client_pk]),
        reverse("plans:create", args=[client_pk]),
        reverse("plans:update", args=[client_pk]),
        reverse("plans:pdf", args=[client_pk]),
    ]


# Drawing up a plan


def test_drawing_up_a_plan_makes_it_current_and_keeps_the_previous_one(
    client, consultant_a, client_a, plan_a
):
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:create", args=[client_a.pk]),
        {
            "drawn_up_on": TODAY.isoformat(),
            "goals": "Work 20 hours a week.",
            **formset_data(
                [
                    new_row("Call the warehouse", "client", NEXT_MONTH.isoformat()),
                    new_row("Arrange childcare", "partner", NEXT_MONTH.isoformat()),
                    new_row(),
                ]
            ),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("plans:detail", args=[client_a.pk])
    current = selectors.current_plan(client_a)
    assert current is not None and current != plan_a
    assert (current.goals, current.drawn_up_by, current.drawn_up_on) == (
        "Work 20 hours a week.",
        consultant_a,
        TODAY,
    )
    assert sorted(a.description for a in current.agreements.all()) == [
        "Arrange childcare",
        "Call the warehouse",
    ]
    assert plan_a.agreements.count() == 5  # history unchanged
    assert Plan.objects.filter(client=client_a).count() == 2


def test_the_new_plan_form_starts_from_the_previous_goals(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    response = client.get(reverse("plans:create", args=[client_a.pk]))
    assert response.context["form"]["goals"].value() == "Anna wants to work in a shop."
    assert len(response.context["formset"].forms) == 3
    assert 'name="agreements-0-DELETE"' not in response.text


def test_a_new_plan_cannot_be_dated_before_the_current_one(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:create", args=[client_a.pk]),
        {
            "drawn_up_on": (plan_a.drawn_up_on - datetime.timedelta(days=1)).isoformat(),
            "goals": "Goals",
            **formset_data([new_row()]),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["drawn_up_on"]
    assert Plan.objects.count() == 1


def test_an_invalid_new_plan_shows_every_error_and_loses_nothing(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:create", args=[client_a.pk]),
        {
            "drawn_up_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "goals": "Learn Dutch at B1 level",
            **formset_data(
                [
                    new_row("Enrol in the course", "client", NEXT_MONTH.isoformat()),
                    new_row("Ask the neighbourhood team", "partner", ""),
                ]
            ),
        },
    )
    assert response.status_code == 200
    assert not Plan.objects.exists()
    form, formset = response.context["form"], response.context["formset"]
    assert form.errors["drawn_up_on"]  # in the future
    assert formset.forms[1].errors["due_date"]  # validated too, although the form failed
    # The error is next to its field, and the summary links to it.
    assert 'id="id_agreements-1-due_date-errors"' in response.text
    assert 'href="#id_agreements-1-due_date"' in response.text
    assert 'aria-invalid="true"' in response.text
    for typed in ("Learn Dutch at B1 level", "Enrol in the course", "Ask the neighbourhood team"):
        assert typed in response.text


def test_save_and_add_more_returns_to_the_form(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:create", args=[client_a.pk]),
        {
            "drawn_up_on": TODAY.isoformat(),
            "goals": "Goals",
            "continue": "1",
            **formset_data([new_row("One", "client", NEXT_MONTH.isoformat())]),
        },
    )
    assert response.url == reverse("plans:update", args=[client_a.pk])
    response = client.get(response.url)
    assert len(response.context["formset"].forms) == 1 + 2  # the agreement and two empty rows


# Editing the current plan


def test_editing_changes_adds_and_removes_open_agreements(client, consultant_a, client_a, plan_a):
    rows = existing_rows(plan_a)
    assert [row["description"] for row in rows] == ["Apply for three jobs", "Find a work placement"]
    rows[0]["description"] = "Apply for five jobs"
    rows[1]["DELETE"] = "on"
    rows.append(new_row("Update the CV", "consultant", NEXT_MONTH.isoformat()))
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:update", args=[client_a.pk]),
        {"goals": "New goals", **formset_data(rows, initial=2)},
    )
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.goals == "New goals"
    assert set(plan_a.agreements.values_list("description", "status")) == {
        ("Apply for five jobs", "open"),
        ("Update the CV", "open"),
        ("Register at the library", "done"),
        ("Visit the job fair", "missed"),
        ("Old course", "cancelled"),
    }


def test_an_invalid_edit_saves_nothing_and_keeps_what_was_typed(
    client, consultant_a, client_a, plan_a
):
    rows = existing_rows(plan_a)
    rows[0]["description"] = ""
    rows[1]["description"] = "Find a paid work placement"
    rows.append(new_row("Half-typed new agreement", "client", "not a date"))
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:update", args=[client_a.pk]),
        {"goals": "Changed goals", **formset_data(rows, initial=2)},
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[0].errors["description"]
    assert formset.forms[2].errors["due_date"]
    for typed in ("Changed goals", "Find a paid work placement", "Half-typed new agreement"):
        assert typed in response.text
    plan_a.refresh_from_db()
    assert plan_a.goals == "Anna wants to work in a shop."
    assert plan_a.agreements.filter(description="Apply for three jobs").exists()
    assert plan_a.agreements.count() == 5


def test_only_open_agreements_are_in_the_edit_formset(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    response = client.get(reverse("plans:update", args=[client_a.pk]))
    formset = response.context["formset"]
    assert [f.instance.description for f in formset.initial_forms] == [
        "Apply for three jobs",
        "Find a work placement",
    ]
    assert len(formset.extra_forms) == 2


def test_an_agreement_of_another_plan_cannot_be_slipped_into_the_formset(
    client, consultant_a, client_a, plan_a
):
    other = AgreementFactory(plan=PlanFactory(), description="Someone else's agreement")
    rows = existing_rows(plan_a)
    rows[0]["id"] = str(other.pk)
    rows[0]["description"] = "Hijacked"
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:update", args=[client_a.pk]), {"goals": "G", **formset_data(rows, 2)}
    )
    # Django's model formset ignores a row whose id is outside its queryset.
    assert response.status_code in (200, 302)
    other.refresh_from_db()
    assert other.description == "Someone else's agreement"
    assert not Agreement.objects.filter(description="Hijacked").exists()


def test_an_agreement_discussed_in_a_conversation_cannot_be_removed(
    client, consultant_a, client_a, plan_a
):
    discussed = plan_a.agreements.get(description="Apply for three jobs")
    conversation = Conversation.objects.create(
        client=client_a, kind=ConversationKind.PROGRESS, held_on=TODAY, consultant=consultant_a
    )
    AgreementReview.objects.create(
        conversation=conversation, agreement=discussed, status=AgreementStatus.OPEN
    )
    client.force_login(consultant_a)
    response = client.get(reverse("plans:update", args=[client_a.pk]))
    assert 'name="agreements-0-DELETE"' not in response.text
    assert 'name="agreements-1-DELETE"' in response.text
    rows = existing_rows(plan_a)
    rows[0]["DELETE"] = "on"  # forged: the box is not on the page
    client.post(
        reverse("plans:update", args=[client_a.pk]), {"goals": "G", **formset_data(rows, 2)}
    )
    assert Agreement.objects.filter(pk=discussed.pk).exists()


def test_editing_without_a_plan_starts_a_new_one(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(reverse("plans:update", args=[client_a.pk]))
    assert response.url == reverse("plans:create", args=[client_a.pk])


# Signatures


def test_recording_the_signatures(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:signatures", args=[client_a.pk]),
        {"client_signed_on": YESTERDAY.isoformat(), "municipality_signed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert (plan_a.client_signed_on, plan_a.municipality_signed_on) == (YESTERDAY, TODAY)
    assert plan_a.is_signed


def test_one_signature_can_be_recorded_before_the_other(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    client.post(
        reverse("plans:signatures", args=[client_a.pk]),
        {"client_signed_on": TODAY.isoformat(), "municipality_signed_on": ""},
    )
    plan_a.refresh_from_db()
    assert (plan_a.client_signed_on, plan_a.municipality_signed_on) == (TODAY, None)
    assert not plan_a.is_signed


@pytest.mark.parametrize(
    "signed_on",
    [TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=61)],
    ids=["future", "before-drawn-up"],
)
def test_impossible_signature_dates_are_refused(client, consultant_a, client_a, plan_a, signed_on):
    client.force_login(consultant_a)
    response = client.post(
        reverse("plans:signatures", args=[client_a.pk]),
        {"client_signed_on": signed_on.isoformat(), "municipality_signed_on": ""},
    )
    assert response.status_code == 200
    assert response.context["signature_form"].errors["client_signed_on"]
    assert 'href="#id_client_signed_on"' in response.text
    plan_a.refresh_from_db()
    assert plan_a.client_signed_on is None


# Agreement status


def status_url(client_a, agreement):
    return reverse("plans:agreement-status", args=[client_a.pk, agreement.pk])


def test_marking_an_agreement_done(client, consultant_a, client_a, plan_a):
    agreement = plan_a.agreements.get(description="Apply for three jobs")
    client.force_login(consultant_a)
    response = client.post(
        status_url(client_a, agreement), {f"agreement-{agreement.pk}-status": "done"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#agreement-{agreement.pk}")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.status_changed_on) == ("done", TODAY)


def test_missed_without_a_reason_is_refused(client, consultant_a, client_a, plan_a):
    agreement = plan_a.agreements.get(description="Apply for three jobs")
    client.force_login(consultant_a)
    response = client.post(
        status_url(client_a, agreement),
        {
            f"agreement-{agreement.pk}-status": "missed",
            f"agreement-{agreement.pk}-missed_reason": " ",
        },
    )
    assert response.status_code == 200
    failed = response.context["failed_forms"]
    assert [form.agreement for form in failed] == [agreement]
    assert failed[0].errors["missed_reason"]
    assert f'id="id_agreement-{agreement.pk}-missed_reason-errors"' in response.text
    assert f'href="#id_agreement-{agreement.pk}-missed_reason"' in response.text
    agreement.refresh_from_db()
    assert agreement.status == "open"


def test_missed_with_a_reason_and_cancelled(client, consultant_a, client_a, plan_a):
    first, second = selectors.open_agreements(plan_a).order_by("id")
    client.force_login(consultant_a)
    client.post(
        status_url(client_a, first),
        {
            f"agreement-{first.pk}-status": "missed",
            f"agreement-{first.pk}-missed_reason": "Forgot the appointment",
        },
    )
    client.post(status_url(client_a, second), {f"agreement-{second.pk}-status": "cancelled"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.missed_reason) == ("missed", "Forgot the appointment")
    assert (second.status, second.missed_reason) == ("cancelled", "")


def test_agreements_of_an_earlier_plan_are_not_changed(client, consultant_a, client_a, plan_a):
    PlanFactory(client=client_a, drawn_up_on=TODAY, drawn_up_by=consultant_a)
    agreement = plan_a.agreements.get(description="Apply for three jobs")
    client.force_login(consultant_a)
    response = client.post(
        status_url(client_a, agreement), {f"agreement-{agreement.pk}-status": "done"}
    )
    assert response.status_code == 404


def test_an_agreement_is_reached_through_its_own_client(
    client, consultant_a, client_a, plan_a, team_a
):
    neighbour = ClientFactory(team=team_a)
    agreement = plan_a.agreements.get(description="Apply for three jobs")
    client.force_login(consultant_a)
    response = client.post(
        status_url(neighbour, agreement), {f"agreement-{agreement.pk}-status": "done"}
    )
    assert response.status_code == 404


# The plan page and the dossier


def test_the_plan_page_shows_the_plan_with_one_h1(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    response = client.get(reverse("plans:detail", args=[client_a.pk]))
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", response.text)) == 1
    for text in ("Anna wants to work in a shop.", "Apply for three jobs", "Old course"):
        assert text in response.text
    assert f'action="{reverse("plans:signatures", args=[client_a.pk])}"' in response.text


def test_an_earlier_plan_is_shown_read_only(client, consultant_a, client_a, plan_a):
    PlanFactory(client=client_a, drawn_up_on=TODAY, drawn_up_by=consultant_a, goals="Newer")
    client.force_login(consultant_a)
    response = client.get(reverse("plans:version", args=[client_a.pk, plan_a.pk]))
    assert response.status_code == 200
    assert response.context["is_current"] is False
    assert "Apply for three jobs" in response.text
    assert '<form method="post" action="/clienten' not in response.text
    other = PlanFactory()
    assert client.get(reverse("plans:version", args=[client_a.pk, other.pk])).status_code == 404


def test_pages_without_a_plan(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(reverse("plans:detail", args=[client_a.pk]))
    assert response.status_code == 200
    assert response.context["plan"] is None
    assert client.get(reverse("plans:pdf", args=[client_a.pk])).status_code == 404
    assert client.post(reverse("plans:signatures", args=[client_a.pk]), {}).status_code == 404
    assert len(re.findall(r"<h1[ >]", response.text)) == 1
    create = client.get(reverse("plans:create", args=[client_a.pk]))
    assert len(re.findall(r"<h1[ >]", create.text)) == 1


def test_the_dossier_shows_the_current_plan(client, consultant_a, client_a, plan_a):
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    assert 'id="plan-heading"' in response.text
    assert "Apply for three jobs" in response.text
    assert "Was ill that week, confidential note" in response.text  # staff see the reason
    assert reverse("plans:pdf", args=[client_a.pk]) in response.text
    assert 'id="plan-warning-heading"' not in response.text


def test_the_dossier_warns_when_a_required_plan_is_missing(client, consultant_a, team_a):
    young = ClientFactory(team=team_a, date_of_birth=TODAY.replace(year=TODAY.year - 20))
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[young.pk]))
    warning = re.search(
        r'<div class="notice notice-warning" role="status".*?</div>', response.text, re.S
    )
    assert warning is not None
    assert 'id="plan-warning-heading"' in warning.group()


def test_the_dossier_warns_when_the_plan_is_outdated(client, consultant_a, team_a):
    grown = ClientFactory(team=team_a, date_of_birth=datetime.date(1970, 1, 1))
    ClientGroupAssignmentFactory(client=grown, group=ClientGroup.objects.get(code="matchen"))
    PlanFactory(client=grown, drawn_up_on=TODAY - datetime.timedelta(days=400))
    client.force_login(consultant_a)
    text = client.get(reverse("clients:detail", args=[grown.pk])).text
    assert 'role="status" aria-labelledby="plan-warning-heading"' in text


def test_no_warning_when_no_plan_is_required(client, consultant_a, team_a):
    grown = ClientFactory(team=team_a, date_of_birth=datetime.date(1970, 1, 1))
    ClientGroupAssignmentFactory(client=grown, group=ClientGroup.objects.get(code="zorgen"))
    client.force_login(consultant_a)
    text = client.get(reverse("clients:detail", args=[grown.pk])).text
    assert 'id="plan-warning-heading"' not in text


# The client's PDF


def test_the_pdf_is_a_pdf_without_name_or_bsn_in_its_file_name(
    client, consultant_a, client_a, plan_a
):
    client.force_login(consultant_a)
    response = client.get(reverse("plans:pdf", args=[client_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="plan-van-aanpak.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Apply for three jobs" in text
    assert "Register at the library" in text
    assert "Visit the job fair" not in text
    assert client_a.bsn not in text


def document(client_a, contact):
    plan = selectors.current_plan(client_a)
    return pdf.render_plan_html(client=client_a, plan=plan, contact=contact)


def test_the_document_holds_only_what_was_agreed(client_a, plan_a, consultant_a):
    consultant_a.first_name = "Sanne"
    consultant_a.last_name = "Bos"
    consultant_a.phone = "0570 12 34 56"
    html = document(client_a, consultant_a)
    for text in (
        "Anna wants to work in a shop.",
        "Apply for three jobs",
        "Find a work placement",
        "Register at the library",
        date_format(NEXT_MONTH, "j F Y"),
        "Sanne Bos",
        "0570 12 34 56",
    ):
        assert text in html, text
    for text in ("Visit the job fair", "confidential note", "Old course", client_a.bsn):
        assert text not in html, text
    assert "<script" not in html and "http" not in html


def test_the_contact_person_is_the_first_consultant_or_the_author(
    client_a, plan_a, consultant_a, team_a
):
    later = UserFactory(team=team_a, first_name="Later", last_name="Colleague")
    client_a.consultants.add(later)
    assert selectors.contact_person(client_a, plan_a) == consultant_a
    consultant_a.is_active = False  # left the team
    consultant_a.save()
    assert selectors.contact_person(client_a, plan_a) == later
    client_a.consultants.clear()
    assert selectors.contact_person(client_a, plan_a) == plan_a.drawn_up_by


# Scoping, permissions, access log


def test_another_team_gets_404_everywhere(client, consultant_b, client_a, plan_a):
    agreement = plan_a.agreements.first()
    client.force_login(consultant_b)
    for url in plan_urls(client_a.pk):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("plans:version", args=[client_a.pk, plan_a.pk])).status_code == 404
    for url in (
        reverse("plans:signatures", args=[client_a.pk]),
        status_url(client_a, agreement),
        reverse("plans:create", args=[client_a.pk]),
    ):
        assert client.post(url, {}).status_code == 404, url
    assert AccessLog.objects.count() == 0


def test_policy_staff_are_refused(client, policy_officer, client_a, plan_a):
    client.force_login(policy_officer)
    for url in plan_urls(client_a.pk):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("plans:signatures", args=[client_a.pk]), {}).status_code == 403
    assert AccessLog.objects.count() == 0


def test_a_team_leader_reads_but_does_not_write(client, manager_a, client_a, plan_a):
    agreement = plan_a.agreements.first()
    client.force_login(manager_a)
    response = client.get(reverse("plans:detail", args=[client_a.pk]))
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert "Apply for three jobs" in response.text
    assert client.get(reverse("plans:pdf", args=[client_a.pk])).status_code == 200
    assert client.get(reverse("plans:create", args=[client_a.pk])).status_code == 403
    assert client.get(reverse("plans:update", args=[client_a.pk])).status_code == 403
    assert client.post(reverse("plans:signatures", args=[client_a.pk]), {}).status_code == 403
    status = {f"agreement-{agreement.pk}-status": "done"}
    assert client.post(status_url(client_a, agreement), status).status_code == 403


@pytest.mark.parametrize(
    ("url_name", "view"),
    [
        ("plans:detail", "plans:detail"),
        ("plans:create", "plans:create"),
        ("plans:update", "plans:update"),
        ("plans:pdf", "plans:pdf"),
    ],
)
def test_reading_a_plan_is_written_to_the_access_log(
    client, consultant_a, client_a, plan_a, url_name, view
):
    client.force_login(consultant_a)
    url = reverse(url_name, args=[client_a.pk])
    client.get(url)
    entry = AccessLog.objects.get()
    assert (entry.user, entry.client_id, entry.view, entry.path) == (
        consultant_a,
        client_a.pk,
        view,
        url,
    )


# Query counts


def add_agreements(plan, count):
    AgreementFactory.create_batch(count, plan=plan, due_date=NEXT_MONTH)


@pytest.mark.parametrize("extra", [0, 20])
def test_the_plan_page_query_count_does_not_grow_with_the_agreements(
    client, consultant_a, client_a, plan_a, django_assert_num_queries, extra
):
    add_agreements(plan_a, extra)
    client.force_login(consultant_a)
    # session, user (with team and unread notifications: casework.backends); the client and its
    # five dossier prefetches; access log; the plans; their agreements; policy settings; the
    # plan rule
    with django_assert_num_queries(13):
        response = client.get(reverse("plans:detail", args=[client_a.pk]))
    assert len(response.context["agreements"]) == 5 + extra


@pytest.mark.parametrize("extra", [0, 20])
def test_the_dossier_partial_query_count_does_not_grow_with_the_agreements(
    rf, consultant_a, client_a, plan_a, django_assert_num_queries, extra
):
    add_agreements(plan_a, extra)
    template = Template("{% load plan_tags %}{% dossier_plans client %}")
    request = rf.get("/")
    request.user = consultant_a
    # the plan; its agreements; policy settings; the plan rule
    with django_assert_num_queries(4):
        html = template.render(Context({"client": client_a, "request": request}))
    assert html.count("<tr>") == 1 + 5 + extra  # the header row and one per agreement


def test_the_dossier_query_count_does_not_grow_with_the_agreements(
    client, consultant_a, client_a, plan_a
):
    """Relative, so the other sections of the dossier don't matter here."""
    client.force_login(consultant_a)
    url = reverse("clients:detail", args=[client_a.pk])
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_agreements(plan_a, 20)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.text.count("Agreement step") == 20
    assert len(after.captured_queries) == len(before.captured_queries)


def test_saving_the_same_status_keeps_the_date_of_the_change(
    client, consultant_a, client_a, plan_a
):
    done = plan_a.agreements.get(description="Register at the library")
    client.force_login(consultant_a)
    response = client.post(status_url(client_a, done), {f"agreement-{done.pk}-status": "done"})
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.status_changed_on == YESTERDAY
