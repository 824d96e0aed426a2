from typing import Any

from django import template

from clients.models import Client
from instruments import selectors

register = template.Library()


@register.inclusion_tag("instruments/_partials/dossier_trajectories.html", takes_context=True)
def dossier_trajectories(context: template.Context, client: Client) -> dict[str, Any]:
    """The dossier's trajecten section: one query, whatever the number of trajecten."""
    return {
        "client": client,
        "trajectories": list(selectors.trajectories_for_client(client)),
        "perms": context.get("perms"),
    }
