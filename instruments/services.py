"""Writes: starting and ending trajecten (with their commitments) and changing budgets."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from casework.dates import add_months
from casework.models import User
from clients.models import Client, Conversation, Plan
from clients.selectors import current_group_id
from instruments import eligibility
from instruments.dates import first_of_month, planned_months
from instruments.models import (
    Allocation,
    Budget,
    BudgetChange,
    Commitment,
    CostUnit,
    EarlyEndReason,
    Instrument,
    Provider,
    Trajectory,
    TrajectoryStatus,
)

CENT = Decimal("0.01")


class IneligibleError(ValidationError):
    """The client fails one or more eligibility rules and no reason to go ahead was given."""


def split_cost(cost: Decimal, months: int) -> list[Decimal]:
    """Spread a cost evenly over months in whole cents; the remainder goes to the last month, so
    the parts sum exactly to the cost."""
    part = (cost / months).quantize(CENT, rounding=ROUND_DOWN)
    return [part] * (months - 1) + [cost - part * (months - 1)]


def default_cost(
    *, instrument: Instrument, start_date: datetime.date, planned_end_date: datetime.date
) -> Decimal:
    """The catalogue's cost: the unit cost times the planned months for a per-month instrument,
    else the unit cost (a per-hour cost is a starting point the consultant adjusts)."""
    if instrument.cost_unit == CostUnit.PER_MONTH:
        return instrument.unit_cost * len(planned_months(start_date, planned_end_date))
    return instrument.unit_cost


def commitment_months(
    *, instrument: Instrument, start_date: datetime.date, planned_end_date: datetime.date
) -> list[datetime.date]:
    """The months a traject's cost falls in: the instrument's instalments (for example the
    uitstroompremie at +3 and +6 months) or else every month it runs."""
    if instrument.instalment_months:
        return sorted(
            {first_of_month(add_months(start_date, m)) for m in instrument.instalment_months}
        )
    return planned_months(start_date, planned_end_date)


@transaction.atomic
def start_trajectory(
    *,
    client: Client,
    instrument: Instrument,
    start_date: datetime.date,
    planned_end_date: datetime.date,
    started_by: User,
    provider: Provider | None = None,
    cost: Decimal | None = None,
    plan: Plan | None = None,
    goal: str = "",
    conversation: Conversation | None = None,
    override_reason: str = "",
) -> Trajectory:
    """Start a traject and commit its cost to the instrument's budget line, pro rata per month
    (or in the instrument's instalments).

    Failed eligibility rules raise IneligibleError with their messages unless the consultant
    confirms them with a reason, which is stored with the rules and the consultant's name."""
    if planned_end_date < start_date:
        raise ValidationError(_("The planned end date is before the start date."), code="dates")
    if conversation is not None and conversation.client_id != client.pk:
        raise ValidationError(_("The conversation belongs to another client."), code="conversation")
    failed = eligibility.failed_messages(client=client, instrument=instrument, on=start_date)
    override_reason = override_reason.strip()
    if failed and not override_reason:
        raise IneligibleError(failed)
    if cost is None:
        cost = default_cost(
            instrument=instrument, start_date=start_date, planned_end_date=planned_end_date
        )
    group_id = current_group_id(client)
    trajectory = Trajectory.objects.create(
        client=client,
        instrument=instrument,
        provider=provider,
        client_group_id=group_id,
        start_date=start_date,
        planned_end_date=planned_end_date,
        cost=cost,
        plan=plan,
        goal=goal,
        conversation=conversation,
        started_by=started_by,
        overridden_rules="\n".join(failed),
        override_reason=override_reason if failed else "",
        overridden_by=started_by if failed else None,
    )
    if instrument.budget_line_id is not None:
        months = commitment_months(
            instrument=instrument, start_date=start_date, planned_end_date=planned_end_date
        )
        Commitment.objects.bulk_create(
            Commitment(
                trajectory=trajectory, line_id=instrument.budget_line_id, month=month, amount=part
            )
            for month, part in zip(months, split_cost(cost, len(months)), strict=True)
        )
    return trajectory


@transaction.atomic
def end_trajectory(
    *,
    trajectory: Trajectory,
    status: TrajectoryStatus,
    end_date: datetime.date,
    early_end_reason: EarlyEndReason | str = "",
) -> Decimal:
    """End a running traject with its outcome. The commitments of the months after the end are
    released (deleted); returns the released amount."""
    if not trajectory.is_running:
        raise ValidationError(_("This trajectory has already ended."), code="ended")
    if status == TrajectoryStatus.RUNNING:
        raise ValidationError(_("Choose an outcome."), code="outcome")
    if end_date < trajectory.start_date:
        raise ValidationError(_("The end date is before the start date."), code="dates")
    if (status == TrajectoryStatus.ENDED_EARLY) != bool(early_end_reason):
        raise ValidationError(
            _("A reason is required when, and only when, a trajectory ends early."), code="reason"
        )
    trajectory.status = status
    trajectory.end_date = end_date
    trajectory.early_end_reason = early_end_reason
    trajectory.save(update_fields=["status", "end_date", "early_end_reason"])
    future = trajectory.commitments.filter(month__gt=first_of_month(end_date))
    released = future.aggregate(total=Coalesce(Sum("amount"), Decimal("0.00")))["total"]
    future.delete()
    return released


@transaction.atomic
def change_budget_amount(
    *, budget: Budget, amount: Decimal, changed_by: User, reason: str
) -> BudgetChange:
    """Set a year's budget and log the change with who and why."""
    return _change(
        budget=budget, target=budget, amount=amount, changed_by=changed_by, reason=reason
    )


@transaction.atomic
def change_allocation_amount(
    *, allocation: Allocation, amount: Decimal, changed_by: User, reason: str
) -> BudgetChange:
    """Set an allocation and log the change with who and why."""
    return _change(
        budget=allocation.budget,
        target=allocation,
        allocation=allocation,
        amount=amount,
        changed_by=changed_by,
        reason=reason,
    )


def _change(
    *,
    budget: Budget,
    target: Budget | Allocation,
    amount: Decimal,
    changed_by: User,
    reason: str,
    allocation: Allocation | None = None,
) -> BudgetChange:
    if not reason.strip():
        raise ValidationError(_("Say why the amount changes."), code="reason")
    old_amount = None
    if target.pk is not None:
        old_amount = (
            type(target)
            .objects.select_for_update()
            .values_list("amount", flat=True)
            .get(pk=target.pk)
        )
    target.amount = amount
    target.save()
    return BudgetChange.objects.create(
        budget=budget,
        allocation=allocation,
        old_amount=old_amount,
        new_amount=amount,
        reason=reason.strip(),
        changed_by=changed_by,
    )
