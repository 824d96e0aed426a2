"""/api/v1/conversations/: reading (roles, scope, filters, ordering, access log, query counts) and
writing through the conversation page's form and service. The proof that the API creates no
state the pages cannot: the same input is posted to the page and to the API, and both refuse it
with nothing changed, or both apply the same klantgroep change."""

import datetime

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog, Role
from clients.models import (
    Agreement,
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
from tests.api import as_user, ids, with_token
from tests.casework.factories import UserFactory
from tests.clients.conversation_factories import (
    AgreementFactory,
    ConversationFactory,
    DomainScoreFactory,
    PlanFactory,
)
from tests.clients.factories import ClientFactory, ClientGroupAssignmentFactory
from tests.clients.meeting_factories import MeetingFactory

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/v1/conversations/"
PAGE_KINDS = {
    ConversationKind.SCREENING: "screening",
    ConversationKind.AMBITION: "ambitie",
    ConversationKind.PROGRESS: "voortgang",
    ConversationKind.COACHING: "werkcoach",
}


def detail(conversation):
    return f"{CONVERSATIONS}{conversation.pk}/"


def group(code):
    return ClientGroup.objects.get(code=code)


def step(number):
    return LadderStep.objects.get(number=number)


def today():
    return timezone.localdate()


# One input, in the page's form encoding and in the API's JSON -------------------------------------


def page_value(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list):
        return [page_value(item) for item in value]
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def api_value(value):
    if isinstance(value, ClientGroup | ScreeningQuestion):
        return value.code
    if isinstance(value, LadderStep):
        return value.number
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list):
        return [api_value(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def page_payload(fields, *, complete=True):
    """What the page's form posts for these fields."""
    data = {"action": "complete" if complete else "draft"}
    for name, value in fields.items():
        if name == "scores":
            data.update({f"score_{domain.pk}": score for domain, score in value.items()})
        elif name == "reviews":
            for agreement, (status, note) in value.items():
                data[f"review_{agreement.pk}"] = status
                data[f"review_note_{agreement.pk}"] = note
        elif name == "chosen_by_client":
            if value:
                data[name] = "on"  # a ticked box; an unticked one is not posted
        else:
            data[name] = page_value(value)
    return data


def api_payload(fields, *, complete=True):
    """The same fields as the API's JSON body."""
    data = {"complete": complete}
    for name, value in fields.items():
        if name == "scores":
            data["domain_scores"] = [
                {"domain": domain.code, "score": score} for domain, score in value.items()
            ]
        elif name == "reviews":
            data["agreement_reviews"] = [
                {"agreement": agreement.pk, "status": status, "note": note}
                for agreement, (status, note) in value.items()
            ]
        else:
            data[name] = api_value(value)
    return data


def all_scores(score=3):
    return {domain: score for domain in LifeDomain.objects.filter(is_active=True)}


def ambition(consultant, **fields):
    """A complete ambition conversation choosing Groeien, as the client prefers."""
    return {
        "held_on": today(),
        "consultant": consultant,
        "location": "office",
        "ambition": "Weer aan het werk als kok.",
        "preferred_group": group("groeien"),
        "advised_group": group("groeien"),
        "new_group": group("groeien"),
        "chosen_by_client": True,
        "ladder_step": step(2),
        "ladder_target": step(4),
        "rights_and_duties_explained": True,
        "scores": all_scores(),
        **fields,
    }


def progress(consultant, **fields):
    return {
        "held_on": today(),
        "consultant": consultant,
        "location": "office",
        "wellbeing": "Minder stress.",
        "living_situation": "Stabiel.",
        "group_still_right": True,
        "ladder_step": step(3),
        "ladder_target": step(4),
        **fields,
    }


def post_page(client, user, customer, kind, fields, *, complete=True):
    client.force_login(user)
    url = reverse("conversations:create", args=[customer.pk, PAGE_KINDS[kind]])
    return client.post(url, page_payload(fields, complete=complete))


def post_api(api_client, user, customer, kind, fields, *, complete=True):
    body = {"client": customer.pk, "kind": kind, **api_payload(fields, complete=complete)}
    return as_user(api_client, user).post(CONVERSATIONS, body, format="json")


def state():
    """Everything completing a conversation can change."""
    return {
        "conversations": list(
            Conversation.objects.order_by("pk").values_list(
                "pk", "status", "ambition", "notes", "new_group"
            )
        ),
        "assignments": list(
            ClientGroupAssignment.objects.order_by("pk").values_list(
                "pk", "group", "start_date", "end_date", "conversation"
            )
        ),
        "measurements": LadderMeasurement.objects.count(),
        "invitations": Invitation.objects.count(),
        "agreements": list(Agreement.objects.order_by("pk").values_list("pk", "status")),
    }


# Reading: roles and scope -------------------------------------------------------------------------


def test_anonymous_calls_are_401(api_client, client_a):
    conversation = ConversationFactory(client=client_a)
    for response in [
        api_client.get(CONVERSATIONS),
        api_client.get(detail(conversation)),
        api_client.post(CONVERSATIONS, {"client": client_a.pk}, format="json"),
        api_client.patch(detail(conversation), {"notes": "x"}, format="json"),
    ]:
        assert response.status_code == 401
    assert not AccessLog.objects.exists()


def test_a_consultant_reads_the_conversations_of_the_team_by_token(
    api_client, consultant_a, client_a, team_b
):
    own = ConversationFactory(client=client_a)
    ConversationFactory(client=ClientFactory(team=team_b))
    api = with_token(api_client, consultant_a)
    assert ids(api.get(CONVERSATIONS)) == [own.pk]
    assert api.get(detail(own)).json()["notes"] == "Gesproken over de week."


def test_another_team_sees_nothing_and_changes_nothing(api_client, consultant_b, client_a):
    draft = ConversationFactory(client=client_a)
    api = as_user(api_client, consultant_b)
    assert ids(api.get(CONVERSATIONS)) == []
    assert api.get(detail(draft)).status_code == 404
    assert api.patch(detail(draft), {"notes": "Anders."}, format="json").status_code == 404
    assert api.put(detail(draft), {"notes": "Anders."}, format="json").status_code == 404
    draft.refresh_from_db()
    assert draft.notes == "Gesproken over de week."
    assert not AccessLog.objects.exists()


def test_a_team_leader_reads_the_report_but_does_not_write(api_client, manager_a, client_a):
    draft = ConversationFactory(client=client_a)
    api = as_user(api_client, manager_a)
    assert ids(api.get(CONVERSATIONS)) == [draft.pk]
    # The conversation page shows the report to everyone who may read the conversation.
    assert api.get(detail(draft)).json()["notes"] == "Gesproken over de week."
    body = {"client": client_a.pk, "kind": "coaching", "held_on": today().isoformat()}
    assert api.post(CONVERSATIONS, body, format="json").status_code == 403
    assert api.patch(detail(draft), {"notes": "Anders."}, format="json").status_code == 403
    assert Conversation.objects.get().notes == "Gesproken over de week."


@pytest.mark.parametrize("user", ["policy_officer", "application_manager"])
def test_staff_without_person_access_get_403(api_client, request, client_a, user):
    conversation = ConversationFactory(client=client_a)
    api = as_user(api_client, request.getfixturevalue(user))
    assert api.get(CONVERSATIONS).status_code == 403
    assert api.get(detail(conversation)).status_code == 403
    assert api.post(CONVERSATIONS, {"client": client_a.pk}, format="json").status_code == 403
    assert api.patch(detail(conversation), {}, format="json").status_code == 403
    assert not AccessLog.objects.exists()


def test_a_non_numeric_id_is_404_and_delete_is_not_allowed(api_client, consultant_a, client_a):
    conversation = ConversationFactory(client=client_a)
    api = as_user(api_client, consultant_a)
    assert api.get(f"{CONVERSATIONS}abc/").status_code == 404
    assert api.delete(detail(conversation)).status_code == 405
    assert Conversation.objects.exists()


# Reading: content, filters, ordering, access log, queries ----------------------------------------


def test_a_conversation_shows_codes_scores_reviews_and_addenda(api_client, consultant_a, client_a):
    conversation = ConversationFactory(
        client=client_a,
        consultant=consultant_a,
        kind=ConversationKind.AMBITION,
        completed=True,
        new_group=group("matchen"),
        ladder_step=step(3),
        ladder_target=step(5),
    )
    DomainScoreFactory(conversation=conversation, score=4, note="Wil graag.")
    agreement = AgreementFactory(plan=PlanFactory(client=client_a))
    conversation.agreement_reviews.create(agreement=agreement, status="done")
    conversation.checklist.add(ScreeningQuestion.objects.first())
    ConversationAddendum.objects.create(conversation=conversation, author=consultant_a, text="+")
    data = as_user(api_client, consultant_a).get(detail(conversation)).json()
    assert (data["kind"], data["status"], data["client"], data["consultant"]) == (
        "ambition",
        "completed",
        client_a.pk,
        consultant_a.pk,
    )
    assert (data["new_group"], data["ladder_step"], data["ladder_target"]) == ("matchen", 3, 5)
    assert data["domain_scores"] == [{"domain": "work", "score": 4, "note": "Wil graag."}]
    assert data["agreement_reviews"] == [{"agreement": agreement.pk, "status": "done", "note": ""}]
    assert data["checklist"] == [ScreeningQuestion.objects.first().code]
    assert [(a["author"], a["text"]) for a in data["addenda"]] == [(consultant_a.pk, "+")]
    assert data["preferred_group"] is None


def test_filters(api_client, consultant_a, client_a, team_a):
    other = ClientFactory(team=team_a)
    colleague = UserFactory(team=team_a, role=Role.CONSULTANT)
    old = ConversationFactory(client=client_a, held_on=datetime.date(2024, 1, 10))
    new = ConversationFactory(
        client=client_a, held_on=datetime.date(2024, 3, 10), kind="progress", completed=True
    )
    theirs = ConversationFactory(
        client=other, consultant=colleague, held_on=datetime.date(2024, 2, 1)
    )
    api = as_user(api_client, consultant_a)
    assert ids(api.get(CONVERSATIONS, {"client": client_a.pk})) == [new.pk, old.pk]
    assert ids(api.get(CONVERSATIONS, {"kind": "progress"})) == [new.pk]
    assert ids(api.get(CONVERSATIONS, {"status": "draft"})) == [theirs.pk, old.pk]
    assert ids(api.get(CONVERSATIONS, {"status": "completed"})) == [new.pk]
    assert ids(api.get(CONVERSATIONS, {"consultant": colleague.pk})) == [theirs.pk]
    assert ids(api.get(CONVERSATIONS, {"held_after": "2024-02-01"})) == [new.pk, theirs.pk]
    assert ids(api.get(CONVERSATIONS, {"held_before": "2024-02-01"})) == [theirs.pk, old.pk]
    assert api.get(CONVERSATIONS, {"kind": "chat"}).status_code == 400
    assert api.get(CONVERSATIONS, {"held_after": "gisteren"}).status_code == 400


def test_ordering(api_client, consultant_a, client_a):
    first = ConversationFactory(client=client_a, held_on=datetime.date(2024, 1, 1))
    second = ConversationFactory(client=client_a, held_on=datetime.date(2024, 2, 1))
    same_day = ConversationFactory(client=client_a, held_on=datetime.date(2024, 2, 1))
    api = as_user(api_client, consultant_a)
    # Newest first; the later logged first on the same day.
    assert ids(api.get(CONVERSATIONS)) == [same_day.pk, second.pk, first.pk]
    assert ids(api.get(CONVERSATIONS, {"ordering": "held_on,-created_at"})) == [
        first.pk,
        same_day.pk,
        second.pk,
    ]


def test_the_list_logs_exactly_the_clients_in_the_page(api_client, consultant_a, team_a):
    older = ConversationFactory(
        client=ClientFactory(team=team_a), held_on=datetime.date(2024, 1, 1)
    )
    newer = ConversationFactory(
        client=ClientFactory(team=team_a), held_on=datetime.date(2024, 2, 1)
    )
    response = as_user(api_client, consultant_a).get(CONVERSATIONS, {"page_size": 1})
    assert ids(response) == [newer.pk]
    rows = AccessLog.objects.all()
    assert [(row.client_id, row.view, row.path) for row in rows] == [
        (newer.client_id, "api:conversations-list", CONVERSATIONS)
    ]
    assert older.client_id not in {row.client_id for row in rows}


def test_reading_one_is_logged(api_client, consultant_a, client_a):
    conversation = ConversationFactory(client=client_a)
    as_user(api_client, consultant_a).get(detail(conversation))
    row = AccessLog.objects.get()
    assert (row.user_id, row.client_id, row.view) == (
        consultant_a.pk,
        client_a.pk,
        "api:conversations-retrieve",
    )


@pytest.mark.parametrize("rows", [2, 6])
def test_the_list_query_count_does_not_grow_with_the_rows(
    api_client, consultant_a, team_a, django_assert_num_queries, rows
):
    for _i in range(rows):
        conversation = ConversationFactory(
            client=ClientFactory(team=team_a),
            kind=ConversationKind.AMBITION,
            completed=True,
            new_group=group("groeien"),
            ladder_step=step(2),
            ladder_target=step(3),
        )
        DomainScoreFactory(conversation=conversation)
        ConversationAddendum.objects.create(
            conversation=conversation, author=conversation.consultant, text="+"
        )
        conversation.checklist.add(ScreeningQuestion.objects.first())
    api = with_token(api_client, consultant_a)
    # token and user, last_used_at, count, page (with groups and steps), checklist, partners,
    # scores (with domains), reviews, addenda, access-log insert
    with django_assert_num_queries(10):
        response = api.get(CONVERSATIONS)
    assert len(response.json()["results"]) == rows


# Writing ------------------------------------------------------------------------------------------


def test_a_draft_is_logged_and_continued(api_client, consultant_a, client_a):
    api = as_user(api_client, consultant_a)
    fields = {"held_on": today(), "consultant": consultant_a, "ambition": "Iets met dieren."}
    response = post_api(api, consultant_a, client_a, "ambition", fields, complete=False)
    assert response.status_code == 201
    data = response.json()
    draft = Conversation.objects.get()
    assert (data["id"], data["status"], data["ambition"]) == (draft.pk, "draft", "Iets met dieren.")
    assert not ClientGroupAssignment.objects.exists()
    assert AccessLog.objects.get().view == "api:conversations-create"

    # PATCH keeps what it does not name.
    response = api.patch(detail(draft), {"notes": "Eerste gesprek."}, format="json")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.ambition, draft.notes, draft.status) == (
        "Iets met dieren.",
        "Eerste gesprek.",
        "draft",
    )

    # Completing through PATCH applies the consequences.
    rest = api_payload(ambition(consultant_a), complete=True)
    response = api.patch(detail(draft), rest, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    draft.refresh_from_db()
    assert draft.is_completed
    assert draft.notes == "Eerste gesprek."
    assert ClientGroupAssignment.objects.get(client=client_a).conversation == draft
    assert LadderMeasurement.objects.get(client=client_a).conversation == draft
    assert draft.domain_scores.count() == LifeDomain.objects.filter(is_active=True).count()


def test_put_replaces_the_fields_as_the_page_posts_them(api_client, consultant_a, client_a):
    draft = ConversationFactory(client=client_a, consultant=consultant_a, location="phone")
    body = {"held_on": "2024-05-01", "consultant": consultant_a.pk}
    response = as_user(api_client, consultant_a).put(detail(draft), body, format="json")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.held_on, draft.location, draft.notes) == (datetime.date(2024, 5, 1), "", "")


def test_patch_completes_a_draft_with_what_it_holds(api_client, consultant_a, client_a):
    draft = ConversationFactory(client=client_a, consultant=consultant_a, kind="coaching")
    response = as_user(api_client, consultant_a).patch(
        detail(draft), {"complete": True}, format="json"
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.is_completed and draft.notes == "Gesproken over de week."


def test_a_screening_takes_lists_of_codes_and_ids(api_client, consultant_a, client_a):
    questions = list(ScreeningQuestion.objects.filter(is_active=True)[:2])
    fields = {
        "held_on": today(),
        "consultant": consultant_a,
        "location": "office",
        "checklist": questions,
        "legality_judgement": "plausible",
        "urgent_need": "none",
        "screening_outcome": "ambition_planned",
    }
    response = post_api(api_client, consultant_a, client_a, "screening", fields)
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["checklist"]) == sorted(q.code for q in questions)
    assert Conversation.objects.get().is_completed


def test_a_progress_draft_with_reviews_is_completed_by_patch(api_client, consultant_a, client_a):
    plan = PlanFactory(client=client_a)
    done, missed = AgreementFactory(plan=plan), AgreementFactory(plan=plan)
    api = as_user(api_client, consultant_a)
    fields = progress(consultant_a, reviews={done: ("done", ""), missed: ("missed", "")})
    response = post_api(api, consultant_a, client_a, "progress", fields)
    assert response.status_code == 400
    # The missed agreement needs a reason: the error is under its id.
    assert list(response.json()) == ["agreement_reviews"]
    assert list(response.json()["agreement_reviews"]) == [str(missed.pk)]
    assert not Conversation.objects.exists()

    response = post_api(api, consultant_a, client_a, "progress", fields, complete=False)
    assert response.status_code == 201
    draft = Conversation.objects.get()
    body = {
        "complete": True,
        "agreement_reviews": [
            {"agreement": done.pk, "status": "done"},
            {"agreement": missed.pk, "status": "missed", "note": "Vergeten."},
        ],
    }
    response = api.patch(detail(draft), body, format="json")
    assert response.status_code == 200, response.json()
    done.refresh_from_db()
    missed.refresh_from_db()
    assert (done.status, missed.status) == (AgreementStatus.DONE, AgreementStatus.MISSED)


def test_an_ambition_conversation_invites_to_the_kickoff(api_client, consultant_a, client_a):
    kickoff = MeetingFactory(team=client_a.team)
    fields = ambition(consultant_a, kickoff=kickoff)
    response = post_api(api_client, consultant_a, client_a, "ambition", fields)
    assert response.status_code == 201
    assert response.json()["kickoff"] == kickoff.pk
    assert Invitation.objects.filter(client=client_a, meeting=kickoff).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_group": "groeien"}, "new_group"),  # not a field of a coaching conversation
        ({"status": "completed"}, "status"),
        ({"notes": ["a", "b"]}, "notes"),
        ({"notes": {"text": "a"}}, "notes"),
        ({"location": None, "held_on": [1]}, "held_on"),
    ],
)
def test_what_no_form_could_post_is_refused(api_client, consultant_a, client_a, body, field):
    fields = {"held_on": today().isoformat(), "consultant": consultant_a.pk, **body}
    api = as_user(api_client, consultant_a)
    response = api.post(
        CONVERSATIONS, {"client": client_a.pk, "kind": "coaching", **fields}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_group": "onbekend"}, "new_group"),
        ({"ladder_step": 9, "ladder_target": 4}, "ladder_step"),
        ({"domain_scores": [{"domain": "onbekend", "score": 3}]}, "domain_scores"),
        ({"domain_scores": [{"domain": "work", "score": 6}]}, "domain_scores"),
        ({"domain_scores": [{"domain": "work", "score": 3, "x": 1}]}, "domain_scores"),
        ({"domain_scores": "work=3"}, "domain_scores"),
        ({"agreement_reviews": []}, "agreement_reviews"),  # not a field of an ambition
    ],
)
def test_unknown_codes_and_bad_scores_are_refused(api_client, consultant_a, client_a, body, field):
    fields = api_payload({"held_on": today(), "consultant": consultant_a}, complete=False)
    api = as_user(api_client, consultant_a)
    response = api.post(
        CONVERSATIONS, {"client": client_a.pk, "kind": "ambition", **fields, **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Conversation.objects.exists()


def test_patch_replaces_the_scores_given(api_client, consultant_a, client_a):
    draft = ConversationFactory(client=client_a, consultant=consultant_a, kind="ambition")
    DomainScoreFactory(conversation=draft, score=2)  # work
    api = as_user(api_client, consultant_a)
    body = {"domain_scores": [{"domain": "income", "score": 4, "note": "Rond."}]}
    response = api.patch(detail(draft), body, format="json")
    assert response.status_code == 200
    assert response.json()["domain_scores"] == [{"domain": "income", "score": 4, "note": "Rond."}]
    body = {"domain_scores": [{"domain": "work", "score": 4}, {"domain": "work", "score": 5}]}
    response = api.patch(detail(draft), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["domain_scores"]) == ["work"]
    assert list(draft.domain_scores.values_list("domain__code", "score")) == [("income", 4)]


def test_only_the_agreements_to_review_are_taken(api_client, consultant_a, client_a, team_a):
    foreign = AgreementFactory(plan=PlanFactory(client=ClientFactory(team=team_a)))
    fields = progress(consultant_a, reviews={foreign: ("done", "")})
    response = post_api(api_client, consultant_a, client_a, "progress", fields)
    assert response.status_code == 400
    assert list(response.json()["agreement_reviews"]) == [str(foreign.pk)]
    foreign.refresh_from_db()
    assert foreign.status == AgreementStatus.OPEN


def test_the_body_must_be_a_json_object(api_client, consultant_a, client_a):
    api = as_user(api_client, consultant_a)
    assert api.post(CONVERSATIONS, [1, 2], format="json").status_code == 400
    assert api.post(CONVERSATIONS, {"client": client_a.pk}).status_code == 415  # form-encoded
    response = api.post(CONVERSATIONS, {"client": "x", "kind": "chat"}, format="json")
    assert set(response.json()) == {"client", "kind"}
    assert not Conversation.objects.exists()


# The proof: the API applies and refuses exactly what the page does ------------------------------


GROUP_CHANGES = {
    "ambition": lambda consultant, **fields: ambition(consultant, **fields),
    "progress": lambda consultant, **fields: progress(
        consultant, group_still_right=False, new_group=group("groeien"), **fields
    ),
}


@pytest.mark.parametrize("kind", list(GROUP_CHANGES))
def test_a_klantgroep_change_through_the_api_is_the_pages(
    client, api_client, consultant_a, team_a, kind
):
    """Completing a conversation that moves a client from Matchen to Groeien: through the page
    for one client, through the API for another, with the same result."""
    results = []
    for send in ("page", "api"):
        customer = ClientFactory(team=team_a)
        previous = ClientGroupAssignmentFactory(client=customer, group=group("matchen"))
        fields = GROUP_CHANGES[kind](
            consultant_a,
            held_on=datetime.date(2024, 3, 1),
            group_change_reason="Wil eerst een opleiding.",
        )
        if send == "page":
            response = post_page(client, consultant_a, customer, kind, fields)
            assert response.status_code == 302
        else:
            response = post_api(api_client, consultant_a, customer, kind, fields)
            assert response.status_code == 201
            assert response.json()["new_group"] == "groeien"
        conversation = Conversation.objects.get(client=customer)
        previous.refresh_from_db()
        new = ClientGroupAssignment.objects.get(client=customer, end_date__isnull=True)
        assert ClientGroupAssignment.objects.filter(client=customer).count() == 2
        assert new.conversation == conversation
        assert previous.end_date == datetime.date(2024, 2, 29)
        results.append(
            (
                conversation.status,
                new.group.code,
                new.start_date,
                new.reason,
                new.chosen_by_client,
                new.assigned_by,
                previous.end_date,
                LadderMeasurement.objects.get(client=customer).step.number,
            )
        )
    assert results[0] == results[1]


def missing_everything(consultant):
    return {"held_on": today(), "consultant": consultant, "location": "office"}


REFUSED = {
    "ambition without what completing needs": (
        "ambition",
        lambda c, clients: missing_everything(c),
        "ambition",
    ),
    "an inactive client group": (
        "ambition",
        lambda c, clients: ambition(c, new_group=clients["inactive"]),
        "new_group",
    ),
    "a change of klantgroep without a reason": (
        "ambition",
        lambda c, clients: ambition(c),  # the client is in Matchen
        "group_change_reason",
    ),
    "a group against the client's preference without a reason": (
        "ambition",
        lambda c, clients: ambition(c, preferred_group=group("matchen")),
        "group_change_reason",
    ),
    "a missing life-domain score": (
        "ambition",
        lambda c, clients: ambition(c, scores={}),
        "domain_scores",
    ),
    "only one of step and target": (
        "ambition",
        lambda c, clients: ambition(c, ladder_target=""),
        "ladder_target",
    ),
    "a kick-off of another team": (
        "ambition",
        lambda c, clients: ambition(c, kickoff=clients["foreign_kickoff"]),
        "kickoff",
    ),
    "a conversation in the future": (
        "ambition",
        lambda c, clients: ambition(c, held_on=today() + datetime.timedelta(days=2)),
        "held_on",
    ),
    "a group no longer right without a new one or a reason": (
        "progress",
        lambda c, clients: progress(c, group_still_right=False),
        "group_change_reason",
    ),
    "a new group while the group is still right": (
        "progress",
        lambda c, clients: progress(c, new_group=group("zorgen")),
        "group_still_right",
    ),
    "a consultant of another team": (
        "progress",
        lambda c, clients: progress(clients["outsider"]),
        "consultant",
    ),
    "a screening without its outcome": (
        "screening",
        lambda c, clients: {**missing_everything(c), "urgent_need": "eviction"},
        "urgent_action",
    ),
}


@pytest.fixture
def refusal_world(team_a, team_b, consultant_b):
    customer = ClientFactory(team=team_a)
    ClientGroupAssignmentFactory(client=customer, group=group("matchen"))
    inactive = ClientGroup.objects.create(code="oud", name="Oud", is_active=False, position=9)
    return customer, {
        "inactive": inactive,
        "foreign_kickoff": MeetingFactory(team=team_b),
        "outsider": consultant_b,
    }


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_api_refuses_what_the_page_refuses_and_changes_nothing(
    client, api_client, consultant_a, refusal_world, case
):
    customer, things = refusal_world
    kind, make, field = REFUSED[case]
    fields = make(consultant_a, things)
    before = state()

    page = post_page(client, consultant_a, customer, kind, fields)
    assert page.status_code == 200
    page_errors = set(page.context["form"].errors)
    assert state() == before

    api = post_api(api_client, consultant_a, customer, kind, fields)
    assert api.status_code == 400
    assert field in api.json()
    assert state() == before
    # The same problems, named by the page's field names or the API's.
    renamed = {"domain_scores" if name.startswith("score_") else name for name in page_errors} - {
        "__all__"
    }
    assert renamed == set(api.json()) - {"non_field_errors"}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_completing_a_draft_is_refused_as_on_the_page_and_the_draft_stays(
    client, api_client, consultant_a, refusal_world, method
):
    customer, _things = refusal_world
    draft = ConversationFactory(
        client=customer, consultant=consultant_a, kind="ambition", ambition="Eerst."
    )
    fields = ambition(consultant_a, ambition="Later.")  # a change of group without a reason
    before = state()

    client.force_login(consultant_a)
    page = client.post(reverse("conversations:update", args=[draft.pk]), page_payload(fields))
    assert page.status_code == 200
    assert "group_change_reason" in page.context["form"].errors
    assert state() == before

    api = getattr(as_user(api_client, consultant_a), method)
    response = api(detail(draft), api_payload(fields), format="json")
    assert response.status_code == 400
    assert "group_change_reason" in response.json()
    assert state() == before  # the draft itself is unchanged too: all or nothing


def test_a_client_of_another_team_is_refused_by_both(client, api_client, consultant_b, client_a):
    fields = {"held_on": today(), "consultant": consultant_b, "notes": "x", "location": "office"}
    assert post_page(client, consultant_b, client_a, "coaching", fields).status_code == 404
    response = post_api(api_client, consultant_b, client_a, "coaching", fields)
    assert response.status_code == 400
    assert set(response.json()) == {"client"}
    assert not Conversation.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_completed_conversation_is_refused_by_both(
    client, api_client, consultant_a, client_a, method
):
    completed = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    fields = {"held_on": today(), "consultant": consultant_a, "notes": "Anders."}
    client.force_login(consultant_a)
    page = client.post(reverse("conversations:update", args=[completed.pk]), page_payload(fields))
    assert page.status_code == 302  # back to the conversation, with a warning
    api = getattr(as_user(api_client, consultant_a), method)
    response = api(detail(completed), api_payload(fields), format="json")
    assert response.status_code == 409
    assert "detail" in response.json()
    completed.refresh_from_db()
    assert (completed.notes, completed.status) == (
        "Gesproken over de week.",
        ConversationStatus.COMPLETED,
    )


def test_the_refusals_are_written_to_the_access_log(api_client, consultant_a, client_a):
    fields = {"held_on": today(), "consultant": consultant_a, "location": "office"}
    response = post_api(api_client, consultant_a, client_a, "coaching", fields)
    assert response.status_code == 400
    assert set(response.json()) == {"notes"}
    row = AccessLog.objects.get()
    assert (row.client_id, row.view) == (client_a.pk, "api:conversations-create")


def test_the_schema_documents_the_writes(client, consultant_a):
    client.force_login(consultant_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    item = schema["paths"]["/api/v1/conversations/{id}/"]
    assert set(item) >= {"get", "put", "patch"}
    assert "delete" not in item
    assert set(item["patch"]["responses"]) >= {"200", "400", "401", "403", "404", "409"}
    create = schema["paths"]["/api/v1/conversations/"]["post"]
    assert set(create["responses"]) >= {"201", "400", "401", "403"}
    assert "requestBody" in create
