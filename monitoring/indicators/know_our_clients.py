"""Indicators of the theme know_our_clients: voortgangsgesprekken on time, current plans van
aanpak, and clients without any activity.

Each rule is the work queue's (clients.workqueue.selectors) or the plan rule's
(clients.plans.selectors) applied on the period's last day instead of today: the histories are
read up to that day only, and the klantgroep is the one the client was in then. The one
difference: a running traject is activity here but not in the work queue, which lives in clients
and cannot read instruments. The population is the bestand at the period's end with the terms of
monitoring.indicators.caseload.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from clients.models import (
    ClientGroupAssignment,
    Conversation,
    ConversationKind,
    ConversationStatus,
)
from clients.plans.selectors import with_plan_status
from clients.workqueue.selectors import (
    DividedInterval,
    MakeInterval,
    PlusInterval,
    last_activity,
)
from instruments.models import Trajectory
from monitoring.indicators.base import Figure, Scope, Theme, Unit, register
from monitoring.indicators.caseload import caseload_on, policy_settings
from monitoring.indicators.development import BESTAND, clients_per_group
from monitoring.periods import Period

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from clients.models import Client
    from monitoring.indicators.caseload import InGroup


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
        "Clients on benefit at the period's end who need a plan on that day, by the dossier's "
        "rule: up to the policy's age (27 by default) or in a klantgroep that requires a plan "
        "(Matchen and Groeien by default)."
    ),
    population=BESTAND,
    period=_("The period's last day."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=True,
)
def current_plan(period: Period, scope: Scope) -> Figure:
    day = period.end
    # The dossier's plan rule, applied on the day: the age then, the klantgroep then, the plans
    # drawn up by then.
    clients = with_plan_status(caseload_on(day, scope), on=day).filter(plan_required=True)
    return clients_per_group(
        # The plugin keeps only the last annotations' names; client_group is still there.
        cast("QuerySet[WithAnnotations[Client, InGroup]]", clients),
        scope,
        counted=Q(plan_missing=False, plan_expired=False),
    )


def _last_day_in_a_traject(day: datetime.date) -> Subquery:
    """The last day up to `day` on which a traject of the client (OuterRef("pk")) ran: activity
    the work queue cannot see (clients does not read instruments; see clients.workqueue)."""
    return Subquery(
        Trajectory.objects.filter(client=OuterRef("pk"), start_date__lte=day)
        .annotate(ran_until=Least(Coalesce("end_date", Value(day)), Value(day)))
        .order_by("-ran_until")
        .values("ran_until")[:1],
        output_field=DateField(),
    )


@register(
    code="inactive_clients",
    name=_("Clients without activity (cliënten zonder activiteit)"),
    theme=Theme.KNOW_OUR_CLIENTS,
    unit=Unit.COUNT,
    numerator=_(
        "Clients with no activity in the policy's number of inactivity days up to and "
        "including the period's last day, by the work queue's rule: no completed conversation, "
        "ladder measurement, klantgroep assignment, plan van aanpak or benefit started and no "
        "attendance at a meeting on any of those days; in addition, no traject running on any "
        "of them (the work queue does not see trajecten)."
    ),
    denominator="",
    population=BESTAND,
    period=_("The policy's number of inactivity days (90 by default) up to the period's end."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=False,
)
def inactive_clients(period: Period, scope: Scope) -> Figure:
    day = period.end
    since = day - datetime.timedelta(days=policy_settings().inactivity_days)
    # The work queue's rule on the day, plus the trajecten; a client without any activity at all
    # (NULL) is inactive too.
    clients = (
        caseload_on(day, scope)
        .alias(last_active=last_activity(up_to=day, also=[_last_day_in_a_traject(day)]))
        .filter(Q(last_active__lt=since) | Q(last_active__isnull=True))
    )
    return clients_per_group(clients, scope)
