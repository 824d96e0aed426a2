"""Indicators of the theme caseload: bestand, instroom, uitstroom and time on benefit.

Terms shared by these indicators and those of client_groups:

- A client is *on benefit at the end of a day* when one of their own benefit periods started on or
  before that day and had not ended on or before it. A benefit that ends on a day is outflow on
  that day, so the bestand at a period's end is the bestand at the end of the day before the
  period plus the instroom minus the uitstroom. A couple's shared benefit counts once, for the
  client it is recorded on.
- A client's *klantgroep on a day* is the group assignment that covers the day (both ends
  included); when two cover it (a move recorded on the start day of the previous one), the one
  that started last, then the one recorded last.
- The team is the client's team (there is no team history).

Every figure is one or a few grouped queries, and depends only on the dated histories up to the
period's end: never on today, nor on events after the period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DecimalField,
    Exists,
    FloatField,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.dates import add_months
from casework.models import PolicySettings
from clients.models import BenefitPeriod, Client, ClientGroup, ClientGroupAssignment, OutflowReason
from clients.workqueue.selectors import MakeInterval, PlusInterval
from instruments.employer_selectors import back_on_benefit, durable_from
from monitoring.indicators.base import Figure, Row, Scope, Theme, Unit, register, share, shared
from monitoring.periods import Period

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

_M = TypeVar("_M", bound=Model)


class InGroup(TypedDict):
    """The annotation every queryset here carries: the klantgroep at the date that matters."""

    client_group: int | None


class DaysInGroup(InGroup):
    days: int


# The average length of a month in days (365.25 / 12): calendar arithmetic, not policy.
DAYS_PER_MONTH = Decimal("30.4375")


class Median(Aggregate):
    """The median, interpolated between the two middle values: PostgreSQL's percentile_cont."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


# --- Building blocks, also used by client_groups ---------------------------------------------


def client_groups() -> list[ClientGroup]:
    """Every klantgroep, in their order: read once per batch of computations (shared_reads), as
    the dashboard and the monitor compute every indicator for many periods."""
    return shared(("client_groups",), lambda: list(ClientGroup.objects.all()))


def policy_settings() -> PolicySettings:
    """The policy settings, read once per batch of computations (shared_reads)."""
    return shared(("policy_settings",), PolicySettings.load)


def on_benefit_at_end_of(day: datetime.date, *, client: OuterRef | None = None) -> Exists:
    """Whether the client is on benefit at the end of `day`; the client is the outer row's
    `client` (default: the outer Client row itself)."""
    return Exists(
        BenefitPeriod.objects.filter(
            client=client if client is not None else OuterRef("pk"), start_date__lte=day
        ).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
    )


def group_on(day: datetime.date | OuterRef, *, client: OuterRef | None = None) -> Subquery:
    """The id of the client's klantgroep on `day` (NULL when none); the client is the outer
    row's `client` (default: the outer Client row itself)."""
    assignments = (
        ClientGroupAssignment.objects.filter(
            client=client if client is not None else OuterRef("pk"), start_date__lte=day
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date", "-id")
    )
    return Subquery(assignments.values("group_id")[:1], output_field=IntegerField())


def in_group_at_end_of(day: datetime.date, group: ClientGroup) -> QuerySet[ClientGroupAssignment]:
    """The clients on benefit at the end of `day` whose klantgroep on that day is `group`, one
    row each: the assignment group_on picks for them (the newest that covers the day: no later
    one covers it too). The same clients as caseload_on(day, Scope(group=group)), read from the
    group's assignments with joins, where caseload_on reads the klantgroep of every client of
    the bestand one by one: for counting one group's members."""
    covering = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    later = ClientGroupAssignment.objects.filter(covering, client=OuterRef("client")).filter(
        Q(start_date__gt=OuterRef("start_date"))
        | Q(start_date=OuterRef("start_date"), pk__gt=OuterRef("pk"))
    )
    return (
        ClientGroupAssignment.objects.filter(covering, group=group)
        .exclude(Exists(later))
        .filter(on_benefit_at_end_of(day, client=OuterRef("client")))
    )


def in_scope(queryset: QuerySet[_M], scope: Scope, *, team: str) -> QuerySet[_M]:
    """Narrow to the scope's team (through the lookup `team`) and to its klantgroep (the
    `client_group` annotation: the group at the date that matters for the indicator)."""
    if scope.team is not None:
        queryset = queryset.filter(**{team: scope.team})
    if scope.group is not None:
        queryset = queryset.filter(client_group=scope.group.pk)
    return queryset


def caseload_on(day: datetime.date, scope: Scope) -> QuerySet[WithAnnotations[Client, InGroup]]:
    """The clients on benefit at the end of `day`, with their klantgroep on that day
    (`client_group`), within the scope."""
    clients = Client.objects.filter(on_benefit_at_end_of(day)).annotate(client_group=group_on(day))
    return in_scope(clients, scope, team="team")


Found = Mapping[int | None, tuple[Decimal | int | None, int]]


def rows_per_group(
    found: Found, scope: Scope, *, empty: Decimal | int | None = 0
) -> tuple[Row, ...]:
    """Rows in the klantgroepen's order from {group id: (value, people)}: every active group
    (`empty` when nobody), any other group that occurs, then "Without a client group" when some
    clients had none. Only the scope's group when the figure is about one group."""
    if scope.group is not None:
        return (Row(scope.group.name, *found.get(scope.group.pk, (empty, 0))),)
    rows = [
        Row(group.name, *found.get(group.pk, (empty, 0)))
        for group in client_groups()
        if group.is_active or group.pk in found
    ]
    if None in found:
        rows.append(Row(gettext("Without a client group"), *found[None]))
    return tuple(rows)


def _count_figure(items: QuerySet[Any], scope: Scope) -> Figure:
    """A count of rows (benefit periods) per `client_group`, with the distinct clients behind
    each: one grouped query and one total (a client can count in two groups)."""
    per_group = items.values("client_group").annotate(
        n=Count("pk"), people=Count("client", distinct=True)
    )
    total = items.aggregate(n=Count("pk"), people=Count("client", distinct=True))
    found = {row["client_group"]: (row["n"], row["people"]) for row in per_group}
    return Figure(total["n"], total["people"], rows_per_group(found, scope))


def _months(days: Decimal | float | None) -> Decimal | None:
    if days is None:
        return None
    return (Decimal(days) / DAYS_PER_MONTH).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Bestand ---------------------------------------------------------------------------------


@register(
    code="caseload",
    name=_("Clients on benefit (bestand)"),
    theme=Theme.CASELOAD,
    unit=Unit.COUNT,
    numerator=_(
        "Clients on benefit at the end of the period's last day: a benefit period of their own "
        "started on or before that day and had not ended on or before it (a benefit ending on "
        "the last day is outflow of the period). A couple's shared benefit counts once."
    ),
    denominator="",
    population=_("All clients."),
    period=_("The last day of the period."),
    breakdown=_("Per klantgroep: the client's group on the last day of the period."),
    higher_is_better=False,
)
def caseload(period: Period, scope: Scope) -> Figure:
    # The people per klantgroep of the bestand's days on benefit (time on benefit reads the
    # same): the clients and klantgroepen of caseload_on, read once for the three figures.
    found = {row["client_group"]: (row["people"], row["people"]) for row in _bestand(period, scope)}
    total = sum(n for n, _people in found.values())
    return Figure(total, total, rows_per_group(found, scope))


# --- Instroom --------------------------------------------------------------------------------


def _inflow(period: Period, scope: Scope) -> QuerySet[WithAnnotations[BenefitPeriod, InGroup]]:
    """Benefit periods starting in the period, with the client's klantgroep on the start day or,
    when they had none yet, the first group given after it within the period."""
    first_given = (
        ClientGroupAssignment.objects.filter(
            client=OuterRef("client"),
            start_date__gt=OuterRef("start_date"),
            start_date__lte=period.end,
        )
        .order_by("start_date", "id")
        .values("group_id")[:1]
    )
    periods = BenefitPeriod.objects.filter(start_date__range=(period.start, period.end)).annotate(
        client_group=Coalesce(
            group_on(OuterRef("start_date"), client=OuterRef("client")),
            Subquery(first_given),
            output_field=IntegerField(),
        )
    )
    return in_scope(periods, scope, team="client__team")


@register(
    code="inflow",
    name=_("Inflow (instroom)"),
    theme=Theme.CASELOAD,
    unit=Unit.COUNT,
    numerator=_(
        "Benefit periods that started in the period (a client who starts twice counts twice; "
        "the people behind the figure are counted once)."
    ),
    denominator="",
    population=_("All clients."),
    period=_("The start date lies in the period (both ends included)."),
    breakdown=_(
        "Per klantgroep: the client's group on the start day or, when the client had none yet, "
        "the first group given after the start within the period; otherwise 'Without a client "
        "group'."
    ),
)
def inflow(period: Period, scope: Scope) -> Figure:
    return _count_figure(_inflow(period, scope), scope)


# --- Uitstroom -------------------------------------------------------------------------------


def _outflow(
    start: datetime.date, end: datetime.date, scope: Scope
) -> QuerySet[WithAnnotations[BenefitPeriod, InGroup]]:
    """Benefit periods ending from `start` to `end`, with the client's klantgroep on the last
    day on benefit."""
    periods = BenefitPeriod.objects.filter(end_date__range=(start, end)).annotate(
        client_group=group_on(OuterRef("end_date"), client=OuterRef("client"))
    )
    return in_scope(periods, scope, team="client__team")


OUTFLOW_GROUP = _("Per klantgroep: the client's group on the last day on benefit.")


@register(
    code="outflow",
    name=_("Outflow (uitstroom)"),
    theme=Theme.CASELOAD,
    unit=Unit.COUNT,
    numerator=_(
        "Benefit periods that ended in the period, for any reason (a client who leaves twice "
        "counts twice; the people behind the figure are counted once)."
    ),
    denominator="",
    population=_("All clients."),
    period=_("The end date (the last day on benefit) lies in the period."),
    breakdown=OUTFLOW_GROUP,
    higher_is_better=True,
)
def outflow(period: Period, scope: Scope) -> Figure:
    return _count_figure(_outflow(period.start, period.end, scope), scope)


@register(
    code="outflow_by_reason",
    name=_("Outflow by reason (uitstroom per reden)"),
    theme=Theme.CASELOAD,
    unit=Unit.COUNT,
    numerator=_("Benefit periods that ended in the period, as in Outflow (uitstroom)."),
    denominator="",
    population=_("All clients."),
    period=_("The end date (the last day on benefit) lies in the period."),
    breakdown=_(
        "Per reason for ending: work, own business, study, moved away, other. The klantgroep "
        "filter uses the client's group on the last day on benefit."
    ),
    higher_is_better=True,
)
def outflow_by_reason(period: Period, scope: Scope) -> Figure:
    outflows = _outflow(period.start, period.end, scope)
    counts = {"n": Count("pk"), "people": Count("client", distinct=True)}
    grouped: Iterable[Mapping[str, Any]] = outflows.values("end_reason").annotate(**counts)
    per_reason = {row["end_reason"]: (row["n"], row["people"]) for row in grouped}
    total = outflows.aggregate(**counts)
    rows = tuple(
        Row(str(reason.label), *per_reason.get(reason.value, (0, 0))) for reason in OutflowReason
    )
    return Figure(total["n"], total["people"], rows)


@register(
    code="outflow_to_work",
    name=_("Outflow to work (uitstroom naar werk)"),
    theme=Theme.CASELOAD,
    unit=Unit.COUNT,
    numerator=_(
        "Benefit periods that ended in the period with the reason 'work' (an own business is a "
        "reason of its own and is not included)."
    ),
    denominator="",
    population=_("All clients."),
    period=_("The end date (the last day on benefit) lies in the period."),
    breakdown=OUTFLOW_GROUP,
    higher_is_better=True,
)
def outflow_to_work(period: Period, scope: Scope) -> Figure:
    outflows = _outflow(period.start, period.end, scope).filter(end_reason=OutflowReason.WORK)
    return _count_figure(outflows, scope)


@register(
    code="outflow_to_work_share",
    name=_("Share of outflow to work (aandeel uitstroom naar werk)"),
    theme=Theme.CASELOAD,
    unit=Unit.PERCENT,
    numerator=_("Benefit periods that ended in the period with the reason 'work'."),
    denominator=_("All benefit periods that ended in the period, for any reason."),
    population=_("All clients."),
    period=_("The end date (the last day on benefit) lies in the period."),
    breakdown=OUTFLOW_GROUP,
    higher_is_better=True,
)
def outflow_to_work_share(period: Period, scope: Scope) -> Figure:
    outflows = _outflow(period.start, period.end, scope)
    counts = {
        "n": Count("pk"),
        "work": Count("pk", filter=Q(end_reason=OutflowReason.WORK)),
        "people": Count("client", distinct=True),
    }
    per_group: Iterable[Mapping[str, Any]] = outflows.values("client_group").annotate(**counts)
    total = outflows.aggregate(**counts)
    found = {
        row["client_group"]: (share(row["work"], row["n"]), row["people"]) for row in per_group
    }
    return Figure(
        share(total["work"], total["n"]),
        total["people"],
        rows_per_group(found, scope, empty=None),
    )


# --- Durable outflow -------------------------------------------------------------------------


def durable_cohort(period: Period, months: int) -> tuple[datetime.date, datetime.date]:
    """The days on which an outflow falls in the durable-outflow cohort of `period`: the span of
    the period moved `months` earlier, so that every outflow in it has had its `months` off
    benefit (from the day after the end date) by the period's last day."""
    return (
        add_months(period.start, -months),
        add_months(period.end + datetime.timedelta(days=1), -months) - datetime.timedelta(days=1),
    )


@register(
    code="durable_outflow",
    name=_("Durable outflow (duurzame uitstroom)"),
    theme=Theme.CASELOAD,
    unit=Unit.PERCENT,
    numerator=_(
        "Of the denominator's outflows: those after which the client stayed off benefit for N "
        "months from the first day off benefit (the day after the end date): no benefit period "
        "of theirs covers a day from then up to the day before the same date N months later. "
        "A return on that date or later does not count. N is the policy setting 'a placement "
        "is durable after (months off benefit)', 6 by default; a durable placement follows the "
        "same rule from its start date."
    ),
    denominator=_(
        "Benefit periods, ended for any reason, whose end date lies in the span of the same "
        "length N months before the period (for the second quarter with N = 6: 1 October to 31 "
        "December of the year before), so that each has had its N months by the period's end."
    ),
    population=_("All clients."),
    period=_(
        "Outflow in the period N months before; judged on the histories up to the period's last "
        "day."
    ),
    breakdown=_(
        "Per reason for ending. The klantgroep filter uses the client's group on the last day "
        "on benefit."
    ),
    higher_is_better=True,
)
def durable_outflow(period: Period, scope: Scope) -> Figure:
    months = policy_settings().durable_placement_months
    # The rule of a durable placement (instruments.employer_selectors), from the first day off.
    back = back_on_benefit(first_day_off="first_day_off", durable_from="durable_from")
    outflows = (
        _outflow(*durable_cohort(period, months), scope)
        .annotate(first_day_off=PlusInterval("end_date", MakeInterval("days", 1)))
        .annotate(durable_from=durable_from("first_day_off", months))
        .annotate(came_back=Exists(back))
    )
    counts = {
        "n": Count("pk"),
        "durable": Count("pk", filter=Q(came_back=False)),
        "people": Count("client", distinct=True),
    }
    per_reason: dict[str, Mapping[str, Any]] = {
        row["end_reason"]: row for row in outflows.values("end_reason").annotate(**counts)
    }
    total = outflows.aggregate(**counts)
    rows = []
    for reason in OutflowReason:
        found = per_reason.get(reason.value, {"n": 0, "durable": 0, "people": 0})
        rows.append(Row(str(reason.label), share(found["durable"], found["n"]), found["people"]))
    return Figure(share(total["durable"], total["n"]), total["people"], tuple(rows))


# --- Time on benefit -------------------------------------------------------------------------


def _days_on_benefit(
    period: Period, scope: Scope, *, by_group: bool
) -> QuerySet[WithAnnotations[BenefitPeriod, DaysInGroup]]:
    """The bestand at the period's end, one row per client: the benefit period that covers the
    last day (the one that started first, should two cover it), with `days`: from its start up
    to and including that day, and the client's klantgroep on that day (`client_group`) when
    asked for (`by_group`) or when the scope is one klantgroep: a subquery per client that the
    total does not need.

    Read from the benefit periods, so that `days` is a column and not a subquery per client (the
    mean and the median each evaluated it again); the clients are those of caseload_on(day)."""
    day = period.end
    covering = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))
    started_earlier = BenefitPeriod.objects.filter(covering, client=OuterRef("client")).filter(
        Q(start_date__lt=OuterRef("start_date"))
        | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk"))
    )
    periods: QuerySet[BenefitPeriod] = (
        BenefitPeriod.objects.filter(covering)
        .exclude(Exists(started_earlier))
        .annotate(
            days=Func(
                Value(day),
                "start_date",
                template="(%(expressions)s + 1)",
                arg_joiner=" - ",
                output_field=IntegerField(),
            ),
        )
    )
    if by_group or scope.group is not None:
        periods = periods.annotate(client_group=group_on(day, client=OuterRef("client")))
    # The plugin cannot follow the conditional annotation; client_group is there when asked for.
    return cast(
        "QuerySet[WithAnnotations[BenefitPeriod, DaysInGroup]]",
        in_scope(periods, scope, team="client__team"),
    )


TIME_ON_BENEFIT = {
    "theme": Theme.CASELOAD,
    "unit": Unit.MONTHS,
    "denominator": "",
    "population": _(
        "The clients on benefit at the end of the period's last day (the bestand), each with "
        "the days from the start of their current benefit period up to and including that day, "
        "in months of 30.4375 days (365.25 / 12), one decimal."
    ),
    "period": _("The last day of the period."),
    "breakdown": _("Per klantgroep: the client's group on the last day of the period."),
}


@register(
    code="time_on_benefit_mean",
    name=_("Average time on benefit (gemiddelde uitkeringsduur)"),
    numerator=_("The average time on the current benefit of the bestand, in months."),
    **TIME_ON_BENEFIT,
)
def time_on_benefit_mean(period: Period, scope: Scope) -> Figure:
    return _time_on_benefit(period, scope, "mean")


@register(
    code="time_on_benefit_median",
    name=_("Median time on benefit (mediane uitkeringsduur)"),
    numerator=_(
        "The median time on the current benefit of the bestand, in months: half of the "
        "clients have been on benefit shorter, half longer (the middle two averaged)."
    ),
    **TIME_ON_BENEFIT,
)
def time_on_benefit_median(period: Period, scope: Scope) -> Figure:
    return _time_on_benefit(period, scope, "median")


def _days(period: Period, scope: Scope, *, by_group: bool) -> list[Mapping[str, Any]]:
    """The people of the bestand at the period's end and the mean and the median of their days
    on benefit, per klantgroep (`by_group`) or in total: one query each, read once within
    shared_reads() for the figures that need it (Clients on benefit and the time on benefit)."""

    def read() -> list[Mapping[str, Any]]:
        aggregates = {
            "mean": Avg("days", output_field=DecimalField()),
            "median": Median("days"),
            "people": Count("pk"),
        }
        periods = _days_on_benefit(period, scope, by_group=by_group)
        if by_group:
            return list(periods.values("client_group").annotate(**aggregates))
        return [periods.aggregate(**aggregates)]

    team = scope.team.pk if scope.team else None
    group = scope.group.pk if scope.group else None
    return shared(("bestand_days", period.end, team, group, by_group), read)


def _bestand(period: Period, scope: Scope) -> list[Mapping[str, Any]]:
    return _days(period, scope, by_group=True)


def _time_on_benefit(period: Period, scope: Scope, measure: str) -> Figure:
    """The mean or the median (`measure`) of the days on benefit, shown in months."""
    found = {
        row["client_group"]: (_months(row[measure]), row["people"])
        for row in _bestand(period, scope)
    }
    [total] = _days(period, scope, by_group=False)
    return Figure(
        _months(total[measure]), total["people"], rows_per_group(found, scope, empty=None)
    )
