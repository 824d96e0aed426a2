"""The dossier's conversation section: start a conversation, the list, and the domain scores of
successive conversations side by side. Two queries, whatever the number of conversations."""

from typing import Any

from django import template

from clients.conversations import selectors
from clients.conversations.views import create_url
from clients.models import Client, ConversationKind

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_conversations.html", takes_context=True)
def dossier_conversations(context: template.Context, client: Client) -> dict[str, Any]:
    """The dossier's conversation section."""
    # The rule with the client: no conversation is started for an anonymised client.
    can_write = context["request"].user.has_perm("clients.change_client", client)
    return {
        "client": client,
        "can_write": can_write,
        "start_links": [
            {"label": label, "url": create_url(client, kind)}
            for kind, label in ConversationKind.choices
        ]
        if can_write
        else [],
        "conversations": list(selectors.client_conversations(client)),
        "score_table": selectors.domain_score_table(client),
    }
