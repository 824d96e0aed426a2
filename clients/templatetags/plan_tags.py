from typing import Any

from django import template
from django.utils import timezone

from clients.models import Client
from clients.plans import selectors

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_plans.html", takes_context=True)
def dossier_plans(context: template.Context, client: Client) -> dict[str, Any]:
    """The dossier's plan section: the current plan and a warning when a required plan is missing
    or outdated. Four queries, whatever the number of agreements."""
    today = timezone.localdate()
    return {
        "client": client,
        "plan": selectors.current_plan(client),
        "status": selectors.plan_status(client, on=today),
        "today": today,
        # The buttons that write: the rule with the client (none for an anonymised client).
        "can_change": context["request"].user.has_perm("clients.change_client", client),
    }
