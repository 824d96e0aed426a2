"""The indicators of the themes development, know_our_clients, instruments and budget, checked
against a small known population with the arithmetic written out.

The period is the second quarter of 2024 (1 April to 30 June); its last day is D = 30 June 2024.
Policy defaults: a plan is current for 12 months (so from 30 June 2023), inactivity after 90
days (so activity from 1 April 2024 counts), rhythms Matchen 0, Groeien 1, Faciliteren 2 and
Zorgen 2 a year; Matchen and Groeien require a plan.

The population (every benefit and first klantgroep from 1 January 2023, everyone born on 1 January
1980, so 44 on D and past the age up to which a plan is required, unless said):

- c1, team A, Groeien: ladder 2→4 (Mar 2023), 3 (May 2024): climbed; progress Sep 2023 (due Sep
  2024); plan Sep 2023; Werkleerroute (SW) running since Jan 2024.
- c2, team A, Groeien: ladder 3→5 (Jan 2023), 3 (Mar 2024): not climbed; progress May 2023 (due
  May 2024: late) and a draft in May 2024; plan Mar 2023 (outdated); a volunteer traject ended
  31 Mar 2024; nothing since 1 April: inactive.
- c3, team A, Matchen: ladder 4→4: no potential; plan Feb 2024; coaching Apr 2024; Stage (DWT)
  Apr-May 2024, converted into work.
- c4, team A, Faciliteren: ladder 1→3 on 30 Jun 2023 (the window's first day), 3 (Mar 2024):
  climbed; progress Jan 2024 (due Jul 2024); present at a meeting in May 2024, its only activity.
- c5, team A, Zorgen: no ladder; ambition Feb 2024 (due Aug 2024); a volunteer traject
  (KonnecteD) running since Jan 2024, its only activity.
- c6, team A, Groeien, Faciliteren from 1 May 2024: ladder 2→3 (May 2023), 2 (Jun 2024): not
  climbed; progress Mar 2024, before the move, so due 1 Nov 2024; Stage (DWT) Feb-15 Apr 2024,
  ended early.
- c7, team A, Groeien, off benefit since 31 May 2024: Werkleerroute (SW) Sep 2023-30 Apr 2024,
  succeeded; climbed, but not on benefit.
- c8, team B, Groeien: ladder 2→3 (Apr 2023), 3 (1 Apr 2024): climbed; progress Aug 2023 (due Aug
  2024); plan 29 Jun 2023 (one day too old); Werkleerroute (DWT) running since May 2024.
- c9, team B, Zorgen: no progress or ambition conversation, so due Jul 2023: late; coaching 31 Mar
  2024 (a day before the window), absent from a meeting: inactive.
- c10, team B, Matchen and on benefit since 1 May 2024: no plan; Begeleide vrijwilligersplaats
  (KonnecteD) from 15 Jun 2024, running.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import PolicySettings
from clients import services as client_services
from clients.models import (
    Attendance,
    ClientGroup,
    ConversationKind,
    LadderStep,
    OutflowReason,
)
from clients.plans.selectors import plan_status
from clients.workqueue.selectors import client_due_dates
from instruments import services as instrument_services
from instruments.models import (
    Budget,
    BudgetLine,
    EarlyEndReason,
    Instrument,
    InstrumentCategory,
    Provider,
    TrajectoryStatus,
)
from monitoring.indicators import REGISTRY, Figure, Scope, Theme
from monitoring.indicators.base import is_small_cell
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
from tests.instruments.factories import (
    AllocationFactory,
    BudgetFactory,
    InstrumentFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Every factory conversation, plan and traject makes a user: hash their passwords fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


Q2 = Period.quarter(2024, 2)
SINCE = datetime.date(2023, 1, 1)
THEMES = (Theme.DEVELOPMENT, Theme.KNOW_OUR_CLIENTS, Theme.INSTRUMENTS, Theme.BUDGET)
CODES = [code for code, indicator in REGISTRY.items() if indicator.theme in THEMES]


def d(year, month, day):
    return datetime.date(year, month, day)


def group(code):
    return ClientGroup.objects.get(code=code)


def step(number):
    return LadderStep.objects.get(number=number)


def compute(code, scope=None, period=Q2):
    return REGISTRY[code].compute(period, scope or Scope())


def rows(figure: Figure):
    return {row.label: (row.value, row.people) for row in figure.rows}


def per_group(matchen, groeien, faciliteren, zorgen):
    """The rows of a figure per klantgroep: (value, people) each."""
    return {"Matchen": matchen, "Groeien": groeien, "Faciliteren": faciliteren, "Zorgen": zorgen}


NOBODY = (None, 0)  # a share of nobody
NONE = (0, 0)  # a count of nobody


# --- The population --------------------------------------------------------------------------


BORN = d(1980, 1, 1)


def on_benefit(team, group_code, *, since=SINCE, benefit_end=None):
    client = ClientFactory(team=team, date_of_birth=BORN)
    BenefitPeriodFactory(
        client=client,
        start_date=since,
        end_date=benefit_end,
        end_reason=OutflowReason.WORK if benefit_end else "",
    )
    ClientGroupAssignmentFactory(client=client, group=group(group_code), start_date=since)
    return client


def measured(client, on, now, target):
    LadderMeasurementFactory(
        client=client, measured_on=on, step=step(now), target_step=step(target)
    )


def held(client, kind, on, *, completed=True):
    ConversationFactory(client=client, kind=kind, held_on=on, completed=completed)


def traject(client, instrument, provider, group_code, start, planned_end, **ended):
    return TrajectoryFactory(
        client=client,
        instrument=Instrument.objects.get(name=instrument),
        provider=Provider.objects.get(name=provider),
        client_group=group(group_code),
        start_date=start,
        planned_end_date=planned_end,
        **ended,
    )


WERKLEERROUTE = "Werkleerroute"
STAGE = "Stage / snuffelstage"
GUIDED_VOLUNTEER = "Begeleide vrijwilligersplaats"
VOLUNTEER = "Vrijwilligerswerk / sociale activering / tegenprestatie"
SW, DWT, KONNECTED = "SW-bedrijf", "Deventer Werktalent (DWT)", "KonnecteD"


@pytest.fixture
def population(team_a, team_b):
    PolicySettings.load()  # the defaults, created before any query is counted
    progress, ambition, coaching = (
        ConversationKind.PROGRESS,
        ConversationKind.AMBITION,
        ConversationKind.COACHING,
    )
    c1 = on_benefit(team_a, "groeien")
    measured(c1, d(2023, 3, 1), 2, 4)
    measured(c1, d(2024, 5, 1), 3, 4)
    held(c1, progress, d(2023, 9, 1))
    PlanFactory(client=c1, drawn_up_on=d(2022, 9, 1))
    PlanFactory(client=c1, drawn_up_on=d(2023, 9, 1))
    traject(c1, WERKLEERROUTE, SW, "groeien", d(2024, 1, 15), d(2024, 12, 31))

    c2 = on_benefit(team_a, "groeien")
    measured(c2, d(2023, 1, 15), 3, 5)
    measured(c2, d(2024, 3, 1), 3, 5)
    held(c2, progress, d(2023, 5, 1))
    held(c2, progress, d(2024, 5, 1), completed=False)  # a draft: neither held nor activity
    PlanFactory(client=c2, drawn_up_on=d(2023, 3, 1))
    traject(
        c2,
        VOLUNTEER,
        KONNECTED,
        "groeien",
        d(2023, 10, 1),
        d(2024, 3, 31),
        status=TrajectoryStatus.SUCCEEDED,
        end_date=d(2024, 3, 31),
    )

    c3 = on_benefit(team_a, "matchen")
    measured(c3, d(2023, 2, 1), 4, 4)
    measured(c3, d(2024, 4, 10), 5, 6)
    PlanFactory(client=c3, drawn_up_on=d(2024, 2, 1))
    held(c3, coaching, d(2024, 4, 20))
    traject(
        c3,
        STAGE,
        DWT,
        "matchen",
        d(2024, 4, 1),
        d(2024, 6, 30),
        status=TrajectoryStatus.CONVERTED_TO_WORK,
        end_date=d(2024, 5, 31),
    )

    c4 = on_benefit(team_a, "faciliteren")
    measured(c4, d(2023, 6, 30), 1, 3)
    measured(c4, d(2024, 3, 15), 3, 3)
    held(c4, progress, d(2024, 1, 10))
    meeting = MeetingFactory(team=team_a, date=d(2024, 5, 15))
    InvitationFactory(meeting=meeting, client=c4, attendance=Attendance.PRESENT)

    c5 = on_benefit(team_a, "zorgen")
    held(c5, ambition, d(2024, 2, 1))
    traject(c5, VOLUNTEER, KONNECTED, "zorgen", d(2024, 1, 1), d(2024, 12, 31))

    c6 = on_benefit(team_a, "groeien")
    client_services.assign_client_group(
        client=c6, group=group("faciliteren"), start_date=d(2024, 5, 1)
    )
    measured(c6, d(2023, 5, 1), 2, 3)
    measured(c6, d(2024, 6, 1), 2, 3)
    held(c6, progress, d(2024, 3, 1))
    traject(
        c6,
        STAGE,
        DWT,
        "groeien",
        d(2024, 2, 1),
        d(2024, 4, 30),
        status=TrajectoryStatus.ENDED_EARLY,
        early_end_reason=EarlyEndReason.DROPPED_OUT,
        end_date=d(2024, 4, 15),
    )

    c7 = on_benefit(team_a, "groeien", benefit_end=d(2024, 5, 31))
    measured(c7, d(2023, 1, 1), 2, 5)
    measured(c7, d(2024, 5, 1), 5, 5)
    traject(
        c7,
        WERKLEERROUTE,
        SW,
        "groeien",
        d(2023, 9, 1),
        d(2024, 4, 30),
        status=TrajectoryStatus.SUCCEEDED,
        end_date=d(2024, 4, 30),
    )

    c8 = on_benefit(team_b, "groeien")
    measured(c8, d(2023, 4, 1), 2, 3)
    measured(c8, d(2024, 4, 1), 3, 3)
    held(c8, progress, d(2023, 8, 1))
    PlanFactory(client=c8, drawn_up_on=d(2023, 6, 29))
    traject(c8, WERKLEERROUTE, DWT, "groeien", d(2024, 5, 1), d(2024, 10, 31))

    c9 = on_benefit(team_b, "zorgen")
    held(c9, coaching, d(2024, 3, 31))
    meeting_b = MeetingFactory(team=team_b, date=d(2024, 5, 15))
    InvitationFactory(meeting=meeting_b, client=c9, attendance=Attendance.ABSENT_WITHOUT_NOTICE)

    c10 = on_benefit(team_b, "matchen", since=d(2024, 5, 1))
    traject(c10, GUIDED_VOLUNTEER, KONNECTED, "matchen", d(2024, 6, 15), d(2024, 9, 30))

    return SimpleNamespace(
        c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, c6=c6, c7=c7, c8=c8, c9=c9, c10=c10, team_a=team_a
    )


# --- Development ------------------------------------------------------------------------------


def test_ladder_share_of_clients_with_potential_who_climbed(population):
    # Window start: 30 June 2023. Potential (on benefit on D, target above the step then):
    # c1 (2→4), c2 (3→5), c4 (1→3, measured on the window's first day), c6 (2→3), c8 (2→3).
    # Not: c3 (4→4), c5/c9/c10 (no measurement by then), c7 (off benefit).
    # Climbed (newest step by D above the step then): c1 (3 > 2), c4 (3 > 1), c8 (3 > 2).
    # 3 / 5 = 60.0%. Groeien c1, c2, c8: 2 / 3 = 66.7%; Faciliteren c4, c6: 1 / 2 = 50.0%.
    figure = compute("ladder_climbed")
    assert (figure.value, figure.people) == (Decimal("60.0"), 5)
    assert rows(figure) == per_group(NOBODY, (Decimal("66.7"), 3), (Decimal("50.0"), 2), NOBODY)


# --- Know our clients -------------------------------------------------------------------------


def test_progress_conversations_on_time(population):
    # Groups with a rhythm on D: c1, c2, c8 (Groeien, 1 a year), c4, c6 (Faciliteren, 2),
    # c5, c9 (Zorgen, 2): 7. Due dates: c1 1 Sep 2023 + 1 year = 1 Sep 2024 (on time);
    # c2 1 May 2023 + 1 year = 1 May 2024 < D (late; the May 2024 draft does not count);
    # c8 1 Aug 2024 (on time); c4 10 Jan 2024 + 6 months = 10 Jul 2024 (on time);
    # c6 max(1 Mar 2024, move 1 May 2024) + 6 months = 1 Nov 2024 (on time);
    # c5 ambition 1 Feb 2024 + 6 months = 1 Aug 2024 (on time);
    # c9 no conversation: group start 1 Jan 2023 + 6 months = 1 Jul 2023 (late).
    # 5 / 7 = 71.4%. Groeien 2 / 3 = 66.7%, Faciliteren 2 / 2 = 100%, Zorgen 1 / 2 = 50%.
    figure = compute("progress_conversations_on_time")
    assert (figure.value, figure.people) == (Decimal("71.4"), 7)
    assert rows(figure) == per_group(
        NOBODY, (Decimal("66.7"), 3), (Decimal("100.0"), 2), (Decimal("50.0"), 2)
    )


def test_share_with_a_current_plan(population):
    # The dossier's plan rule on D: a plan is required up to age 27 or in a klantgroep that
    # requires one. Groups: c1, c2, c8 (Groeien), c3, c10 (Matchen) (c6 moved to Faciliteren).
    # Current: drawn up from 30 June 2023 up to D. c1 (1 Sep 2023, the newest of two) and c3
    # (1 Feb 2024) are; c2 (1 Mar 2023) and c8 (29 Jun 2023) are too old; c10 has none.
    # 2 / 5 = 40.0%. Matchen 1 / 2 = 50.0%, Groeien 1 / 3 = 33.3%.
    figure = compute("current_plan")
    assert (figure.value, figure.people) == (Decimal("40.0"), 5)
    assert rows(figure) == per_group((Decimal("50.0"), 2), (Decimal("33.3"), 3), NOBODY, NOBODY)


def test_a_plan_is_also_required_by_age(population):
    # c4 (Faciliteren) 27 on D, with a plan of Jan 2024: required and current. c5 (Zorgen) turns
    # 28 on 1 July, the day after D: still 27 on D, required, no plan. c9 (Zorgen) turned 28 on
    # D: not required. 3 / 7 = 42.9%. Faciliteren 1 / 1 = 100.0%, Zorgen 0 / 1 = 0.0%.
    population.c4.date_of_birth = d(1997, 1, 1)
    population.c5.date_of_birth = d(1996, 7, 1)
    population.c9.date_of_birth = d(1996, 6, 30)
    for young in (population.c4, population.c5, population.c9):
        young.save(update_fields=["date_of_birth"])
    PlanFactory(client=population.c4, drawn_up_on=d(2024, 1, 15))
    figure = compute("current_plan")
    assert (figure.value, figure.people) == (Decimal("42.9"), 7)
    assert rows(figure) == per_group(
        (Decimal("50.0"), 2), (Decimal("33.3"), 3), (Decimal("100.0"), 1), (Decimal("0.0"), 1)
    )
    # The dossier says the same on D.
    required = {
        name: plan_status(getattr(population, name), on=Q2.end).required_by_age
        for name in ("c4", "c5", "c9")
    }
    assert required == {"c4": True, "c5": True, "c9": False}


def test_clients_without_activity(population):
    # Activity from 1 April to D. c1 ladder May; c3 coaching and Stage; c4 present at a meeting;
    # c5 volunteer traject running; c6 new group in May; c8 ladder on 1 April; c10 benefit
    # start in May. c2: last ladder 1 Mar, a draft conversation, its traject ended 31 Mar;
    # c9: coaching 31 Mar, absent from the meeting. Inactive: c2 (Groeien), c9 (Zorgen) = 2.
    figure = compute("inactive_clients")
    assert (figure.value, figure.people) == (2, 2)
    assert rows(figure) == per_group(NONE, (1, 1), NONE, (1, 1))


def test_the_work_queue_signals_the_same_clients_but_for_a_traject(population):
    # The work queue's rule on D (inactive when 90 days after the last activity is before D):
    # c2 and c9 as above, and c5, whose only activity is a running traject, which the work queue
    # does not see. c4's only activity, attendance at a meeting, counts in both.
    policy = PolicySettings.load()
    signalled = set()
    for name in ("c1", "c2", "c3", "c4", "c5", "c6", "c8", "c9", "c10"):
        dates = client_due_dates(getattr(population, name), today=Q2.end, policy=policy)
        if dates.inactive.is_overdue:
            signalled.add(name)
    assert signalled == {"c2", "c5", "c9"}
    assert compute("inactive_clients").value == 2  # c2, c9


# --- Instruments ------------------------------------------------------------------------------


def test_trajectories_started_and_ended(population):
    # Started 1 April to D: c3's Stage (1 Apr), c8's Werkleerroute (1 May), c10's Begeleide
    # vrijwilligersplaats (15 Jun) = 3. Ended in the period: c3's Stage (31 May, converted),
    # c6's Stage (15 Apr, ended early), c7's Werkleerroute (30 Apr, succeeded) = 3; c2's
    # traject ended on 31 March, before the period.
    started = compute("trajectories_started")
    assert (started.value, started.people) == (3, 3)
    assert rows(started) == {GUIDED_VOLUNTEER: (1, 1), STAGE: (1, 1), WERKLEERROUTE: (1, 1)}
    ended = compute("trajectories_ended")
    assert (ended.value, ended.people) == (3, 3)
    assert rows(ended) == {
        str(TrajectoryStatus.CONVERTED_TO_WORK.label): (1, 1),
        str(TrajectoryStatus.ENDED_EARLY.label): (1, 1),
        str(TrajectoryStatus.SUCCEEDED.label): (1, 1),
    }


def test_success_rate_per_instrument_and_per_provider(population):
    # Of the 3 ended: succeeded c7, converted c3; ended early c6. 2 / 3 = 66.7%.
    # Stage: c3 yes, c6 no = 50.0%; Werkleerroute: c7 = 100%.
    # DWT (both Stages) 50.0%; SW-bedrijf (c7's Werkleerroute) 100%.
    by_instrument = compute("trajectory_success_by_instrument")
    assert (by_instrument.value, by_instrument.people) == (Decimal("66.7"), 3)
    assert rows(by_instrument) == {
        STAGE: (Decimal("50.0"), 2),
        WERKLEERROUTE: (Decimal("100.0"), 1),
    }
    by_provider = compute("trajectory_success_by_provider")
    assert by_provider.value == Decimal("66.7")
    assert rows(by_provider) == {DWT: (Decimal("50.0"), 2), SW: (Decimal("100.0"), 1)}


def test_clients_in_trajectories_werkleerroutes_and_volunteers(population):
    # Running on D: c1 and c8 (Werkleerroute, category werkleerroute), c5 (volunteer work) and
    # c10 (Begeleide vrijwilligersplaats), both category volunteer work. c3's Stage ended 31 May,
    # c7's route 30 April, c2's volunteer traject 31 March.
    running = compute("clients_in_trajectories")
    assert (running.value, running.people) == (4, 4)
    assert rows(running) == {
        str(InstrumentCategory.VOLUNTEERING.label): (2, 2),
        str(InstrumentCategory.WORK_LEARNING.label): (2, 2),
    }
    routes = compute("work_learning_routes")
    assert (routes.value, routes.people) == (2, 2)
    assert rows(routes) == per_group(NONE, (2, 2), NONE, NONE)
    volunteers = compute("volunteers")
    assert (volunteers.value, volunteers.people) == (2, 2)
    assert rows(volunteers) == per_group((1, 1), NONE, NONE, (1, 1))


# --- Scope ------------------------------------------------------------------------------------


def test_the_team_filter(population, team_a, team_b):
    # Team A: c1-c7; team B: c8-c10 (see each test above for the arithmetic).
    expected = {
        # A: c1, c4 of c1, c2, c4, c6 = 2 / 4; B: c8 = 1 / 1.
        "ladder_climbed": ((Decimal("50.0"), 4), (Decimal("100.0"), 1)),
        # A: c1, c4, c5, c6 of c1, c2, c4, c5, c6 = 4 / 5; B: c8 of c8, c9 = 1 / 2.
        "progress_conversations_on_time": ((Decimal("80.0"), 5), (Decimal("50.0"), 2)),
        # A: c1, c3 of c1, c2, c3 = 2 / 3; B: none of c8, c10.
        "current_plan": ((Decimal("66.7"), 3), (Decimal("0.0"), 2)),
        "inactive_clients": ((1, 1), (1, 1)),  # c2; c9
        "trajectories_started": ((1, 1), (2, 2)),  # c3; c8, c10
        "trajectories_ended": ((3, 3), (0, 0)),  # c3, c6, c7; none
        "trajectory_success_by_instrument": ((Decimal("66.7"), 3), (None, 0)),
        "clients_in_trajectories": ((2, 2), (2, 2)),  # c1, c5; c8, c10
        "work_learning_routes": ((1, 1), (1, 1)),  # c1; c8
        "volunteers": ((1, 1), (1, 1)),  # c5; c10
    }
    for code, (in_a, in_b) in expected.items():
        a = compute(code, Scope(team=team_a))
        b = compute(code, Scope(team=team_b))
        assert ((a.value, a.people), (b.value, b.people)) == (in_a, in_b), code


def test_the_klantgroep_filter(population):
    groeien = group("groeien")
    expected = {
        "ladder_climbed": (Decimal("66.7"), 3),  # c1, c8 of c1, c2, c8
        "progress_conversations_on_time": (Decimal("66.7"), 3),  # c1, c8 of c1, c2, c8
        "current_plan": (Decimal("33.3"), 3),  # c1 of c1, c2, c8
        "inactive_clients": (1, 1),  # c2
        # Trajecten by the klantgroep at their start: c8's route started (c3's and c10's were
        # Matchen); c6's Stage and c7's route ended, c7's succeeded: 1 / 2.
        "trajectories_started": (1, 1),
        "trajectories_ended": (2, 2),
        "trajectory_success_by_instrument": (Decimal("50.0"), 2),
        "clients_in_trajectories": (2, 2),  # c1, c8 (Groeien on D)
        "work_learning_routes": (2, 2),
        "volunteers": (0, 0),
    }
    for code, value in expected.items():
        figure = compute(code, Scope(group=groeien))
        assert (figure.value, figure.people) == value, code
    # Figures per klantgroep show only the filtered group's row.
    assert rows(compute("ladder_climbed", Scope(group=groeien))) == {
        "Groeien": (Decimal("66.7"), 3)
    }


# --- Budget -----------------------------------------------------------------------------------


@pytest.fixture
def budgets(team_a):
    """Budgets for 2024 and four trajecten with their commitments (instruments.services):

    | traject | klantgroep | line | months | cost | in 2024 | realised Jan-Jun 2024 |
    | --- | --- | --- | --- | --- | --- | --- |
    | b0 | Groeien | Participatie | Nov 2023-Feb 2024 | 400 (100 a month) | 200 | 200 |
    | b1 | Groeien | BUIG | Jan-Dec 2024 | 12,000 (1,000 a month) | 12,000 | 6,000 |
    | b2 | Faciliteren | Participatie | Mar-Aug 2024 | 600 (100 a month) | 600 | 400 |
    | b3 | none | Participatie | Jun-Jul 2024 | 300 (150 a month) | 300 | 150 |
    """
    PolicySettings.load()
    Budget.objects.filter(year=2024).delete()  # whatever the migration loaded for the year
    participatie = BudgetLine.objects.get(code="participatie")
    buig = BudgetLine.objects.get(code="buig")
    BudgetFactory(line=buig, year=2024, amount=Decimal("24000.00"))
    budget = BudgetFactory(line=participatie, year=2024, amount=Decimal("100000.00"))
    for group_code, organisation, amount in [
        ("groeien", "DWT", "40000.00"),
        ("groeien", "IO", "5000.00"),
        ("faciliteren", "IO", "10000.00"),
        (None, "DWT", "5000.00"),
    ]:
        AllocationFactory(
            budget=budget,
            client_group=group(group_code) if group_code else None,
            organisation=organisation,
            amount=Decimal(amount),
        )
    consultant = UserFactory(team=team_a)
    on_participatie = InstrumentFactory(budget_line=participatie)
    on_buig = InstrumentFactory(budget_line=buig)
    in_groeien = on_benefit(team_a, "groeien")
    in_faciliteren = on_benefit(team_a, "faciliteren")
    without_group = ClientFactory(team=team_a)

    def start(client, instrument, start, end, cost):
        return instrument_services.start_trajectory(
            client=client,
            instrument=instrument,
            start_date=start,
            planned_end_date=end,
            cost=Decimal(cost),
            started_by=consultant,
        )

    start(in_groeien, on_participatie, d(2023, 11, 1), d(2024, 2, 29), "400.00")
    start(in_groeien, on_buig, d(2024, 1, 1), d(2024, 12, 31), "12000.00")
    b2 = start(in_faciliteren, on_participatie, d(2024, 3, 1), d(2024, 8, 31), "600.00")
    start(without_group, on_participatie, d(2024, 6, 1), d(2024, 7, 31), "300.00")
    return SimpleNamespace(
        consultant=consultant,
        participatie=participatie,
        on_participatie=on_participatie,
        in_groeien=in_groeien,
        b2=b2,
    )


def euros(*amounts):
    return tuple(Decimal(amount) for amount in amounts)


def test_budget_per_line(budgets):
    # Participatie: committed 200 + 600 + 300 = 1,100; realised 200 + 400 + 150 = 750;
    # forecast 750 / 6 months x 12 = 1,500. BUIG: 12,000; 6,000; 6,000 / 6 x 12 = 12,000.
    # The other lines have no budget for 2024 and no commitments.
    # Totals: budget 124,000; committed 13,100; realised 6,750; forecast 13,500.
    expected = {
        "budget_available_by_line": ("124000.00", "100000.00", "24000.00"),
        "budget_committed_by_line": ("13100.00", "1100.00", "12000.00"),
        "budget_realised_by_line": ("6750.00", "750.00", "6000.00"),
        "budget_forecast_by_line": ("13500.00", "1500.00", "12000.00"),
    }
    for code, (total, participatie, buig) in expected.items():
        figure = compute(code)
        values = {label: value for label, (value, _people) in rows(figure).items()}
        assert figure.value == Decimal(total), code
        assert values.pop("Participatiebudget") == Decimal(participatie), code
        assert values.pop("Uitkeringen (BUIG)") == Decimal(buig), code
        assert set(values.values()) == {Decimal("0.00")}, code
    # The budgets are not about people; the amounts spent are about the clients of the
    # trajecten: Participatie in_groeien, in_faciliteren and without_group, BUIG in_groeien.
    budget = compute("budget_available_by_line")
    assert budget.people is None
    assert {people for _value, people in rows(budget).values()} == {None}
    for code in ("budget_committed_by_line", "budget_realised_by_line", "budget_forecast_by_line"):
        figure = compute(code)
        people = {label: people for label, (_value, people) in rows(figure).items()}
        assert figure.people == 3, code
        assert people.pop("Participatiebudget") == 3, code
        assert people.pop("Uitkeringen (BUIG)") == 1, code
        assert set(people.values()) == {0}, code


def test_budget_per_klantgroep(budgets):
    # Groeien: allocated 40,000 + 5,000; committed 200 + 12,000 = 12,200; realised 200 + 6,000
    # = 6,200; forecast 6,200 / 6 x 12 = 12,400. Faciliteren: 10,000; 600; 400; 800.
    # Intake and without a group: 5,000; 300; 150; 300. Matchen and Zorgen: nothing.
    expected = {
        "budget_allocated_by_group": ("60000.00", "45000.00", "10000.00", "5000.00"),
        "budget_committed_by_group": ("13100.00", "12200.00", "600.00", "300.00"),
        "budget_realised_by_group": ("6750.00", "6200.00", "400.00", "150.00"),
        "budget_forecast_by_group": ("13500.00", "12400.00", "800.00", "300.00"),
    }
    for code, (total, groeien, faciliteren, without) in expected.items():
        figure = compute(code)
        values = [value for value, _people in rows(figure).values()]
        assert figure.value == Decimal(total), code
        assert values == [Decimal(v) for v in ("0.00", groeien, faciliteren, "0.00", without)]
        only = compute(code, Scope(group=group("groeien")))
        assert (only.value, len(only.rows)) == (Decimal(groeien), 1), code
    # An allocation is not about people. What is spent is: each klantgroep's amounts here are
    # one client's trajecten (in_groeien's two count once), so they are small cells.
    allocated = compute("budget_allocated_by_group")
    assert allocated.people is None
    assert {people for _value, people in rows(allocated).values()} == {None}
    for code in ("budget_committed_by_group", "budget_realised_by_group"):
        figure = compute(code)
        assert figure.people == 3, code
        assert [people for _value, people in rows(figure).values()] == [0, 1, 1, 0, 1], code
        only = compute(code, Scope(group=group("groeien")))
        assert only.people == 1, code
        assert is_small_cell(only.rows[0].people)


def test_buig_spending_against_its_budget(budgets):
    # BUIG 2024: budget 24,000; committed 12,000 (50.0%); realised 6,000 (25.0%); forecast
    # 12,000 (50.0%).
    spending = compute("budget_buig")
    assert spending.value == Decimal("6000.00")
    assert [row.value for row in spending.rows] == list(
        euros("24000.00", "12000.00", "6000.00", "12000.00")
    )
    against = compute("budget_buig_share")
    assert against.value == Decimal("25.0")
    assert [row.value for row in against.rows] == list(euros("50.0", "25.0", "50.0"))
    # One client's loonkostensubsidie: about one person, except the budget itself.
    assert spending.people == against.people == 1
    assert [row.people for row in spending.rows] == [None, 1, 1, 1]


def test_budget_figures_ignore_the_team(budgets, team_b):
    for code in CODES:
        if REGISTRY[code].theme == Theme.BUDGET:
            assert not REGISTRY[code].by_team
            assert compute(code, Scope(team=team_b)) == compute(code), code


# --- Reproducibility and query counts ----------------------------------------------------------


def all_figures(scopes):
    return {
        (code, period, scope): compute(code, scope, period)
        for code in CODES
        for scope in scopes
        for period in (Q2, Period.quarter(2024, 1))
    }


def test_later_data_does_not_change_a_past_period(population, budgets, team_a):
    scopes = [Scope(), Scope(team=team_a), Scope(group=group("groeien"))]
    before = all_figures(scopes)
    p = population
    # After 30 June 2024: a climb, conversations, a plan, attendance, a move, new and ended
    # trajecten (ended on their planned end, so no commitment is released), a new client and
    # a new traject in the same budget year.
    measured(p.c2, d(2024, 8, 1), 4, 5)
    held(p.c2, ConversationKind.PROGRESS, d(2024, 7, 15))
    held(p.c9, ConversationKind.COACHING, d(2024, 7, 1))
    PlanFactory(client=p.c2, drawn_up_on=d(2024, 7, 1))
    meeting = MeetingFactory(team=team_a, date=d(2024, 7, 20))
    InvitationFactory(meeting=meeting, client=p.c2, attendance=Attendance.PRESENT)
    client_services.assign_client_group(
        client=p.c6, group=group("zorgen"), start_date=d(2024, 8, 1)
    )
    instrument_services.end_trajectory(
        trajectory=p.c8.trajectories.get(),
        status=TrajectoryStatus.SUCCEEDED,
        end_date=d(2024, 10, 31),
    )
    instrument_services.end_trajectory(
        trajectory=budgets.b2, status=TrajectoryStatus.SUCCEEDED, end_date=d(2024, 8, 31)
    )
    newcomer = on_benefit(team_a, "groeien", since=d(2024, 7, 1))
    measured(newcomer, d(2024, 7, 1), 1, 3)
    instrument_services.start_trajectory(
        client=budgets.in_groeien,
        instrument=budgets.on_participatie,
        start_date=d(2024, 7, 1),
        planned_end_date=d(2024, 9, 30),
        cost=Decimal("900.00"),
        started_by=budgets.consultant,
    )
    traject(p.c9, STAGE, DWT, "zorgen", d(2024, 7, 10), d(2024, 9, 30))
    assert all_figures(scopes) == before


# Queries per indicator, whatever the number of clients: a grouped query and the groups' names
# (clients per klantgroep), one more for the policy settings; two for trajecten; the budget
# page's seven, one more for the BUIG line's name.
QUERIES = {
    "ladder_climbed": 2,
    "progress_conversations_on_time": 2,
    "current_plan": 3,
    "inactive_clients": 3,
    "trajectories_started": 2,
    "trajectories_ended": 2,
    "trajectory_success_by_instrument": 2,
    "trajectory_success_by_provider": 2,
    "clients_in_trajectories": 2,
    "work_learning_routes": 2,
    "volunteers": 2,
    "budget_buig": 8,
    "budget_buig_share": 8,
}


def count_queries(code, scope):
    with CaptureQueriesContext(connection) as queries:
        compute(code, scope)
    return len(queries)


def test_query_counts_do_not_depend_on_the_population(
    population, budgets, team_a, django_assert_max_num_queries
):
    assert set(QUERIES) | {c for c in CODES if c.startswith("budget_")} == set(CODES)
    scopes = [Scope(), Scope(team=team_a), Scope(group=group("groeien"))]
    small = {(code, scope): count_queries(code, scope) for code in CODES for scope in scopes}
    # As many again: ten more clients with histories and trajecten, in both teams.
    for i in range(10):
        client = on_benefit(team_a, ("groeien", "zorgen")[i % 2])
        measured(client, d(2023, 2, 1), 2, 4)
        held(client, ConversationKind.PROGRESS, d(2024, 1, 1))
        PlanFactory(client=client, drawn_up_on=d(2024, 1, 1))
        traject(client, WERKLEERROUTE, SW, "groeien", d(2024, 4, 1), d(2024, 9, 30))
    for code in CODES:
        for scope in scopes:
            with django_assert_max_num_queries(QUERIES.get(code, 7)):
                compute(code, scope)
            assert count_queries(code, scope) == small[code, scope], code
