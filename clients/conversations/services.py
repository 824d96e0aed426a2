"""Writes of conversations. A conversation is saved as a draft (it may be incomplete, but what is
filled in must be valid) and completed later. Completing checks that everything the kind needs
is there and applies the consequences in one transaction: a klantgroep change, a ladder
measurement, the reviewed agreements and the kick-off invitation. A completed conversation is
read-only except for addenda."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.conversations import selectors
from clients.meetings.services import invite
from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    ClientGroupAssignment,
    Conversation,
    ConversationAddendum,
    ConversationKind,
    ConversationStatus,
    DomainScore,
    LifeDomain,
    MeetingKind,
    Partner,
    ScreeningOutcome,
    ScreeningQuestion,
    UrgentNeed,
)
from clients.plans.services import set_agreement_status
from clients.services import assign_client_group, record_ladder_measurement

if TYPE_CHECKING:
    from casework.models import User
    from clients.models import Client

# What each kind needs before it can be completed (its drafts may lack any of these).
REQUIRED_TO_COMPLETE: dict[str, tuple[str, ...]] = {
    ConversationKind.SCREENING: (
        "location",
        "legality_judgement",
        "urgent_need",
        "screening_outcome",
    ),
    ConversationKind.AMBITION: (
        "location",
        "ambition",
        "preferred_group",
        "advised_group",
        "new_group",
        "ladder_step",
        "ladder_target",
        "rights_and_duties_explained",
    ),
    ConversationKind.PROGRESS: (
        "location",
        "wellbeing",
        "living_situation",
        "group_still_right",
        "ladder_step",
        "ladder_target",
    ),
    ConversationKind.LEGALITY_REVIEW: ("location", "legality_judgement"),
    ConversationKind.COACHING: ("location", "notes"),
    ConversationKind.AFTERCARE: ("location", "notes"),
}


class ConversationCompletedError(Exception):
    """A completed conversation cannot be changed; add an addendum instead."""


@dataclasses.dataclass(frozen=True)
class ScoreInput:
    domain: LifeDomain
    score: int
    note: str = ""


@dataclasses.dataclass(frozen=True)
class ReviewInput:
    agreement: Agreement
    status: str
    note: str = ""


@transaction.atomic
def create_conversation(
    *, client: Client, kind: str, saved_by: User, complete: bool = False, **data: Any
) -> Conversation:
    """Log a new conversation as a draft, or completed at once (`complete`)."""
    conversation = Conversation(client=client, kind=kind)
    _save(conversation, **data)
    if complete:
        complete_conversation(conversation=conversation, completed_by=saved_by)
    return conversation


@transaction.atomic
def update_conversation(
    *, conversation: Conversation, saved_by: User, complete: bool = False, **data: Any
) -> Conversation:
    """Change a draft, and complete it if asked. A completed conversation is refused."""
    _lock_draft(conversation)
    _save(conversation, **data)
    if complete:
        complete_conversation(conversation=conversation, completed_by=saved_by)
    return conversation


@transaction.atomic
def complete_conversation(*, conversation: Conversation, completed_by: User) -> Conversation:
    """Complete a draft and apply its consequences, all or nothing. Raises ValidationError
    (keyed by field) when something the kind needs is missing."""
    _lock_draft(conversation)
    current = selectors.current_assignment(conversation.client)
    current_group = current.group if current is not None else None
    _check_complete(conversation, current=current)

    if conversation.new_group is not None and conversation.new_group != current_group:
        assign_client_group(
            client=conversation.client,
            group=conversation.new_group,
            start_date=conversation.held_on,
            reason=conversation.group_change_reason,
            chosen_by_client=conversation.chosen_by_client,
            assigned_by=completed_by,
            conversation=conversation,
        )
    if conversation.ladder_step is not None and conversation.ladder_target is not None:
        record_ladder_measurement(
            client=conversation.client,
            measured_on=conversation.held_on,
            step=conversation.ladder_step,
            target_step=conversation.ladder_target,
            measured_by=conversation.consultant,
            conversation=conversation,
        )
    # Each review is compared with (and applied to) its agreement: fetched together.
    for review in conversation.agreement_reviews.select_related("agreement"):
        if review.status != review.agreement.status:
            set_agreement_status(
                agreement=review.agreement,
                status=review.status,
                on=conversation.held_on,
                missed_reason=review.note,
            )
    if conversation.kind == ConversationKind.AMBITION and conversation.kickoff is not None:
        invite(
            meeting=conversation.kickoff,
            client=conversation.client,
            invited_by=completed_by,
            invited_on=timezone.localdate(),
        )

    conversation.status = ConversationStatus.COMPLETED
    conversation.completed_at = timezone.now()
    conversation.save(update_fields=["status", "completed_at", "updated_at"])
    return conversation


def add_addendum(*, conversation: Conversation, author: User, text: str) -> ConversationAddendum:
    """Add to a completed conversation; the conversation itself stays as it was."""
    if not conversation.is_completed:
        raise ValidationError(
            _("Only a completed conversation gets addenda; change the draft instead."),
            code="draft",
        )
    addendum = ConversationAddendum(conversation=conversation, author=author, text=text.strip())
    addendum.full_clean()
    addendum.save()
    return addendum


def _lock_draft(conversation: Conversation) -> None:
    """Lock the row for this transaction and refuse it once it is completed."""
    if conversation.pk is None:
        return
    status = (
        Conversation.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=conversation.pk)
    )
    if status == ConversationStatus.COMPLETED:
        raise ConversationCompletedError(conversation.pk)


def _save(
    conversation: Conversation,
    *,
    checklist: Iterable[ScreeningQuestion] | None = None,
    referred_to: Iterable[Partner] | None = None,
    domain_scores: Iterable[ScoreInput] | None = None,
    agreement_reviews: Iterable[ReviewInput] | None = None,
    **fields: Any,
) -> None:
    for name, value in fields.items():
        setattr(conversation, name, value)
    conversation.status = ConversationStatus.DRAFT
    conversation.full_clean()
    conversation.save()
    if checklist is not None:
        conversation.checklist.set(checklist)
    if referred_to is not None:
        conversation.referred_to.set(referred_to)
    if domain_scores is not None:
        _replace_scores(conversation, list(domain_scores))
    if agreement_reviews is not None:
        _replace_reviews(conversation, list(agreement_reviews))


def _replace_scores(conversation: Conversation, scores: list[ScoreInput]) -> None:
    DomainScore.objects.filter(conversation=conversation).delete()
    rows = [
        DomainScore(conversation=conversation, domain=s.domain, score=s.score, note=s.note.strip())
        for s in scores
    ]
    for row in rows:
        row.full_clean(exclude=["conversation"], validate_unique=False)
    DomainScore.objects.bulk_create(rows)


def _replace_reviews(conversation: Conversation, reviews: list[ReviewInput]) -> None:
    ids = {r.agreement.pk for r in reviews}
    own = Agreement.objects.filter(pk__in=ids, plan__client_id=conversation.client_id)
    if own.count() != len(ids):
        raise ValidationError(
            {"agreement_reviews": _("An agreement of another client cannot be reviewed here.")},
            code="foreign_agreement",
        )
    AgreementReview.objects.filter(conversation=conversation).delete()
    AgreementReview.objects.bulk_create(
        AgreementReview(
            conversation=conversation, agreement=r.agreement, status=r.status, note=r.note.strip()
        )
        for r in reviews
    )


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_complete(conversation: Conversation, *, current: ClientGroupAssignment | None) -> None:
    """Everything this kind needs to be completed, as field-keyed errors."""
    errors: dict[str, list[ValidationError]] = {}
    current_group_id = current.group_id if current is not None else None

    def need(field: str, message: Any, code: str = "required_to_complete", **params: Any) -> None:
        errors.setdefault(field, []).append(
            ValidationError(message, code=code, params=params or None)
        )

    for field in REQUIRED_TO_COMPLETE[conversation.kind]:
        if _is_empty(getattr(conversation, field)):
            need(field, _("Needed to complete the conversation."))
    if conversation.held_on and conversation.held_on > timezone.localdate():
        need("held_on", _("A conversation in the future cannot be completed yet."))

    if (
        current is not None
        and conversation.new_group_id not in (None, current_group_id)
        and conversation.held_on < current.start_date
    ):
        need(
            "held_on",
            _("The client group was changed after this date; a change cannot go before it."),
        )

    kind = conversation.kind
    if kind == ConversationKind.SCREENING:
        if conversation.urgent_need not in ("", UrgentNeed.NONE) and not (
            conversation.urgent_action.strip()
        ):
            need("urgent_action", _("Say what was done about the urgent need."))
        if (
            conversation.screening_outcome == ScreeningOutcome.REFERRED
            and not conversation.referred_to.exists()
        ):
            need("referred_to", _("Choose the partner the client was referred to."))
    if kind == ConversationKind.AMBITION:
        scored = set(conversation.domain_scores.values_list("domain_id", flat=True))
        for domain in selectors.active_life_domains().exclude(pk__in=scored):
            need(
                "domain_scores",
                _("Score the life domain %(name)s."),
                name=domain.name,
                domain=domain.pk,
            )
        chosen = conversation.new_group_id
        changes = current_group_id is not None and chosen != current_group_id
        preferred = conversation.preferred_group_id
        against_preference = preferred is not None and chosen != preferred
        if (
            chosen is not None
            and (changes or against_preference)
            and not (conversation.group_change_reason.strip())
        ):
            need("group_change_reason", _("Give the reason for this client group."))
        kickoff = conversation.kickoff
        if kickoff is not None and (
            kickoff.kind != MeetingKind.KICKOFF
            or kickoff.team_id != conversation.client.team_id
            or kickoff.date < timezone.localdate()
        ):
            need("kickoff", _("Choose an upcoming kick-off meeting of the client's team."))
    if kind == ConversationKind.PROGRESS:
        if conversation.group_still_right is False:
            if conversation.new_group_id is None or conversation.new_group_id == current_group_id:
                need("new_group", _("Choose the client group that fits better."))
            if not conversation.group_change_reason.strip():
                need("group_change_reason", _("Give the reason for the change."))
        elif conversation.new_group_id is not None and conversation.new_group_id != (
            current_group_id
        ):
            need("group_still_right", _("A new client group means the group is no longer right."))
        # Read afresh: _save() has just replaced the reviews, and a list the page prefetched
        # with the draft would be stale.
        reviews = {
            r.agreement_id: r for r in AgreementReview.objects.filter(conversation=conversation)
        }
        for agreement in selectors.agreements_to_review(conversation.client, conversation):
            review = reviews.get(agreement.pk)
            if review is None:
                need(
                    "agreement_reviews",
                    _("Say how the agreement “%(name)s” is going."),
                    code="review_missing",
                    name=agreement.description,
                    agreement=agreement.pk,
                )
            elif review.status == AgreementStatus.MISSED and not review.note.strip():
                need(
                    "agreement_reviews",
                    _("Say why the agreement “%(name)s” was missed."),
                    code="reason_required",
                    name=agreement.description,
                    agreement=agreement.pk,
                )
    if errors:
        raise ValidationError(errors)
