"""Reads for the application manager's privacy duties.

The application manager sees no persons in the case pages (clients.selectors.clients_for_user
gives them none); these reads serve only the two tasks the rules `clients.view_access_log` and
`clients.subject_access` grant them: the access log and the subject access request, for any
client of the municipality.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet

from casework.models import AccessLog, User
from clients.models import (
    AgreementReview,
    Client,
    Conversation,
    ConversationAddendum,
    DomainScore,
    Invitation,
    Plan,
)
from clients.selectors import clients_with_bsn, with_dossier_histories


def access_log(
    *,
    client_id: int | None = None,
    user: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    view: str = "",
) -> QuerySet[AccessLog]:
    """Log entries, newest first, narrowed by client, user, days and view name. A client or a
    user comes first in the indexes (client_id, -accessed_at) and (user, -accessed_at), so a
    page of a long log is read from an index. The user is joined: every row shows them."""
    entries = AccessLog.objects.select_related("user")
    if client_id is not None:
        entries = entries.filter(client_id=client_id)
    if user is not None:
        entries = entries.filter(user=user)
    if date_from is not None:
        entries = entries.filter(accessed_at__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(accessed_at__date__lte=date_to)
    if view:
        # A whole view name ("clients:detail") or a namespace ("clients:").
        entries = entries.filter(view__startswith=view)
    return entries.order_by("-accessed_at", "-id")


def log_users() -> QuerySet[User]:
    """Everyone who can appear in the log, for the search form's choice of user."""
    return User.objects.order_by("last_name", "first_name", "username")


def find_client(pk: int) -> Client | None:
    """A client by their client number. The log keeps the numbers of clients that are gone."""
    return Client.objects.filter(pk=pk).first()


def find_client_by_bsn(bsn: str) -> Client | None:
    """A client by their BSN (cleaned by clients.bsn.clean_bsn)."""
    return clients_with_bsn(Client.objects.all(), bsn).first()


def client_for_subject_access(pk: int) -> Client:
    """The client with everything the subject access document shows: one query per kind of
    record, whatever their number."""
    conversations = Conversation.objects.select_related(
        "consultant",
        "preferred_group",
        "advised_group",
        "new_group",
        "ladder_step",
        "ladder_target",
        "kickoff",
    ).prefetch_related(
        Prefetch("domain_scores", queryset=DomainScore.objects.select_related("domain")),
        Prefetch("addenda", queryset=ConversationAddendum.objects.select_related("author")),
        Prefetch("agreement_reviews", queryset=AgreementReview.objects.select_related("agreement")),
        "checklist",
        "referred_to",
    )
    return (
        with_dossier_histories(Client.objects.select_related("team"))
        .prefetch_related(
            Prefetch("conversations", queryset=conversations),
            Prefetch(
                "plans",
                queryset=Plan.objects.select_related("drawn_up_by").prefetch_related("agreements"),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("meeting", "invited_by"),
            ),
        )
        .get(pk=pk)
    )
