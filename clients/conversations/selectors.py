"""Reads of conversations. Scoped through clients.selectors.clients_for_user: a conversation of a
client outside the user's scope does not exist for that user (404)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from clients.meetings.selectors import upcoming_meetings
from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    ClientGroup,
    ClientGroupAssignment,
    Conversation,
    ConversationAddendum,
    ConversationStatus,
    DomainScore,
    LifeDomain,
    Meeting,
    MeetingKind,
)
from clients.plans.selectors import current_plan_id
from clients.selectors import clients_for_user

if TYPE_CHECKING:
    from casework.models import User
    from clients.models import Client


def conversations_for_user(user: User) -> QuerySet[Conversation]:
    """The conversations of the clients this user may see."""
    return Conversation.objects.filter(client__in=clients_for_user(user))


def get_conversation_for_user(user: User, pk: int) -> Conversation:
    """One conversation in the user's scope with everything its page shows; 404 otherwise."""
    queryset = (
        conversations_for_user(user)
        # The page names the client, the consultant, the groups, the steps and the kick-off.
        .select_related(
            "client",
            "consultant",
            "preferred_group",
            "advised_group",
            "new_group",
            "ladder_step",
            "ladder_target",
            "kickoff__group",
        )
        # One query per list instead of one per row.
        .prefetch_related(
            "checklist",
            "referred_to",
            Prefetch("domain_scores", queryset=DomainScore.objects.select_related("domain")),
            Prefetch(
                "agreement_reviews",
                queryset=AgreementReview.objects.select_related("agreement").order_by(
                    "agreement__due_date", "agreement_id"
                ),
            ),
            Prefetch("addenda", queryset=ConversationAddendum.objects.select_related("author")),
        )
    )
    try:
        return queryset.get(pk=pk)
    except Conversation.DoesNotExist:
        raise Http404 from None


def current_assignment(client: Client) -> ClientGroupAssignment | None:
    """The client's open klantgroep assignment, with its group."""
    return (
        ClientGroupAssignment.objects.filter(client=client, end_date__isnull=True)
        .select_related("group")  # the group is what the caller wants
        .first()
    )


def active_life_domains() -> QuerySet[LifeDomain]:
    return LifeDomain.objects.filter(is_active=True)


def active_client_groups() -> QuerySet[ClientGroup]:
    return ClientGroup.objects.filter(is_active=True)


def agreements_to_review(
    client: Client, conversation: Conversation | None = None
) -> QuerySet[Agreement]:
    """The open agreements of the client's current plan, and those this conversation reviews."""
    condition = Q(plan_id=current_plan_id(client), status=AgreementStatus.OPEN)
    if conversation is not None and conversation.pk is not None:
        condition |= Q(
            pk__in=AgreementReview.objects.filter(conversation=conversation).values("agreement_id")
        )
    return Agreement.objects.filter(condition).order_by("due_date", "id")


def upcoming_kickoffs(client: Client) -> QuerySet[Meeting]:
    """Kick-off meetings of the client's team from today on, for an invitation."""
    team_meetings = Meeting.objects.filter(team_id=client.team_id, kind=MeetingKind.KICKOFF)
    # The choice names the meeting's klantgroep.
    return upcoming_meetings(team_meetings).select_related("group")


@dataclasses.dataclass(frozen=True)
class ScoreCell:
    score: int | None
    previous: int | None

    @property
    def movement(self) -> str:
        """ "up", "down", "same" or "" (no earlier score to compare with)."""
        if self.score is None or self.previous is None:
            return ""
        if self.score > self.previous:
            return "up"
        if self.score < self.previous:
            return "down"
        return "same"


@dataclasses.dataclass(frozen=True)
class ScoreRow:
    domain: LifeDomain
    cells: list[ScoreCell]


@dataclasses.dataclass(frozen=True)
class ScoreTable:
    """Life domains as rows, completed conversations with scores as columns, oldest first."""

    conversations: list[Conversation]
    rows: list[ScoreRow]


def client_conversations(client: Client) -> QuerySet[Conversation]:
    """The client's conversations, newest first, for the dossier list."""
    return Conversation.objects.filter(client=client).select_related(
        "consultant"  # the list names the consultant of every row
    )


def domain_score_table(client: Client) -> ScoreTable:
    """The 1-5 scores of the client's completed conversations side by side, in one query. The
    pivot runs over one client's scores (a few conversations times the domains)."""
    scores = (
        DomainScore.objects.filter(
            conversation__client=client, conversation__status=ConversationStatus.COMPLETED
        )
        # Rows need the domain, columns the conversation: both come with the score, with only
        # the columns the table shows (not the conversation's report and answers).
        .select_related("domain", "conversation")
        .only("score", "domain__name", "domain__position", "conversation__held_on")
        .order_by("conversation__held_on", "conversation_id")
    )
    conversations: dict[int, Conversation] = {}
    domains: dict[int, LifeDomain] = {}
    by_cell: dict[tuple[int, int], int] = {}
    for score in scores:
        conversations.setdefault(score.conversation_id, score.conversation)
        domains.setdefault(score.domain_id, score.domain)
        by_cell[(score.domain_id, score.conversation_id)] = score.score
    rows = []
    for domain in sorted(domains.values(), key=lambda d: (d.position, d.name)):
        cells = []
        previous = None
        for conversation_id in conversations:
            value = by_cell.get((domain.pk, conversation_id))
            cells.append(ScoreCell(score=value, previous=previous))
            if value is not None:
                previous = value
        rows.append(ScoreRow(domain=domain, cells=cells))
    return ScoreTable(conversations=list(conversations.values()), rows=rows)
