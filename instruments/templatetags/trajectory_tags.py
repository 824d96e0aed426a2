from typing import Any

from django import template

from clients.models import Client, Conversation
from instruments import selectors

register = template.Library()


@register.inclusion_tag("instruments/_partials/dossier_trajectories.html", takes_context=True)
def dossier_trajectories(context: template.Context, client: Client) -> dict[str, Any]:
    """The dossier's trajecten section: one query, whatever the number of trajecten."""
    return {
        "client": client,
        "trajectories": list(selectors.trajectories_for_client(client)),
        # The buttons that write: the rule with the client (none for an anonymised client).
        "can_change": context["request"].user.has_perm("clients.change_client", client),
    }


@register.inclusion_tag("instruments/_partials/conversation_trajectories.html", takes_context=True)
def conversation_trajectories(
    context: template.Context, conversation: Conversation
) -> dict[str, Any]:
    """The trajecten agreed in a conversation, with a link to start one from it: one query."""
    return {
        "conversation": conversation,
        "trajectories": list(
            selectors.trajectories_for_client(conversation.client).filter(conversation=conversation)
        ),
        # The buttons that write: the rule with the client (none for an anonymised client).
        "can_change": context["request"].user.has_perm(
            "clients.change_client", conversation.client
        ),
    }
