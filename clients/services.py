"""Writes of the dossier. The web forms, the API and the import all call these."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from clients.models import (
    BarrierType,
    BenefitPeriod,
    Client,
    ClientGroup,
    ClientGroupAssignment,
    Conversation,
    LadderMeasurement,
    LadderStep,
)

if TYPE_CHECKING:
    from casework.models import User


@transaction.atomic
def create_client(
    *,
    created_by: User,
    barriers: list[BarrierType] | None = None,
    consultants: list[User] | None = None,
    **fields: Any,
) -> Client:
    """Register a client in the creator's team; the creator is the consultant if none is chosen."""
    client = Client(team=created_by.team, **fields)
    client.full_clean()
    client.save()
    client.barriers.set(barriers or [])
    client.consultants.set(consultants or [created_by])
    return client


@transaction.atomic
def update_client(
    *,
    client: Client,
    barriers: list[BarrierType] | None = None,
    consultants: list[User] | None = None,
    **fields: Any,
) -> Client:
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean()
    client.save()
    if barriers is not None:
        client.barriers.set(barriers)
    if consultants is not None:
        client.consultants.set(consultants)
    return client


@transaction.atomic
def assign_client_group(
    *,
    client: Client,
    group: ClientGroup,
    start_date: datetime.date,
    reason: str = "",
    chosen_by_client: bool = True,
    assigned_by: User | None = None,
    conversation: Conversation | None = None,
) -> ClientGroupAssignment:
    """Move a client into a klantgroep: the open assignment ends the day before."""
    current = (
        ClientGroupAssignment.objects.select_for_update()
        .filter(client=client, end_date__isnull=True)
        .first()
    )
    if current is not None:
        current.end_date = max(current.start_date, start_date - datetime.timedelta(days=1))
        current.save(update_fields=["end_date"])
    return ClientGroupAssignment.objects.create(
        client=client,
        group=group,
        start_date=start_date,
        reason=reason,
        chosen_by_client=chosen_by_client,
        assigned_by=assigned_by,
        conversation=conversation,
    )


def record_ladder_measurement(
    *,
    client: Client,
    measured_on: datetime.date,
    step: LadderStep,
    target_step: LadderStep,
    measured_by: User | None,
    note: str = "",
    conversation: Conversation | None = None,
) -> LadderMeasurement:
    return LadderMeasurement.objects.create(
        client=client,
        measured_on=measured_on,
        step=step,
        target_step=target_step,
        measured_by=measured_by,
        note=note,
        conversation=conversation,
    )


def start_benefit(
    *, client: Client, scheme: str, start_date: datetime.date, partner: Client | None = None
) -> BenefitPeriod:
    period = BenefitPeriod(client=client, scheme=scheme, start_date=start_date, partner=partner)
    period.full_clean()
    period.save()
    return period


def end_benefit(*, period: BenefitPeriod, end_date: datetime.date, reason: str) -> BenefitPeriod:
    period.end_date = end_date
    period.end_reason = reason
    period.full_clean()
    period.save(update_fields=["end_date", "end_reason"])
    return period
