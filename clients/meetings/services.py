"""Writes of meetings and invitations."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from clients.models import Client, Invitation, Meeting

if TYPE_CHECKING:
    from casework.models import User


def invite(
    *, meeting: Meeting, client: Client, invited_by: User, invited_on: datetime.date
) -> Invitation:
    """Invite a client to a meeting; inviting twice keeps the first invitation."""
    invitation, _created = Invitation.objects.get_or_create(
        meeting=meeting,
        client=client,
        defaults={"invited_by": invited_by, "invited_on": invited_on},
    )
    return invitation
