"""The indicators of the themes caseload and client_groups against a small known population, with
every figure computed by hand for the second quarter of 2023 (1 April to 30 June)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from casework.models import PolicySettings
from clients.models import ClientGroup, OutflowReason
from clients.services import assign_client_group, end_benefit, start_benefit
from instruments import employer_selectors, placements
from instruments.models import ContractType, Placement
from monitoring.indicators import REGISTRY, Figure, Row, Scope, Theme
from monitoring.indicators.base import shared_reads
from monitoring.periods import Period
from tests.clients.factories import BenefitPeriodFactory, ClientFactory
from tests.instruments.factories import EmployerFactory

pytestmark = pytest.mark.django_db

Q2 = Period.quarter(2023, 2)
OUR_THEMES = (Theme.CASELOAD, Theme.CLIENT_GROUPS)


def d(text):
    return datetime.date.fromisoformat(text)


def compute(code, period=Q2, scope=None):
    return REGISTRY[code].compute(period, scope or Scope())


def rows(figure):
    return [(row.label, row.value, row.people) for row in figure.rows]


def groups():
    return {group.code: group for group in ClientGroup.objects.all()}


def person(team, benefits, moves=()):
    """A client with benefit periods (start, end, reason) and klantgroep assignments (start,
    group code), recorded through the services so each move ends the previous assignment."""
    client = ClientFactory(team=team)
    for start, end, reason in benefits:
        BenefitPeriodFactory(
            client=client, start_date=d(start), end_date=end and d(end), end_reason=reason
        )
    for start, code in moves:
        assign_client_group(client=client, group=groups()[code], start_date=d(start))
    return client


@pytest.fixture
def population(team_a, team_b):
    """Fifteen clients; the comments say what each contributes to the second quarter of 2023."""
    a, b = team_a, team_b
    return {
        # On benefit throughout, Zorgen; a renewed Zorgen assignment on 1 June is no move.
        "c1": person(
            a, [("2020-01-01", None, "")], [("2020-02-01", "zorgen"), ("2023-06-01", "zorgen")]
        ),
        # Groeien → Matchen on 10 May.
        "c2": person(
            a, [("2021-06-01", None, "")], [("2021-06-15", "groeien"), ("2023-05-10", "matchen")]
        ),
        # Faciliteren → Zorgen on 20 April: Zorgen at the end, not at the start.
        "c3": person(
            a, [("2022-03-01", None, "")], [("2022-03-10", "faciliteren"), ("2023-04-20", "zorgen")]
        ),
        # Inflow on 15 April, Groeien from the start day (a first group, no move).
        "c4": person(b, [("2023-04-15", None, "")], [("2023-04-15", "groeien")]),
        # Inflow on 1 May without a group yet; Matchen given on 20 May, within the quarter.
        "c5": person(b, [("2023-05-01", None, "")], [("2023-05-20", "matchen")]),
        # Inflow on 10 June, never given a group.
        "c6": person(a, [("2023-06-10", None, "")]),
        # Matchen → Groeien → Matchen, then outflow to work on 31 May, in Matchen.
        "c7": person(
            a,
            [("2022-01-01", "2023-05-31", "work")],
            [("2022-01-10", "matchen"), ("2023-04-10", "groeien"), ("2023-05-15", "matchen")],
        ),
        # Outflow (moved away) on the quarter's last day, in Zorgen: not in the final bestand.
        "c8": person(b, [("2019-05-01", "2023-06-30", "moved")], [("2019-06-01", "zorgen")]),
        # Outflow to work on 10 April, in Groeien.
        "c9": person(b, [("2021-01-01", "2023-04-10", "work")], [("2021-02-01", "groeien")]),
        # Outflow to work on 30 November 2022 (durable cohort), back on 5 April 2023 (inflow,
        # still Groeien): within 6 months, so not durable.
        "c10": person(
            a,
            [("2022-01-01", "2022-11-30", "work"), ("2023-04-05", None, "")],
            [("2022-01-01", "groeien")],
        ),
        # Outflow to work on 15 October 2022 (durable cohort), never back: durable.
        "c11": person(b, [("2022-02-01", "2022-10-15", "work")], [("2022-02-01", "matchen")]),
        # Outflow (other) on 31 December 2022, the cohort's last day, back on 15 July 2023: after
        # the 6 months ending on 30 June, so durable.
        "c12": person(
            a,
            [("2021-03-01", "2022-12-31", "other"), ("2023-07-15", None, "")],
            [("2021-03-01", "faciliteren")],
        ),
        # Outflow to an own business on 15 November 2022, back on 15 May 2023, exactly 6 months
        # later: not durable. The return is inflow in Zorgen.
        "c13": person(
            b,
            [("2021-01-01", "2022-11-15", "own_business"), ("2023-05-15", None, "")],
            [("2021-01-01", "zorgen")],
        ),
        # Groeien → Faciliteren on 15 March, before the quarter: no move in it.
        "c14": person(
            b,
            [("2020-05-01", None, "")],
            [("2020-05-01", "groeien"), ("2023-03-15", "faciliteren")],
        ),
        # Outflow to work on 30 September 2022: one day before the durable cohort.
        "c15": person(a, [("2021-01-01", "2022-09-30", "work")], [("2021-01-01", "matchen")]),
    }


def without_group():
    return gettext("Without a client group")


def reason(value):
    return str(OutflowReason(value).label)


def test_bestand_at_the_quarters_end_per_klantgroep(population):
    figure = compute("caseload")
    # On benefit at the end of 30 June: c1 c2 c3 c4 c5 c6 c10 c13 c14 = 9 (c7 c8 c9 left in the
    # quarter, c8 on its last day; c11 c12 c15 left before; c12 returns only on 15 July).
    assert (figure.value, figure.people) == (9, 9)
    assert rows(figure) == [
        ("Matchen", 2, 2),  # c2 (moved in on 10 May), c5
        ("Groeien", 2, 2),  # c4, c10
        ("Faciliteren", 1, 1),  # c14
        ("Zorgen", 3, 3),  # c1, c3 (moved in on 20 April), c13
        (without_group(), 1, 1),  # c6
    ]


def test_bestand_balances_with_inflow_and_outflow(population):
    # At the end of 31 March: c1 c2 c3 c7 c8 c9 c14 = 7; then 7 + 5 inflow - 3 outflow = 9.
    assert compute("caseload", Q2.previous()).value == 7
    assert compute("inflow").value == 5
    assert compute("outflow").value == 3
    assert compute("caseload").value == 7 + 5 - 3


def test_inflow_per_klantgroep_on_the_start_day_or_the_first_given_in_the_period(population):
    figure = compute("inflow")
    # Started in the quarter: c4 (15 April), c5 (1 May), c6 (10 June), c10 (5 April), c13 (15 May).
    assert (figure.value, figure.people) == (5, 5)
    assert rows(figure) == [
        ("Matchen", 1, 1),  # c5: no group on 1 May, Matchen given on 20 May
        ("Groeien", 2, 2),  # c4 (from the start day), c10 (Groeien since 2022)
        ("Faciliteren", 0, 0),
        ("Zorgen", 1, 1),  # c13 (Zorgen since 2021)
        (without_group(), 1, 1),  # c6
    ]


def test_outflow_per_klantgroep_and_per_reason(population):
    figure = compute("outflow")
    # Ended in the quarter: c9 (10 April, work), c7 (31 May, work), c8 (30 June, moved away).
    assert (figure.value, figure.people) == (3, 3)
    assert rows(figure) == [
        ("Matchen", 1, 1),  # c7, back in Matchen since 15 May
        ("Groeien", 1, 1),  # c9
        ("Faciliteren", 0, 0),
        ("Zorgen", 1, 1),  # c8
    ]
    by_reason = compute("outflow_by_reason")
    assert (by_reason.value, by_reason.people) == (3, 3)
    assert rows(by_reason) == [
        (reason("work"), 2, 2),  # c7, c9
        (reason("own_business"), 0, 0),
        (reason("study"), 0, 0),
        (reason("moved"), 1, 1),  # c8
        (reason("other"), 0, 0),
    ]


def test_outflow_by_reason_counts_people_once(population, team_a):
    # A client who leaves for work twice in the quarter: two outflows, one person.
    person(
        team_a,
        [("2023-01-01", "2023-04-20", "work"), ("2023-05-01", "2023-06-15", "work")],
        [("2023-01-01", "matchen")],
    )
    by_reason = compute("outflow_by_reason")
    assert (by_reason.value, by_reason.people) == (5, 4)
    assert rows(by_reason)[0] == (reason("work"), 4, 3)  # c7, c9 and the newcomer twice
    assert compute("outflow").people == 4


def test_outflow_to_work_count_and_share(population):
    to_work = compute("outflow_to_work")
    assert (to_work.value, to_work.people) == (2, 2)  # c7, c9
    assert rows(to_work) == [
        ("Matchen", 1, 1),
        ("Groeien", 1, 1),
        ("Faciliteren", 0, 0),
        ("Zorgen", 0, 0),
    ]
    work_share = compute("outflow_to_work_share")
    # 2 of the 3 outflows: 100 * 2 / 3 = 66.7; people: the 3 who left.
    assert (work_share.value, work_share.people) == (Decimal("66.7"), 3)
    assert rows(work_share) == [
        ("Matchen", Decimal("100.0"), 1),  # 1 of 1
        ("Groeien", Decimal("100.0"), 1),  # 1 of 1
        ("Faciliteren", None, 0),  # nobody left
        ("Zorgen", Decimal("0.0"), 1),  # 0 of 1
    ]


def test_durable_outflow_is_the_cohort_six_months_earlier(population):
    figure = compute("durable_outflow")
    # Cohort: outflow from 1 October to 31 December 2022 (the quarter moved 6 months back):
    # c10 (back within 6 months), c11 (durable), c12 (durable), c13 (back after exactly 6
    # months); c15 left on 30 September. 2 of 4 = 50.0.
    assert (figure.value, figure.people) == (Decimal("50.0"), 4)
    assert rows(figure) == [
        (reason("work"), Decimal("50.0"), 2),  # c11 of c10 and c11
        (reason("own_business"), Decimal("0.0"), 1),  # c13
        (reason("study"), None, 0),
        (reason("moved"), None, 0),
        (reason("other"), Decimal("100.0"), 1),  # c12
    ]


def test_durable_outflow_follows_the_policy_setting(population):
    settings = PolicySettings.load()
    settings.durable_placement_months = 3
    settings.save()
    # Cohort of Q2: 1 January to 31 March 2023, when nobody left: a share of nobody.
    figure = compute("durable_outflow")
    assert (figure.value, figure.people) == (None, 0)
    # Cohort of Q3: Q2 itself (c7 c8 c9); none came back by 30 September: 3 of 3 = 100.0.
    figure = compute("durable_outflow", Period.quarter(2023, 3))
    assert (figure.value, figure.people) == (Decimal("100.0"), 3)


@pytest.mark.parametrize(("back_on", "durable"), [("2023-06-30", False), ("2023-07-01", True)])
def test_durable_outflow_and_a_durable_placement_share_the_boundary_day(
    team_a, consultant_a, back_on, durable
):
    """Off benefit from 1 January 2023 (the last day on benefit 31 December, the placement's
    start 1 January): the 6 months run to 30 June. Back on 30 June breaks it for both; back on
    1 July, the day durable_from, is after them for both."""
    client = ClientFactory(team=team_a)
    BenefitPeriodFactory(client=client, start_date=d("2021-01-01"))
    placement = placements.place_client(
        client=client,
        employer=EmployerFactory(),
        start_date=d("2023-01-01"),
        contract_type=ContractType.FIXED_TERM,
        hours_per_week=32,
        placed_by=consultant_a,
        ends_benefit=True,
    )
    assert client.benefit_periods.get().end_date == d("2022-12-31")
    BenefitPeriodFactory(client=client, start_date=d(back_on))
    months = PolicySettings.load().durable_placement_months
    annotated = employer_selectors.with_durability(
        Placement.objects.filter(pk=placement.pk), today=d("2023-07-01"), months=months
    ).get()
    assert annotated.durable_from == d("2023-07-01")
    assert annotated.is_durable is durable
    # Q2 2023's cohort is the outflow of Q4 2022, judged on 30 June.
    figure = compute("durable_outflow")
    assert (figure.value, figure.people) == (Decimal("100.0") if durable else Decimal("0.0"), 1)


def test_time_on_benefit_mean_and_median(population):
    # Days from the start of the current benefit up to and including 30 June 2023:
    # c1 1277, c2 760, c3 487, c4 77, c5 61, c6 21, c10 87, c13 47, c14 1156.
    # Mean: 3973 / 9 = 441.44 days / 30.4375 = 14.50 → 14.5. Median: the 5th of 9 sorted
    # (21 47 61 77 87 487 760 1156 1277) = 87 days / 30.4375 = 2.86 → 2.9.
    mean = compute("time_on_benefit_mean")
    assert (mean.value, mean.people) == (Decimal("14.5"), 9)
    assert rows(mean) == [
        ("Matchen", Decimal("13.5"), 2),  # (760 + 61) / 2 = 410.5 days = 13.49
        ("Groeien", Decimal("2.7"), 2),  # (77 + 87) / 2 = 82 days = 2.69
        ("Faciliteren", Decimal("38.0"), 1),  # 1156 days = 37.98
        ("Zorgen", Decimal("19.8"), 3),  # (1277 + 487 + 47) / 3 = 603.67 days = 19.83
        (without_group(), Decimal("0.7"), 1),  # 21 days = 0.69
    ]
    median = compute("time_on_benefit_median")
    assert (median.value, median.people) == (Decimal("2.9"), 9)
    assert rows(median) == [
        ("Matchen", Decimal("13.5"), 2),  # between 61 and 760: 410.5 days
        ("Groeien", Decimal("2.7"), 2),  # between 77 and 87: 82 days
        ("Faciliteren", Decimal("38.0"), 1),
        ("Zorgen", Decimal("16.0"), 3),  # 47 487 1277: 487 days = 16.00
        (without_group(), Decimal("0.7"), 1),
    ]


def test_moves_between_klantgroepen_in_the_period(population):
    figure = compute("group_moves")
    # c7 Matchen → Groeien (10 April) → Matchen (15 May), c2 Groeien → Matchen (10 May),
    # c3 Faciliteren → Zorgen (20 April): 4 moves by 3 people. Not: c1 Zorgen → Zorgen,
    # first groups (c4, c5), c14's move in March.
    assert (figure.value, figure.people) == (4, 3)
    assert rows(figure) == [
        ("Matchen → Groeien", 1, 1),
        ("Groeien → Matchen", 2, 2),
        ("Faciliteren → Zorgen", 1, 1),
    ]


def test_growth_of_zorgen(population):
    growth = compute("zorgen_growth")
    # At the end of 31 March: c1, c8 = 2. At the end of 30 June: c1, c3, c13 = 3. 3 - 2 = +1.
    assert (growth.value, growth.people) == (1, 2)
    assert [row.value for row in growth.rows] == [2, 3]
    percent = compute("zorgen_growth_percent")
    assert (percent.value, percent.people) == (Decimal("50.0"), 2)  # 100 * 1 / 2


def test_growth_of_zorgen_without_a_zorgen_group(population):
    ClientGroup.objects.filter(code="zorgen").update(code="care")
    assert compute("zorgen_growth") == Figure(None)
    assert compute("zorgen_growth_percent") == Figure(None)


def test_a_teams_figures(population, team_a, team_b):
    in_a = Scope(team=team_a)
    # Team A: c1 c2 c3 c6 c7 c10 c12 c15.
    bestand = compute("caseload", scope=in_a)
    assert bestand.value == 5  # c1 c2 c3 c6 c10
    assert rows(bestand) == [
        ("Matchen", 1, 1),
        ("Groeien", 1, 1),
        ("Faciliteren", 0, 0),
        ("Zorgen", 2, 2),
        (without_group(), 1, 1),
    ]
    assert compute("inflow", scope=in_a).value == 2  # c6, c10
    assert compute("outflow", scope=in_a).value == 1  # c7
    assert compute("durable_outflow", scope=in_a).value == Decimal("50.0")  # c12 of c10, c12
    assert compute("group_moves", scope=in_a).value == 4  # all of them
    assert compute("group_moves", scope=Scope(team=team_b)).value == 0
    # Zorgen: c1 at the start, c1 and c3 at the end: +1, 100 * 1 / 1 = 100.0.
    assert compute("zorgen_growth", scope=in_a).value == 1
    assert compute("zorgen_growth_percent", scope=in_a).value == Decimal("100.0")
    # Team B: c4 c5 c13 c14 in the final bestand; 9 - 5 = 4.
    assert compute("caseload", scope=Scope(team=team_b)).value == 4


def test_one_klantgroeps_figures(population):
    group = groups()
    zorgen = Scope(group=group["zorgen"])
    bestand = compute("caseload", scope=zorgen)
    assert (bestand.value, rows(bestand)) == (3, [("Zorgen", 3, 3)])
    assert compute("inflow", scope=zorgen).value == 1  # c13
    assert compute("inflow", scope=Scope(group=group["groeien"])).value == 2  # c4, c10
    assert compute("outflow", scope=Scope(group=group["matchen"])).value == 1  # c7
    assert compute("time_on_benefit_mean", scope=zorgen).value == Decimal("19.8")
    # Moves out of or into Zorgen: c3 Faciliteren → Zorgen.
    moves = compute("group_moves", scope=zorgen)
    assert (moves.value, rows(moves)) == (1, [("Faciliteren → Zorgen", 1, 1)])
    # Durable outflow in Groeien on the day of outflow: c10 only, who came back.
    assert compute("durable_outflow", scope=Scope(group=group["groeien"])).value == Decimal("0.0")
    # The growth of Zorgen is about Zorgen whatever the filter.
    assert not REGISTRY["zorgen_growth"].by_group
    assert compute("zorgen_growth", scope=Scope(group=group["matchen"])).value == 1


def test_a_past_periods_figures_do_not_change_with_later_history(population, team_a):
    ours = [code for code, indicator in REGISTRY.items() if indicator.theme in OUR_THEMES]
    before = {code: compute(code) for code in ours}
    group = groups()
    # A new client whose whole history lies after the quarter, and later events of others.
    newcomer = person(
        team_a,
        [("2023-07-01", "2023-10-31", "work")],
        [("2023-07-01", "zorgen"), ("2023-09-01", "faciliteren")],
    )
    assign_client_group(client=population["c14"], group=group["zorgen"], start_date=d("2023-07-10"))
    end_benefit(
        period=population["c4"].benefit_periods.get(), end_date=d("2023-08-31"), reason="work"
    )
    start_benefit(client=population["c11"], scheme="pw", start_date=d("2023-07-03"))
    assert newcomer.benefit_periods.exists()
    assert {code: compute(code) for code in ours} == before


def test_the_groups_and_settings_are_read_once_per_batch(population, team_a):
    """The dashboard and the monitor compute every figure for many periods within
    shared_reads(): the klantgroepen and the policy settings are read once for all of them."""
    ours = [code for code, indicator in REGISTRY.items() if indicator.theme in OUR_THEMES]
    with shared_reads(), CaptureQueriesContext(connection) as queries:
        for period in (Q2, Q2.previous()):
            for code in ours:
                compute(code, period, Scope(team=team_a))
    selects = [query["sql"] for query in queries.captured_queries]
    assert sum(sql.startswith('SELECT "clients_clientgroup"."id"') for sql in selects) == 1
    assert sum('FROM "casework_policysettings"' in sql for sql in selects) == 1
    # Zorgen at the end of 31 December, 31 March and 30 June: each counted once for both
    # Zorgen figures of both quarters.
    assert sum(sql.startswith('SELECT COUNT(*) AS "__count"') for sql in selects) == 3


@pytest.mark.parametrize("code", sorted(c for c, i in REGISTRY.items() if i.theme in OUR_THEMES))
def test_each_figure_takes_a_constant_number_of_queries(
    population, team_a, code, django_assert_max_num_queries
):
    for scope in (Scope(), Scope(team=team_a, group=groups()["zorgen"])):
        with django_assert_max_num_queries(3):
            figure = compute(code, scope=scope)
        assert isinstance(figure, Figure)
        assert all(isinstance(row, Row) for row in figure.rows)
