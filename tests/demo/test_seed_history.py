"""The consultant's work in the demo data: conversations, plans and meetings.

The municipality is seeded once for the module and every test only reads it, which keeps the
suite quick. The rules the data must follow are stated (and computed) here, in plain Python over
the rows, so they do not depend on the application's own selectors."""

import calendar
import datetime
import io
import itertools
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.test import override_settings

from casework.models import PolicySettings, User
from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    Attendance,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    ConversationKind,
    ConversationStatus,
    DomainScore,
    Invitation,
    LadderMeasurement,
    LifeDomain,
    Meeting,
    MeetingKind,
    Plan,
)

TODAY = datetime.date(2025, 6, 30)
CLIENTS = 500
YEARS = 4

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_municipality(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the default is slow
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        call_command("seed_demo", clients=CLIENTS, today=TODAY, years=YEARS, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def on_benefit() -> set[int]:
    return set(
        BenefitPeriod.objects.filter(end_date__isnull=True).values_list("client_id", flat=True)
    )


def current_groups() -> dict[int, ClientGroupAssignment]:
    """The open klantgroep assignment of each client on benefit."""
    return {
        assignment.client_id: assignment
        for assignment in ClientGroupAssignment.objects.filter(
            end_date__isnull=True, client__in=on_benefit()
        ).select_related("group")
    }


def completed() -> QuerySet[Conversation]:
    return Conversation.objects.filter(status=ConversationStatus.COMPLETED)


def test_every_completed_conversation_has_its_completion_time_and_drafts_are_few():
    assert completed().count() > CLIENTS * 3
    assert not completed().filter(completed_at__isnull=True).exists()
    assert not completed().filter(held_on__gt=TODAY).exists()
    kinds = set(completed().values_list("kind", flat=True))
    assert kinds == set(ConversationKind.values)

    drafts = Conversation.objects.filter(status=ConversationStatus.DRAFT)
    consultant = User.objects.get(username="consulent")
    assert 1 <= drafts.count() <= 15
    assert not drafts.filter(completed_at__isnull=False).exists()
    assert set(drafts.values_list("consultant", flat=True)) == {consultant.pk}
    assert not drafts.exclude(client__consultants=consultant).exists()


def test_each_ambition_conversation_scores_every_active_domain():
    active = LifeDomain.objects.filter(is_active=True).count()
    ambitions = completed().filter(kind=ConversationKind.AMBITION)
    counts = set(ambitions.annotate(n=Count("domain_scores")).values_list("n", flat=True))
    assert counts == {active}
    assert not DomainScore.objects.filter(Q(score__lt=1) | Q(score__gt=5)).exists()

    def mean_score(code: str) -> float:
        scores = DomainScore.objects.filter(
            conversation__kind=ConversationKind.AMBITION, conversation__new_group__code=code
        ).values_list("score", flat=True)
        return sum(scores) / len(scores)

    # Self-reliance follows the klantgroep: Matchen high, Zorgen low.
    assert mean_score("matchen") > mean_score("groeien") > mean_score("zorgen")


def test_progress_conversations_score_again_and_scores_move_a_little():
    history: dict[tuple[int, int], list[int]] = defaultdict(list)
    for client_id, domain_id, score in DomainScore.objects.order_by(
        "conversation__held_on", "conversation_id"
    ).values_list("conversation__client_id", "domain_id", "score"):
        history[client_id, domain_id].append(score)
    steps = [b - a for scores in history.values() for a, b in itertools.pairwise(scores)]
    assert steps  # progress conversations score the focus domains again
    assert any(steps)  # and some scores move
    assert all(abs(step) <= 1 for step in steps)  # but only a little at a time


def test_ladder_measurements_and_klantgroepen_come_from_conversations():
    for measurement in LadderMeasurement.objects.select_related("conversation"):
        talk = measurement.conversation
        assert talk.client_id == measurement.client_id
        assert talk.held_on == measurement.measured_on
        assert (talk.ladder_step_id, talk.ladder_target_id) == (
            measurement.step_id,
            measurement.target_step_id,
        )
    for assignment in ClientGroupAssignment.objects.select_related("conversation"):
        talk = assignment.conversation
        assert talk.client_id == assignment.client_id
        assert talk.held_on == assignment.start_date
        assert talk.new_group_id == assignment.group_id
        assert talk.kind in (ConversationKind.AMBITION, ConversationKind.PROGRESS)
    # The ambitiegesprek chooses the first group: the client's preference, or the advice taken.
    for talk in completed().filter(kind=ConversationKind.AMBITION):
        assert talk.new_group_id is not None
        chosen = talk.preferred_group_id if talk.chosen_by_client else talk.advised_group_id
        assert chosen == talk.new_group_id


def test_conversations_follow_the_klantgroep_rhythm():
    groups_of_client: dict[int, set[str]] = defaultdict(set)
    for client_id, code in ClientGroupAssignment.objects.values_list("client_id", "group__code"):
        groups_of_client[client_id].add(code)
    only_matchen = [client for client, codes in groups_of_client.items() if codes == {"matchen"}]
    periodic = completed().filter(kind=ConversationKind.PROGRESS, group_still_right=True)
    assert not periodic.filter(client__in=only_matchen).exists()
    assert completed().filter(kind=ConversationKind.COACHING, client__in=only_matchen).exists()
    reviewed = set(
        completed()
        .filter(kind=ConversationKind.LEGALITY_REVIEW)
        .values_list("client_id", flat=True)
    )
    assert reviewed
    assert all("faciliteren" in groups_of_client[client] for client in reviewed)


def test_a_share_of_clients_is_past_its_progress_conversation():
    """Due 12 / (progress conversations a year) months after the later of the last completed
    ambition or progress conversation and the start of the current klantgroep."""
    last = dict(
        completed()
        .filter(kind__in=[ConversationKind.AMBITION, ConversationKind.PROGRESS])
        .values("client")
        .annotate(last=Max("held_on"))
        .values_list("client", "last")
    )
    with_rhythm = [
        assignment
        for assignment in current_groups().values()
        if assignment.group.progress_conversations_per_year
    ]
    overdue = [
        assignment
        for assignment in with_rhythm
        if add_months(
            max(last[assignment.client_id], assignment.start_date),
            12 // assignment.group.progress_conversations_per_year,
        )
        < TODAY
    ]
    assert 0.05 <= len(overdue) / len(with_rhythm) <= 0.3


def test_a_few_clients_had_no_activity_for_longer_than_the_policy_allows():
    """Activity: a completed conversation, a ladder measurement, a klantgroep, a plan, or the
    start of the benefit."""
    clients = on_benefit()
    latest: dict[int, datetime.date] = {}
    sources = [
        completed().values_list("client_id", "held_on"),
        LadderMeasurement.objects.values_list("client_id", "measured_on"),
        ClientGroupAssignment.objects.values_list("client_id", "start_date"),
        Plan.objects.values_list("client_id", "drawn_up_on"),
        BenefitPeriod.objects.filter(end_date__isnull=True).values_list("client_id", "start_date"),
    ]
    for rows in sources:
        for client_id, day in rows:
            latest[client_id] = max(day, latest.get(client_id, day))
    days = PolicySettings.load().inactivity_days
    inactive = [client for client in clients if (TODAY - latest[client]).days > days]
    assert 1 <= len(inactive) <= 0.05 * len(clients)


def test_agreements_follow_the_rules():
    assert Agreement.objects.exists()
    missed = Agreement.objects.filter(status=AgreementStatus.MISSED)
    assert missed.exists()
    assert not missed.filter(missed_reason="").exists()
    assert (
        not Agreement.objects.exclude(status=AgreementStatus.MISSED)
        .exclude(missed_reason="")
        .exists()
    )
    opened = Agreement.objects.filter(status=AgreementStatus.OPEN)
    assert not opened.filter(status_changed_on__isnull=False).exists()
    settled = Agreement.objects.exclude(status=AgreementStatus.OPEN)
    assert not settled.filter(
        Q(status_changed_on__isnull=True) | Q(status_changed_on__gt=TODAY)
    ).exists()
    assert opened.filter(due_date__lt=TODAY).exists()  # something for the work queue
    sizes = set(Plan.objects.annotate(n=Count("agreements")).values_list("n", flat=True))
    assert sizes <= {2, 3, 4}
    # A progress conversation of the same client settled the agreements it reviewed.
    for review in AgreementReview.objects.select_related("conversation", "agreement__plan"):
        assert review.conversation.kind == ConversationKind.PROGRESS
        assert review.conversation.client_id == review.agreement.plan.client_id
        assert review.conversation.held_on == review.agreement.status_changed_on
        assert review.status == review.agreement.status


def test_most_clients_who_need_a_plan_have_a_current_one():
    policy = PolicySettings.load()
    # Up to that age: not yet that age + 1 today.
    youngest = add_months(TODAY, -12 * (policy.plan_required_up_to_age + 1))
    need = {
        client_id
        for client_id, assignment in current_groups().items()
        if assignment.group.requires_plan
    }
    need |= set(
        Client.objects.filter(pk__in=current_groups(), date_of_birth__gt=youngest).values_list(
            "pk", flat=True
        )
    )
    newest = dict(
        Plan.objects.values("client")
        .annotate(last=Max("drawn_up_on"))
        .values_list("client", "last")
    )
    with_plan = [client for client in need if client in newest]
    stale = [
        client
        for client in with_plan
        if add_months(newest[client], policy.plan_valid_months) < TODAY
    ]
    assert 0.7 <= len(with_plan) / len(need) < 1  # most, not all
    assert stale
    assert len(stale) < len(with_plan) / 2
    signed = Plan.objects.filter(
        client_signed_on__isnull=False, municipality_signed_on__isnull=False
    )
    assert signed.count() > 0.7 * Plan.objects.count()


def test_meetings_have_unique_invitations_and_realistic_attendance():
    pairs = list(Invitation.objects.values_list("meeting_id", "client_id"))
    assert len(pairs) == len(set(pairs))
    kickoffs = Meeting.objects.filter(kind=MeetingKind.KICKOFF)
    assert kickoffs.exists()
    assert not kickoffs.filter(Q(is_mandatory=False) | Q(group__isnull=True)).exists()
    assert Meeting.objects.filter(kind=MeetingKind.THEME).exclude(orientation="").exists()
    # Invited from the ambitiegesprek to the kick-off of the client's team.
    for talk in completed().filter(kickoff__isnull=False).select_related("kickoff", "client"):
        assert (talk.kickoff_id, talk.client_id) in set(pairs)
        assert talk.kickoff.team_id == talk.client.team_id
        assert talk.kickoff.date > talk.held_on
    upcoming = Invitation.objects.filter(meeting__date__gt=TODAY)
    assert upcoming.exists()
    assert set(upcoming.values_list("attendance", flat=True)) == {Attendance.INVITED}
    held = Invitation.objects.filter(meeting__date__lte=TODAY)
    assert not held.filter(attendance=Attendance.INVITED).exists()
    counts = dict(held.values_list("attendance").annotate(n=Count("id")))
    assert counts[Attendance.PRESENT] > counts[Attendance.ABSENT_WITH_NOTICE]
    assert held.filter(
        attendance=Attendance.ABSENT_WITHOUT_NOTICE, meeting__is_mandatory=True
    ).exists()


def test_the_vignettes_have_a_coherent_story():
    mother = Client.objects.get(first_name="Monique", last_name="Kamphuis")
    plan = mother.plans.first()
    assert plan.is_signed
    assert plan.agreements.filter(description__icontains="schooltijd").exists()
    assert plan.agreements.filter(status=AgreementStatus.OPEN, due_date__lt=TODAY).exists()

    young = Client.objects.get(first_name="Jordy", last_name="Hulshof")
    assert young.conversations.filter(status=ConversationStatus.DRAFT).exists()
    assert young.plans.first().agreements.filter(status=AgreementStatus.MISSED).exists()
    assert not young.conversations.filter(
        kind=ConversationKind.PROGRESS, status=ConversationStatus.COMPLETED
    ).exists()  # past his yearly progress conversation

    texts = " ".join(
        Conversation.objects.filter(client__in=[mother, young]).values_list("notes", flat=True)
    )
    assert "lorem" not in texts.lower()
