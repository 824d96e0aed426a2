"""Reads of meetings and invitations.

A meeting belongs to a team: a consultant or team leader sees the meetings of their own team,
nobody else (the same rule as clients.selectors.clients_for_user). Invitees are clients, so they
are reached through clients_for_user as well.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casework.rules import can_see_persons
from clients.models import (
    Attendance,
    Client,
    ClientGroupAssignment,
    Invitation,
    Meeting,
    MeetingKind,
)
from clients.selectors import clients_for_user

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from casework.models import User

_C = TypeVar("_C", bound=Client)


class SignalAnnotation(TypedDict):
    is_enforcement_signal: bool


# The enforcement signal, seen from an invitation: the client stayed away without notice from a
# mandatory kick-off. One definition, used for a client's invitations and for client querysets.
MISSED_MANDATORY_KICKOFF = Q(
    meeting__kind=MeetingKind.KICKOFF,
    meeting__is_mandatory=True,
    attendance=Attendance.ABSENT_WITHOUT_NOTICE,
)


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    """The meetings this user may see: those of a consultant's or team leader's own team."""
    if not can_see_persons(user) or user.team_id is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(team_id=user.team_id)


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    """One meeting in the user's scope; 404 otherwise."""
    try:
        # The meeting page shows the klantgroep's name.
        return meetings_for_user(user).select_related("group").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def is_upcoming(meeting: Meeting, *, today: datetime.date | None = None) -> bool:
    """Clients can be invited up to and including the day of the meeting."""
    return meeting.date >= (today or timezone.localdate())


def attendance_is_open(meeting: Meeting, *, today: datetime.date | None = None) -> bool:
    """Attendance is registered from the day of the meeting on."""
    return meeting.date <= (today or timezone.localdate())


def with_invitation_counts(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate how many clients were invited and how many came, counted in the database."""
    return queryset.select_related(
        # The list shows the klantgroep's name of every meeting: one join, not a query per row.
        "group"
    ).annotate(
        invited_count=Count("invitations"),
        present_count=Count("invitations", filter=Q(invitations__attendance=Attendance.PRESENT)),
    )


def upcoming_meetings(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.filter(date__gte=timezone.localdate()).order_by("date", "start_time", "id")


def past_meetings(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Newest first: the meetings whose attendance is still to be registered come on top."""
    return queryset.filter(date__lt=timezone.localdate()).order_by("-date", "-start_time", "-id")


def invitations_for_meeting(user: User, meeting: Meeting) -> QuerySet[Invitation]:
    """The meeting's invitations of clients in the user's scope, in name order."""
    return (
        Invitation.objects.filter(meeting=meeting, client__in=clients_for_user(user))
        # Each row shows the client's name and who invited them: joins, not a query per row.
        .select_related("client", "invited_by")
        .order_by("client__last_name", "client__first_name", "client_id")
    )


def invitation_candidates(user: User, meeting: Meeting) -> QuerySet[Client]:
    """The clients of the user's scope that are not invited to this meeting yet."""
    return clients_for_user(user).exclude(invitations__meeting=meeting)


def invitations_of_client(
    client: Client,
) -> QuerySet[WithAnnotations[Invitation, SignalAnnotation]]:
    """A client's invitations, newest meeting first, each marked when it is an enforcement
    signal (absent without notice at a mandatory kick-off)."""
    return (
        Invitation.objects.filter(client=client)
        # Each row shows the meeting's title, date and klantgroep: joins, not a query per row.
        .select_related("meeting__group")
        .annotate(
            is_enforcement_signal=ExpressionWrapper(
                MISSED_MANDATORY_KICKOFF, output_field=BooleanField()
            )
        )
        .order_by("-meeting__date", "-meeting__start_time", "-id")
    )


def with_missed_mandatory_kickoff(queryset: QuerySet[_C]) -> QuerySet[WithAnnotations[_C]]:
    """Annotate `missed_mandatory_kickoff`: the client stayed away without notice from a
    mandatory kick-off (an enforcement signal). Filter on it for a work queue."""
    return queryset.annotate(
        missed_mandatory_kickoff=Exists(
            Invitation.objects.filter(MISSED_MANDATORY_KICKOFF, client=OuterRef("pk"))
        )
    )


def meetings_to_invite_client(user: User, client: Client) -> QuerySet[Meeting]:
    """Upcoming meetings of the user's team the client is not invited to yet; kick-offs for the
    client's current klantgroep first, then by date."""
    current_group = ClientGroupAssignment.objects.filter(
        client=client, end_date__isnull=True, group_id=OuterRef("group_id")
    )
    return (
        upcoming_meetings(meetings_for_user(user))
        .exclude(invitations__client=client)
        .annotate(
            is_suggested=ExpressionWrapper(
                Q(kind=MeetingKind.KICKOFF) & Q(Exists(current_group)),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_suggested", "date", "start_time", "id")
    )
