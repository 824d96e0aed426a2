"""Indicators of the theme instruments: trajecten started and ended, their success rate, and the
clients in a traject at the period's end (werkleerroutes and volunteers among them).

A traject counts for the team of its client and for the klantgroep recorded on it when it
started (Trajectory.client_group, as the budget page counts it). A client in a traject at the
period's end counts for their klantgroep on that day. Trajecten are dated rows (start, end and
outcome are set together when one ends), so a past period's figures stay as they were.

Werkleerroutes and volunteer work are recognised by the instrument's category (the application
manager sets it in the catalogue).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from instruments.models import InstrumentCategory, Trajectory, TrajectoryStatus
from monitoring.indicators.base import Figure, Row, Scope, Theme, Unit, register, share
from monitoring.indicators.caseload import group_on, in_scope
from monitoring.indicators.development import clients_per_group
from monitoring.periods import Period

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from monitoring.indicators.caseload import InGroup

WORK_LEARNING_ROUTE = Q(instrument__category=InstrumentCategory.WORK_LEARNING)
VOLUNTEERING = Q(instrument__category=InstrumentCategory.VOLUNTEERING)
SUCCEEDED = Q(status__in=[TrajectoryStatus.SUCCEEDED, TrajectoryStatus.CONVERTED_TO_WORK])


def _trajectories(scope: Scope) -> QuerySet[Trajectory]:
    trajectories = Trajectory.objects.all()
    if scope.team is not None:
        trajectories = trajectories.filter(client__team=scope.team)
    if scope.group is not None:
        trajectories = trajectories.filter(client_group=scope.group)
    return trajectories


def _running_on(day: datetime.date) -> Q:
    """Running on the day: started on or before it, not ended before it."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def _in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


def _per(
    trajectories: QuerySet[Trajectory],
    field: str,
    *,
    labels: Mapping[str, str] | None = None,
    counted: Q | None = None,
    of_people: bool = False,
) -> Figure:
    """The number of trajecten (of their distinct clients when `of_people`; or, with `counted`,
    the share of the trajecten that meets it), with a row per value of `field` labelled by the
    value itself or `labels[value]`. `people` is always the number of distinct clients. Two
    queries."""
    aggregates = {"whole": Count("pk"), "people": Count("client", distinct=True)}
    if counted is not None:
        aggregates["part"] = Count("pk", filter=counted)

    def value(counts: Mapping[str, int]) -> Decimal | int | None:
        if counted is not None:
            return share(counts["part"], counts["whole"])
        return counts["people"] if of_people else counts["whole"]

    total = trajectories.aggregate(**aggregates)
    # Grouped in the database: one row per value, whatever the number of trajecten.
    grouped = trajectories.order_by(field).values(field).annotate(**aggregates)
    rows = []
    for counts in grouped:
        key = counts[field]
        if key is None:
            label = gettext("Not recorded")
        else:
            label = labels[key] if labels is not None else str(key)
        rows.append(Row(label, value(counts), counts["people"]))
    return Figure(value(total), total["people"], tuple(rows))


@register(
    code="trajectories_started",
    name=_("Trajectories started (trajecten gestart)"),
    theme=Theme.INSTRUMENTS,
    unit=Unit.COUNT,
    numerator=_("Trajecten with a start date in the period."),
    denominator="",
    population=_(
        "All trajecten, counted for the client's team and the klantgroep at the traject's start."
    ),
    period=_("The period."),
    breakdown=_("Per instrument."),
)
def trajectories_started(period: Period, scope: Scope) -> Figure:
    started = _trajectories(scope).filter(_in_period("start_date", period))
    return _per(started, "instrument__name")


@register(
    code="trajectories_ended",
    name=_("Trajectories ended (trajecten beëindigd)"),
    theme=Theme.INSTRUMENTS,
    unit=Unit.COUNT,
    numerator=_("Trajecten with an actual end date in the period."),
    denominator="",
    population=_(
        "All trajecten, counted for the client's team and the klantgroep at the traject's start."
    ),
    period=_("The period."),
    breakdown=_("Per outcome."),
)
def trajectories_ended(period: Period, scope: Scope) -> Figure:
    ended = _trajectories(scope).filter(_in_period("end_date", period))
    outcomes = {status.value: str(status.label) for status in TrajectoryStatus}
    return _per(ended, "status", labels=outcomes)


_SUCCESS = {
    "unit": Unit.PERCENT,
    "theme": Theme.INSTRUMENTS,
    "numerator": _("Trajecten ended in the period that succeeded or were converted into work."),
    "denominator": _("Trajecten with an actual end date in the period."),
    "population": _(
        "All trajecten, counted for the client's team and the klantgroep at the traject's start."
    ),
    "period": _("The period."),
    "higher_is_better": True,
}


@register(
    code="trajectory_success_by_instrument",
    name=_("Trajectory success rate per instrument (slagingspercentage trajecten)"),
    breakdown=_("Per instrument."),
    **_SUCCESS,
)
def trajectory_success_by_instrument(period: Period, scope: Scope) -> Figure:
    ended = _trajectories(scope).filter(_in_period("end_date", period))
    return _per(ended, "instrument__name", counted=SUCCEEDED)


@register(
    code="trajectory_success_by_provider",
    name=_("Trajectory success rate per provider (slagingspercentage per aanbieder)"),
    breakdown=_("Per provider."),
    **_SUCCESS,
)
def trajectory_success_by_provider(period: Period, scope: Scope) -> Figure:
    ended = _trajectories(scope).filter(_in_period("end_date", period))
    return _per(ended, "provider__name", counted=SUCCEEDED)


@register(
    code="clients_in_trajectories",
    name=_("Clients in a traject (cliënten met een lopend traject)"),
    theme=Theme.INSTRUMENTS,
    unit=Unit.COUNT,
    numerator=_(
        "Clients with a traject running on the period's last day (started on or before it, not "
        "ended before it). A client in trajecten of several categories counts once in each."
    ),
    denominator="",
    population=_("All clients, on benefit or not, in their klantgroep at the period's end."),
    period=_("The period's last day."),
    breakdown=_("Per instrument category."),
)
def clients_in_trajectories(period: Period, scope: Scope) -> Figure:
    running = Trajectory.objects.filter(
        _running_on(period.end), client__in=_clients_on(period.end, scope).values("pk")
    )
    categories = {category.value: str(category.label) for category in InstrumentCategory}
    return _per(running, "instrument__category", labels=categories, of_people=True)


def _clients_on(day: datetime.date, scope: Scope) -> QuerySet[WithAnnotations[Client, InGroup]]:
    """All clients, on benefit or not, with their klantgroep on the day, within the scope."""
    return in_scope(Client.objects.annotate(client_group=group_on(day)), scope, team="team")


def _clients_running(period: Period, scope: Scope, instruments: Q) -> Figure:
    """The clients with a traject of these instruments running on the period's last day, per
    klantgroep on that day."""
    running = Trajectory.objects.filter(instruments, _running_on(period.end), client=OuterRef("pk"))
    return clients_per_group(_clients_on(period.end, scope).filter(Exists(running)), scope)


@register(
    code="work_learning_routes",
    name=_("Clients in a werkleerroute (cliënten in een werkleerroute)"),
    theme=Theme.INSTRUMENTS,
    unit=Unit.COUNT,
    numerator=_(
        "Clients with a traject running on the period's last day of an instrument of the "
        "category werkleerroute."
    ),
    denominator="",
    population=_("All clients, on benefit or not, in their klantgroep at the period's end."),
    period=_("The period's last day."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
)
def work_learning_routes(period: Period, scope: Scope) -> Figure:
    return _clients_running(period, scope, WORK_LEARNING_ROUTE)


@register(
    code="volunteers",
    name=_("Clients active as volunteers (cliënten actief als vrijwilliger)"),
    theme=Theme.INSTRUMENTS,
    unit=Unit.COUNT,
    numerator=_(
        "Clients with a traject running on the period's last day of an instrument of the "
        "category volunteer work (begeleide vrijwilligersplaats, vrijwilligerswerk)."
    ),
    denominator="",
    population=_("All clients, on benefit or not, in their klantgroep at the period's end."),
    period=_("The period's last day."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
)
def volunteers(period: Period, scope: Scope) -> Figure:
    return _clients_running(period, scope, VOLUNTEERING)
