"""The faster formulations of the monitor's slowest indicators give the figures of the rules they
stand for, also at the edges the known populations of the indicator tests do not reach: a day on
the border of the inactivity window, two benefit periods or two klantgroep assignments covering
the same day. Each is checked against the rule written the plain way (one subquery per client).

The period is the second quarter of 2024; its last day is D = 30 June 2024. With the default
of 90 inactivity days, activity from 1 April 2024 (SINCE) counts.
"""

import datetime
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.db.models import DateField, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least, NullIf
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

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
    LadderMeasurement,
    LadderStep,
)
from clients.services import assign_client_group
from clients.workqueue.selectors import (
    DividedInterval,
    MakeInterval,
    PlusInterval,
    activity_histories,
)
from instruments.models import Trajectory, TrajectoryStatus
from monitoring.indicators import REGISTRY, Scope
from monitoring.indicators.base import shared_reads
from monitoring.indicators.caseload import (
    BESTAND_SQL,
    bestand_parameters,
    caseload_on,
    in_group_at_end_of,
)
from monitoring.periods import Period
from tests.casework.factories import UserFactory
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.meeting_factories import InvitationFactory, MeetingFactory
from tests.clients.plan_factories import PlanFactory
from tests.instruments.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

Q2 = Period.quarter(2024, 2)
D = Q2.end
SINCE = datetime.date(2024, 4, 1)
BEFORE = SINCE - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def group(code):
    return ClientGroup.objects.get(code=code)


def on_benefit(team, *, since=datetime.date(2023, 1, 1), group_code="groeien"):
    client = ClientFactory(team=team)
    BenefitPeriodFactory(client=client, start_date=since)
    ClientGroupAssignmentFactory(client=client, group=group(group_code), start_date=since)
    return client


def inactive_by_last_activity(day):
    """The rule of inactive_clients as it reads in the work queue: the latest activity up to the
    day (with the last day a traject ran) lies before the window, or there is none."""
    since = day - datetime.timedelta(days=PolicySettings.load().inactivity_days)
    traject = Subquery(
        Trajectory.objects.filter(client=OuterRef("pk"), start_date__lte=day)
        .annotate(ran_until=Least(Coalesce("end_date", Value(day)), Value(day)))
        .order_by("-ran_until")
        .values("ran_until")[:1],
        output_field=DateField(),
    )
    histories = [
        Subquery(
            rows.filter(client=OuterRef("pk"), **{f"{field}__lte": day})
            .order_by(f"-{field}")
            .values(field)[:1]
        )
        for rows, field in activity_histories()
    ]
    return set(
        caseload_on(day, Scope())
        .alias(last_active=Greatest(*histories, traject, output_field=DateField()))
        .filter(Q(last_active__lt=since) | Q(last_active__isnull=True))
        .values_list("pk", flat=True)
    )


def test_inactive_clients_at_the_borders_of_the_window(team_a):
    """Each client's only activity since the start of 2023 (their benefit and group) is one
    event on or just outside the window's first day."""
    step = LadderStep.objects.get(number=2)
    consultant = UserFactory()

    def client(**kwargs):
        return on_benefit(team_a, **kwargs)

    active = {
        "conversation on the first day": client(),
        "ladder on the last day": client(),
        "new group on the first day": client(),
        "plan on the first day": client(),
        "benefit since the first day": client(since=SINCE),
        "present at a meeting on the first day": client(),
        "traject ended on the first day": client(),
        "traject running, started long ago": client(),
    }
    inactive = {
        "conversation the day before": client(),
        "draft conversation in the window": client(),
        "ladder after the day": client(),
        "absent from a meeting in the window": client(),
        "traject ended the day before": client(),
        "traject starting after the day": client(),
        "nothing at all": client(),
    }
    ConversationFactory(
        client=active["conversation on the first day"],
        kind=ConversationKind.COACHING,
        held_on=SINCE,
        completed=True,
    )
    ConversationFactory(
        client=inactive["conversation the day before"],
        kind=ConversationKind.COACHING,
        held_on=BEFORE,
        completed=True,
    )
    ConversationFactory(
        client=inactive["draft conversation in the window"],
        kind=ConversationKind.PROGRESS,
        held_on=SINCE,
        completed=False,
    )
    for who, on in (
        (active["ladder on the last day"], D),
        (inactive["ladder after the day"], D + datetime.timedelta(days=1)),
    ):
        LadderMeasurementFactory(client=who, measured_on=on, step=step, target_step=step)
    assign_client_group(
        client=active["new group on the first day"], group=group("zorgen"), start_date=SINCE
    )
    PlanFactory(client=active["plan on the first day"], drawn_up_on=SINCE)
    meeting = MeetingFactory(team=team_a, date=SINCE)
    InvitationFactory(
        meeting=meeting,
        client=active["present at a meeting on the first day"],
        attendance=Attendance.PRESENT,
        invited_by=consultant,
    )
    InvitationFactory(
        meeting=meeting,
        client=inactive["absent from a meeting in the window"],
        attendance=Attendance.ABSENT_WITHOUT_NOTICE,
        invited_by=consultant,
    )
    for who, start, end in (
        (active["traject ended on the first day"], datetime.date(2024, 1, 1), SINCE),
        (active["traject running, started long ago"], datetime.date(2023, 2, 1), None),
        (inactive["traject ended the day before"], datetime.date(2024, 1, 1), BEFORE),
        (inactive["traject starting after the day"], D + datetime.timedelta(days=1), None),
    ):
        TrajectoryFactory(
            client=who,
            start_date=start,
            planned_end_date=start + datetime.timedelta(days=180),
            end_date=end,
            status=TrajectoryStatus.RUNNING if end is None else TrajectoryStatus.SUCCEEDED,
            started_by=consultant,
        )

    expected = {who.pk for who in inactive.values()}
    assert inactive_by_last_activity(D) == expected
    figure = REGISTRY["inactive_clients"].compute(Q2, Scope())
    assert (figure.value, figure.people) == (len(expected), len(expected))


def test_time_on_benefit_counts_a_client_once_from_the_first_covering_benefit(team_a):
    """Two benefit periods of one client cover the last day (a data error the schema allows):
    the client counts once, on benefit since the earlier start, as caseload_on counts them."""
    client = on_benefit(team_a, since=datetime.date(2024, 6, 1))  # 30 days on D
    BenefitPeriodFactory(
        client=client,
        start_date=datetime.date(2024, 5, 2),  # 60 days on D
        end_date=datetime.date(2024, 7, 31),
        end_reason="work",
    )
    other = on_benefit(team_a, since=datetime.date(2024, 4, 1))  # 91 days on D
    BenefitPeriodFactory(  # the same start, twice
        client=other,
        start_date=datetime.date(2024, 4, 1),
        end_date=datetime.date(2024, 12, 31),
        end_reason="work",
    )
    assert caseload_on(D, Scope()).count() == 2
    mean = REGISTRY["time_on_benefit_mean"].compute(Q2, Scope())
    median = REGISTRY["time_on_benefit_median"].compute(Q2, Scope())
    # (60 + 91) / 2 = 75.5 days = 2.48 months.
    assert (mean.value, mean.people) == (Decimal("2.5"), 2)
    assert (median.value, median.people) == (Decimal("2.5"), 2)


def test_the_bestand_and_its_time_on_benefit_are_read_together_in_a_batch(team_a):
    """Clients on benefit and the mean and the median time on benefit: one query, per klantgroep
    and in total (GROUPING SETS)."""
    on_benefit(team_a)
    with shared_reads(), CaptureQueriesContext(connection) as queries:
        REGISTRY["caseload"].compute(Q2, Scope())
        REGISTRY["time_on_benefit_mean"].compute(Q2, Scope())
        REGISTRY["time_on_benefit_median"].compute(Q2, Scope())
    selects = [query["sql"] for query in queries.captured_queries]
    assert sum("FROM clients_benefitperiod" in sql for sql in selects) == 1


@pytest.mark.parametrize("code", ["zorgen", "groeien", "matchen"])
def test_the_members_of_a_group_are_those_of_caseload_on(team_a, team_b, code):
    """in_group_at_end_of (the Zorgen figures) against caseload_on's klantgroep per client: a
    move on the start day of the previous assignment (both cover the day), a move on the day
    itself, an assignment ending the day before, a client off benefit, one in another team."""
    # Both assignments cover D (the first ends on its start day): the later one counts.
    moved_same_day = on_benefit(team_a, since=D, group_code="groeien")
    assign_client_group(client=moved_same_day, group=group("zorgen"), start_date=D)
    moved_back = on_benefit(team_a, since=D, group_code="zorgen")
    assign_client_group(client=moved_back, group=group("groeien"), start_date=D)
    moved_on_d = on_benefit(team_a, group_code="zorgen")
    assign_client_group(client=moved_on_d, group=group("matchen"), start_date=D)
    ended = on_benefit(team_a, group_code="zorgen")
    ended.group_assignments.update(end_date=D - datetime.timedelta(days=1))
    off_benefit = on_benefit(team_a, group_code="zorgen")
    off_benefit.benefit_periods.update(end_date=D, end_reason="work")
    on_benefit(team_b, group_code="zorgen")
    on_benefit(team_b, group_code="matchen")

    def clients(members):
        return sorted(members.values_list("client", flat=True))

    def bestand(scope):
        return sorted(caseload_on(D, scope).values_list("pk", flat=True))

    members = in_group_at_end_of(D, group(code))
    assert members.count() == len(clients(members))  # one row per client
    assert clients(members) == bestand(Scope(group=group(code)))
    in_a = members.filter(client__team=team_a)
    assert clients(in_a) == bestand(Scope(team=team_a, group=group(code)))


def bestand_by_sql(day, scope):
    """BESTAND_SQL's rows: (client, klantgroep, start of the first covering benefit period)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {BESTAND_SQL} SELECT client_id, client_group, benefit_start FROM bestand",  # noqa: S608
            bestand_parameters(day, scope),
        )
        return sorted(cursor.fetchall(), key=str)


def bestand_by_subqueries(day, scope):
    """caseload_on's clients and klantgroepen, with the start of the benefit period that covers
    the day and started first (then the one recorded first), one subquery per client."""
    first_start = (
        BenefitPeriod.objects.filter(client=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .order_by("start_date", "id")
        .values("start_date")[:1]
    )
    rows = caseload_on(day, scope).annotate(benefit_start=Subquery(first_start))
    return sorted(rows.values_list("pk", "client_group", "benefit_start"), key=str)


def bestand_at_the_edges(team_a, team_b):
    """Two assignments covering D (a move on the start day of the previous one, a move on D
    itself), an assignment ending the day before, no klantgroep, off benefit on D, two benefit
    periods covering D, clients in two teams."""
    moved_same_day = on_benefit(team_a, since=D, group_code="groeien")
    assign_client_group(client=moved_same_day, group=group("zorgen"), start_date=D)
    moved_on_d = on_benefit(team_a, group_code="zorgen")
    assign_client_group(client=moved_on_d, group=group("matchen"), start_date=D)
    ended = on_benefit(team_b, group_code="zorgen")
    ended.group_assignments.update(end_date=D - datetime.timedelta(days=1))
    without_group = on_benefit(team_a)
    without_group.group_assignments.all().delete()
    off_benefit = on_benefit(team_a, group_code="zorgen")
    off_benefit.benefit_periods.update(end_date=D, end_reason="work")
    two_benefits = on_benefit(team_b, since=datetime.date(2024, 6, 1))
    BenefitPeriodFactory(
        client=two_benefits,
        start_date=datetime.date(2024, 5, 2),
        end_date=datetime.date(2024, 7, 31),
        end_reason="work",
    )
    on_benefit(team_b, group_code="matchen")


def every_scope(team_a, team_b):
    scopes = [Scope(), Scope(team=team_a), Scope(team=team_b)]
    scopes += [Scope(group=group(code)) for code in ("zorgen", "groeien", "matchen")]
    scopes += [
        Scope(team=team_a, group=group("zorgen")),
        Scope(team=team_b, group=group("matchen")),
    ]
    return scopes


def test_the_bestand_in_sql_is_caseload_on(team_a, team_b):
    """BESTAND_SQL (the bestand's figures, progress_conversations_on_time, ladder_climbed)
    against caseload_on, in every scope, at the edges of bestand_at_the_edges."""
    bestand_at_the_edges(team_a, team_b)
    for scope in every_scope(team_a, team_b):
        assert bestand_by_sql(D, scope) == bestand_by_subqueries(D, scope), scope
    assert len(bestand_by_sql(D, Scope())) == 6
    for day in (D - datetime.timedelta(days=1), D + datetime.timedelta(days=1)):
        assert bestand_by_sql(day, Scope()) == bestand_by_subqueries(day, Scope())


def test_the_bestand_and_its_time_on_benefit_are_the_plain_rule(team_a, team_b):
    """Clients on benefit and the mean and the median time on benefit (one query over
    BESTAND_SQL, per klantgroep and in total) against caseload_on's clients and klantgroepen with
    their days on benefit, counted here, in every scope."""
    bestand_at_the_edges(team_a, team_b)

    def months(days):
        return (Decimal(days) / Decimal("30.4375")).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def figures(rows):
        days = [(D - start).days + 1 for _client, _group, start in rows]
        return len(rows), months(statistics.mean(days)), months(statistics.median(days))

    labels = {group.pk: group.name for group in ClientGroup.objects.all()}
    labels[None] = gettext("Without a client group")
    for scope in every_scope(team_a, team_b):
        rows = bestand_by_subqueries(D, scope)
        expected = {"total": figures(rows)}
        for group_id in {row[1] for row in rows}:
            in_group = [row for row in rows if row[1] == group_id]
            expected[labels[group_id]] = figures(in_group)
        with shared_reads():
            caseload, mean, median = (
                REGISTRY[code].compute(Q2, scope)
                for code in ("caseload", "time_on_benefit_mean", "time_on_benefit_median")
            )
        assert caseload.people == mean.people == median.people == len(rows), scope
        found = {"total": (caseload.value, mean.value, median.value)}
        for people, in_mean, in_median in zip(caseload.rows, mean.rows, median.rows, strict=True):
            assert people.label == in_mean.label == in_median.label
            assert people.people == in_mean.people == in_median.people
            if people.people:
                found[people.label] = (people.value, in_mean.value, in_median.value)
        assert found == expected, scope


def climbed_by_subqueries(window_start, day):
    """The rule of ladder_climbed the plain way, one subquery per client: those with
    development potential at the window's start (the newest measurement up to it has a target
    above its step), and those of them whose newest step up to the day is above it."""

    def newest(on):
        return LadderMeasurement.objects.filter(
            client=OuterRef("pk"), measured_on__lte=on
        ).order_by("-measured_on", "-id")

    with_potential = (
        caseload_on(day, Scope())
        .annotate(
            step_before=Subquery(newest(window_start).values("step__number")[:1]),
            target_before=Subquery(newest(window_start).values("target_step__number")[:1]),
            step_now=Subquery(newest(day).values("step__number")[:1]),
        )
        .filter(target_before__gt=F("step_before"))
    )
    climbed = with_potential.filter(step_now__gt=F("step_before"))
    return set(with_potential.values_list("pk", flat=True)), set(
        climbed.values_list("pk", flat=True)
    )


def test_ladder_climbed_takes_the_newest_measurements_as_the_plain_rule(team_a, team_b):
    """The newest measurement up to a day: on the day itself, not the day after; of two on one
    day the later one. Clients off benefit or without a klantgroep, in both teams."""
    window_start = add_months(D, -12)
    step = {number: LadderStep.objects.get(number=number) for number in range(1, 7)}

    def measured(who, on, now, target):
        LadderMeasurementFactory(
            client=who, measured_on=on, step=step[now], target_step=step[target]
        )

    climbed = on_benefit(team_a)
    measured(climbed, window_start, 2, 4)
    measured(climbed, D, 3, 4)
    stayed = on_benefit(team_b)
    measured(stayed, window_start - datetime.timedelta(days=30), 2, 4)
    first_measured_later = on_benefit(team_a)
    measured(first_measured_later, window_start + datetime.timedelta(days=1), 2, 4)
    measured(first_measured_later, D, 5, 5)
    potential_lost_the_same_day = on_benefit(team_a)
    measured(potential_lost_the_same_day, window_start, 2, 4)
    measured(potential_lost_the_same_day, window_start, 3, 3)
    potential_set_the_same_day = on_benefit(team_a, group_code="zorgen")
    measured(potential_set_the_same_day, window_start, 3, 3)
    measured(potential_set_the_same_day, window_start, 2, 4)
    measured(potential_set_the_same_day, D, 4, 4)
    fell_back_the_same_day = on_benefit(team_b)
    measured(fell_back_the_same_day, window_start, 2, 4)
    measured(fell_back_the_same_day, D, 4, 4)
    measured(fell_back_the_same_day, D, 2, 4)
    climbed_after_the_day = on_benefit(team_a)
    measured(climbed_after_the_day, window_start, 2, 4)
    measured(climbed_after_the_day, D + datetime.timedelta(days=1), 5, 5)
    off_benefit = on_benefit(team_a)
    off_benefit.benefit_periods.update(end_date=D, end_reason="work")
    measured(off_benefit, window_start, 2, 4)
    measured(off_benefit, D, 3, 4)
    without_group = on_benefit(team_b)
    without_group.group_assignments.all().delete()
    measured(without_group, window_start, 1, 3)
    measured(without_group, D, 2, 3)

    with_potential, up = climbed_by_subqueries(window_start, D)
    assert with_potential == {
        climbed.pk,
        stayed.pk,
        potential_set_the_same_day.pk,
        fell_back_the_same_day.pk,
        climbed_after_the_day.pk,
        without_group.pk,
    }
    assert up == {climbed.pk, potential_set_the_same_day.pk, without_group.pk}
    figure = REGISTRY["ladder_climbed"].compute(Q2, Scope())
    assert (figure.value, figure.people) == (Decimal("50.0"), 6)
    assert {row.label: (row.value, row.people) for row in figure.rows if row.people} == {
        "Groeien": (Decimal("25.0"), 4),
        "Zorgen": (Decimal("100.0"), 1),
        gettext("Without a client group"): (Decimal("100.0"), 1),
    }
    in_b = REGISTRY["ladder_climbed"].compute(Q2, Scope(team=team_b))
    assert (in_b.value, in_b.people) == (Decimal("33.3"), 3)


def on_time_by_subqueries(day):
    """The rule of progress_conversations_on_time the plain way, one subquery per client: the
    clients of the bestand whose klantgroep on the day has a rhythm, and those of them whose due
    date (the later of the last completed progress or ambition conversation up to the day and the
    start of the group's assignment, plus a year divided by the rhythm) is not before the day."""
    last_held = Conversation.objects.filter(
        client=OuterRef(OuterRef("pk")),
        status=ConversationStatus.COMPLETED,
        kind__in=[ConversationKind.PROGRESS, ConversationKind.AMBITION],
        held_on__lte=day,
    ).order_by("-held_on")
    due = (
        ClientGroupAssignment.objects.filter(client=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date", "-id")
        .annotate(
            due=PlusInterval(
                Greatest(
                    Subquery(last_held.values("held_on")[:1]),
                    "start_date",
                    output_field=DateField(),
                ),
                DividedInterval(
                    MakeInterval("years", Value(1)),
                    NullIf(
                        "group__progress_conversations_per_year",
                        Value(0),
                        output_field=IntegerField(),
                    ),
                ),
            )
        )
        .values("due")[:1]
    )
    counted = (
        caseload_on(day, Scope())
        .annotate(due=Subquery(due, output_field=DateField()))
        .filter(due__isnull=False)
    )
    return set(counted.values_list("pk", flat=True)), set(
        counted.filter(due__gte=day).values_list("pk", flat=True)
    )


def test_progress_conversations_on_time_takes_the_last_conversation_as_the_plain_rule(
    team_a, team_b
):
    """The last completed progress or ambition conversation up to the day (on the day itself, not
    the day after; not a coaching or planned one), or the group's start when later or when there
    is none; no rhythm (0 a year) or no klantgroep: not counted. Off benefit, in both teams."""
    ClientGroup.objects.filter(code__in=["groeien", "zorgen"]).update(
        progress_conversations_per_year=1
    )
    ClientGroup.objects.filter(code="matchen").update(progress_conversations_per_year=0)
    year_before = add_months(D, -12)  # due on the day itself: on time

    def held(who, on, kind=ConversationKind.PROGRESS, **traits):
        ConversationFactory(client=who, kind=kind, held_on=on, **({"completed": True} | traits))

    held_a_year_before = on_benefit(team_a)
    held(held_a_year_before, year_before)
    held_before_that = on_benefit(team_b)
    held(held_before_that, year_before - datetime.timedelta(days=1))
    held(held_before_that, year_before - datetime.timedelta(days=30))
    ambition_on_the_day = on_benefit(team_a)
    held(ambition_on_the_day, year_before - datetime.timedelta(days=10))
    held(ambition_on_the_day, D, ConversationKind.AMBITION)
    after_the_day = on_benefit(team_a)
    held(after_the_day, year_before - datetime.timedelta(days=10))
    held(after_the_day, D + datetime.timedelta(days=1))
    coaching_and_planned_only = on_benefit(team_b)
    held(coaching_and_planned_only, year_before - datetime.timedelta(days=10))
    held(coaching_and_planned_only, D, ConversationKind.COACHING)
    held(coaching_and_planned_only, D, completed=False)
    never_but_group_recent = on_benefit(team_a, since=D - datetime.timedelta(days=100))
    group_restarts_the_rhythm = on_benefit(team_b, since=datetime.date(2020, 1, 1))
    held(group_restarts_the_rhythm, datetime.date(2021, 1, 1))
    assign_client_group(
        client=group_restarts_the_rhythm, group=group("zorgen"), start_date=year_before
    )
    on_benefit(team_a, group_code="matchen")  # no rhythm
    without_group = on_benefit(team_b)
    without_group.group_assignments.all().delete()
    off_benefit = on_benefit(team_a)
    off_benefit.benefit_periods.update(end_date=D, end_reason="work")

    counted, on_time = on_time_by_subqueries(D)
    assert counted == {
        held_a_year_before.pk,
        held_before_that.pk,
        ambition_on_the_day.pk,
        after_the_day.pk,
        coaching_and_planned_only.pk,
        never_but_group_recent.pk,
        group_restarts_the_rhythm.pk,
    }
    assert on_time == {
        held_a_year_before.pk,
        ambition_on_the_day.pk,
        never_but_group_recent.pk,
        group_restarts_the_rhythm.pk,
    }
    figure = REGISTRY["progress_conversations_on_time"].compute(Q2, Scope())
    assert (figure.value, figure.people) == (Decimal("57.1"), 7)
    assert {row.label: (row.value, row.people) for row in figure.rows if row.people} == {
        "Groeien": (Decimal("50.0"), 6),
        "Zorgen": (Decimal("100.0"), 1),
    }
    in_b = REGISTRY["progress_conversations_on_time"].compute(Q2, Scope(team=team_b))
    assert (in_b.value, in_b.people) == (Decimal("33.3"), 3)
    zorgen = REGISTRY["progress_conversations_on_time"].compute(Q2, Scope(group=group("zorgen")))
    assert (zorgen.value, zorgen.people) == (Decimal("100.0"), 1)
