from typing import Any

from django import template
from django.utils import timezone

from casework.models import PolicySettings
from clients.models import Client
from instruments import employer_selectors

register = template.Library()


@register.inclusion_tag("instruments/work/_dossier_work.html", takes_context=True)
def dossier_work(
    context: template.Context, client: Client, policy: PolicySettings | None = None
) -> dict[str, Any]:
    """The dossier's work section: two queries (the work profile, the placements), whatever the
    number of sectors and placements, and one for the policy settings unless the page passes
    them."""
    today = timezone.localdate()
    months = (policy or PolicySettings.load()).durable_placement_months
    return {
        "client": client,
        "profile": employer_selectors.work_profile_of(client),
        "placements": list(employer_selectors.placements_of(client, today=today, months=months)),
        "today": today,
        # The buttons that write: the rule with the client (none for an anonymised client).
        "can_change": context["request"].user.has_perm("clients.change_client", client),
    }
