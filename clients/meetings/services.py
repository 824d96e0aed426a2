"""Writes of meetings and invitations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction

from clients.meetings.selectors import attendance_is_open
from clients.models import Client, ClientGroup, Invitation, Meeting

if TYPE_CHECKING:
    from casework.models import Team, User


@transaction.atomic
def create_meeting(
    *,
    team: Team,
    kind: str,
    title: str,
    group: ClientGroup | None,
    orientation: str,
    date: datetime.date,
    start_time: datetime.time,
    place: str,
    trainer: str,
    is_mandatory: bool,
) -> Meeting:
    return Meeting.objects.create(
        team=team,
        kind=kind,
        title=title,
        group=group,
        orientation=orientation,
        date=date,
        start_time=start_time,
        place=place,
        trainer=trainer,
        is_mandatory=is_mandatory,
    )


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    group: ClientGroup | None,
    orientation: str,
    date: datetime.date,
    start_time: datetime.time,
    place: str,
    trainer: str,
    is_mandatory: bool,
) -> Meeting:
    meeting.kind = kind
    meeting.title = title
    meeting.group = group
    meeting.orientation = orientation
    meeting.date = date
    meeting.start_time = start_time
    meeting.place = place
    meeting.trainer = trainer
    meeting.is_mandatory = is_mandatory
    meeting.save()
    return meeting


@transaction.atomic
def invite_clients(
    *,
    meeting: Meeting,
    clients: Iterable[Client],
    invited_by: User,
    invited_on: datetime.date,
) -> None:
    """Invite clients to a meeting in one insert; a client already invited keeps the first
    invitation (the unique constraint decides, so two consultants at once cannot double it)."""
    Invitation.objects.bulk_create(
        (
            Invitation(meeting=meeting, client=client, invited_by=invited_by, invited_on=invited_on)
            for client in clients
        ),
        ignore_conflicts=True,
    )


@transaction.atomic
def invite(
    *, meeting: Meeting, client: Client, invited_by: User, invited_on: datetime.date
) -> Invitation:
    """Invite a client to a meeting; inviting twice keeps the first invitation."""
    invite_clients(meeting=meeting, clients=[client], invited_by=invited_by, invited_on=invited_on)
    return Invitation.objects.get(meeting=meeting, client=client)


@transaction.atomic
def register_attendance(*, meeting: Meeting, attendance: Mapping[Invitation, str]) -> None:
    """Set the attendance of the meeting's invitees in one update."""
    if not attendance_is_open(meeting):
        raise ValueError("Attendance is registered from the day of the meeting on.")
    invitations = []
    for invitation, value in attendance.items():
        if invitation.meeting_id != meeting.pk:
            raise ValueError("The invitation belongs to another meeting.")
        invitation.attendance = value
        invitations.append(invitation)
    Invitation.objects.bulk_update(invitations, ["attendance"])
