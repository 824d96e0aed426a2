"""The conversation pages and the dossier's conversation section: forms per kind, draft then
complete, read-only completed conversations, addenda, scoping, the access log, query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog
from clients.models import (
    AgreementStatus,
    ClientGroup,
    ClientGroupAssignment,
    Conversation,
    ConversationAddendum,
    ConversationKind,
    ConversationStatus,
    Invitation,
    LadderMeasurement,
    LadderStep,
    LifeDomain,
    ScreeningQuestion,
)
from tests.clients.conversation_factories import (
    AgreementFactory,
    ConversationFactory,
    DomainScoreFactory,
    PlanFactory,
)
from tests.clients.meeting_factories import MeetingFactory

pytestmark = pytest.mark.django_db

KIND_PATHS = {
    ConversationKind.SCREENING: "screening",
    ConversationKind.AMBITION: "ambitie",
    ConversationKind.PROGRESS: "voortgang",
    ConversationKind.LEGALITY_REVIEW: "rechtmatigheid",
    ConversationKind.COACHING: "werkcoach",
    ConversationKind.AFTERCARE: "nazorg",
}


def create_url(client, kind):
    return reverse("conversations:create", args=[client.pk, KIND_PATHS[kind]])


def detail_url(conversation):
    return reverse("conversations:detail", args=[conversation.pk])


def update_url(conversation):
    return reverse("conversations:update", args=[conversation.pk])


def addendum_url(conversation):
    return reverse("conversations:addendum", args=[conversation.pk])


def base(consultant, action="complete", **fields):
    return {
        "action": action,
        "held_on": timezone.localdate().isoformat(),
        "consultant": consultant.pk,
        "location": "office",
        **fields,
    }


def scores(value=3):
    return {f"score_{d.pk}": value for d in LifeDomain.objects.all()}


def ambition_data(consultant, **fields):
    groeien = ClientGroup.objects.get(code="groeien").pk
    return base(
        consultant,
        ambition="Weer aan het werk als kok.",
        preferred_group=groeien,
        advised_group=groeien,
        new_group=groeien,
        chosen_by_client="on",
        ladder_step=LadderStep.objects.get(number=2).pk,
        ladder_target=LadderStep.objects.get(number=4).pk,
        rights_and_duties_explained="True",
        **scores(),
        **fields,
    )


# Creating each kind


@pytest.mark.parametrize("kind", list(KIND_PATHS))
def test_each_kind_has_its_form_with_defaults(client, consultant_a, client_a, kind):
    client.force_login(consultant_a)
    response = client.get(create_url(client_a, kind))
    assert response.status_code == 200
    assert response.context["form"].kind == kind
    assert f'value="{timezone.localdate().isoformat()}"' in response.text
    assert re.search(r'value="office"[^>]*checked', response.text)
    assert f'<option value="{consultant_a.pk}" selected>' in response.text
    assert 'name="action" value="draft"' in response.text
    assert 'name="action" value="complete"' in response.text
    assert response.text.count("<h1") == 1
    entry = AccessLog.objects.get()
    assert (entry.client_id, entry.view) == (client_a.pk, "conversations:create")


def test_an_unknown_kind_is_404(client, consultant_a, client_a):
    client.force_login(consultant_a)
    url = reverse("conversations:create", args=[client_a.pk, "onbekend"])
    assert client.get(url).status_code == 404


def test_the_forms_hold_only_the_fields_of_their_kind(client, consultant_a, client_a):
    client.force_login(consultant_a)
    screening = client.get(create_url(client_a, ConversationKind.SCREENING)).context["form"]
    assert {"checklist", "urgent_need", "screening_outcome"} <= set(screening.fields)
    assert "ambition" not in screening.fields
    short = client.get(create_url(client_a, ConversationKind.COACHING)).context["form"]
    assert set(short.fields) == {"held_on", "consultant", "location", "notes"}
    legality = client.get(create_url(client_a, ConversationKind.LEGALITY_REVIEW)).context["form"]
    assert set(legality.fields) == {
        "held_on",
        "consultant",
        "location",
        "legality_judgement",
        "notes",
    }


def test_a_screening_is_completed_from_the_form(client, consultant_a, client_a):
    questions = list(ScreeningQuestion.objects.values_list("pk", flat=True)[:2])
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.SCREENING),
        base(
            consultant_a,
            checklist=questions,
            legality_judgement="plausible",
            urgent_need="none",
            screening_outcome="ambition_planned",
        ),
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(conversation)
    assert conversation.status == ConversationStatus.COMPLETED
    assert conversation.consultant == consultant_a
    assert set(conversation.checklist.values_list("pk", flat=True)) == set(questions)


def test_completing_an_incomplete_screening_shows_errors_and_saves_nothing(
    client, consultant_a, client_a
):
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.SCREENING),
        base(consultant_a, urgent_need="eviction", legality_judgement="doubt"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"urgent_action", "screening_outcome"} <= set(errors)
    assert 'id="error-summary"' in response.text
    # A group of radio buttons: the link goes to its first button, so focus lands in the group.
    assert 'href="#id_screening_outcome_0"' in response.text
    assert 'id="id_screening_outcome_0"' in response.text
    assert not Conversation.objects.exists()


def test_the_same_screening_is_saved_as_a_draft(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.SCREENING),
        base(consultant_a, action="draft", urgent_need="eviction"),
    )
    assert response.status_code == 302
    assert Conversation.objects.get().status == ConversationStatus.DRAFT


def test_a_draft_must_still_be_valid(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.SCREENING),
        base(consultant_a, action="draft", held_on="gisteren", urgent_need="broke"),
    )
    assert response.status_code == 200
    assert {"held_on", "urgent_need"} <= set(response.context["form"].errors)
    assert not Conversation.objects.exists()


def test_an_ambition_conversation_completes_with_its_consequences(client, consultant_a, client_a):
    kickoff = MeetingFactory(team=client_a.team)
    MeetingFactory(team=client_a.team, date=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(consultant_a)
    url = create_url(client_a, ConversationKind.AMBITION)
    form = client.get(url).context["form"]
    assert list(form.fields["kickoff"].queryset) == [kickoff]  # upcoming ones only
    response = client.post(url, ambition_data(consultant_a, kickoff=kickoff.pk))
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.is_completed
    assert conversation.domain_scores.count() == LifeDomain.objects.count()
    assert ClientGroupAssignment.objects.get(client=client_a).conversation == conversation
    assert LadderMeasurement.objects.get(client=client_a).conversation == conversation
    assert Invitation.objects.filter(client=client_a, meeting=kickoff).exists()


def test_a_missing_domain_score_is_shown_next_to_that_domain(client, consultant_a, client_a):
    work = LifeDomain.objects.get(code="work")
    data = ambition_data(consultant_a)
    del data[f"score_{work.pk}"]
    client.force_login(consultant_a)
    response = client.post(create_url(client_a, ConversationKind.AMBITION), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {f"score_{work.pk}"}
    assert f'href="#id_score_{work.pk}_0"' in response.text
    assert f'id="id_score_{work.pk}_0"' in response.text
    assert not Conversation.objects.exists()


def test_a_score_outside_1_to_5_and_a_lonely_note_are_refused(client, consultant_a, client_a):
    work, income = LifeDomain.objects.get(code="work"), LifeDomain.objects.get(code="income")
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.AMBITION),
        base(
            consultant_a,
            action="draft",
            **{f"score_{work.pk}": 6, f"score_note_{income.pk}": "Geen idee."},
        ),
    )
    assert set(response.context["form"].errors) == {f"score_{work.pk}", f"score_{income.pk}"}
    assert not Conversation.objects.exists()


def test_the_ambition_form_shows_the_group_criteria_as_guidance(client, consultant_a, client_a):
    ClientGroup.objects.filter(code="zorgen").update(criteria="Grote belemmeringen.")
    client.force_login(consultant_a)
    response = client.get(create_url(client_a, ConversationKind.AMBITION))
    assert "Grote belemmeringen." in response.text


@pytest.mark.parametrize(
    ("kind", "needed", "complete_with"),
    [
        (ConversationKind.LEGALITY_REVIEW, "legality_judgement", {"legality_judgement": "doubt"}),
        (ConversationKind.COACHING, "notes", {"notes": "Sollicitatiebrief besproken."}),
        (ConversationKind.AFTERCARE, "notes", {"notes": "Gaat goed op het werk."}),
    ],
)
def test_the_shorter_kinds_complete_with_what_they_need(
    client, consultant_a, client_a, kind, needed, complete_with
):
    client.force_login(consultant_a)
    url = create_url(client_a, kind)
    response = client.post(url, base(consultant_a, location="phone"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {needed}
    assert not Conversation.objects.exists()
    response = client.post(url, base(consultant_a, location="phone", **complete_with))
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert (conversation.kind, conversation.location, conversation.is_completed) == (
        kind,
        "phone",
        True,
    )


def test_a_kickoff_of_another_team_is_not_offered(client, consultant_a, client_a, team_b):
    other = MeetingFactory(team=team_b)
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.AMBITION),
        ambition_data(consultant_a, kickoff=other.pk),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kickoff"}
    assert not Invitation.objects.exists()


def test_the_error_summary_follows_the_order_of_the_conversation(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(
        create_url(client_a, ConversationKind.AMBITION), base(consultant_a, location="")
    )
    summary = response.text.split('id="error-summary"')[1].split("</ul>")[0]
    targets = re.findall(r'href="#(\w+)"', summary)
    assert all(f'id="{target}"' in response.text for target in targets)  # no link goes nowhere
    # A group of radio buttons or checkboxes is linked through its first input (_0).
    links = [target.removeprefix("id_").removesuffix("_0") for target in targets]
    work = LifeDomain.objects.get(code="work")
    assert links[:2] == ["location", f"score_{work.pk}"]
    assert links.index("ambition") < links.index("preferred_group") < links.index("ladder_step")


def test_a_progress_conversation_reviews_the_open_agreements(client, consultant_a, client_a):
    plan = PlanFactory(client=client_a)
    done = AgreementFactory(plan=plan)
    missed = AgreementFactory(plan=plan)
    AgreementFactory(plan=plan, status=AgreementStatus.DONE)
    client.force_login(consultant_a)
    url = create_url(client_a, ConversationKind.PROGRESS)
    assert response_agreements(client.get(url)) == [done, missed]
    data = base(
        consultant_a,
        wellbeing="Minder stress.",
        living_situation="Stabiel.",
        group_still_right="True",
        ladder_step=LadderStep.objects.get(number=3).pk,
        ladder_target=LadderStep.objects.get(number=4).pk,
        **{f"review_{done.pk}": "done", f"review_{missed.pk}": "missed"},
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {f"review_note_{missed.pk}"}
    missed.refresh_from_db()
    assert missed.status == AgreementStatus.OPEN

    response = client.post(url, {**data, f"review_note_{missed.pk}": "Vergeten."})
    assert response.status_code == 302
    done.refresh_from_db()
    missed.refresh_from_db()
    assert (done.status, missed.status) == (AgreementStatus.DONE, AgreementStatus.MISSED)


def response_agreements(response):
    return response.context["form"].agreements


def test_a_progress_form_starts_from_the_last_ladder_measurement(client, consultant_a, client_a):
    LadderMeasurement.objects.create(
        client=client_a,
        measured_on=datetime.date(2024, 1, 1),
        step=LadderStep.objects.get(number=3),
        target_step=LadderStep.objects.get(number=5),
        measured_by=consultant_a,
    )
    client.force_login(consultant_a)
    form = client.get(create_url(client_a, ConversationKind.PROGRESS)).context["form"]
    assert (form["ladder_step"].value(), form["ladder_target"].value()) == (
        LadderStep.objects.get(number=3).pk,
        LadderStep.objects.get(number=5).pk,
    )


# Draft, then complete; completed is read-only


def test_a_draft_is_continued_and_completed(client, consultant_a, client_a):
    client.force_login(consultant_a)
    client.post(
        create_url(client_a, ConversationKind.AMBITION),
        base(consultant_a, action="draft", ambition="Iets met dieren."),
    )
    draft = Conversation.objects.get()
    assert draft.status == ConversationStatus.DRAFT
    assert not ClientGroupAssignment.objects.exists()

    response = client.get(update_url(draft))
    assert response.status_code == 200
    assert "Iets met dieren." in response.text
    response = client.post(update_url(draft), ambition_data(consultant_a))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_completed
    assert ClientGroupAssignment.objects.filter(client=client_a).count() == 1


def test_a_progress_draft_with_reviews_is_completed(client, consultant_a, client_a):
    agreement = AgreementFactory(plan=PlanFactory(client=client_a))
    client.force_login(consultant_a)
    data = base(
        consultant_a,
        wellbeing="Minder stress.",
        living_situation="Stabiel.",
        group_still_right="True",
        ladder_step=LadderStep.objects.get(number=3).pk,
        ladder_target=LadderStep.objects.get(number=4).pk,
    )
    # The draft has no review yet: completing adds it.
    client.post(create_url(client_a, ConversationKind.PROGRESS), {**data, "action": "draft"})
    draft = Conversation.objects.get()
    assert draft.status == ConversationStatus.DRAFT

    response = client.post(update_url(draft), {**data, f"review_{agreement.pk}": "done"})
    assert response.status_code == 302
    draft.refresh_from_db()
    agreement.refresh_from_db()
    assert draft.is_completed
    assert agreement.status == AgreementStatus.DONE


def test_a_completed_conversation_cannot_be_edited(client, consultant_a, client_a):
    completed = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    client.force_login(consultant_a)
    response = client.get(update_url(completed))
    assert response.status_code == 302
    assert response.url == detail_url(completed)
    response = client.post(update_url(completed), base(consultant_a, notes="Anders."))
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.notes == "Gesproken over de week."
    page = client.get(detail_url(completed))
    assert update_url(completed) not in page.text
    assert addendum_url(completed) in page.text


def test_an_addendum_is_added_from_the_conversation_page(client, consultant_a, client_a):
    completed = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    client.force_login(consultant_a)
    response = client.post(addendum_url(completed), {"text": "Client belde: werk gevonden."})
    assert response.status_code == 302
    addendum = ConversationAddendum.objects.get()
    assert (addendum.conversation, addendum.author) == (completed, consultant_a)
    page = client.get(detail_url(completed))
    assert "Client belde: werk gevonden." in page.text

    response = client.post(addendum_url(completed), {"text": ""})
    assert response.status_code == 200
    assert "text" in response.context["addendum_form"].errors
    assert ConversationAddendum.objects.count() == 1


def test_a_draft_gets_no_addendum(client, consultant_a, client_a):
    draft = ConversationFactory(client=client_a, consultant=consultant_a)
    client.force_login(consultant_a)
    response = client.post(addendum_url(draft), {"text": "Nog iets."})
    assert response.status_code == 200
    assert not ConversationAddendum.objects.exists()


# Scoping and the access log


def conversation_pages(conversation):
    return [detail_url(conversation), update_url(conversation)]


def test_a_consultant_of_another_team_gets_404(client, consultant_b, client_a):
    conversation = ConversationFactory(client=client_a)
    completed = ConversationFactory(client=client_a, completed=True)
    client.force_login(consultant_b)
    for url in [*conversation_pages(conversation), create_url(client_a, "screening")]:
        assert client.get(url).status_code == 404, url
    assert client.post(update_url(conversation), base(consultant_b)).status_code == 404
    assert client.post(addendum_url(completed), {"text": "x"}).status_code == 404
    assert not ConversationAddendum.objects.exists()
    assert not AccessLog.objects.exists()


def test_policy_staff_are_refused(client, policy_officer, client_a):
    conversation = ConversationFactory(client=client_a, completed=True)
    client.force_login(policy_officer)
    for url in [*conversation_pages(conversation), create_url(client_a, "ambition")]:
        assert client.get(url).status_code == 403, url
    assert client.post(addendum_url(conversation), {"text": "x"}).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_team_leader_reads_but_does_not_write(client, manager_a, client_a):
    draft = ConversationFactory(client=client_a)
    completed = ConversationFactory(client=client_a, completed=True)
    client.force_login(manager_a)
    assert client.get(detail_url(draft)).status_code == 200
    page = client.get(detail_url(completed))
    assert page.status_code == 200
    assert addendum_url(completed) not in page.text
    assert client.get(update_url(draft)).status_code == 403
    assert client.get(create_url(client_a, "screening")).status_code == 403
    assert client.post(addendum_url(completed), {"text": "x"}).status_code == 403
    dossier = client.get(reverse("clients:detail", args=[client_a.pk]))
    assert create_url(client_a, "screening") not in dossier.text
    assert update_url(draft) not in dossier.text


def test_reading_a_conversation_is_written_to_the_access_log(client, consultant_a, client_a):
    conversation = ConversationFactory(client=client_a)
    client.force_login(consultant_a)
    url = detail_url(conversation)
    client.get(url)
    entry = AccessLog.objects.get()
    assert (entry.user, entry.client_id, entry.view, entry.path) == (
        consultant_a,
        client_a.pk,
        "conversations:detail",
        url,
    )


def test_editing_a_draft_is_written_to_the_access_log(client, consultant_a, client_a):
    draft = ConversationFactory(client=client_a, consultant=consultant_a)
    client.force_login(consultant_a)
    client.get(update_url(draft))
    assert AccessLog.objects.get().view == "conversations:update"


# The conversation page


def full_ambition(client, consultant, held_on, score):
    conversation = ConversationFactory(
        client=client,
        consultant=consultant,
        kind=ConversationKind.AMBITION,
        held_on=held_on,
        completed=True,
    )
    for domain in LifeDomain.objects.all():
        DomainScoreFactory(conversation=conversation, domain=domain, score=score)
    return conversation


@pytest.mark.parametrize("rows", [1, 6])
def test_the_conversation_page_query_count_does_not_grow(
    client, consultant_a, client_a, django_assert_num_queries, rows
):
    conversation = full_ambition(client_a, consultant_a, datetime.date(2024, 1, 1), 3)
    plan = PlanFactory(client=client_a)
    for _ in range(rows):
        ConversationAddendum.objects.create(
            conversation=conversation, author=consultant_a, text="+"
        )
        agreement = AgreementFactory(plan=plan)
        conversation.agreement_reviews.create(agreement=agreement, status=AgreementStatus.DONE)
    client.force_login(consultant_a)
    # session, user, the conversation (scoped, with its client, groups, steps and kick-off),
    # checklist, partners, scores, reviews, addenda, the trajecten agreed in it, the access log
    # insert (the user's team and unread notifications come with the user: casework.backends)
    with django_assert_num_queries(10):
        response = client.get(detail_url(conversation))
    assert len(response.context["addenda"]) == rows


# The dossier's conversation section


def test_the_dossier_lists_conversations_and_offers_every_kind(client, consultant_a, client_a):
    draft = ConversationFactory(client=client_a, consultant=consultant_a)
    completed = ConversationFactory(
        client=client_a, consultant=consultant_a, completed=True, held_on=datetime.date(2024, 3, 1)
    )
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    for kind in KIND_PATHS:
        assert create_url(client_a, kind) in response.text
    assert detail_url(draft) in response.text and detail_url(completed) in response.text
    assert update_url(draft) in response.text
    assert update_url(completed) not in response.text
    assert 'data-status="draft"' in response.text and 'data-status="completed"' in response.text


def test_the_dossier_shows_scores_side_by_side_with_their_movement(client, consultant_a, client_a):
    first = full_ambition(client_a, consultant_a, datetime.date(2023, 1, 1), 2)
    second = full_ambition(client_a, consultant_a, datetime.date(2024, 1, 1), 3)
    ConversationFactory(client=client_a, kind=ConversationKind.AMBITION)  # a draft: no column
    DomainScoreFactory(
        conversation=ConversationFactory(client=client_a, kind=ConversationKind.AMBITION),
        score=5,
    )
    work = LifeDomain.objects.get(code="work")
    second.domain_scores.filter(domain=work).update(score=1)
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    table = response.context["score_table"]
    assert table.conversations == [first, second]
    rows = {row.domain.code: row for row in table.rows}
    assert len(rows) == LifeDomain.objects.count()
    assert [(c.score, c.movement) for c in rows["work"].cells] == [(2, ""), (1, "down")]
    assert [(c.score, c.movement) for c in rows["income"].cells] == [(2, ""), (3, "up")]
    assert 'data-movement="down"' in response.text and "↓" in response.text
    assert '<th scope="row">Werk</th>' in response.text


@pytest.mark.parametrize("conversations", [1, 5])
def test_the_dossier_section_uses_two_queries(
    consultant_a, client_a, conversations, django_assert_num_queries
):
    for year in range(conversations):
        full_ambition(client_a, consultant_a, datetime.date(2020 + year, 1, 1), 3)
    request = RequestFactory().get("/")
    request.user = consultant_a
    template = Template("{% load conversation_tags %}{% dossier_conversations client %}")
    # the list of conversations with their consultant, the scores with domain and conversation
    with django_assert_num_queries(2):
        html = template.render(Context({"client": client_a, "request": request}))
    assert html.count('data-status="completed"') == conversations


def test_the_dossier_query_count_does_not_grow_with_the_conversations(
    client, consultant_a, client_a
):
    url = reverse("clients:detail", args=[client_a.pk])
    client.force_login(consultant_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    full_ambition(client_a, consultant_a, datetime.date(2020, 1, 1), 3)
    count()  # warm the caches of the first request
    with_one = count()
    for year in range(2021, 2025):
        full_ambition(client_a, consultant_a, datetime.date(year, 1, 1), 3)
        ConversationFactory(client=client_a, consultant=consultant_a)
    assert count() == with_one
