"""Writes of plans and agreements."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Agreement, AgreementReview, AgreementStatus, Client, Plan

if TYPE_CHECKING:
    from casework.models import User


def _save_agreements(plan: Plan, agreements: Iterable[Agreement]) -> None:
    for agreement in agreements:
        if agreement.pk is not None and (
            agreement.plan_id != plan.pk or agreement.status != AgreementStatus.OPEN
        ):
            raise ValidationError(_("Only open agreements of this plan can be changed."))
        agreement.plan = plan
        agreement.full_clean()
        agreement.save()


@transaction.atomic
def draw_up_plan(
    *,
    client: Client,
    drawn_up_by: User,
    drawn_up_on: datetime.date,
    goals: str,
    agreements: Iterable[Agreement] = (),
) -> Plan:
    """Draw up a new plan with its agreements (unsaved Agreement objects). It becomes the current
    plan; the previous plans and their agreements stay unchanged, as history."""
    newest = Plan.objects.filter(client=client).order_by("-drawn_up_on", "-id").first()
    if newest is not None and drawn_up_on < newest.drawn_up_on:
        raise ValidationError(
            {"drawn_up_on": _("A new plan cannot be dated before the current plan.")}
        )
    plan = Plan(client=client, drawn_up_by=drawn_up_by, drawn_up_on=drawn_up_on, goals=goals)
    plan.full_clean()
    plan.save()
    _save_agreements(plan, agreements)
    return plan


@transaction.atomic
def update_plan(
    *,
    plan: Plan,
    goals: str,
    save: Iterable[Agreement] = (),
    remove: Iterable[Agreement] = (),
) -> Plan:
    """Change a plan's goals, add or change its open agreements and remove open ones.

    `save` holds new (unsaved) agreements and changed open ones of this plan. Agreements that
    were discussed in a conversation are part of its record: they can be cancelled, not removed.
    """
    plan.goals = goals
    plan.full_clean()
    plan.save(update_fields=["goals"])
    _save_agreements(plan, save)
    removed = [agreement.pk for agreement in remove]
    if removed:
        removable = Agreement.objects.filter(plan=plan, status=AgreementStatus.OPEN, pk__in=removed)
        if removable.count() != len(set(removed)):
            raise ValidationError(_("Only open agreements of this plan can be removed."))
        if AgreementReview.objects.filter(agreement__in=removed).exists():
            raise ValidationError(
                _("An agreement discussed in a conversation cannot be removed; cancel it instead.")
            )
        removable.delete()
    return plan


def record_signatures(
    *,
    plan: Plan,
    client_signed_on: datetime.date | None,
    municipality_signed_on: datetime.date | None,
) -> Plan:
    """Record when the client and the municipality signed the plan (None: not signed yet)."""
    plan.client_signed_on = client_signed_on
    plan.municipality_signed_on = municipality_signed_on
    plan.save(update_fields=["client_signed_on", "municipality_signed_on"])
    return plan


def set_agreement_status(
    *, agreement: Agreement, status: str, on: datetime.date, missed_reason: str = ""
) -> Agreement:
    """Mark an agreement done, missed (with a reason) or cancelled, or open it again."""
    if status == AgreementStatus.MISSED and not missed_reason.strip():
        raise ValidationError(
            {"missed_reason": _("Say why the agreement was missed.")}, code="reason_required"
        )
    agreement.status = status
    agreement.missed_reason = missed_reason.strip() if status == AgreementStatus.MISSED else ""
    agreement.status_changed_on = on
    agreement.save(update_fields=["status", "missed_reason", "status_changed_on"])
    return agreement
