"""What an indicator is, and the registry that holds every one of them.

An indicator is defined once, in code, with its definition in words (shown on the dashboard and in
the monitor's appendix) and a function that computes it in the database for a period and a scope.
Targets per year are data (monitoring.models.Target), set by the application manager.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import enum
import threading
from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.models import Team
from clients.models import ClientGroup
from monitoring.periods import Period, PeriodKind


class Unit(enum.StrEnum):
    COUNT = "count"  # people or trajecten
    PERCENT = "percent"  # 0-100, one decimal
    MONTHS = "months"  # one decimal
    EURO = "euro"  # two decimals


class Theme(enum.StrEnum):
    """The sections of the monitor (Deventer's framework plus money)."""

    CASELOAD = "caseload"  # bestand, instroom, uitstroom
    CLIENT_GROUPS = "client_groups"  # movement between klantgroepen, Zorgen
    DEVELOPMENT = "development"  # participatieladder
    KNOW_OUR_CLIENTS = "know_our_clients"  # conversations on time, plans, activity
    INSTRUMENTS = "instruments"  # trajecten, werkleerroutes, volunteers
    BUDGET = "budget"


THEME_TITLES: dict[Theme, Promise] = {
    Theme.CASELOAD: _("Caseload, inflow and outflow"),
    Theme.CLIENT_GROUPS: _("Client groups"),
    Theme.DEVELOPMENT: _("Development on the participation ladder"),
    Theme.KNOW_OUR_CLIENTS: _("We know our clients"),
    Theme.INSTRUMENTS: _("Instruments and trajectories"),
    Theme.BUDGET: _("Budget"),
}

# Why a theme matters, in one sentence: the summary adds it to the first change it names.
THEME_MEANING: dict[Theme, Promise] = {
    Theme.CASELOAD: _(
        "The number of clients on benefit and the flows in and out determine what the BUIG "
        "budget has to pay."
    ),
    Theme.CLIENT_GROUPS: _(
        "Movement between client groups shows whether clients come closer to work or need more "
        "care."
    ),
    Theme.DEVELOPMENT: _(
        "Climbing the participation ladder is how clients far from work come closer to it."
    ),
    Theme.KNOW_OUR_CLIENTS: _(
        "Clients we see on time and who have a current plan get support that fits them."
    ),
    Theme.INSTRUMENTS: _(
        "Instruments are where the participation budget goes; their results show whether it is "
        "well spent."
    ),
    Theme.BUDGET: _(
        "Spending against the budget shows whether the year ends within the means the council "
        "made available."
    ),
}


@dataclasses.dataclass(frozen=True)
class Scope:
    """Whom a figure is about: the whole municipality, or one team and/or one klantgroep (the
    dashboard's filters). Indicators that cannot be split a way say so by ignoring it and
    setting Indicator.scopes."""

    team: Team | None = None
    group: ClientGroup | None = None


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a figure's breakdown (per klantgroep, per reason, from → to, ...).

    `people` is the number of persons behind the value, so cells with fewer than
    SMALL_CELL_THRESHOLD people can be suppressed; None when the row is not about people
    (money)."""

    label: str
    value: Decimal | int | None
    people: int | None = None


@dataclasses.dataclass(frozen=True)
class Figure:
    """An indicator's value for one period and scope: the headline and its breakdown.

    value is None when the denominator is empty (a share of nobody)."""

    value: Decimal | int | None
    people: int | None = None
    rows: tuple[Row, ...] = ()


Compute = Callable[[Period, Scope], Figure]


@dataclasses.dataclass(frozen=True)
class Indicator:
    code: str
    name: str | Promise
    theme: Theme
    unit: Unit
    # The definition, in words: what is counted, out of what, about whom, over which period.
    numerator: str | Promise
    denominator: str | Promise  # "" for a plain count or amount
    population: str | Promise
    period: str | Promise
    compute: Compute
    breakdown: str | Promise = ""  # what the rows are, e.g. "per klantgroep"
    # Whether up is good (None: neither), for the words "better"/"worse" next to a change.
    higher_is_better: bool | None = None
    # Whether the team and klantgroep filters apply (budget figures are not per team).
    by_team: bool = True
    by_group: bool = True


REGISTRY: dict[str, Indicator] = {}


def register(**definition: object) -> Callable[[Compute], Compute]:
    """Decorate a compute function to define an indicator: @register(code=..., name=..., ...)."""

    def decorator(compute: Compute) -> Compute:
        indicator = Indicator(compute=compute, **definition)  # type: ignore[arg-type]
        if indicator.code in REGISTRY:
            raise ValueError(f"Indicator {indicator.code} is defined twice.")
        REGISTRY[indicator.code] = indicator
        return compute

    return decorator


def ordered_indicators() -> list[Indicator]:
    """Every registered indicator, by theme in Theme's order; within a theme in the order its
    module defines them (the dashboard's and the monitor's order)."""
    themes = list(Theme)
    return sorted(REGISTRY.values(), key=lambda indicator: themes.index(indicator.theme))


# Presentation, not policy: the trend charts of the dashboard and the monitor show the last eight
# quarters, as the issue asks; on the dashboard the previous quarter and the same quarter last year
# are the second-to-last and the fifth-to-last of them.
TREND_QUARTERS = 8


def trend_quarters(period: Period) -> list[Period]:
    """The TREND_QUARTERS quarters up to the period's end, oldest first, the last one cut at the
    period's end: a chart never shows days after the period (a monitor of January to May has
    April and May as its second quarter)."""
    quarters = period.quarters_up_to(TREND_QUARTERS)
    quarters[-1] = Period(quarters[-1].start, period.end, PeriodKind.QUARTER)
    return quarters


def is_small_cell(people: int | None) -> bool:
    """Whether a figure is about so few people (1 to SMALL_CELL_THRESHOLD - 1) that policy staff
    must not see it: shown as "< threshold" instead."""
    return people is not None and 0 < people < settings.SMALL_CELL_THRESHOLD


# How a figure hidden only because it would give a small one away is shown (the statistical
# offices' "x"); a small figure itself is shown as "< threshold" (hidden_as).
HIDDEN = "x"


def hidden_as(people: int | None) -> str:
    """What a hidden figure shows: "< 5" when it is about fewer than 5 people, else HIDDEN."""
    return f"< {settings.SMALL_CELL_THRESHOLD}" if is_small_cell(people) else HIDDEN


@dataclasses.dataclass(frozen=True)
class Suppression:
    """Which of a figure's values are hidden from viewers who may not see the persons."""

    headline: bool
    rows: tuple[bool, ...]  # per row of the figure, in its order


def suppression(figure: Figure) -> Suppression:
    """The one rule for hiding figures, for the dashboard and the monitor alike.

    Primary: every value about 1 to SMALL_CELL_THRESHOLD - 1 people (is_small_cell).

    Secondary: a single hidden row can be calculated back when the rows make up the headline,
    so then the shown row with the fewest people is hidden too (or, when no row about people is
    left, the headline). The rows make up the headline
    - when their values add up to it (a count per klantgroep, per reason, per instrument): the
      hidden row is the headline minus the other rows;
    - when their people add up to the headline's (a share or an average per klantgroep): the
      headline is the rows' mean weighted by their people. The weights are not in the figure, but
      the monitor and the dashboard publish them beside it (the clients per klantgroep), so the
      hidden row follows from them, up to rounding.
    Nothing more is hidden when the rows overlap or do not split the headline (a client in two
    instruments, the start and the end of a period: they cannot be subtracted), when two or more
    rows are hidden (only their sum can be calculated) or when the headline is (there is nothing
    to subtract from). Values not about people (money: people None) are never hidden.
    """
    rows = [is_small_cell(row.people) for row in figure.rows]
    headline = is_small_cell(figure.people)
    if not headline and rows.count(True) == 1 and _rows_make_up(figure):
        left = [(row.people, i) for i, row in enumerate(figure.rows) if row.people and not rows[i]]
        if left:
            rows[min(left)[1]] = True
        else:
            headline = True
    return Suppression(headline, tuple(rows))


def _rows_make_up(figure: Figure) -> bool:
    """Whether the rows' values add up to the headline's, or their people to its people."""
    values = [row.value for row in figure.rows if row.value is not None]
    people = [row.people for row in figure.rows if row.people is not None]
    return (
        figure.value is not None and len(values) == len(figure.rows) and sum(values) == figure.value
    ) or (
        figure.people is not None
        and len(people) == len(figure.rows)
        and sum(people) == figure.people
    )


def share(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, None of nobody."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


_T = TypeVar("_T")


@dataclasses.dataclass
class _SharedReads:
    """The reads made in one batch, by key; each key's lock lets one thread make its read while
    others that need it wait (monitoring.snapshot.run_all computes a batch on several threads)."""

    values: dict[Hashable, object] = dataclasses.field(default_factory=dict)
    locks: dict[Hashable, threading.Lock] = dataclasses.field(default_factory=dict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)  # guards `locks`


# Reads that several indicators share (the budget figures of a period), made once per batch of
# computations: the dashboard and the monitor compute every indicator inside shared_reads().
_shared: contextvars.ContextVar[_SharedReads | None] = contextvars.ContextVar(
    "indicator_shared_reads", default=None
)


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    token = _shared.set(_SharedReads())
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: Hashable, read: Callable[[], _T]) -> _T:
    """read(), made once per key inside shared_reads(), whichever thread of the batch asks first;
    every time outside it. A read must not ask for its own key: it would wait for itself."""
    reads = _shared.get()
    if reads is None:
        return read()
    with reads.lock:
        key_lock = reads.locks.setdefault(key, threading.Lock())
    with key_lock:
        if key not in reads.values:
            reads.values[key] = read()
    return reads.values[key]  # type: ignore[return-value]
