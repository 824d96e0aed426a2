"""Reads of the work queue: each client's next due date per kind, computed in the database.

The rules, for clients on benefit (an open benefit period) only; "the current group" is the
client's open klantgroep assignment:

- ambition: while the client has no completed ambition conversation, one is due
  `PolicySettings.ambition_within_days` days after the start of the current benefit.
- progress: when the current group's `progress_conversations_per_year` is above 0, the next one is
  due one year / that number after the base date. The base is the later of the last completed
  progress or ambition conversation and the start of the current group assignment: a move to
  another group starts the new group's rhythm from the move (a conversation held before the move
  does not count), and a move to a group without a rhythm (Matchen) means nothing is due.
- legality_review: when the current group's `legal_review_interval_months` is set, the next review
  is due that many months after the later of the last completed legality review and the start of
  the current group assignment (so a move into such a group starts the clock, as for progress).
- inactive: the client counts as inactive `PolicySettings.inactivity_days` days after the last
  activity (last_activity): the latest of a completed conversation of any kind, a ladder
  measurement, the start of a klantgroep assignment, a plan drawn up, the start of the benefit
  and attendance at a meeting (bijeenkomst). The monitor's indicator inactive_clients
  (monitoring.indicators.know_our_clients) applies the same rule on a period's last day and also
  counts a running traject as activity. The work queue cannot: trajecten belong to instruments,
  which depends on clients, and clients never reads instruments (DESIGN.md, apps and their
  direction). So a client whose only activity is a traject is signalled here, where the
  consultant can see the traject in the dossier, and not counted by the monitor.
- agreement: each open agreement of the client's current plan (the newest plan) is due on its
  own due date.

An item is overdue when its due date is before today, and due soon from today until
`PolicySettings.due_soon_days` days ahead. Inactivity is a signal only once it is the case: an
inactive item is always overdue, never due soon.

A "year / number" is PostgreSQL interval arithmetic: 1 year / 2 = 6 months, 1 year / 3 = 4 months.

Every rule is an SQL expression over the client row (a join to the open benefit period and the
current group, correlated subqueries on the indexed histories), so a queue of any size is one
query and no Python loops over clients; the policy numbers come from ClientGroup rows and
PolicySettings, never from constants here.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf

from casework.selectors import team_consultants
from clients.models import (
    Agreement,
    AgreementStatus,
    Attendance,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Invitation,
    LadderMeasurement,
    Plan,
    QueueItemKind,
    QueueSnapshot,
)
from clients.plans.selectors import current_plan_id
from clients.selectors import clients_for_user, filter_caseload

if TYPE_CHECKING:
    from casework.models import PolicySettings, User

# The kinds that are due on a date computed per client, in the order the dossier shows them.
CONVERSATION_KINDS = (
    QueueItemKind.AMBITION,
    QueueItemKind.PROGRESS,
    QueueItemKind.LEGALITY_REVIEW,
)
CLIENT_KINDS = (*CONVERSATION_KINDS, QueueItemKind.INACTIVE)


class MakeInterval(Func):
    """PostgreSQL's make_interval(<unit> => amount), e.g. make_interval(months => 24)."""

    function = "make_interval"
    output_field = DurationField()

    def __init__(self, unit: str, amount: Any) -> None:
        if unit not in ("years", "months", "days"):
            raise ValueError(unit)
        super().__init__(amount, template=f"%(function)s({unit} => %(expressions)s)")


class PlusInterval(Func):
    """date + interval, as a date (NULL when either is NULL)."""

    template = "(%(expressions)s)::date"
    arg_joiner = " + "
    output_field = DateField()


class DividedInterval(Func):
    """interval / number, e.g. one year / 2 = 6 months (NULL when the number is NULL)."""

    template = "(%(expressions)s)"
    arg_joiner = " / "
    output_field = DurationField()


@dataclasses.dataclass(frozen=True)
class Window:
    """Today and how far the queue looks ahead."""

    today: datetime.date
    soon_until: datetime.date

    @classmethod
    def starting(cls, today: datetime.date, policy: PolicySettings) -> Window:
        return cls(today, today + datetime.timedelta(days=policy.due_soon_days))


# --- Building blocks: the client's histories, as subqueries on OuterRef("pk") -----------------


def _last_conversation(*kinds: str) -> Subquery:
    conversations = Conversation.objects.filter(
        client=OuterRef("pk"), status=ConversationStatus.COMPLETED
    )
    if kinds:
        conversations = conversations.filter(kind__in=kinds)
    return Subquery(conversations.order_by("-held_on").values("held_on")[:1])


def activity_histories() -> list[tuple[QuerySet[Any], str]]:
    """What a consultant calls contact or participation, as the histories that record it and the
    date of each: a completed conversation of any kind, a ladder measurement, the start of a
    klantgroep assignment, a plan drawn up, the start of a benefit and attendance at a meeting.
    One list for the work queue (last_activity) and the monitor's indicator inactive_clients
    (monitoring.indicators.know_our_clients, which adds trajecten: see the module docstring)."""
    return [
        (Conversation.objects.filter(status=ConversationStatus.COMPLETED), "held_on"),
        (LadderMeasurement.objects.all(), "measured_on"),
        (ClientGroupAssignment.objects.all(), "start_date"),
        (Plan.objects.all(), "drawn_up_on"),
        (BenefitPeriod.objects.all(), "start_date"),
        (Invitation.objects.filter(attendance=Attendance.PRESENT), "meeting__date"),
    ]


def last_activity() -> Greatest:
    """The day of the client's (OuterRef("pk")) last activity (activity_histories), NULL without
    any."""
    return Greatest(
        *(
            Subquery(rows.filter(client=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])
            for rows, field in activity_histories()
        ),
        output_field=DateField(),
    )


def on_benefit(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Only the clients with an open benefit period (nothing is due for anyone else), joined to
    that period (`open_benefit`) and to their open klantgroep assignment (`open_assignment`, a LEFT
    JOIN: a client may have none). Each is at most one row per client (the partial unique
    indexes one_open_benefit and one_current_group), so the joins never repeat a client; they
    replace a correlated subquery per client and value with one index lookup."""
    return clients.alias(
        open_benefit=FilteredRelation(
            "benefit_periods", condition=Q(benefit_periods__end_date__isnull=True)
        ),
        open_assignment=FilteredRelation(
            "group_assignments", condition=Q(group_assignments__end_date__isnull=True)
        ),
    ).filter(open_benefit__isnull=False)


def _settings_key(policy: PolicySettings) -> tuple[Any, ...]:
    """Every policy setting: what is built from them and kept is built anew when any changes."""
    return tuple(getattr(policy, field.attname) for field in policy._meta.concrete_fields)


_Kept = TypeVar("_Kept")


def _kept(
    store: dict[tuple[Any, ...], _Kept], key: tuple[Any, ...], build: Callable[[], _Kept]
) -> _Kept:
    """What build() returns for `key` (a day and policy settings), built once and kept in `store`
    until the key changes. Kept querysets are only ever cloned (filtered), never evaluated
    themselves, and kept expressions only ever resolved (a copy), so threads may share them."""
    value = store.get(key)  # one read: another thread may replace the entry
    if value is None:
        value = build()
        store.clear()  # another day or other settings: the old one is done with
        store[key] = value
    return value


def _every_client_on_benefit() -> QuerySet[Client]:
    """on_benefit() of every client: what the kept queries start from, narrowed per request to
    the clients asked for (_of_clients)."""
    return on_benefit(Client.objects.all())


def _of_clients(query: QuerySet[Any, Any], clients: QuerySet[Client]) -> QuerySet[Any, Any]:
    """A kept query of every client narrowed to these clients."""
    return query.filter(pk__in=clients.values("pk"))


# The due date expressions of the last policy settings they were built for. Building them is a
# fifth of the work queue's Python time (once for the counts and once for the items) and they
# never change with the settings: a query resolves a copy, never the expressions themselves.
_expressions: dict[tuple[Any, ...], dict[str, Any]] = {}


def due_date_expressions(policy: PolicySettings) -> dict[str, Any]:
    """The due date of each client kind as an expression on a queryset from on_benefit() (see
    the module docstring for the rules). NULL means nothing of that kind is due. Not to be
    changed by the caller: they are kept for the next query (_expressions)."""
    return _kept(_expressions, _settings_key(policy), lambda: _build_due_date_expressions(policy))


def _build_due_date_expressions(policy: PolicySettings) -> dict[str, Any]:
    benefit_start = F("open_benefit__start_date")
    group_start = F("open_assignment__start_date")
    per_year = F("open_assignment__group__progress_conversations_per_year")
    review_months = F("open_assignment__group__legal_review_interval_months")
    has_ambition = Exists(
        Conversation.objects.filter(
            client=OuterRef("pk"),
            kind=ConversationKind.AMBITION,
            status=ConversationStatus.COMPLETED,
        )
    )
    return {
        QueueItemKind.AMBITION: Case(
            # NULL once an ambition conversation was held: nothing is due.
            When(
                ~has_ambition,
                then=PlusInterval(
                    benefit_start, MakeInterval("days", Value(policy.ambition_within_days))
                ),
            ),
            default=None,
            output_field=DateField(),
        ),
        QueueItemKind.PROGRESS: PlusInterval(
            # PostgreSQL's GREATEST ignores NULLs: without a conversation, the group start.
            Greatest(
                _last_conversation(ConversationKind.PROGRESS, ConversationKind.AMBITION),
                group_start,
                output_field=DateField(),
            ),
            # NULLIF: 0 a year (Matchen) divides by NULL, so nothing is due.
            DividedInterval(
                MakeInterval("years", Value(1)),
                NullIf(per_year, Value(0), output_field=IntegerField()),
            ),
        ),
        QueueItemKind.LEGALITY_REVIEW: PlusInterval(
            Greatest(
                _last_conversation(ConversationKind.LEGALITY_REVIEW),
                group_start,
                output_field=DateField(),
            ),
            MakeInterval("months", review_months),
        ),
        QueueItemKind.INACTIVE: PlusInterval(
            last_activity(), MakeInterval("days", Value(policy.inactivity_days))
        ),
    }


def _current_agreements(client: OuterRef) -> QuerySet[Agreement]:
    """The open agreements of the client's current plan."""
    return Agreement.objects.filter(status=AgreementStatus.OPEN, plan=current_plan_id(client))


def _agreement_count(**due_date: Any) -> Coalesce:
    agreements = _current_agreements(OuterRef("plan__client")).filter(
        plan__client=OuterRef("pk"), **due_date
    )
    count = agreements.order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def caseload(user: User) -> QuerySet[Client]:
    """The clients in the user's caseload, within what the user may see."""
    return filter_caseload(clients_for_user(user), consultant=user)


# --- The queue -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class KindCount:
    kind: QueueItemKind
    overdue: int
    due_soon: int


@dataclasses.dataclass(frozen=True)
class QueueCounts:
    kinds: list[KindCount]

    @property
    def overdue(self) -> int:
        return sum(count.overdue for count in self.kinds)

    @property
    def due_soon(self) -> int:
        return sum(count.due_soon for count in self.kinds)

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon


# The due dates of every client on benefit for the last window and policy settings it was
# built for (queue_counts, on the work queue and in the daily job): building and resolving its
# correlated subqueries was a third of queue_counts' Python time, and it is the same all day.
_due_dates_in_window: dict[tuple[Any, ...], QuerySet[Client]] = {}


def _build_due_dates_in_window(window: Window, policy: PolicySettings) -> QuerySet[Client]:
    dues = due_date_expressions(policy)
    # Annotated (not aliased), so Django aggregates over a subquery that computes each due
    # date once per client, however many counts use it.
    return _every_client_on_benefit().annotate(
        **{f"due_{kind}": dues[kind] for kind in CLIENT_KINDS},
        agreements_overdue=_agreement_count(due_date__lt=window.today),
        agreements_due_soon=_agreement_count(due_date__range=(window.today, window.soon_until)),
    )


def queue_counts(
    clients: QuerySet[Client], *, window: Window, policy: PolicySettings
) -> QueueCounts:
    """How many items of each kind are overdue and due soon for these clients: one query."""
    soon = (window.today, window.soon_until)
    scope = _of_clients(
        _kept(
            _due_dates_in_window,
            (window, *_settings_key(policy)),
            lambda: _build_due_dates_in_window(window, policy),
        ),
        clients,
    )
    aggregates: dict[str, Any] = {}
    for kind in CLIENT_KINDS:
        aggregates[f"{kind}_overdue"] = Count("pk", filter=Q(**{f"due_{kind}__lt": window.today}))
        if kind != QueueItemKind.INACTIVE:
            aggregates[f"{kind}_due_soon"] = Count("pk", filter=Q(**{f"due_{kind}__range": soon}))
    aggregates["agreement_overdue"] = Sum("agreements_overdue")
    aggregates["agreement_due_soon"] = Sum("agreements_due_soon")
    result = scope.aggregate(**aggregates)
    return QueueCounts(
        [
            KindCount(
                QueueItemKind(kind),
                result[f"{kind}_overdue"] or 0,
                result.get(f"{kind}_due_soon") or 0,
            )
            for kind in QueueItemKind.values
        ]
    )


def _item_branches(
    *, policy: PolicySettings, bounds: Callable[[QueueItemKind], Q]
) -> list[QuerySet[Any, Mapping[str, Any]]]:
    """One query per kind of the items of every client on benefit whose due date (`due`) is
    within `bounds(kind)`, as rows of item_client, item_first_name, item_surname_prefix,
    item_last_name, item_kind, item_due, item_detail (an agreement's description) and
    item_agreement (an agreement's id, null for the other kinds); each computes only its own due
    date. For _item_union, which narrows them to some clients."""
    dues = due_date_expressions(policy)
    branches: list[QuerySet[Any, Mapping[str, Any]]] = [
        _every_client_on_benefit()
        .alias(due=dues[kind])
        .filter(bounds(kind))
        .order_by()
        .values(
            item_client=F("pk"),
            item_first_name=F("first_name"),
            item_surname_prefix=F("surname_prefix"),
            item_last_name=F("last_name"),
            item_kind=Value(kind.value),
            item_due=F("due"),
            item_detail=Value(""),
            # Typed: a UNION of untyped NULLs would make the column text.
            item_agreement=Cast(Value(None), BigIntegerField()),
        )
        for kind in CLIENT_KINDS
    ]
    agreements = (
        _current_agreements(OuterRef("plan__client"))
        .filter(plan__client__in=_every_client_on_benefit().values("pk"))
        .alias(due=F("due_date"))
        .filter(bounds(QueueItemKind.AGREEMENT))
        .order_by()
        .values(
            item_client=F("plan__client_id"),
            item_first_name=F("plan__client__first_name"),
            item_surname_prefix=F("plan__client__surname_prefix"),
            item_last_name=F("plan__client__last_name"),
            item_kind=Value(QueueItemKind.AGREEMENT.value),
            item_due=F("due"),
            item_detail=F("description"),
            item_agreement=F("pk"),
        )
    )
    return [*branches, agreements]


def _item_union(
    clients: QuerySet[Client], branches: list[QuerySet[Any, Mapping[str, Any]]]
) -> QuerySet[Any, Mapping[str, Any]]:
    """The items of these clients of _item_branches(), oldest due date first. One query: a
    UNION ALL of the branches, so it pages in the database. A client has one item of each kind
    but several agreements, which may fall due on one day: the agreement's id orders those, so
    that no page repeats or skips one."""
    *client_branches, agreements = branches
    first, *others = (_of_clients(branch, clients) for branch in client_branches)
    return first.union(
        *others, agreements.filter(plan__client__in=clients.values("pk")), all=True
    ).order_by(
        "item_due",
        "item_last_name",
        "item_first_name",
        "item_client",
        "item_kind",
        "item_agreement",
    )


# The item queries of queue_items for every client on benefit, for the last window and policy
# settings they were built for (the work queue page): as _due_dates_in_window for the counts.
_items_in_window: dict[tuple[Any, ...], list[QuerySet[Any, Mapping[str, Any]]]] = {}


def queue_items(
    clients: QuerySet[Client], *, window: Window, policy: PolicySettings
) -> QuerySet[Any, Mapping[str, Any]]:
    """Every overdue and due-soon item of these clients, oldest first (see _item_union)."""

    def bounds(kind: QueueItemKind) -> Q:
        if kind == QueueItemKind.INACTIVE:
            return Q(due__lt=window.today)
        return Q(due__lte=window.soon_until)

    branches = _kept(
        _items_in_window,
        (window, *_settings_key(policy)),
        lambda: _item_branches(policy=policy, bounds=bounds),
    )
    return _item_union(clients, branches)


def newly_overdue_items(
    clients: QuerySet[Client],
    *,
    today: datetime.date,
    since: datetime.date,
    policy: PolicySettings,
) -> QuerySet[Any, Mapping[str, Any]]:
    """The items that became overdue from `since` up to today: an item is overdue the day after
    its due date, so these are the items due from `since` up to and including yesterday."""
    branches = _item_branches(policy=policy, bounds=lambda kind: Q(due__gte=since, due__lt=today))
    return _item_union(clients, branches)


@dataclasses.dataclass(frozen=True)
class QueueItem:
    """One row of the work queue, for display."""

    client_pk: int
    name: str
    kind: QueueItemKind
    due: datetime.date
    detail: str
    today: datetime.date

    @classmethod
    def from_row(cls, row: Mapping[str, Any], today: datetime.date) -> QueueItem:
        name_parts = (row["item_first_name"], row["item_surname_prefix"], row["item_last_name"])
        return cls(
            client_pk=row["item_client"],
            name=" ".join(part for part in name_parts if part),
            kind=QueueItemKind(row["item_kind"]),
            due=row["item_due"],
            detail=row["item_detail"],
            today=today,
        )

    @property
    def is_overdue(self) -> bool:
        return self.due < self.today

    @property
    def days(self) -> int:
        """Days overdue (when overdue) or days left (when due soon)."""
        return abs((self.today - self.due).days)


# --- One client, for the dossier -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DueDate:
    kind: QueueItemKind
    due: datetime.date | None
    today: datetime.date

    @property
    def is_overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def days(self) -> int | None:
        return None if self.due is None else abs((self.today - self.due).days)


@dataclasses.dataclass(frozen=True)
class ClientDueDates:
    conversations: list[DueDate]
    inactive: DueDate
    agreements_overdue: int


# The query of client_due_dates for every client, without its filter on one client, for the
# last day and policy settings it was built for: resolving its dozen correlated subqueries
# cost twice as much as compiling and running it, and it is the same on every dossier of the
# day. Only ever filtered (a clone), never evaluated itself.
_due_dates_of_every_client: dict[tuple[Any, ...], QuerySet[Client, dict[str, Any]]] = {}


def _due_dates_query(
    today: datetime.date, policy: PolicySettings
) -> QuerySet[Client, dict[str, Any]]:
    def build() -> QuerySet[Client, dict[str, Any]]:
        dues = due_date_expressions(policy)
        return (
            _every_client_on_benefit()
            .annotate(
                agreements_overdue=_agreement_count(due_date__lt=today),
                **{f"due_{kind}": dues[kind] for kind in CLIENT_KINDS},
            )
            .values("agreements_overdue", *(f"due_{kind}" for kind in CLIENT_KINDS))
        )

    return _kept(_due_dates_of_every_client, (today, *_settings_key(policy)), build)


def client_due_dates(
    client: Client, *, today: datetime.date, policy: PolicySettings
) -> ClientDueDates | None:
    """The next due date per conversation kind, when the client becomes (or became) inactive,
    and the number of overdue agreements; None when the client is not on benefit. One query."""
    row = _due_dates_query(today, policy).filter(pk=client.pk).first()
    if row is None:
        return None
    return ClientDueDates(
        conversations=[DueDate(kind, row[f"due_{kind}"], today) for kind in CONVERSATION_KINDS],
        inactive=DueDate(QueueItemKind.INACTIVE, row[f"due_{QueueItemKind.INACTIVE}"], today),
        agreements_overdue=row["agreements_overdue"],
    )


# --- The team leader's overview ----------------------------------------------------------------


def team_overview(user: User) -> QuerySet[User]:
    """The consultants of the user's team, each annotated with the day the daily job last ran
    (`recorded_on`, None before the first run) and their `overdue` and `due_soon` totals of that
    day. One query. (Recorded, not live: the queues of a whole team at once are too slow to
    compute per request at scale; a consultant's own queue is live.)"""
    last_run = Subquery(QueueSnapshot.objects.order_by("-day").values("day")[:1])
    recorded = QueueSnapshot.objects.filter(consultant=OuterRef("pk"), day=last_run).order_by()

    def total(field: str) -> Subquery:
        return Subquery(
            recorded.values("consultant").annotate(total=Sum(field)).values("total"),
            output_field=IntegerField(),
        )

    # Only what the overview shows of each consultant (their name, as str() makes it): a team
    # has hundreds, and loading every column of each was a quarter of the page's time.
    return (
        team_consultants(user)
        .only("first_name", "last_name", "username")
        .annotate(recorded_on=last_run, overdue=total("overdue"), due_soon=total("due_soon"))
    )
