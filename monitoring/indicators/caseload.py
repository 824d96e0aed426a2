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
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict, TypeVar

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
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


# The average length of a month in days (365.25 / 12): calendar arithmetic, not policy.
DAYS_PER_MONTH = Decimal("30.4375")


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


# caseload_on in SQL, for the set-based queries of the bestand's figures (Clients on benefit and
# the time on benefit, progress_conversations_on_time, ladder_climbed): a common table expression
# `bestand` over the parameters day, team and group (bestand_parameters), one row per client:
# client_id; benefit_start, the start of the benefit period that covers the day (the one that
# started first, then the one recorded first, should two cover it); client_group, the klantgroep
# on the day, and group_start, the start of the assignment that gives it. The same clients and
# klantgroepen as caseload_on (group_on's rule: the newest assignment covering the day, then the
# one recorded last; tests/monitoring/test_indicator_queries.py compares them), but the benefit
# periods and the klantgroep of every client are each read in one pass (DISTINCT ON; the
# assignments over the index group_on_day_idx) and hash-joined, instead of one look-up per client
# of the bestand (about 85,000 at 100,000 clients, half of those queries' time). MATERIALIZED:
# inlined, PostgreSQL misjudges the joins of the queries that use it (minutes instead of a second).
BESTAND_SQL = """
bestand AS MATERIALIZED (
    SELECT
        on_benefit.client_id,
        on_benefit.start_date AS benefit_start,
        klantgroep.group_id AS client_group,
        klantgroep.start_date AS group_start
    FROM (
        SELECT DISTINCT ON (benefit.client_id) benefit.client_id, benefit.start_date
        FROM clients_benefitperiod benefit
        WHERE benefit.start_date <= %(day)s
            AND (benefit.end_date IS NULL OR benefit.end_date > %(day)s)
        ORDER BY benefit.client_id, benefit.start_date, benefit.id
    ) on_benefit
    JOIN clients_client client ON client.id = on_benefit.client_id
    LEFT JOIN (
        SELECT DISTINCT ON (covering.client_id)
            covering.client_id, covering.group_id, covering.start_date
        FROM clients_clientgroupassignment covering
        WHERE covering.start_date <= %(day)s
            AND (covering.end_date IS NULL OR covering.end_date >= %(day)s)
        ORDER BY covering.client_id, covering.start_date DESC, covering.id DESC
    ) klantgroep ON klantgroep.client_id = on_benefit.client_id
    WHERE (%(team)s::integer IS NULL OR client.team_id = %(team)s::integer)
        AND (%(group)s::integer IS NULL OR klantgroep.group_id = %(group)s::integer)
)"""


def bestand_parameters(day: datetime.date, scope: Scope) -> dict[str, datetime.date | int | None]:
    """The parameters of BESTAND_SQL."""
    return {
        "day": day,
        "team": scope.team.pk if scope.team else None,
        "group": scope.group.pk if scope.group else None,
    }


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
    days = _bestand_days(period, scope)
    found = {group: (row["people"], row["people"]) for group, row in days.per_group.items()}
    total = days.total["people"]
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


class BestandDays(NamedTuple):
    """The people of the bestand at a period's end and the mean and the median of their days on
    benefit (from the start of the benefit period that covers the last day up to and including
    that day): per klantgroep and in total."""

    per_group: dict[int | None, Mapping[str, Any]]
    total: Mapping[str, Any]


# _bestand_days's query: the bestand (BESTAND_SQL) grouped per klantgroep and in total
# (GROUPING SETS: one pass for both; GROUPING(client_group) is 1 on the total's row, which an
# empty bestand has too, with COUNT 0). Raw SQL for BESTAND_SQL's one-pass klantgroep: the ORM
# can only look it up per client of the bestand.
_BESTAND_DAYS_SQL = f"""
WITH {BESTAND_SQL}, on_benefit AS (
    SELECT client_group, %(day)s::date - benefit_start + 1 AS days FROM bestand
)
SELECT
    GROUPING(client_group) = 1,
    client_group,
    AVG(days),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
    COUNT(*)
FROM on_benefit
GROUP BY GROUPING SETS ((client_group), ())
"""  # noqa: S608 (BESTAND_SQL is a constant: no input)


def _bestand_days(period: Period, scope: Scope) -> BestandDays:
    """The bestand's days on benefit at the period's end: one query, read once within
    shared_reads() for the figures that need it (Clients on benefit and the time on benefit)."""

    parameters = bestand_parameters(period.end, scope)

    def read() -> BestandDays:
        with connection.cursor() as cursor:
            cursor.execute(_BESTAND_DAYS_SQL, parameters)
            rows = cursor.fetchall()
        per_group: dict[int | None, Mapping[str, Any]] = {}
        total: Mapping[str, Any] = {}
        for is_total, group, mean, median, people in rows:
            measures = {"mean": mean, "median": median, "people": people}
            if is_total:
                total = measures
            else:
                per_group[group] = measures
        return BestandDays(per_group, total)

    return shared(("bestand_days", *parameters.values()), read)


def _time_on_benefit(period: Period, scope: Scope, measure: str) -> Figure:
    """The mean or the median (`measure`) of the days on benefit, shown in months."""
    days = _bestand_days(period, scope)
    found = {group: (_months(row[measure]), row["people"]) for group, row in days.per_group.items()}
    total = days.total
    return Figure(
        _months(total[measure]), total["people"], rows_per_group(found, scope, empty=None)
    )
