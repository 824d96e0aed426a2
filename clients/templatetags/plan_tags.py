from typing import Any

from django import template
from django.utils import timezone

from casework.models import PolicySettings
from clients.models import Client
from clients.plans import selectors

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_plans.html", takes_context=True)
def dossier_plans(
    context: template.Context, client: Client, policy: PolicySettings | None = None
) -> dict[str, Any]:
    """The dossier's plan section: the current plan and a warning when a required plan is missing
    or outdated. Three queries, whatever the number of agreements, and one for the policy
    settings unless the page passes them."""
    today = timezone.localdate()
    return {
        "client": client,
        "plan": selectors.current_plan(client),
        "status": selectors.plan_status(client, on=today, policy=policy),
        "today": today,
        # The buttons that write: the rule with the client (none for an anonymised client).
        "can_change": context["request"].user.has_perm("clients.change_client", client),
    }
