"""The figures of DOMAIN.md ("Realistic demo data") and the samplers that reproduce them.

The numbers describe a demo population, not policy: policy (klantgroepen, ladder steps, barrier
types) is read from the database, as the application manager left it.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

from clients.models import EducationLevel, HouseholdType, OutflowReason

T = TypeVar("T")

# Klantgroepen by code, with Deventer's 2019 sizes.
GROUPS = ("matchen", "groeien", "faciliteren", "zorgen")
MATCHEN, GROEIEN, FACILITEREN, ZORGEN = range(4)
GROUP_SIZES = (300, 800, 875, 900)

# Participatieladder, Hof van Twente 2017: clients per current step and per target step.
STEPS = (1, 2, 3, 4, 5, 6)
STEPS_NOW = (46, 156, 150, 112, 68, 3)
STEPS_TARGET = (15, 68, 127, 129, 110, 85)
# Affinity of each klantgroep for each step before fitting to the totals above: Matchen high,
# Zorgen low.
GROUP_STEP_AFFINITY = (
    (0.02, 0.1, 0.4, 1.2, 2.5, 2.0),
    (0.1, 0.5, 1.0, 1.2, 1.0, 0.3),
    (0.5, 1.0, 1.0, 0.6, 0.2, 0.02),
    (1.5, 1.2, 0.5, 0.2, 0.1, 0.01),
)
# Affinity of a target for a current step, by how far above it is (never below).
TARGET_DISTANCE_AFFINITY = (0.5, 1.0, 0.5, 0.15, 0.05, 0.02)

# Age (Hof van Twente: 59% over 45). Bijstand ends at the state pension age, about 67.
AGE_BANDS = ((18, 26), (27, 35), (36, 44), (45, 55), (56, 66))
AGE_SHARES = (10, 13, 18, 27, 32)
GROUP_AGE_AFFINITY = (
    (1.5, 1.3, 1.1, 0.9, 0.5),
    (1.6, 1.3, 1.1, 0.9, 0.6),
    (0.5, 0.7, 0.9, 1.1, 1.4),
    (0.6, 0.8, 1.0, 1.1, 1.3),
)

# Households (50% single, 11% single parent), by age band.
HOUSEHOLDS = (
    HouseholdType.SINGLE,
    HouseholdType.SINGLE_PARENT,
    HouseholdType.COUPLE,
    HouseholdType.COUPLE_WITH_CHILDREN,
    HouseholdType.OTHER,
)
HOUSEHOLD_SHARES = (50, 11, 15, 17, 7)
AGE_HOUSEHOLD_AFFINITY = (
    (1.5, 0.6, 0.5, 0.4, 2.0),
    (1.0, 1.2, 0.8, 1.2, 1.0),
    (0.8, 1.5, 0.7, 1.5, 0.8),
    (1.0, 1.0, 1.0, 1.0, 1.0),
    (1.3, 0.15, 1.3, 0.3, 0.8),
)

# Education: over two thirds without a startkwalificatie (a basic qualification).
EDUCATION = (
    EducationLevel.NONE,
    EducationLevel.PRE_VOCATIONAL,
    EducationLevel.VOCATIONAL,
    EducationLevel.SECONDARY,
    EducationLevel.HIGHER,
)
EDUCATION_SHARES = (30, 36, 22, 5, 7)
GROUP_EDUCATION_AFFINITY = (
    (0.6, 0.9, 1.5, 1.2, 1.5),
    (0.9, 1.1, 1.0, 1.0, 1.0),
    (1.1, 1.0, 0.9, 1.0, 0.9),
    (1.3, 1.0, 0.8, 0.9, 0.8),
)
QUALIFYING_EDUCATION = frozenset(
    {EducationLevel.VOCATIONAL, EducationLevel.SECONDARY, EducationLevel.HIGHER}
)

# Origin (over 40% non-Dutch) only chooses names and the civic-integration barrier.
ORIGINS = ("dutch", "surinamese", "turkish", "moroccan", "polish", "refugee")
ORIGIN_SHARES = (58, 5, 6, 7, 3, 21)
STATUS_HOLDER_CHANCE = 0.8  # of refugees
# Civic integration (22%): most status holders, some other newcomers.
CIVIC_INTEGRATION_CHANCE = {"refugee": 0.38, "turkish": 0.38, "moroccan": 0.38, "polish": 0.38}
CIVIC_INTEGRATION_CHANCE_STATUS_HOLDER = 0.85

# Barrier shares (Hof van Twente) and how much more each klantgroep has them. Childcare follows
# the household, civic integration the origin.
BARRIER_SHARES = {
    "medical": 0.42,
    "psychological": 0.14,
    "informal_care": 0.08,
    "problem_debts": 0.05,
}
BARRIER_GROUP_FACTOR = {
    "medical": (0.2, 0.8, 1.3, 1.3),
    "psychological": (0.1, 0.6, 1.0, 1.8),
    "informal_care": (0.3, 0.8, 1.3, 1.0),
    "problem_debts": (0.2, 0.8, 1.0, 1.6),
}
CHILDCARE_CHANCE: dict[str, float] = {
    HouseholdType.SINGLE_PARENT: 0.65,
    HouseholdType.COUPLE_WITH_CHILDREN: 0.45,
}

# Time on benefit of those on it now: 56% over 2 years, 27% over 5, 66 months on average.
DURATION_SHARES = (44, 29, 27)  # up to 2 years, 2 to 5 years, over 5 years
GROUP_DURATION_AFFINITY = ((1.0, 0.1, 0.02), (1.0, 0.6, 0.2), (0.4, 0.6, 0.8), (0.3, 0.6, 1.2))
LONG_SPELL_EXTRA_DAYS = 4400  # mean days beyond five years, for the average of ~66 months

# Outflow: who has left benefit within the history window, and why (Hof van Twente: ~44% of
# outflow to work, 3% to an own business).
LEAVE_CHANCE = (0.35, 0.2, 0.05, 0.03)
OUTFLOW_REASONS = (
    OutflowReason.WORK,
    OutflowReason.OWN_BUSINESS,
    OutflowReason.STUDY,
    OutflowReason.MOVED,
    OutflowReason.OTHER,
)
GROUP_OUTFLOW_WEIGHTS = (
    (70, 5, 8, 7, 10),
    (50, 4, 8, 13, 25),
    (12, 0, 2, 30, 56),
    (3, 0, 0, 30, 67),
)
SPELL_DAYS_OF_LEAVERS = ((30, 300), (120, 1460), (365, 3000), (365, 4000))
# An earlier spell that ended (the revolving door) before the current one started.
EARLIER_SPELL_CHANCE = 0.15
EARLIER_SPELL_REASON_WEIGHTS = (55, 5, 10, 10, 20)

# Klantgroep history: the chance of a move per year, and where a client came from.
GROUP_MOVE_CHANCE_PER_YEAR = 0.12
PREVIOUS_GROUP_WEIGHTS = (
    (0, 85, 15, 0),
    (45, 0, 45, 10),
    (0, 50, 0, 50),
    (0, 30, 70, 0),
)
FIRST_GROUP_REASON = "Samen gekozen in het ambitiegesprek."
MOVE_UP_REASONS = (
    "Traject afgerond; nu direct bemiddelbaar.",
    "Gezondheid verbeterd; meer perspectief op werk.",
    "Wil en kan een stap zetten richting werk.",
)
MOVE_DOWN_REASONS = (
    "Gezondheid verslechterd; eerst stabiliseren.",
    "Belemmeringen groter dan bij de start gedacht.",
    "Geen perspectief op werk binnen drie jaar.",
)


class Sampler(Generic[T]):
    """Draws one of `values` with the given relative weights (a zero weight is never drawn)."""

    __slots__ = ("_cumulative", "_total", "_values")

    def __init__(self, values: Sequence[T], weights: Sequence[float]) -> None:
        if len(values) != len(weights) or sum(weights) <= 0:
            raise ValueError("Need one non-negative weight per value, not all zero.")
        self._values = tuple(values)
        self._cumulative = tuple(itertools.accumulate(weights))
        self._total = self._cumulative[-1]

    def draw(self, rng: random.Random) -> T:
        return self._values[bisect.bisect(self._cumulative, rng.random() * self._total)]


def fit_joint(
    affinity: Sequence[Sequence[float]],
    row_totals: Sequence[float],
    column_totals: Sequence[float],
    rounds: int = 200,
) -> list[list[float]]:
    """Scale an affinity matrix until its row and column sums have the given proportions
    (iterative proportional fitting): both distributions hold, and so does the correlation."""
    rows = shares(row_totals)
    columns = shares(column_totals)
    joint = [[float(x) for x in row] for row in affinity]
    for _ in range(rounds):
        for i, row in enumerate(joint):
            factor = rows[i] / sum(row)
            joint[i] = [x * factor for x in row]
        for j, want in enumerate(columns):
            factor = want / sum(row[j] for row in joint)
            for row in joint:
                row[j] *= factor
    return joint


def conditional_samplers(
    affinity: Sequence[Sequence[float]],
    row_totals: Sequence[float],
    values: Sequence[T],
    value_totals: Sequence[float],
) -> tuple[Sampler[T], ...]:
    """One sampler per row, drawing values so that the totals hold over the whole population."""
    joint = fit_joint(affinity, row_totals, value_totals)
    return tuple(Sampler(values, row) for row in joint)


def shares(totals: Sequence[float]) -> list[float]:
    whole = sum(totals)
    return [x / whole for x in totals]


def quota(count: int, sizes: Sequence[float]) -> list[int]:
    """Split `count` in proportion to `sizes`, rounding by largest remainder."""
    exact = [count * share for share in shares(sizes)]
    result = [int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: exact[i] - result[i], reverse=True)
    for i in by_remainder[: count - sum(result)]:
        result[i] += 1
    return result


@dataclasses.dataclass(frozen=True, slots=True)
class Tables:
    """All conditional distributions, fitted once per run."""

    step: tuple[Sampler[int], ...]  # by group
    target: tuple[Sampler[int], ...]  # by current step - 1
    age_band: tuple[Sampler[int], ...]  # by group
    household: tuple[Sampler[HouseholdType], ...]  # by age band
    education: tuple[Sampler[EducationLevel], ...]  # by group
    duration_band: tuple[Sampler[int], ...]  # by group, for those still on benefit
    outflow: tuple[Sampler[OutflowReason], ...]  # by group
    previous_group: tuple[Sampler[int], ...]  # by group
    origin: Sampler[str]
    earlier_spell_reason: Sampler[OutflowReason]
    barrier_chance: dict[str, tuple[float, ...]]  # by barrier code, by group

    @classmethod
    def build(cls) -> Tables:
        target_affinity = [
            [TARGET_DISTANCE_AFFINITY[t - s] if t >= s else 0.0 for t in STEPS] for s in STEPS
        ]
        stayers = [
            size * (1 - leave) for size, leave in zip(GROUP_SIZES, LEAVE_CHANCE, strict=True)
        ]
        return cls(
            # Fitted to those still on benefit, as the ladder counts are.
            step=conditional_samplers(GROUP_STEP_AFFINITY, stayers, STEPS, STEPS_NOW),
            target=conditional_samplers(target_affinity, STEPS_NOW, STEPS, STEPS_TARGET),
            age_band=conditional_samplers(
                GROUP_AGE_AFFINITY, GROUP_SIZES, range(len(AGE_BANDS)), AGE_SHARES
            ),
            household=conditional_samplers(
                AGE_HOUSEHOLD_AFFINITY, AGE_SHARES, HOUSEHOLDS, HOUSEHOLD_SHARES
            ),
            education=conditional_samplers(
                GROUP_EDUCATION_AFFINITY, GROUP_SIZES, EDUCATION, EDUCATION_SHARES
            ),
            duration_band=conditional_samplers(
                GROUP_DURATION_AFFINITY, stayers, range(len(DURATION_SHARES)), DURATION_SHARES
            ),
            outflow=tuple(Sampler(OUTFLOW_REASONS, w) for w in GROUP_OUTFLOW_WEIGHTS),
            previous_group=tuple(Sampler(range(len(GROUPS)), w) for w in PREVIOUS_GROUP_WEIGHTS),
            origin=Sampler(ORIGINS, ORIGIN_SHARES),
            earlier_spell_reason=Sampler(OUTFLOW_REASONS, EARLIER_SPELL_REASON_WEIGHTS),
            barrier_chance=_barrier_chances(),
        )


def _barrier_chances() -> dict[str, tuple[float, ...]]:
    """Per barrier and klantgroep the chance that makes the overall share come out right."""
    group_shares = shares(GROUP_SIZES)
    chances = {}
    for code, share in BARRIER_SHARES.items():
        factors = BARRIER_GROUP_FACTOR[code]
        scale = share / sum(s * f for s, f in zip(group_shares, factors, strict=True))
        chances[code] = tuple(min(0.95, scale * f) for f in factors)
    return chances
