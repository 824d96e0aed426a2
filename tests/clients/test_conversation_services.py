"""clients.conversations.services: drafts, the completion checks of every kind, the consequences
of completing (all or nothing), read-only completed conversations and addenda."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from clients.conversations import services
from clients.conversations.services import (
    ConversationCompletedError,
    ReviewInput,
    ScoreInput,
)
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
    LegalityJudgement,
    LifeDomain,
    Location,
    Partner,
    ScreeningOutcome,
    ScreeningQuestion,
    UrgentNeed,
)
from tests.clients.conversation_factories import (
    AgreementFactory,
    ConversationFactory,
    PlanFactory,
)
from tests.clients.factories import ClientGroupAssignmentFactory
from tests.clients.meeting_factories import MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def group(code):
    return ClientGroup.objects.get(code=code)


def step(number):
    return LadderStep.objects.get(number=number)


def base(consultant, **fields):
    return {"held_on": TODAY(), "consultant": consultant, "location": Location.OFFICE} | fields


def all_scores(score=3):
    return [ScoreInput(domain=d, score=score, note="") for d in LifeDomain.objects.all()]


def ambition(consultant, **fields):
    defaults = {
        "ambition": "Ik wil weer werken in de zorg.",
        "preferred_group": group("groeien"),
        "advised_group": group("groeien"),
        "new_group": group("groeien"),
        "chosen_by_client": True,
        "ladder_step": step(2),
        "ladder_target": step(4),
        "rights_and_duties_explained": True,
        "domain_scores": all_scores(),
    }
    return base(consultant, **(defaults | fields))


def create(client, user, kind, /, *, complete=False, **data):
    return services.create_conversation(
        client=client, kind=kind, saved_by=user, complete=complete, **data
    )


def errors_of(excinfo):
    return set(excinfo.value.error_dict)


# Screening


def test_a_screening_draft_may_be_incomplete(client_a, consultant_a):
    conversation = create(client_a, consultant_a, ConversationKind.SCREENING, **base(consultant_a))
    assert conversation.status == ConversationStatus.DRAFT
    assert conversation.completed_at is None


def test_completing_a_screening_needs_judgement_need_and_outcome(client_a, consultant_a):
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a, consultant_a, ConversationKind.SCREENING, complete=True, **base(consultant_a)
        )
    assert errors_of(excinfo) == {"legality_judgement", "urgent_need", "screening_outcome"}
    assert not Conversation.objects.exists()


def test_an_urgent_need_needs_the_action_and_a_referral_needs_a_partner(client_a, consultant_a):
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a,
            consultant_a,
            ConversationKind.SCREENING,
            complete=True,
            **base(
                consultant_a,
                legality_judgement=LegalityJudgement.PLAUSIBLE,
                urgent_need=UrgentNeed.EVICTION,
                screening_outcome=ScreeningOutcome.REFERRED,
            ),
        )
    assert errors_of(excinfo) == {"urgent_action", "referred_to"}


def test_a_complete_screening_is_completed_with_its_checklist(client_a, consultant_a):
    questions = list(ScreeningQuestion.objects.all()[:3])
    partner = Partner.objects.get(name="Voedselbank")
    conversation = create(
        client_a,
        consultant_a,
        ConversationKind.SCREENING,
        complete=True,
        checklist=questions,
        referred_to=[partner],
        **base(
            consultant_a,
            legality_judgement=LegalityJudgement.PLAUSIBLE,
            urgent_need=UrgentNeed.NO_MONEY_FOR_FOOD,
            urgent_action="Voedselbon meegegeven.",
            screening_outcome=ScreeningOutcome.REFERRED,
        ),
    )
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.COMPLETED
    assert conversation.completed_at is not None
    assert set(conversation.checklist.all()) == set(questions)
    assert list(conversation.referred_to.all()) == [partner]


# Ambition


def test_completing_an_ambition_conversation_needs_every_domain_and_the_choices(
    client_a, consultant_a
):
    data = ambition(consultant_a)
    data["domain_scores"] = data["domain_scores"][:-2]
    data["preferred_group"] = None
    data["rights_and_duties_explained"] = None
    with pytest.raises(ValidationError) as excinfo:
        create(client_a, consultant_a, ConversationKind.AMBITION, complete=True, **data)
    errors = excinfo.value.error_dict
    assert set(errors) == {"domain_scores", "preferred_group", "rights_and_duties_explained"}
    missing = {e.params["domain"] for e in errors["domain_scores"]}
    assert missing == set(LifeDomain.objects.order_by("-position")[:2].values_list("pk", flat=True))
    assert not Conversation.objects.exists()


def test_an_inactive_domain_is_not_needed(client_a, consultant_a):
    LifeDomain.objects.filter(code="justice").update(is_active=False)
    data = ambition(consultant_a)
    data["domain_scores"] = [s for s in data["domain_scores"] if s.domain.code != "justice"]
    conversation = create(client_a, consultant_a, ConversationKind.AMBITION, complete=True, **data)
    assert conversation.is_completed


def test_completing_an_ambition_conversation_applies_group_ladder_and_kickoff(
    client_a, consultant_a
):
    kickoff = MeetingFactory(team=client_a.team)
    held_on = TODAY() - datetime.timedelta(days=1)
    conversation = create(
        client_a,
        consultant_a,
        ConversationKind.AMBITION,
        complete=True,
        **ambition(consultant_a, kickoff=kickoff, held_on=held_on),
    )
    assignment = ClientGroupAssignment.objects.get(client=client_a)
    assert (assignment.group.code, assignment.start_date, assignment.end_date) == (
        "groeien",
        held_on,
        None,
    )
    assert assignment.conversation == conversation
    assert assignment.assigned_by == consultant_a
    assert assignment.chosen_by_client is True
    measurement = LadderMeasurement.objects.get(client=client_a)
    assert (measurement.step.number, measurement.target_step.number) == (2, 4)
    assert (measurement.conversation, measurement.measured_on) == (conversation, held_on)
    assert measurement.measured_by == consultant_a
    invitation = Invitation.objects.get(client=client_a)
    assert (invitation.meeting, invitation.invited_by) == (kickoff, consultant_a)
    assert conversation.domain_scores.count() == LifeDomain.objects.count()


def test_choosing_against_the_preference_needs_a_reason(client_a, consultant_a):
    data = ambition(consultant_a, group_change_reason="")
    data["preferred_group"] = group("matchen")
    with pytest.raises(ValidationError) as excinfo:
        create(client_a, consultant_a, ConversationKind.AMBITION, complete=True, **data)
    assert errors_of(excinfo) == {"group_change_reason"}
    data["group_change_reason"] = "Eerst taal en werkfit, dan matchen."
    create(client_a, consultant_a, ConversationKind.AMBITION, complete=True, **data)
    assignment = ClientGroupAssignment.objects.get(client=client_a)
    assert assignment.reason == "Eerst taal en werkfit, dan matchen."


def test_the_same_group_again_creates_no_assignment(client_a, consultant_a):
    ClientGroupAssignmentFactory(client=client_a, group=group("groeien"))
    create(
        client_a, consultant_a, ConversationKind.AMBITION, complete=True, **ambition(consultant_a)
    )
    assert ClientGroupAssignment.objects.filter(client=client_a).count() == 1


def test_a_past_kickoff_is_refused_on_completion(client_a, consultant_a):
    past = MeetingFactory(team=client_a.team, date=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a,
            consultant_a,
            ConversationKind.AMBITION,
            complete=True,
            **ambition(consultant_a, kickoff=past),
        )
    assert errors_of(excinfo) == {"kickoff"}
    assert not Invitation.objects.exists()


# Progress


@pytest.fixture
def plan(client_a):
    older = PlanFactory(client=client_a, drawn_up_on=datetime.date(2023, 1, 1))
    AgreementFactory(plan=older, description="Oude afspraak")
    return PlanFactory(client=client_a, drawn_up_on=datetime.date(2024, 1, 1))


def progress(consultant, **fields):
    defaults = {
        "wellbeing": "Slaapt beter.",
        "living_situation": "Huur op tijd betaald.",
        "group_still_right": True,
        "ladder_step": step(3),
        "ladder_target": step(4),
    }
    return base(consultant, **(defaults | fields))


def test_completing_a_progress_conversation_applies_the_agreement_reviews(
    client_a, consultant_a, plan
):
    done = AgreementFactory(plan=plan, description="Cv afmaken")
    missed = AgreementFactory(plan=plan, description="Naar de taalles")
    still_open = AgreementFactory(plan=plan, description="Solliciteren")
    conversation = create(
        client_a,
        consultant_a,
        ConversationKind.PROGRESS,
        complete=True,
        agreement_reviews=[
            ReviewInput(agreement=done, status=AgreementStatus.DONE),
            ReviewInput(agreement=missed, status=AgreementStatus.MISSED, note="Ziek geweest."),
            ReviewInput(agreement=still_open, status=AgreementStatus.OPEN),
        ],
        **progress(consultant_a),
    )
    for agreement in (done, missed, still_open):
        agreement.refresh_from_db()
    assert (done.status, done.status_changed_on) == (AgreementStatus.DONE, conversation.held_on)
    assert (missed.status, missed.missed_reason) == (AgreementStatus.MISSED, "Ziek geweest.")
    assert (still_open.status, still_open.status_changed_on) == (AgreementStatus.OPEN, None)
    assert LadderMeasurement.objects.get(client=client_a).conversation == conversation


def test_every_open_agreement_of_the_current_plan_is_reviewed_and_a_miss_explained(
    client_a, consultant_a, plan
):
    reviewed = AgreementFactory(plan=plan)
    forgotten = AgreementFactory(plan=plan)
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a,
            consultant_a,
            ConversationKind.PROGRESS,
            complete=True,
            agreement_reviews=[ReviewInput(agreement=reviewed, status=AgreementStatus.MISSED)],
            **progress(consultant_a),
        )
    errors = excinfo.value.error_dict["agreement_reviews"]
    assert {(e.code, e.params["agreement"]) for e in errors} == {
        ("reason_required", reviewed.pk),
        ("review_missing", forgotten.pk),
    }
    reviewed.refresh_from_db()
    assert reviewed.status == AgreementStatus.OPEN


def test_a_progress_conversation_can_move_the_client_to_another_group(client_a, consultant_a, plan):
    old = ClientGroupAssignmentFactory(
        client=client_a, group=group("groeien"), start_date=datetime.date(2023, 1, 1)
    )
    data = progress(consultant_a, group_still_right=False)
    with pytest.raises(ValidationError) as excinfo:
        create(client_a, consultant_a, ConversationKind.PROGRESS, complete=True, **data)
    assert errors_of(excinfo) == {"new_group", "group_change_reason"}

    data.update(new_group=group("zorgen"), group_change_reason="Psychische klachten.")
    conversation = create(client_a, consultant_a, ConversationKind.PROGRESS, complete=True, **data)
    old.refresh_from_db()
    assert old.end_date == conversation.held_on - datetime.timedelta(days=1)
    new = ClientGroupAssignment.objects.get(client=client_a, end_date__isnull=True)
    assert (new.group.code, new.reason, new.conversation) == (
        "zorgen",
        "Psychische klachten.",
        conversation,
    )


def test_a_group_change_cannot_go_before_the_current_group(client_a, consultant_a):
    ClientGroupAssignmentFactory(
        client=client_a, group=group("groeien"), start_date=TODAY() - datetime.timedelta(days=5)
    )
    data = progress(
        consultant_a,
        held_on=TODAY() - datetime.timedelta(days=10),
        group_still_right=False,
        new_group=group("zorgen"),
        group_change_reason="Zorg eerst.",
    )
    with pytest.raises(ValidationError) as excinfo:
        create(client_a, consultant_a, ConversationKind.PROGRESS, complete=True, **data)
    assert errors_of(excinfo) == {"held_on"}


def test_a_new_group_while_the_group_is_still_right_is_refused(client_a, consultant_a):
    ClientGroupAssignmentFactory(client=client_a, group=group("groeien"))
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a,
            consultant_a,
            ConversationKind.PROGRESS,
            complete=True,
            **progress(consultant_a, new_group=group("matchen"), group_change_reason="Werk."),
        )
    assert errors_of(excinfo) == {"group_still_right"}


def test_an_agreement_of_another_client_cannot_be_reviewed(client_a, consultant_a, team_a):
    foreign = AgreementFactory(plan__client__team=team_a)
    with pytest.raises(ValidationError):
        create(
            client_a,
            consultant_a,
            ConversationKind.PROGRESS,
            agreement_reviews=[ReviewInput(agreement=foreign, status=AgreementStatus.DONE)],
            **progress(consultant_a),
        )
    assert not Conversation.objects.exists()


# Shorter kinds and common rules


def test_a_legality_review_needs_a_judgement_and_a_coaching_contact_a_report(
    client_a, consultant_a
):
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a,
            consultant_a,
            ConversationKind.LEGALITY_REVIEW,
            complete=True,
            **base(consultant_a),
        )
    assert errors_of(excinfo) == {"legality_judgement"}
    for kind in (ConversationKind.COACHING, ConversationKind.AFTERCARE):
        with pytest.raises(ValidationError) as excinfo:
            create(client_a, consultant_a, kind, complete=True, **base(consultant_a, notes=" "))
        assert errors_of(excinfo) == {"notes"}
    review = create(
        client_a,
        consultant_a,
        ConversationKind.LEGALITY_REVIEW,
        complete=True,
        **base(consultant_a, legality_judgement=LegalityJudgement.DOUBT),
    )
    assert review.is_completed


def test_a_conversation_in_the_future_is_not_completed(client_a, consultant_a):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        create(
            client_a,
            consultant_a,
            ConversationKind.COACHING,
            complete=True,
            **base(consultant_a, held_on=tomorrow, notes="Gesprek."),
        )
    assert errors_of(excinfo) == {"held_on"}


def test_a_ladder_step_needs_its_target(client_a, consultant_a):
    with pytest.raises(ValidationError):
        create(
            client_a,
            consultant_a,
            ConversationKind.PROGRESS,
            **base(consultant_a, ladder_step=step(2)),
        )
    assert not Conversation.objects.exists()


# Draft, then complete


def test_a_draft_is_changed_and_completed_later(client_a, consultant_a):
    draft = create(client_a, consultant_a, ConversationKind.AMBITION, **base(consultant_a))
    services.update_conversation(
        conversation=draft, saved_by=consultant_a, domain_scores=all_scores(2)
    )
    assert draft.status == ConversationStatus.DRAFT
    assert not ClientGroupAssignment.objects.exists()
    data = ambition(consultant_a)
    services.update_conversation(conversation=draft, saved_by=consultant_a, complete=True, **data)
    draft.refresh_from_db()
    assert draft.is_completed
    assert ClientGroupAssignment.objects.get(client=client_a).conversation == draft
    assert set(draft.domain_scores.values_list("score", flat=True)) == {3}


def test_a_completed_conversation_cannot_be_changed_or_completed_again(client_a, consultant_a):
    conversation = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    with pytest.raises(ConversationCompletedError):
        services.update_conversation(
            conversation=conversation, saved_by=consultant_a, notes="Toch anders."
        )
    with pytest.raises(ConversationCompletedError):
        services.complete_conversation(conversation=conversation, completed_by=consultant_a)
    conversation.refresh_from_db()
    assert conversation.notes == "Gesproken over de week."


# All or nothing


def test_a_database_error_while_completing_applies_nothing(client_a, consultant_a, monkeypatch):
    kickoff = MeetingFactory(team=client_a.team)
    draft = create(client_a, consultant_a, ConversationKind.AMBITION, **ambition(consultant_a))

    def broken_invite(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(services, "invite", broken_invite)
    with pytest.raises(DatabaseError):
        services.update_conversation(
            conversation=draft, saved_by=consultant_a, complete=True, kickoff=kickoff
        )
    draft = Conversation.objects.get(pk=draft.pk)
    assert draft.status == ConversationStatus.DRAFT
    assert draft.kickoff is None  # the change made with the completion is gone too
    assert not ClientGroupAssignment.objects.exists()
    assert not LadderMeasurement.objects.exists()


def test_a_validation_error_in_the_middle_applies_nothing(
    client_a, consultant_a, plan, monkeypatch
):
    agreement = AgreementFactory(plan=plan)

    def refusing(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(services, "set_agreement_status", refusing)
    with pytest.raises(ValidationError):
        create(
            client_a,
            consultant_a,
            ConversationKind.PROGRESS,
            complete=True,
            agreement_reviews=[ReviewInput(agreement=agreement, status=AgreementStatus.DONE)],
            **progress(
                consultant_a,
                group_still_right=False,
                new_group=group("zorgen"),
                group_change_reason="Zorg eerst.",
            ),
        )
    assert not Conversation.objects.exists()
    assert not ClientGroupAssignment.objects.exists()
    assert not LadderMeasurement.objects.exists()


# Addenda


def test_an_addendum_is_added_to_a_completed_conversation_only(client_a, consultant_a):
    completed = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    addendum = services.add_addendum(
        conversation=completed, author=consultant_a, text="  Client belde na.  "
    )
    assert (addendum.author, addendum.text) == (consultant_a, "Client belde na.")
    draft = ConversationFactory(client=client_a, consultant=consultant_a)
    with pytest.raises(ValidationError):
        services.add_addendum(conversation=draft, author=consultant_a, text="Nog iets.")
    with pytest.raises(ValidationError):
        services.add_addendum(conversation=completed, author=consultant_a, text="   ")
    assert ConversationAddendum.objects.count() == 1
