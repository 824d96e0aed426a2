"""The client's printable plan: a plain-language HTML template rendered to PDF by WeasyPrint.

Only what was agreed goes in: goals, open and done agreements (who, what, by when), the contact
person and the signatures. No BSN, no internal notes, no missed or cancelled agreements. The
document follows the active language, so a consultant can print it in English when the client
reads that better.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from clients.models import AgreementStatus, Responsible

if TYPE_CHECKING:
    from casework.models import User
    from clients.models import Client, Plan

FILENAME = "plan-van-aanpak.pdf"


def plan_document_context(*, client: Client, plan: Plan, contact: User) -> dict[str, Any]:
    """What the client's document shows, from the plan with its prefetched agreements."""
    agreements = list(plan.agreements.all())
    open_agreements = [a for a in agreements if a.status == AgreementStatus.OPEN]
    return {
        "client": client,
        "plan": plan,
        "contact": contact,
        "for_client": [a for a in open_agreements if a.responsible == Responsible.CLIENT],
        "for_consultant": [a for a in open_agreements if a.responsible == Responsible.CONSULTANT],
        "for_partner": [a for a in open_agreements if a.responsible == Responsible.PARTNER],
        "done": [a for a in agreements if a.status == AgreementStatus.DONE],
    }


def render_plan_html(*, client: Client, plan: Plan, contact: User) -> str:
    return render_to_string(
        "clients/plans/plan_pdf.html",
        plan_document_context(client=client, plan=plan, contact=contact),
    )


def render_plan_pdf(*, client: Client, plan: Plan, contact: User) -> bytes:
    """The plan as a tagged PDF (PDF/UA), so screen readers can read it too."""
    # Imported here: importing WeasyPrint parses its stylesheets (slow, and logged), which only
    # this view needs, not every process that loads the URLconf (manage.py check, workers).
    from casework.pdf import html_to_pdf

    return html_to_pdf(render_plan_html(client=client, plan=plan, contact=contact))
