import dataclasses
import datetime
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import Role
from clients.models import BenefitPeriod, ClientGroup, QueueSnapshot
from monitoring.charts import MINUS
from monitoring.dashboard_views import (
    CACHE_SECONDS,
    CURRENT_CACHE_SECONDS,
    Verdict,
    compute_figures,
    dashboard_periods,
    dashboard_sections,
)
from monitoring.indicators import REGISTRY, Scope
from monitoring.models import Target
from monitoring.periods import Period
from tests.casework.factories import TeamFactory, UserFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
)
from tests.monitoring.fake_indicators import CALLS, SHARES

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
# Q2 2025 up to today for a team leader on their own team (previous Q1 2025, last year Q2 2024);
# for everyone else the last quarter that has ended, Q1 2025 (previous Q4 2024, last year Q1 2024).
TODAY = datetime.date(2025, 5, 15)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(client, settings):
    """English pages (the msgids), whatever the Dutch translations say: the page follows the
    language cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# --- Test indicators ----------------------------------------------------------------------------


def on_benefit_from(team, start, end=None, *, count=1, group=None):
    for _ in range(count):
        benefit = BenefitPeriodFactory(
            client__team=team,
            start_date=start,
            end_date=end,
            end_reason="work" if end else "",
        )
        if group is not None:
            ClientGroupAssignmentFactory(
                client=benefit.client, group=ClientGroup.objects.get(code=group), start_date=start
            )


def view_of(sections, code):
    return next(
        item for section in sections for item in section.indicators if item.indicator.code == code
    )


# --- Figures, comparisons and suppression -------------------------------------------------------


@pytest.fixture
def population(team_a, team_b):
    """Team A: 9 on benefit at the end of Q2 2024, 6 at the end of Q1 2025, 8 today.
    Team B: 2 throughout."""
    on_benefit_from(team_a, datetime.date(2023, 1, 1), count=6, group="groeien")
    on_benefit_from(team_a, datetime.date(2024, 1, 1), datetime.date(2025, 2, 10), count=3)
    on_benefit_from(team_a, datetime.date(2025, 4, 1), count=2)
    on_benefit_from(team_b, datetime.date(2020, 1, 1), count=2, group="groeien")


def test_the_last_closed_quarter_against_the_previous_and_last_year(
    registry, population, policy_officer, team_a
):
    sections = dashboard_sections(user=policy_officer, scope=Scope(team=team_a), today=TODAY)
    view = view_of(sections, "test_on_benefit")
    # Policy staff see whole quarters only, up to the last one that has ended.
    assert [period.label for period, _shown in view.trend] == [
        "Q2 2023", "Q3 2023", "Q4 2023", "Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024", "Q1 2025",
    ]  # fmt: skip
    assert view.trend[-1][0] == Period.quarter(2025, 1)
    assert not view.partial
    assert [shown.value for _period, shown in view.trend] == [6, 6, 6, 9, 9, 9, 9, 6]
    assert (view.current.text, view.previous.text, view.last_year.text) == ("6", "9", "9")
    # Fewer clients on benefit is better.
    assert view.change_from_previous.verdict == Verdict.BETTER
    assert view.change_from_previous.difference == f"{MINUS}3"
    assert view.change_from_last_year.verdict == Verdict.BETTER
    assert [(label, shown.text) for label, shown in view.breakdown] == [("Team A", "6")]


def test_a_team_leader_sees_their_own_team_up_to_today(registry, population, manager_a, team_a):
    sections = dashboard_sections(user=manager_a, scope=Scope(team=team_a), today=TODAY)
    view = view_of(sections, "test_on_benefit")
    assert [period.label for period, _shown in view.trend] == [
        "Q3 2023", "Q4 2023", "Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024", "Q1 2025", "Q2 2025",
    ]  # fmt: skip
    assert view.trend[-1][0] == Period(datetime.date(2025, 4, 1), TODAY, view.trend[-1][0].kind)
    assert [shown.value for _period, shown in view.trend] == [6, 6, 9, 9, 9, 9, 6, 8]
    assert (view.current.text, view.previous.text, view.last_year.text) == ("8", "6", "9")
    assert [(label, shown.text) for label, shown in view.breakdown] == [("Team A", "8")]
    # A count over part of a quarter is not judged against whole quarters.
    assert view.partial and view.incomplete
    assert view.change_from_previous is None
    assert view.change_from_last_year is None


def test_periods_of_the_dashboard():
    first_day = datetime.date(2025, 4, 1)
    closed = dashboard_periods(first_day, to_date=False)
    assert (len(closed), closed[0], closed[-1]) == (
        8,
        Period.quarter(2023, 2),
        Period.quarter(2025, 1),
    )
    to_date = dashboard_periods(first_day, to_date=True)
    assert (len(to_date), to_date[-2]) == (8, Period.quarter(2025, 1))
    assert (to_date[-1].start, to_date[-1].end) == (first_day, first_day)
    # On a quarter's last day the quarter is complete only the day after.
    assert dashboard_periods(datetime.date(2025, 6, 30), to_date=False)[-1] == Period.quarter(
        2025, 1
    )


def test_the_group_filter(registry, population, policy_officer):
    groeien = ClientGroup.objects.get(code="groeien")
    sections = dashboard_sections(user=policy_officer, scope=Scope(group=groeien), today=TODAY)
    view = view_of(sections, "test_on_benefit")
    assert view.current.value == 8  # 6 in team A, 2 in team B
    # Team B's 2 is a small cell; Team A's 6 is hidden too, or 8 - 6 would give it away.
    assert sorted((label, shown.text) for label, shown in view.breakdown) == [
        ("Team A", "x"),
        ("Team B", "< 5"),
    ]


def test_small_cells_are_suppressed_for_policy_staff(registry, population, policy_officer, team_b):
    sections = dashboard_sections(user=policy_officer, scope=Scope(team=team_b), today=TODAY)
    view = view_of(sections, "test_on_benefit")
    assert view.current.suppressed
    assert view.current.value is None
    assert view.current.text == "< 5"
    assert all(shown.text == "< 5" for _period, shown in view.trend)
    assert view.change_from_previous is None  # a change would give the number away
    chart = ET.fromstring(view.trend_chart)  # noqa: S314 (our own markup)
    assert chart.findall(f".//{SVG}circle") == []  # no point drawn, no value printed


def test_a_team_leader_sees_small_cells_of_their_own_team_only(
    registry, population, manager_a, team_a, team_b
):
    BenefitPeriod.objects.filter(client__team=team_a).delete()
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=3)
    own = view_of(
        dashboard_sections(user=manager_a, scope=Scope(team=team_a), today=TODAY), "test_on_benefit"
    )
    assert own.current.text == "3"
    other = view_of(
        dashboard_sections(user=manager_a, scope=Scope(team=team_b), today=TODAY), "test_on_benefit"
    )
    assert other.current.text == "< 5"
    everyone = view_of(
        dashboard_sections(user=manager_a, scope=Scope(), today=TODAY), "test_on_benefit"
    )
    assert everyone.current.text == "5"
    assert {label: shown.text for label, shown in everyone.breakdown} == {
        "Team A": "< 5",
        "Team B": "< 5",
    }


@pytest.mark.parametrize(
    ("higher_is_better", "now", "before", "verdict", "words"),
    [
        (True, "60.0", "50.0", Verdict.BETTER, "better"),
        (True, "40.0", "50.0", Verdict.WORSE, "worse"),
        (False, "40.0", "50.0", Verdict.BETTER, "better"),
        (True, "50.0", "50.0", Verdict.SAME, "same"),
        (None, "60.0", "50.0", Verdict.HIGHER, "higher"),
        (None, "40.0", "50.0", Verdict.LOWER, "lower"),
    ],
)
def test_the_change_in_words(
    registry, policy_officer, higher_is_better, now, before, verdict, words
):
    REGISTRY["test_share"] = dataclasses.replace(
        REGISTRY["test_share"], higher_is_better=higher_is_better
    )
    SHARES[datetime.date(2025, 1, 1)] = (Decimal(now), 10)
    SHARES[datetime.date(2024, 10, 1)] = (Decimal(before), 10)
    view = view_of(
        dashboard_sections(user=policy_officer, scope=Scope(), today=TODAY), "test_share"
    )
    assert view.change_from_previous.verdict == verdict
    assert str(view.change_from_previous.words) == words
    assert view.change_from_last_year is None  # no figure for Q1 2024


def test_a_share_in_a_quarter_not_complete_is_compared(registry, manager_a, team_a):
    """A percentage is not summed over the period: part of a quarter compares with a whole one."""
    REGISTRY["test_share"] = dataclasses.replace(REGISTRY["test_share"], by_team=True)
    SHARES[datetime.date(2025, 4, 1)] = (Decimal("60.0"), 10)
    SHARES[datetime.date(2025, 1, 1)] = (Decimal("50.0"), 10)
    view = view_of(
        dashboard_sections(user=manager_a, scope=Scope(team=team_a), today=TODAY), "test_share"
    )
    assert view.partial and not view.incomplete
    assert view.change_from_previous.verdict == Verdict.BETTER


def test_a_figure_about_more_than_the_team_is_withheld_for_the_current_quarter(
    registry, manager_a, team_a
):
    """On a team leader's own team, a figure not split by team is about other teams' clients
    too (its small cells hidden), so its current quarter, which changes day by day, is not
    shown, nor computed; its whole quarters are."""
    SHARES[datetime.date(2025, 4, 1)] = (Decimal("60.0"), 10)
    SHARES[datetime.date(2025, 1, 1)] = (Decimal("50.0"), 10)
    view = view_of(
        dashboard_sections(user=manager_a, scope=Scope(team=team_a), today=TODAY), "test_share"
    )
    assert view.withheld and view.incomplete
    assert (view.current.value, view.breakdown) == (None, [])
    assert view.previous.value == Decimal("50.0")
    assert view.change_from_previous is None
    assert view.trend[-1][0].start == datetime.date(2025, 4, 1)
    own = view_of(
        dashboard_sections(user=manager_a, scope=Scope(team=team_a), today=TODAY),
        "test_on_benefit",
    )
    assert not own.withheld


def test_a_figure_not_split_by_team_ignores_the_team_filter(registry, policy_officer, team_a):
    groeien = ClientGroup.objects.get(code="groeien")
    sections = dashboard_sections(
        user=policy_officer, scope=Scope(team=team_a, group=groeien), today=TODAY
    )
    view = view_of(sections, "test_share")
    assert view.not_by_team
    assert not view.not_by_group
    assert {scope for code, _period, scope in CALLS if code == "test_share"} == {
        Scope(team=None, group=groeien)
    }


def test_the_year_s_target(registry, policy_officer):
    Target.objects.create(indicator="test_on_benefit", year=2025, value=Decimal("7"))
    Target.objects.create(indicator="test_share", year=2024, value=Decimal("60"))
    sections = dashboard_sections(user=policy_officer, scope=Scope(), today=TODAY)
    assert view_of(sections, "test_on_benefit").target.text == "7"
    assert view_of(sections, "test_share").target is None


# --- The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("consultant_a", 403),
        ("manager_a", 200),
        ("policy_officer", 200),
        ("application_manager", 200),
    ],
)
def test_who_may_see_the_dashboard(registry, client, request, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == status


def test_the_log_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_shows_each_indicator_with_its_chart_and_table(
    registry, client, policy_officer, team_a
):
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=6)
    client.force_login(policy_officer)
    response = client.get(URL)
    html = response.text
    assert html.count("<h1") == 1
    # Labelled filters.
    assert '<label for="id_team">' in html
    assert '<label for="id_group">' in html
    for code in ("test_on_benefit", "test_share"):
        assert f'<tr data-indicator="{code}">' in html
        assert f'id="indicator-{code}"' in html
        # The chart is well-formed SVG named by its title; its numbers are also a table.
        start = html.rindex("<svg", 0, html.index(f'aria-labelledby="trend-{code}-title'))
        end = html.index("</svg>", start) + len("</svg>")
        chart = ET.fromstring(html[start:end])  # noqa: S314 (our own markup)
        assert chart.find(f"{SVG}title").get("id") == f"trend-{code}-title"
        table = html.split(f'id="trend-table-{code}"', 1)[1].split("</table>", 1)[0]
        assert table.count('<th scope="row">') == 8
    assert "Show as table" in html
    row = html.split('<tr data-indicator="test_on_benefit">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="number" data-period="current">6</td>' in row
    assert 'data-verdict="same"' in row
    # The breakdown: a bar chart with its table.
    assert 'aria-labelledby="breakdown-test_on_benefit-title' in html
    assert 'id="breakdown-table-test_on_benefit"' in html


def test_the_filters(registry, client, policy_officer, team_a, team_b):
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=6, group="groeien")
    on_benefit_from(team_b, datetime.date(2020, 1, 1), count=7, group="zorgen")
    client.force_login(policy_officer)

    def current(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return view_of(response.context["sections"], "test_on_benefit").current.text

    assert current() == "13"
    assert current(team=team_a.pk) == "6"
    assert current(group=ClientGroup.objects.get(code="zorgen").pk) == "7"
    assert current(team=team_a.pk, group=ClientGroup.objects.get(code="zorgen").pk) == "0"
    # An unknown team is reported next to its field and ignored.
    response = client.get(URL, {"team": "999999"})
    assert response.status_code == 200
    assert 'id="id_team-errors"' in response.text
    assert response.context["scope"] == Scope()


def test_a_team_leader_starts_on_their_own_team(registry, client, manager_a, team_a, team_b):
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=3)
    on_benefit_from(team_b, datetime.date(2020, 1, 1), count=4)
    client.force_login(manager_a)
    response = client.get(URL)
    assert response.context["scope"] == Scope(team=team_a)
    assert f'<option value="{team_a.pk}" selected>' in response.text
    assert view_of(response.context["sections"], "test_on_benefit").current.text == "3"
    # "All teams" is an explicit empty choice.
    response = client.get(URL, {"team": ""})
    assert response.context["scope"] == Scope()
    assert view_of(response.context["sections"], "test_on_benefit").current.text == "7"


def test_a_figure_not_split_by_team_says_so(registry, client, policy_officer, team_a):
    client.force_login(policy_officer)
    html = client.get(URL, {"team": team_a.pk}).text
    section = html.split('id="indicator-test_share"', 1)[1].split("</section>", 1)[0]
    assert "not split by team" in section
    assert (
        "not split by team"
        not in html.split('id="indicator-test_on_benefit"', 1)[1].split("</section>", 1)[0]
    )


def test_suppressed_cells_on_the_page(registry, client, policy_officer, team_a):
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=2)
    client.force_login(policy_officer)
    html = client.get(URL).text
    row = html.split('<tr data-indicator="test_on_benefit">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="number" data-period="current">&lt; 5</td>' in row
    assert "not comparable" in row
    assert "fewer than 5 people" in html
    # Whole quarters only, and the page says so.
    last_closed = Period.quarter_of(timezone.localdate()).previous()
    assert f"{last_closed.label}, the last quarter that has ended" in html
    assert "the dashboard shows whole quarters only" in html
    assert "(so far)" not in html


def test_a_team_leaders_page_of_their_own_team(registry, client, manager_a, team_a):
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=6)
    client.force_login(manager_a)
    html = client.get(URL).text
    current = Period.quarter_of(timezone.localdate())
    assert f"{current.label} (so far)" in html
    assert "the dashboard shows whole quarters only" not in html
    row = html.split('<tr data-indicator="test_on_benefit">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="number" data-period="current">6</td>' in row
    assert row.count("data-incomplete") == 2  # no verdict on a count over part of a quarter
    assert "quarter not yet complete" in row
    withheld = html.split('id="indicator-test_share"', 1)[1].split("</section>", 1)[0]
    assert "data-withheld" in withheld


# --- The caseload per consultant --------------------------------------------------------------


def test_a_team_leader_sees_the_caseload_per_consultant(
    registry, client, manager_a, consultant_a, consultant_b, team_a
):
    colleague = UserFactory(role=Role.CONSULTANT, team=team_a, first_name="Zed")
    for _ in range(3):
        person = ClientFactory(team=team_a)
        person.consultants.add(consultant_a)
        BenefitPeriodFactory(client=person)
    gone = ClientFactory(team=team_a)  # off benefit: not counted
    gone.consultants.add(consultant_a)
    BenefitPeriodFactory(client=gone, end_date=datetime.date(2023, 1, 1), end_reason="work")
    # Back on benefit after an earlier period, with two consultants: once for each.
    shared = ClientFactory(team=team_a)
    shared.consultants.add(consultant_a, colleague)
    BenefitPeriodFactory(client=shared, end_date=datetime.date(2022, 1, 1), end_reason="work")
    BenefitPeriodFactory(client=shared, start_date=datetime.date(2023, 1, 1))
    elsewhere = ClientFactory(team=TeamFactory())  # another team's: not the team leader's to see
    elsewhere.consultants.add(consultant_a)
    BenefitPeriodFactory(client=elsewhere)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    QueueSnapshot.objects.create(
        day=yesterday, consultant=consultant_a, kind="progress", overdue=4, due_soon=1
    )
    QueueSnapshot.objects.create(
        day=yesterday, consultant=consultant_a, kind="ambition", overdue=1, due_soon=0
    )
    client.force_login(manager_a)
    response = client.get(URL)
    rows = {c.pk: (c.clients, c.overdue, c.due_soon) for c in response.context["caseloads"]}
    assert rows == {consultant_a.pk: (4, 5, 1), colleague.pk: (1, None, None)}
    html = response.text
    assert f'href="{reverse("workqueue:index")}?consultant={consultant_a.pk}"' in html
    assert '<td class="number" data-clients>4</td>' in html


def test_policy_staff_see_no_persons_or_consultants(registry, client, policy_officer, consultant_a):
    client.force_login(policy_officer)
    response = client.get(URL)
    assert response.context["caseload_table"] is None
    assert 'id="caseloads"' not in response.text
    assert str(consultant_a) not in response.text


# --- Cost ---------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_depend_on_the_data(
    registry, client, manager_a, consultant_a, team_a, django_assert_num_queries
):
    client.force_login(manager_a)
    client.get(URL)  # warm up: the policy settings and content types are cached per process
    # session, user (with the team and unread notifications of the layout: casework.backends);
    # the chosen team (the filter); the team and group choices; the targets; the caseload per
    # consultant; test_on_benefit once per quarter (8; test_share makes none).
    expected = 2 + 1 + 2 + 1 + 1 + 8

    cache.clear()
    with django_assert_num_queries(expected):
        client.get(URL)
    for index in range(20):
        TeamFactory(name=f"Extra {index}")
        on_benefit_from(team_a, datetime.date(2020, 1, 1), count=1, group="groeien")
        person = ClientFactory(team=team_a)
        person.consultants.add(consultant_a)
    cache.clear()
    with django_assert_num_queries(expected):
        client.get(URL)
    # Ended quarters come from the cache, the current quarter and the caseloads too (for
    # CURRENT_CACHE_SECONDS): no indicator and no caseload is computed again.
    with django_assert_num_queries(expected - 8 - 1):
        client.get(URL)


def test_whole_quarters_are_cached_for_an_hour_and_the_current_one_never(
    registry, team_a, monkeypatch
):
    stored = {}
    monkeypatch.setattr(
        cache, "set_many", lambda values, timeout: stored.update(dict.fromkeys(values, timeout))
    )
    indicator = REGISTRY["test_on_benefit"]
    periods = dashboard_periods(TODAY, to_date=True)
    figures = compute_figures([(indicator, periods)], Scope(team=team_a), today=TODAY)
    assert set(figures) == {("test_on_benefit", period) for period in periods}
    assert len(stored) == 7  # not the current quarter up to today
    assert not any(TODAY.isoformat() in key for key in stored)
    assert set(stored.values()) == {CACHE_SECONDS} == {60 * 60}
    # A whole quarter that has not ended yet is not reproducible either.
    stored.clear()
    compute_figures([(indicator, [Period.quarter(2025, 2)])], Scope(), today=TODAY)
    assert stored == {}


def shown_on(html, code, period):
    """The text of the indicator's cell for the period ("current", "previous", "last-year") in
    the page's summary table."""
    row = html.split(f'<tr data-indicator="{code}">', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-period="{period}">', 1)[1].split("</td>", 1)[0]


def test_closed_quarters_are_cached_for_an_hour_the_current_quarter_for_minutes(
    registry, client, manager_a, team_a, monkeypatch
):
    client.force_login(manager_a)
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=6)
    assert shown_on(client.get(URL).text, "test_on_benefit", "current") == "6"
    # A correction recorded later, back to 2020: within CURRENT_CACHE_SECONDS the page shows
    # the figures it computed (and says how old they may be)...
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=1)
    response = client.get(URL)
    assert shown_on(response.text, "test_on_benefit", "current") == "6"
    assert response.context["current_cache_minutes"] == CURRENT_CACHE_SECONDS // 60 == 5
    # ... after that the current quarter shows it; the closed quarters, within the hour, do not.
    later = time.time() + CURRENT_CACHE_SECONDS + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    html = client.get(URL).text
    assert shown_on(html, "test_on_benefit", "current") == "7"
    assert shown_on(html, "test_on_benefit", "previous") == "6"


# --- The figures' markup in the cache -----------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """time.time() as the test sets it (`clock.now`), for the cache and the code alike."""
    clock = SimpleNamespace(now=float(int(time.time())))  # whole seconds: exact sums
    monkeypatch.setattr(time, "time", lambda: clock.now)
    return clock


@pytest.fixture
def markup_stored(monkeypatch):
    """The keys under which the dashboard stores its figures' markup, in order."""
    stored = []
    set_entry = cache.set

    def spy(key, value, timeout, **kwargs):
        if key.startswith("monitoring:dashboard:"):
            stored.append(key)
        set_entry(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return stored


def test_viewers_who_see_different_figures_never_share_the_markup(
    registry, client, settings, manager_a, policy_officer, team_a, team_b, markup_stored
):
    """Team A's leader sees the current quarter and small cells of team A; policy staff see
    whole quarters with small cells hidden: whoever comes first, the other sees their own."""
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=2)
    year = timezone.localdate().year
    Target.objects.create(indicator="test_on_benefit", year=year, value=Decimal(3))

    def page(user, **query):
        client.force_login(user)
        html = client.get(URL, {"team": team_a.pk} | query).text
        return shown_on(html, "test_on_benefit", "current"), "(so far)" in html

    for first, second in ((manager_a, policy_officer), (policy_officer, manager_a)):
        cache.clear()
        markup_stored.clear()
        pages = {user: page(user) for user in (first, second)}
        assert pages == {manager_a: ("2", True), policy_officer: ("&lt; 5", False)}
        assert len(set(markup_stored)) == 2
    # Team B's leader on team A, and other policy staff, see what policy staff see, from the
    # same entry.
    markup_stored.clear()
    assert page(UserFactory(role=Role.MANAGER, team=team_b)) == pages[policy_officer]
    assert page(UserFactory(role=Role.POLICY, team=None)) == pages[policy_officer]
    assert markup_stored == []
    # The language, the filters and the targets are in the key too.
    groeien = ClientGroup.objects.get(code="groeien").pk
    for language, query in (("nl", {}), ("en", {"team": ""}), ("en", {"group": groeien})):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with translation.override(language):
            page(policy_officer, **query)
    assert len(markup_stored) == 3
    Target.objects.update(value=Decimal(4))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URL, {"team": team_a.pk}).text
    row = html.split('<tr data-indicator="test_on_benefit">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="number" data-target>4</td>' in row


def test_the_markup_is_kept_no_longer_than_the_first_of_its_figures(
    registry, client, manager_a, policy_officer, team_a, clock
):
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=6)
    client.force_login(policy_officer)
    client.get(URL, {"team": team_a.pk})  # team A's closed quarters, kept for an hour
    CALLS.clear()
    # 57 minutes later team A's leader computes only the current quarter: the page's markup is
    # kept until the closed quarters expire, 3 minutes later, not for CURRENT_CACHE_SECONDS.
    clock.now += 57 * 60
    client.force_login(manager_a)
    client.get(URL)
    assert [period for _code, period, _scope in CALLS] == [
        dashboard_periods(timezone.localdate(), to_date=True)[-1]
    ]
    on_benefit_from(team_a, datetime.date(2020, 1, 1), count=1)  # a correction back to 2020
    clock.now += 2 * 60
    assert shown_on(client.get(URL).text, "test_on_benefit", "previous") == "6"
    # The closed quarters are computed again; the current quarter's figure is 4 minutes old.
    clock.now += 60 + 1
    html = client.get(URL).text
    assert shown_on(html, "test_on_benefit", "previous") == "7"
    assert shown_on(html, "test_on_benefit", "current") == "6"


def test_a_figure_not_kept_expires_the_figures_at_once(registry, team_a, clock):
    indicator = REGISTRY["test_on_benefit"]
    closed = Period.quarter(2025, 1)
    figures = compute_figures([(indicator, [closed])], Scope(team=team_a), today=TODAY)
    assert figures.expires == clock.now + CACHE_SECONDS
    clock.now += 10
    current = Period(Period.quarter(2025, 2).start, TODAY)
    figures = compute_figures([(indicator, [closed, current])], Scope(team=team_a), today=TODAY)
    assert figures.expires == clock.now  # the current quarter is not kept here
    figures = compute_figures(
        [(indicator, [closed, current])], Scope(team=team_a), today=TODAY, current_seconds=60
    )
    assert figures.expires == clock.now + 60
    clock.now += 30
    figures = compute_figures([(indicator, [closed])], Scope(team=team_a), today=TODAY)
    assert figures.expires == clock.now - 40 + CACHE_SECONDS  # from the cache: when it was kept


def test_the_real_indicators_all_appear(client, policy_officer):
    """The structure only: the indicators' own tests check their values."""
    client.force_login(policy_officer)
    response = client.get(URL)
    assert response.status_code == 200
    shown = {
        item.indicator.code
        for section in response.context["sections"]
        for item in section.indicators
    }
    assert shown == set(REGISTRY)
    for code in REGISTRY:
        assert f'id="indicator-{code}"' in response.text
        assert f'id="trend-table-{code}"' in response.text
    assert response.text.count("<h1") == 1
