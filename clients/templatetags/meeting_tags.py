from typing import Any

from django import template

from clients.meetings.forms import InviteToMeetingForm
from clients.meetings.selectors import invitations_of_client, meetings_to_invite_client
from clients.models import Client

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_meetings.html", takes_context=True)
def dossier_meetings(context: dict[str, Any], client: Client) -> dict[str, Any]:
    """The dossier's meeting section: the client's invitations with attendance, the enforcement
    signal of a missed mandatory kick-off, and a one-click invite. Two queries at most."""
    user = context["request"].user
    invitations = list(invitations_of_client(client))
    invite_form = None
    if user.has_perm("clients.change_client", client):  # none for an anonymised client
        meetings = list(meetings_to_invite_client(user, client))
        if meetings:
            invite_form = InviteToMeetingForm(meetings=meetings)
    return {
        "client": client,
        "invitations": invitations,
        "signals": [invitation for invitation in invitations if invitation.is_enforcement_signal],
        "invite_form": invite_form,
        "user_team_id": user.team_id,
    }
