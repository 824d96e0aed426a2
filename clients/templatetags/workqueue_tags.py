from typing import Any

from django import template
from django.utils import timezone

from casework.models import PolicySettings
from clients.models import Client
from clients.workqueue.selectors import client_due_dates

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_due.html")
def dossier_due(client: Client, policy: PolicySettings | None = None) -> dict[str, Any]:
    """The dossier's section on what is due for this client: one query (the due dates), and one
    for the policy settings unless the page passes them."""
    policy = policy or PolicySettings.load()
    return {
        "client": client,
        "due": client_due_dates(client, today=timezone.localdate(), policy=policy),
        "policy": policy,
    }
