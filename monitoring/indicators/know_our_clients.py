"""Indicators of the theme know_our_clients: voortgangsgesprekken on time, current plans van
aanpak, and clients without any activity.

Each rule is the work queue's (clients.workqueue.selectors) or the plan rule's
(clients.plans.selectors) applied on the period's last day instead of today: the histories are
read up to that day only, and the klantgroep is the one the client was in then. The population
is the bestand at the period's end with the terms of monitoring.indicators.caseload.
"""

from __future__ import annotations

import datetime

from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from casework.dates import add_months
from casework.models import PolicySettings
from clients.models import (
    Attendance,
    BenefitPeriod,
    ClientGroup,
    ClientGroupAssignment,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Invitation,
    LadderMeasurement,
    Plan,
)
from clients.plans.selectors import newest_plans
from clients.workqueue.selectors import DividedInterval, MakeInterval, PlusInterval
from instruments.models import Trajectory
from monitoring.indicators.base import Figure, Scope, Theme, Unit, register
from monitoring.indicators.caseload import caseload_on
from monitoring.indicators.development import BESTAND, clients_per_group
from monitoring.periods import Period


@register(
    code="progress_conversations_on_time",
    name=_("Progress conversations on time (voortgangsgesprekken op tijd)"),
    theme=Theme.KNOW_OUR_CLIENTS,
    unit=Unit.PERCENT,
    numerator=_(
        "Clients whose voortgangsgesprek was not overdue on the period's last day: the later of "
        "their last completed progress or ambition conversation up to that day and the start of "
        "their klantgroep, plus one year divided by the group's number of progress "
        "conversations a year, falls on or after that day (the work queue's rule)."
    ),
    denominator=_(
        "Clients on benefit at the period's end in a klantgroep with periodic progress "
        "conversations (more than 0 a year)."
    ),
    population=BESTAND,
    period=_("The period's last day."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=True,
)
def progress_conversations_on_time(period: Period, scope: Scope) -> Figure:
    day = period.end
    # The assignment the client's klantgroep on the day comes from (caseload.group_on's rule):
    # its start restarts the rhythm, as in the work queue.
    assignment = (
        ClientGroupAssignment.objects.filter(client=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date", "-id")
    )
    last_held = (
        Conversation.objects.filter(
            client=OuterRef("pk"),
            status=ConversationStatus.COMPLETED,
            kind__in=[ConversationKind.PROGRESS, ConversationKind.AMBITION],
            held_on__lte=day,
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    clients = (
        caseload_on(day, scope)
        .annotate(
            per_year=Subquery(assignment.values("group__progress_conversations_per_year")[:1]),
            group_start=Subquery(assignment.values("start_date")[:1]),
        )
        .filter(per_year__gt=0)
        .annotate(
            # PostgreSQL's GREATEST ignores NULLs: without a conversation, the group's start.
            due=PlusInterval(
                Greatest(Subquery(last_held), "group_start", output_field=DateField()),
                DividedInterval(MakeInterval("years", Value(1)), F("per_year")),
            )
        )
    )
    return clients_per_group(clients, scope, counted=Q(due__gte=day))


@register(
    code="current_plan",
    name=_("Current plan van aanpak (actueel plan van aanpak)"),
    theme=Theme.KNOW_OUR_CLIENTS,
    unit=Unit.PERCENT,
    numerator=_(
        "Clients whose newest plan van aanpak drawn up on or before the period's last day is "
        "current then: drawn up at most the policy's number of months a plan stays current "
        "before that day."
    ),
    denominator=_(
        "Clients on benefit at the period's end in a klantgroep that requires a plan "
        "(Matchen and Groeien by default)."
    ),
    population=BESTAND,
    period=_("The period's last day."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=True,
)
def current_plan(period: Period, scope: Scope) -> Figure:
    day = period.end
    valid_from = add_months(day, -PolicySettings.load().plan_valid_months)
    requiring = ClientGroup.objects.filter(requires_plan=True).values("pk")
    clients = (
        caseload_on(day, scope)
        .filter(client_group__in=requiring)
        .annotate(
            plan_drawn_up_on=Subquery(
                newest_plans(OuterRef("pk")).filter(drawn_up_on__lte=day).values("drawn_up_on")[:1]
            )
        )
    )
    return clients_per_group(clients, scope, counted=Q(plan_drawn_up_on__gte=valid_from))


def _active_between(since: datetime.date, day: datetime.date) -> Q:
    """Whether the client (OuterRef("pk")) shows any activity from `since` up to `day`: the work
    queue's activities (a completed conversation of any kind, a ladder measurement, the start of
    a klantgroep assignment, a plan drawn up, the start of a benefit), attendance at a meeting,
    or a traject running on any of those days."""
    within = (since, day)
    client = OuterRef("pk")
    return Q(
        Exists(
            Conversation.objects.filter(
                client=client, status=ConversationStatus.COMPLETED, held_on__range=within
            )
        ),
        Exists(LadderMeasurement.objects.filter(client=client, measured_on__range=within)),
        Exists(ClientGroupAssignment.objects.filter(client=client, start_date__range=within)),
        Exists(Plan.objects.filter(client=client, drawn_up_on__range=within)),
        Exists(BenefitPeriod.objects.filter(client=client, start_date__range=within)),
        Exists(
            Invitation.objects.filter(
                client=client, attendance=Attendance.PRESENT, meeting__date__range=within
            )
        ),
        Exists(
            Trajectory.objects.filter(client=client, start_date__lte=day).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=since)
            )
        ),
        _connector=Q.OR,
    )


@register(
    code="inactive_clients",
    name=_("Clients without activity (cliënten zonder activiteit)"),
    theme=Theme.KNOW_OUR_CLIENTS,
    unit=Unit.COUNT,
    numerator=_(
        "Clients with no activity in the policy's number of inactivity days up to and "
        "including the period's last day: no completed conversation, ladder measurement, "
        "klantgroep assignment, plan van aanpak or benefit started, no attendance at a meeting "
        "and no traject running on any of those days."
    ),
    denominator="",
    population=BESTAND,
    period=_("The policy's number of inactivity days (90 by default) up to the period's end."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=False,
)
def inactive_clients(period: Period, scope: Scope) -> Figure:
    day = period.end
    since = day - datetime.timedelta(days=PolicySettings.load().inactivity_days)
    return clients_per_group(caseload_on(day, scope).exclude(_active_between(since, day)), scope)
