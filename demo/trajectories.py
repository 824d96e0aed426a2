"""Trajecten and their commitments for the demo clients, so the budget page has real figures.

Each client's klantgroep history decides which instruments fit (Instrument.client_groups). The
cost is the catalogue's (instruments.services.default_cost) or, where the catalogue leaves it at
0 for the consultant to enter, a plausible demo amount. The commitment rows are made with the
service's own month and split arithmetic (commitment_months, split_cost) and, for a traject that
has ended, without the months after its end, as end_trajectory releases them. Rows are built in
memory and inserted with COPY: calling the services per traject would be too slow at 100,000
clients.

The chance of a traject shrinks as the municipality grows beyond Deventer's size, because the
budgets stay Deventer's: the committed amounts keep a realistic share of them.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from casework.dates import add_months
from demo.policy import References
from demo.records import Person
from demo.saving import Rows, take_ids
from instruments.dates import first_of_month
from instruments.models import (
    Commitment,
    CostUnit,
    EarlyEndReason,
    Instrument,
    Trajectory,
    TrajectoryStatus,
)
from instruments.services import commitment_months, default_cost, split_cost

# Chance that a client of a klantgroep (GROUPS order) takes part in trajecten, and the trajecten
# such a client starts a year while in the klantgroep (at most four: one a quarter).
TRAJECTORY_CHANCE = (0.85, 0.9, 0.45, 0.08)
TRAJECTORIES_PER_YEAR = (1.4, 1.6, 0.6, 0.6)
MAX_CATCH_UP = 2  # see _rates
# Faciliteren and Zorgen get activering: only instruments of these categories.
GROUP_CATEGORIES: tuple[frozenset[str] | None, ...] = (
    None,
    None,
    frozenset({"activation", "volunteering", "care"}),
    frozenset({"activation", "volunteering", "care"}),
)

# How often an instrument is chosen among those that fit (1 when not listed), and the demo cost
# where the catalogue has none: per month for a per-month instrument, else per traject.
INSTRUMENT_WEIGHTS = {
    "Re-integratietraject": 6,
    "Werkervaringsplaats": 5,
    "Diagnose en werkfit": 4,
    "Jobcoaching": 4,
    "Vrijwilligerswerk / sociale activering / tegenprestatie": 6,
    "Begeleide vrijwilligersplaats": 4,
    "Stage / snuffelstage": 3,
    "SKILLS-training": 3,
    "Work fast": 4,
    "Loonkostensubsidie": 2,
    "Beschut werk": 0.5,
    "Uitstroompremie": 0.4,
    "Plaatsingssubsidie": 0.1,
    "No-riskpolis": 0.5,
    "Premiekorting": 0.5,
    "Dagbesteding": 2,
}
DEMO_COSTS = {
    "Loonwaardemeting": 650,
    "Loonkostensubsidie": 1150,
    "Jobcoaching": 4800,
    "Proefplaatsing": 400,
    "Werkplekaanpassing": 1800,
    "Beschut werk": 2100,
    "Plaatsingssubsidie": 2500,
    "SKILLS-training": 950,
    "Re-integratietraject": 7500,
    "Werkervaringsplaats": 5000,
    "Begeleide vrijwilligersplaats": 2400,
    "Vrijwilligerswerk / sociale activering / tegenprestatie": 1200,
    "Scholingsfonds": 3000,
    "Re-integratie-PGB": 3500,
    "EVC": 1300,
    "Taal / inburgering": 4500,
    "Werkpremie": 1200,
    "Stage / snuffelstage": 600,
    "Work fast": 1500,
    "Werkleerroute": 8000,
    "Diagnose en werkfit": 3500,
    "Praktijkdiagnose": 1400,
    "Mobility mentoring": 3000,
    "Doen-beurs": 1500,
    "Dagbesteding": 900,
    "Participatiebaan": 450,
}

# Outcomes of a traject whose planned end has passed, and the chance a running one stops early.
OUTCOMES = (
    TrajectoryStatus.SUCCEEDED,
    TrajectoryStatus.CONVERTED_TO_WORK,
    TrajectoryStatus.ENDED_EARLY,
)
OUTCOME_WEIGHTS = ((45, 35, 20), (50, 20, 30), (60, 5, 35), (55, 0, 45))  # GROUPS order
EARLY_END_WHILE_RUNNING = 0.15
REASON_WEIGHTS = {
    EarlyEndReason.DROPPED_OUT: 30,
    EarlyEndReason.ILLNESS: 20,
    EarlyEndReason.NOT_SUITABLE: 15,
    EarlyEndReason.MOVED: 5,
    EarlyEndReason.BENEFIT_ENDED: 10,
    EarlyEndReason.BACK_ON_BENEFIT: 3,
    EarlyEndReason.PROVIDER: 5,
    EarlyEndReason.OTHER: 12,
}


@dataclasses.dataclass(frozen=True, slots=True)
class Offer:
    """An instrument as the generator uses it."""

    instrument: Instrument
    groups: frozenset[int]  # ClientGroup ids
    providers: tuple[int, ...]  # Provider ids
    weight: float


@dataclasses.dataclass(frozen=True, slots=True)
class Catalogue:
    offers: tuple[Offer, ...]

    @classmethod
    def load(cls) -> Catalogue:
        # Groups and providers of every instrument: prefetched, two queries for the catalogue.
        instruments = Instrument.objects.filter(is_active=True).prefetch_related(
            "client_groups", "providers"
        )
        return cls(
            tuple(
                Offer(
                    instrument=instrument,
                    groups=frozenset(group.pk for group in instrument.client_groups.all()),
                    providers=tuple(p.pk for p in instrument.providers.all() if p.is_active),
                    weight=INSTRUMENT_WEIGHTS.get(instrument.name, 1),
                )
                for instrument in instruments
            )
        )

    def for_group(self, group_id: int, categories: frozenset[str] | None) -> list[Offer]:
        return [
            offer
            for offer in self.offers
            if group_id in offer.groups
            and (categories is None or offer.instrument.category in categories)
        ]


def save_trajectories(
    rng: random.Random,
    catalogue: Catalogue,
    people: Sequence[Person],
    client_ids: Sequence[int],
    refs: References,
    *,
    today: datetime.date,
    scale: float,
) -> Counter[str]:
    """Draw and insert the trajecten of one chunk of saved clients, with their commitments.
    `scale` (at most 1) lowers the chance of a traject in a municipality larger than the one the
    budgets are sized for."""
    # Trajecten start from 1 January of the year before last, so last year's figures include
    # the trajecten that started before it and still ran in it.
    quarters = _quarters(datetime.date(today.year - 2, 1, 1), today)
    rates = _rates(people, quarters, today, scale=scale)
    trajectories = Rows(
        Trajectory,
        *("id", "client", "instrument", "provider", "client_group", "start_date"),
        *("planned_end_date", "cost", "goal", "started_by", "status", "end_date"),
        *("early_end_reason", "overridden_rules", "override_reason", "created_at"),
    )
    commitments = Rows(Commitment, "trajectory", "line", "month", "amount")
    drawn = [
        (client_id, person, traject)
        for person, client_id in zip(people, client_ids, strict=True)
        for traject in _draw(rng, catalogue, person, refs, quarters, rates, today)
    ]
    for (client_id, person, t), pk in zip(drawn, take_ids(Trajectory, len(drawn)), strict=True):
        created = datetime.datetime.combine(t.start, datetime.time(10), tzinfo=datetime.UTC)
        trajectories.add(
            pk,
            client_id,
            t.instrument.pk,
            t.provider,
            t.group,
            t.start,
            t.planned_end,
            t.cost,
            "",
            person.consultant.pk,
            t.status,
            t.end,
            t.reason,
            "",
            "",
            created,
        )
        line = t.instrument.budget_line_id
        if line is None:
            continue
        months = commitment_months(
            instrument=t.instrument, start_date=t.start, planned_end_date=t.planned_end
        )
        last = None if t.end is None else first_of_month(t.end)
        for month, part in zip(months, split_cost(t.cost, len(months)), strict=True):
            if last is None or month <= last:
                commitments.add(pk, line, month, part)
    return Counter({"trajectories": trajectories.write(), "commitments": commitments.write()})


@dataclasses.dataclass(frozen=True, slots=True)
class Drawn:
    instrument: Instrument
    provider: int | None
    group: int
    start: datetime.date
    planned_end: datetime.date
    cost: Decimal
    status: str
    end: datetime.date | None
    reason: str


def _quarters(
    first: datetime.date, today: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The quarters from `first` up to today, as first and last day (the last one cut at today)."""
    quarters = []
    while first <= today:
        following = add_months(first, 3)
        quarters.append((first, min(following - datetime.timedelta(days=1), today)))
        first = following
    return quarters


def _rates(
    people: Sequence[Person],
    quarters: Sequence[tuple[datetime.date, datetime.date]],
    today: datetime.date,
    *,
    scale: float,
) -> list[float]:
    """A factor per quarter on the chance of a traject. The demo clients are today's caseload:
    fewer of them had a klantgroep in earlier quarters, while the municipality spent its budget
    on the caseload of that time, who left before today. The clients present then take their
    place, up to twice as often."""

    def with_group(day: datetime.date) -> int:
        return sum(
            any(a.start <= day and (a.end is None or day <= a.end) for a in p.work.assignments)
            for p in people
        )

    now = with_group(today)
    factors = []
    for first, _last in quarters:
        then = with_group(first)
        factors.append(scale * min(MAX_CATCH_UP, now / then) if then else 0.0)
    return factors


def _draw(
    rng: random.Random,
    catalogue: Catalogue,
    person: Person,
    refs: References,
    quarters: Sequence[tuple[datetime.date, datetime.date]],
    rates: Sequence[float],
    today: datetime.date,
) -> list[Drawn]:
    if rng.random() >= TRAJECTORY_CHANCE[person.group]:
        return []
    spans = [(a.group, a.start, a.end or today) for a in person.work.assignments]
    drawn = []
    # One chance a quarter, on a day within the quarter, in the klantgroep the client had then.
    for (first, last), rate in zip(quarters, rates, strict=True):
        start = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        index = next((i for i, begin, end in spans if begin <= start <= end), None)
        if index is None or rng.random() >= TRAJECTORIES_PER_YEAR[index] / 4 * rate:
            continue
        offers = catalogue.for_group(refs.groups[index], GROUP_CATEGORIES[index])
        if offers:
            offer = rng.choices(offers, [o.weight for o in offers])[0]
            drawn.append(_traject(rng, offer, refs.groups[index], index, start, today))
    return drawn


def _traject(
    rng: random.Random,
    offer: Offer,
    group_id: int,
    group: int,
    start: datetime.date,
    today: datetime.date,
) -> Drawn:
    instrument = offer.instrument
    planned_end = add_months(start, instrument.typical_duration_months) - datetime.timedelta(days=1)
    cost = default_cost(instrument=instrument, start_date=start, planned_end_date=planned_end)
    if not cost:
        amount = Decimal(DEMO_COSTS.get(instrument.name, 1000))
        if instrument.cost_unit == CostUnit.PER_MONTH:
            amount *= instrument.typical_duration_months
        # About ten percent either way, in whole euros.
        cost = Decimal(round(amount * Decimal(rng.uniform(0.9, 1.1))))
    status, end, reason = TrajectoryStatus.RUNNING, None, ""
    if planned_end < today:
        status = rng.choices(OUTCOMES, OUTCOME_WEIGHTS[group])[0]
        end = planned_end
    elif rng.random() < EARLY_END_WHILE_RUNNING:
        status = TrajectoryStatus.ENDED_EARLY
    if status == TrajectoryStatus.CONVERTED_TO_WORK:
        # Work is often found before the planned end: somewhere in the second half.
        days = (planned_end - start).days
        end = start + datetime.timedelta(days=rng.randint(days // 2, days))
    elif status == TrajectoryStatus.ENDED_EARLY:
        latest = min(planned_end, today)
        end = start + datetime.timedelta(days=rng.randint(0, (latest - start).days))
        reason = rng.choices(list(REASON_WEIGHTS), list(REASON_WEIGHTS.values()))[0]
    provider = rng.choice(offer.providers) if offer.providers else None
    return Drawn(instrument, provider, group_id, start, planned_end, cost, status, end, reason)
