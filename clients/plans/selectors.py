"""Reads of plans and agreements, and the rule "does this client need a plan, and is it current".

Plans and agreements are always reached through a client that came from
clients.selectors.get_client_for_user, so they share its scope. The plan rule (with_plan_status)
is one SQL expression for any day: the dossier and the work queue apply it today, the monitor's
indicator current_plan (monitoring.indicators.know_our_clients) on a period's last day.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from typing import TYPE_CHECKING, TypedDict, TypeVar, cast

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from casework.dates import add_months
from casework.models import PolicySettings
from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    Client,
    ClientGroupAssignment,
    Plan,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from casework.models import User


_C = TypeVar("_C", bound=Client)


class PlanAnnotations(TypedDict):
    """What `with_plan_status` adds to each client."""

    plan_required_by_age: bool
    plan_required_by_group: bool
    plan_required: bool
    plan_drawn_up_on: datetime.date | None
    plan_is_outdated: bool
    plan_missing: bool
    plan_expired: bool


def born_after_for_age(on: datetime.date, age: int) -> datetime.date:
    """Clients born after this date are `age` or younger on `on` (Client.age_on's rule, so
    someone born on 29 February has their birthday on 1 March in other years)."""
    year = on.year - age - 1
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return datetime.date(year, on.month, day)


def newest_plans(client: Client | OuterRef) -> QuerySet[Plan]:
    """A client's plans, newest first: the first is the current plan (index plan_client_idx).
    `client` may be an OuterRef, for a subquery per client."""
    return Plan.objects.filter(client=client).order_by("-drawn_up_on", "-id")


def current_plan_id(client: Client | OuterRef) -> Subquery:
    return Subquery(newest_plans(client).values("pk")[:1])


def with_plan_status(
    queryset: QuerySet[_C], *, on: datetime.date, policy: PolicySettings | None = None
) -> QuerySet[WithAnnotations[_C, PlanAnnotations]]:
    """Annotate, in SQL, whether each client needs a plan on `on` and whether theirs is current
    then. Only what is known on `on` counts, so a past day gives the same answer later.

    - plan_required_by_age: the client is PolicySettings.plan_required_up_to_age or younger;
    - plan_required_by_group: the client's klantgroep on `on` requires a plan (the assignment
      that covers the day; on the day of a move, the new one);
    - plan_required: either of the two;
    - plan_drawn_up_on: the date of the current plan, the newest drawn up on or before `on`,
      None without a plan;
    - plan_is_outdated: the current plan is older than PolicySettings.plan_valid_months
      (required or not; False without a plan);
    - plan_missing / plan_expired: a required plan is missing / outdated (what to warn about).
    """
    policy = policy or PolicySettings.load()
    born_after = born_after_for_age(on, policy.plan_required_up_to_age)
    valid_from = add_months(on, -policy.plan_valid_months)
    group_on = (
        ClientGroupAssignment.objects.filter(client=OuterRef("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date", "-id")
    )
    has_plan = Q(plan_drawn_up_on__isnull=False)  # so a client without a plan gets False, not NULL
    annotated = queryset.annotate(
        plan_required_by_age=ExpressionWrapper(
            Q(date_of_birth__gt=born_after), output_field=BooleanField()
        ),
        # Without a klantgroep on the day: False, not NULL.
        plan_required_by_group=Coalesce(
            Subquery(group_on.values("group__requires_plan")[:1]),
            Value(False),
            output_field=BooleanField(),
        ),
        plan_drawn_up_on=Subquery(
            newest_plans(OuterRef("pk")).filter(drawn_up_on__lte=on).values("drawn_up_on")[:1]
        ),
    ).annotate(
        plan_required=ExpressionWrapper(
            Q(plan_required_by_age=True) | Q(plan_required_by_group=True),
            output_field=BooleanField(),
        ),
        plan_is_outdated=ExpressionWrapper(
            has_plan & Q(plan_drawn_up_on__lt=valid_from), output_field=BooleanField()
        ),
        plan_missing=ExpressionWrapper(
            Q(plan_required=True, plan_drawn_up_on__isnull=True), output_field=BooleanField()
        ),
        plan_expired=ExpressionWrapper(
            has_plan & Q(plan_required=True, plan_drawn_up_on__lt=valid_from),
            output_field=BooleanField(),
        ),
    )
    # The plugin can't match the two-step annotation to the TypedDict; the names are the same.
    return cast("QuerySet[WithAnnotations[_C, PlanAnnotations]]", annotated)


def without_current_plan(
    queryset: QuerySet[_C], *, on: datetime.date, policy: PolicySettings | None = None
) -> QuerySet[WithAnnotations[_C, PlanAnnotations]]:
    """The clients who need a plan but have none, or only an outdated one (a work-queue signal)."""
    return with_plan_status(queryset, on=on, policy=policy).filter(
        Q(plan_missing=True) | Q(plan_expired=True)
    )


@dataclasses.dataclass(frozen=True)
class PlanStatus:
    required_by_age: bool
    required_by_group: bool
    missing: bool
    expired: bool
    required_up_to_age: int
    valid_months: int


def plan_status(
    client: Client, *, on: datetime.date, policy: PolicySettings | None = None
) -> PlanStatus:
    """The plan rule for one client (the same SQL as `with_plan_status`): one query, and one for
    the policy settings unless given."""
    policy = policy or PolicySettings.load()
    # Only the four flags shown: each flag repeats the subqueries it is made of in the SQL, so
    # selecting all seven annotations compiled those several times more.
    row = (
        with_plan_status(Client.objects.filter(pk=client.pk), on=on, policy=policy)
        .values("plan_required_by_age", "plan_required_by_group", "plan_missing", "plan_expired")
        .get()
    )
    return PlanStatus(
        required_by_age=row["plan_required_by_age"],
        required_by_group=row["plan_required_by_group"],
        missing=row["plan_missing"],
        expired=row["plan_expired"],
        required_up_to_age=policy.plan_required_up_to_age,
        valid_months=policy.plan_valid_months,
    )


def _agreements_with_reviews() -> QuerySet[Agreement]:
    """Agreements, open ones first, then by due date, with a flag whether a conversation
    discussed them (they can't be removed then)."""
    return Agreement.objects.annotate(
        has_reviews=Exists(AgreementReview.objects.filter(agreement=OuterRef("pk")))
    ).order_by(
        Case(When(status=AgreementStatus.OPEN, then=Value(0)), default=Value(1)), "due_date", "id"
    )


def agreements_prefetch() -> Prefetch:
    """A plan's agreements, in one query for the plan (or plans) they are prefetched on."""
    return Prefetch("agreements", queryset=_agreements_with_reviews())


def plans_for_client(client: Client) -> QuerySet[Plan]:
    """A client's plans, the current (newest) first."""
    # The author is shown with every plan: joined instead of one query per plan.
    return newest_plans(client).select_related("drawn_up_by")


def current_plan(client: Client) -> Plan | None:
    """The client's newest plan with its agreements (two queries), None without a plan."""
    return plans_for_client(client).prefetch_related(agreements_prefetch()).first()


def get_agreement_for_client(client: Client, pk: int) -> Agreement:
    """One agreement of one of this client's plans; 404 otherwise."""
    try:
        return Agreement.objects.get(plan__client=client, pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


def open_agreements(plan: Plan) -> QuerySet[Agreement]:
    """The plan's agreements that can still be edited or removed."""
    return _agreements_with_reviews().filter(plan=plan, status=AgreementStatus.OPEN)


def contact_person(client: Client, plan: Plan) -> User:
    """Who the client can call about the plan: their first (still active) consultant, else the
    plan's author."""
    first = (
        Client.consultants.through.objects.filter(client=client, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return first.user if first is not None else plan.drawn_up_by
