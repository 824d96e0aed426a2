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
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, cast

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clients.models import ClientGroupAssignment, ConversationKind, ConversationStatus
from clients.plans.selectors import with_plan_status
from clients.workqueue.selectors import activity_histories
from instruments.models import Trajectory
from monitoring.indicators.base import Figure, Scope, Theme, Unit, register
from monitoring.indicators.caseload import (
    BESTAND_SQL,
    bestand_parameters,
    caseload_on,
    policy_settings,
)
from monitoring.indicators.development import BESTAND, clients_per_group, share_per_group
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
    with connection.cursor() as cursor:
        cursor.execute(
            _PROGRESS_ON_TIME_SQL,
            {
                **bestand_parameters(period.end, scope),
                "completed": ConversationStatus.COMPLETED,
                "kinds": [ConversationKind.PROGRESS, ConversationKind.AMBITION],
            },
        )
        return share_per_group(cursor.fetchall(), scope)


# progress_conversations_on_time's query. Each client's last completed progress or ambition
# conversation up to the day is read for all clients at once, as one ordered pass over the index
# conversation_progress_idx (DISTINCT ON), and joined: as a correlated subquery per client of the
# bestand (the ORM's way) it is about twice as slow at 100,000 clients. The clients and their
# klantgroep are caseload_on's (BESTAND_SQL; the start of the klantgroep's assignment restarts the
# rhythm as in the work queue), the due date the work queue's: the later of the last conversation
# and the group's start (GREATEST ignores NULLs), plus one year divided by the group's number of
# progress conversations a year. It is NULL, and the client outside the share, when the group has
# no rhythm (0 a year: NULLIF) or the client no group.
_PROGRESS_ON_TIME_SQL = f"""
WITH {BESTAND_SQL}, last_held AS MATERIALIZED (
    SELECT DISTINCT ON (conversation.client_id) conversation.client_id, conversation.held_on
    FROM clients_conversation conversation
    WHERE conversation.status = %(completed)s
        AND conversation.kind = ANY(%(kinds)s)
        AND conversation.held_on <= %(day)s
    ORDER BY conversation.client_id, conversation.held_on DESC
), outcomes AS (
    SELECT
        bestand.client_group,
        (
            GREATEST(last_held.held_on, bestand.group_start)
            + make_interval(years => 1) / NULLIF(client_group.progress_conversations_per_year, 0)
        )::date >= %(day)s AS on_time
    FROM bestand
    LEFT JOIN clients_clientgroup client_group ON client_group.id = bestand.client_group
    LEFT JOIN last_held ON last_held.client_id = bestand.client_id
)
SELECT client_group, COUNT(*), COUNT(*) FILTER (WHERE on_time)
FROM outcomes
WHERE on_time IS NOT NULL
GROUP BY client_group
"""  # noqa: S608 (BESTAND_SQL is a constant: no input)


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
    # Only a client young enough or with an assignment to a klantgroep that requires a plan
    # covering the day can need one: that set, read once (PostgreSQL hashes the subquery),
    # spares the rule's klantgroep subquery for every other client of the bestand.
    may_need_one = ClientGroupAssignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        start_date__lte=day,
        group__requires_plan=True,
    )
    clients = (
        # The dossier's plan rule, applied on the day: the age then, the klantgroep then, the
        # plans drawn up by then. The policy settings are read once per batch.
        with_plan_status(caseload_on(day, scope), on=day, policy=policy_settings())
        .filter(Q(plan_required_by_age=True) | Q(pk__in=may_need_one.values("client")))
        .filter(plan_required=True)
    )
    return clients_per_group(
        # The plugin keeps only the last annotations' names; client_group is still there.
        cast("QuerySet[WithAnnotations[Client, InGroup]]", clients),
        scope,
        # Neither missing nor expired, among clients who need a plan: there is one and it is
        # not outdated. Said so, the condition does not ask again whether a plan is required
        # (the klantgroep's subquery, per client, once more for each of the two).
        counted=Q(plan_drawn_up_on__isnull=False, plan_is_outdated=False),
    )


def _active_between(since: datetime.date, day: datetime.date) -> Q:
    """Whether the client had activity on a day from `since` up to and including `day`: the
    work queue's activities (clients.workqueue.selectors.activity_histories) and a traject
    running on one of those days.

    The same rule as "the work queue's last activity up to `day` is on or after `since`" (the
    latest of the dates up to `day` falls in the window exactly when one of them does; a
    traject's last day up to `day` does when it ran on a day of the window), written as
    membership of the clients with activity in the window: each is one uncorrelated subquery
    over the window's rows (indexes conversation_held_idx and ladder_measured_idx), which
    PostgreSQL hashes once, instead of seven correlated subqueries per client of the bestand."""
    active = [
        rows.filter(**{f"{field}__range": (since, day)}) for rows, field in activity_histories()
    ]
    # Running on a day of the window: started by its end, not ended before its start.
    active.append(
        Trajectory.objects.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=since)
        )
    )
    return reduce(or_, (Q(pk__in=rows.values("client_id")) for rows in active))


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
    # is inactive too.
    return clients_per_group(caseload_on(day, scope).exclude(_active_between(since, day)), scope)
