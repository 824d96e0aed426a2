from typing import Any

from django import template
from django.utils import timezone

from casework.models import PolicySettings
from clients.models import Client
from clients.workqueue.selectors import client_due_dates

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_due.html")
def dossier_due(client: Client) -> dict[str, Any]:
    """The dossier's section on what is due for this client: two queries (the policy settings
    and the due dates)."""
    policy = PolicySettings.load()
    return {
        "client": client,
        "due": client_due_dates(client, today=timezone.localdate(), policy=policy),
        "policy": policy,
    }
