"""Which figures policy staff may not see: small cells, and a cell that would give one away.

The rule is monitoring.indicators.base.suppression; the dashboard and the monitor both use it.
SMALL_CELL_THRESHOLD is 5 here (the setting's default).
"""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from monitoring import report
from monitoring.dashboard_views import dashboard_sections
from monitoring.indicators import REGISTRY, Figure, Indicator, Row, Scope, Theme, Unit
from monitoring.indicators.base import Suppression, suppression
from monitoring.periods import Period


def hidden(figure):
    """The labels of the hidden values; "" for the headline."""
    result = suppression(figure)
    labels = [
        row.label for row, row_hidden in zip(figure.rows, result.rows, strict=True) if row_hidden
    ]
    return ([""] if result.headline else []) + labels


def counts(*rows, total=None):
    """A count whose rows add up to it (unless `total` says otherwise), one person per unit."""
    value = sum(n for _label, n in rows) if total is None else total
    return Figure(value, value, tuple(Row(label, n, n) for label, n in rows))


def test_a_small_cell_alone_is_hidden():
    assert hidden(counts(("A", 3), ("B", 2), ("C", 40))) == ["A", "B"]
    assert hidden(Figure(4, 4)) == [""]
    assert hidden(Figure(5, 5)) == []


def test_nobody_is_not_a_small_cell():
    assert hidden(counts(("A", 0), ("B", 40))) == []


def test_a_single_small_row_of_a_total_takes_the_next_smallest_row_with_it():
    """Otherwise A would be the total (70) minus B and C."""
    assert hidden(counts(("A", 3), ("B", 40), ("C", 27))) == ["A", "C"]


def test_rows_with_nobody_do_not_hide_it_so_the_headline_goes():
    """A and an empty row B: hiding B ("< 5" for nobody) would not hide A's 3."""
    assert hidden(counts(("A", 3), ("B", 0))) == ["", "A"]


def test_a_headline_that_is_hidden_already_gives_nothing_away():
    assert hidden(counts(("A", 3), ("B", 1))) == ["", "A", "B"]


def test_a_count_of_things_whose_rows_add_up():
    """Trajecten per instrument: values add up to the total although a client can be in two
    instruments (people 12, not 14); the small instrument's trajecten follow from the rest."""
    figure = Figure(14, 12, (Row("Stage", 2, 2), Row("Werkfit", 5, 5), Row("Scholing", 7, 6)))
    assert hidden(figure) == ["Stage", "Werkfit"]


def test_rows_that_overlap_cannot_be_subtracted():
    """Clients per instrument, a client counted in each of theirs: the rows add up to more than
    the total, so the total minus the others is not the small row."""
    figure = Figure(10, 10, (Row("Stage", 3, 3), Row("Werkfit", 8, 8)))
    assert hidden(figure) == ["Stage"]


def test_a_share_over_rows_that_split_its_people():
    """The headline share is the rows' shares weighted by their people, and those weights are
    published beside it (clients per klantgroep): the small row would follow from them."""
    figure = Figure(
        Decimal("50.0"),
        30,
        (Row("Matchen", Decimal("100.0"), 3), Row("Groeien", Decimal("44.4"), 27)),
    )
    assert hidden(figure) == ["Matchen", "Groeien"]


def test_a_share_over_rows_that_do_not_split_its_people():
    """The start and the end of a period: neither is a part of the other."""
    figure = Figure(
        Decimal("50.0"), 30, (Row("Start", Decimal("10.0"), 3), Row("End", Decimal("13.3"), 30))
    )
    assert hidden(figure) == ["Start"]


def test_money_is_never_hidden():
    figure = Figure(Decimal("1000.00"), None, (Row("A", Decimal("1.00")), Row("B", 999)))
    assert suppression(figure) == Suppression(False, (False, False))


# --- The same rule on the dashboard and in the monitor --------------------------------------------


def per_klantgroep(period, scope):
    return counts(("Matchen", 3), ("Groeien", 40), ("Zorgen", 12))


@pytest.fixture
def one_indicator():
    indicator = Indicator(
        code="test_per_group",
        name="Test clients per klantgroep",
        theme=Theme.CASELOAD,
        unit=Unit.COUNT,
        numerator="Clients.",
        denominator="",
        population="Test clients.",
        period="The last day of the period.",
        compute=per_klantgroep,
        breakdown="per klantgroep",
    )
    cache.clear()  # the dashboard caches closed quarters by indicator code
    with mock.patch.dict(REGISTRY, {indicator.code: indicator}, clear=True):
        yield
    cache.clear()


@pytest.mark.django_db
def test_the_dashboard_and_the_monitor_hide_the_same_figures(one_indicator, policy_officer):
    (section,) = dashboard_sections(
        user=policy_officer, scope=Scope(), today=datetime.date(2025, 5, 15)
    )
    (view,) = section.indicators
    on_dashboard = {label: shown.suppressed for label, shown in view.breakdown}

    monitor = report.collect(Period.quarter(2025, 1), made_at=timezone.now())
    (result,) = monitor.sections[0].results
    in_monitor = {line.label: line.current.suppressed for line in result.rows}

    expected = {"Matchen": True, "Groeien": False, "Zorgen": True}
    assert on_dashboard == in_monitor == expected
    assert view.current.text == "55"
    assert str(result.headline.current) == "55"
    # Matchen's 3 is small; Zorgen's 12 is hidden only so that Matchen cannot be calculated.
    shown_texts = {label: shown.text for label, shown in view.breakdown}
    assert (shown_texts["Matchen"], shown_texts["Zorgen"]) == ("< 5", "x")
    in_monitor_texts = {line.label: str(line.current) for line in result.rows}
    assert (in_monitor_texts["Matchen"], in_monitor_texts["Zorgen"]) == ("< 5", "x")


@pytest.mark.django_db
def test_a_team_leader_sees_every_figure_of_their_own_team(one_indicator, manager_a, team_a):
    (section,) = dashboard_sections(
        user=manager_a, scope=Scope(team=team_a), today=datetime.date(2025, 5, 15)
    )
    (view,) = section.indicators
    assert [shown.text for _label, shown in view.breakdown] == ["3", "40", "12"]
