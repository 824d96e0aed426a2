"""The demo municipality: a Deventer-like caseload drawn from the distributions in DOMAIN.md.

Drawing is plain Python on one `random.Random(seed)` and one seeded Faker, so the same seed,
size and reference date give the same rows. Clients are drawn one at a time and inserted in
chunks with bulk_create inside one transaction: memory stays flat as the municipality grows.

The numbers below describe a demo population, not policy: policy (klantgroepen, ladder steps,
barrier types) is read from the database by code, as the application manager left it.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
import random
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, NamedTuple, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from casework.models import JobTitle, Role, Team, User
from clients.bsn import check_digit
from clients.models import (
    BarrierType,
    BenefitPeriod,
    BenefitScheme,
    Client,
    ClientGroup,
    ClientGroupAssignment,
    EducationLevel,
    Gender,
    HouseholdType,
    LadderMeasurement,
    LadderStep,
    OutflowReason,
)

T = TypeVar("T")

DEFAULT_CLIENTS = 2700  # about Deventer's number of people on bijstand
DEFAULT_SEED = 7411
DEFAULT_YEARS = 3
CHUNK_SIZE = 2000  # clients drawn and inserted at a time
BATCH_SIZE = 2000  # rows per INSERT statement

# The demo log-ins exist only in demo data; every other generated user has no usable password.
DEMO_PASSWORD = "demo"  # noqa: S105
DEMO_USERNAMES = ("consulent", "teamleider", "beleid", "beheer")


class DemoDataError(Exception):
    """The database does not hold what the generator needs, or already holds what it makes."""


# --- Distributions (DOMAIN.md, "Realistic demo data") -------------------------------------

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

# Ladder measurements: days between two, per klantgroep (Matchen is seen most often).
MEASUREMENT_INTERVAL_DAYS = ((90, 200), (240, 420), (200, 400), (200, 450))

# Consultants: who holds the caseload of each klantgroep, and how many clients each holds.
GROUP_JOB_TITLES = (
    JobTitle.WORK_BROKER,
    JobTitle.WORK_COACH,
    JobTitle.PARTICIPATION_BROKER,
    JobTitle.INCOME_CONSULTANT,
)
CASELOAD_SIZE = (50, 65, 90, 120)
CLIENTS_PER_INTAKE_OFFICER = 500
CLIENTS_PER_GATEKEEPER = 1000


@dataclasses.dataclass(frozen=True, slots=True)
class Place:
    neighbourhood: str
    city: str
    postcode_area: str  # approximate
    weight: float  # relative number of people on bijstand


# Teams by area of the municipality of Deventer, the demo consultant's team first.
TEAM_AREAS: tuple[tuple[str, tuple[Place, ...]], ...] = (
    (
        "Team Centrum en Zandweerd",
        (
            Place("Binnenstad", "Deventer", "7411", 6),
            Place("Knutteldorp", "Deventer", "7412", 4),
            Place("Zandweerd", "Deventer", "7413", 10),
            Place("Hoornwerk", "Deventer", "7413", 3),
        ),
    ),
    (
        "Team Keizerslanden en Borgele",
        (
            Place("Keizerslanden", "Deventer", "7414", 14),
            Place("Borgele", "Deventer", "7416", 8),
            Place("Platvoet", "Deventer", "7418", 6),
        ),
    ),
    (
        "Team Rivierenwijk en Voorstad",
        (
            Place("Rivierenwijk", "Deventer", "7417", 14),
            Place("Voorstad", "Deventer", "7415", 12),
            Place("De Hoven", "Deventer", "7412", 4),
        ),
    ),
    (
        "Team Colmschate en dorpen",
        (
            Place("Colmschate", "Deventer", "7423", 7),
            Place("Vijfhoek", "Deventer", "7425", 3),
            Place("Schalkhaar", "Schalkhaar", "7433", 1.5),
            Place("Diepenveen", "Diepenveen", "7431", 1.5),
            Place("Bathmen", "Bathmen", "7437", 1.5),
        ),
    ),
)
STREETS_PER_PLACE = 12
STREET_SUFFIXES = ("straat", "straat", "straat", "weg", "laan", "laan", "hof", "plein", "singel")
# Postcode letters: SA, SD and SS are not issued.
POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
UNUSED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
STAFF_EMAIL_DOMAIN = "gemeente-deventer.example"


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


SURNAME_PREFIXES = frozenset(
    _names("van, de, der, den, ter, ten, te, het, 't, 's, op, in, uit, la, le")
)
# Names for origins Faker has no Latin-script locale for: (male, female, surnames).
MOROCCAN_NAMES = (
    _names("Mohamed, Youssef, Said, Mustapha, Abdelkader, Hamid, Karim, Rachid, Nordin"),
    _names("Fatima, Khadija, Naima, Malika, Samira, Latifa, Souad, Nadia, Hanan"),
    _names("El Amrani, Bouzid, Benali, El Idrissi, Aarab, Boukhari, Azzouzi, Ouali, Belhaj"),
)
REFUGEE_NAMES = (
    _names(
        "Ahmad, Mohammed, Omar, Khaled, Yousef, Hassan, Mustafa, Samir, Tariq, Yonas, Tesfay, "
        "Dawit, Filmon, Mehari, Farid, Jawad, Reza"
    ),
    _names(
        "Fatima, Amina, Rania, Noor, Huda, Layla, Zainab, Mariam, Rasha, Selam, Senait, Saba, "
        "Luwam, Mebrat, Shirin, Parwana, Zahra"
    ),
    _names(
        "Al-Hassan, Haddad, Khalil, Al-Ali, Hamdan, Ibrahim, Mansour, Saleh, Darwish, Nasser, "
        "Tesfamariam, Ghebremedhin, Haile, Kidane, Tekle, Berhe, Ahmadi, Hosseini, Rahimi, Sultani"
    ),
)

# Demo BSNs start with 99 (the national test persons use 999...), which keeps them apart from
# most numbers issued to people; that leaves about 909,000 valid numbers.
BSN_PREFIX = "99"
BSN_FREE_DIGITS = 6
MAX_CLIENTS = 900_000


# --- The named personas (DOMAIN.md vignettes), in the demo consultant's caseload -----------


@dataclasses.dataclass(frozen=True, slots=True)
class Vignette:
    first_name: str
    last_name: str
    gender: Gender
    age_days: int
    household: HouseholdType
    education: EducationLevel
    group: int
    step: int
    target: int
    months_on_benefit: int
    note: str  # on the latest ladder measurement
    surname_prefix: str = ""
    barriers: tuple[str, ...] = ()
    has_basic_qualification: bool = False
    is_status_holder: bool = False


def _age(years: int, days: int = 100) -> int:
    return round(years * 365.25) + days


VIGNETTES = (
    Vignette(
        first_name="Monique",
        last_name="Kamphuis",
        gender=Gender.FEMALE,
        age_days=_age(52),
        household=HouseholdType.SINGLE_PARENT,
        education=EducationLevel.PRE_VOCATIONAL,
        group=GROEIEN,
        step=5,
        target=6,
        months_on_benefit=50,
        barriers=("childcare",),
        note="Alleenstaande moeder van drie kinderen; moet om 14.00 uur thuis zijn. Werkt nu 16 "
        "uur met loonkostensubsidie in de schoonmaak en wil groeien naar hoogstens 28 uur per "
        "week, binnen schooltijden.",
    ),
    Vignette(
        first_name="Gerrit",
        last_name="Wolterink",
        gender=Gender.MALE,
        age_days=_age(61),
        household=HouseholdType.SINGLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=ZORGEN,
        step=1,
        target=2,
        months_on_benefit=150,
        barriers=("psychological",),
        note="Woont alleen en komt weinig buiten de deur; schizofrenie, in behandeling bij de "
        "GGZ. Doel: één vaste wekelijkse activiteit in de buurt, samen met de "
        "wijkverpleegkundige.",
    ),
    Vignette(
        first_name="Ria",
        surname_prefix="van",
        last_name="Dijk",
        gender=Gender.FEMALE,
        age_days=_age(60),
        household=HouseholdType.SINGLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=FACILITEREN,
        step=2,
        target=3,
        months_on_benefit=96,
        barriers=("medical",),
        note="Rugklachten: kan niet lang staan, zitten of tillen. Volgende stap is "
        "vrijwilligerswerk; de participatiemakelaar zoekt een plek met afwisselend werk, "
        "bijvoorbeeld in het buurthuis.",
    ),
    Vignette(
        first_name="Haider",
        last_name="Al-Jaburi",
        gender=Gender.MALE,
        age_days=_age(48),
        household=HouseholdType.COUPLE_WITH_CHILDREN,
        education=EducationLevel.VOCATIONAL,
        is_status_holder=True,
        group=GROEIEN,
        step=3,
        target=4,
        months_on_benefit=60,
        note="Statushouder uit Irak, twintig jaar ervaring als automonteur. Vrijgesteld van de "
        "taaleis. Volgende stap: een EVC-traject om zijn vakmanschap te laten erkennen, daarna "
        "een werkervaringsplaats bij een garage.",
    ),
    Vignette(
        first_name="Dennis",
        last_name="Koster",
        gender=Gender.MALE,
        age_days=_age(39),
        household=HouseholdType.COUPLE,
        education=EducationLevel.VOCATIONAL,
        has_basic_qualification=True,
        group=MATCHEN,
        step=4,
        target=6,
        months_on_benefit=2,
        note="Sinds kort in de bijstand na twee jaar WW. Logistiek medewerker met "
        "heftruckcertificaat, geen belemmeringen; vrijwilliger bij de voetbalclub. De "
        "werkmakelaar zoekt werk in de logistiek.",
    ),
    Vignette(
        first_name="Jordy",
        last_name="Hulshof",
        gender=Gender.MALE,
        age_days=_age(26),
        household=HouseholdType.SINGLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=GROEIEN,
        step=3,
        target=5,
        months_on_benefit=18,
        note="Veel korte baantjes via uitzendbureaus gehad, maar houdt het niet lang vol; geen "
        "vast dagritme. Start met een werkfit-traject om ritme op te bouwen, daarna een "
        "werkleerroute.",
    ),
    Vignette(
        first_name="Henk",
        last_name="Brinkhuis",
        gender=Gender.MALE,
        age_days=_age(64, 300),
        household=HouseholdType.COUPLE,
        education=EducationLevel.PRE_VOCATIONAL,
        group=FACILITEREN,
        step=3,
        target=4,
        months_on_benefit=120,
        note="Bijna 65 en actief in de buurt: biljartclub en koffieochtend in het wijkcentrum. "
        "Wil tot zijn AOW als gastheer in het wijkcentrum meedraaien.",
    ),
    Vignette(
        first_name="Sandra",
        last_name="Hoekstra",
        gender=Gender.FEMALE,
        age_days=_age(47),
        household=HouseholdType.SINGLE,
        education=EducationLevel.NONE,
        group=ZORGEN,
        step=2,
        target=2,
        months_on_benefit=210,
        barriers=("psychological", "problem_debts"),
        note="Complexe psychische klachten (angst en depressie), al ruim zeventien jaar in de "
        "uitkering. Schuldhulpverlening loopt. Bestaanszekerheid en een stabiele woonsituatie "
        "gaan voor; geen perspectief op werk.",
    ),
)


# --- Sampling helpers ----------------------------------------------------------------------


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
    rows = _shares(row_totals)
    columns = _shares(column_totals)
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


def _shares(totals: Sequence[float]) -> list[float]:
    whole = sum(totals)
    return [x / whole for x in totals]


def quota(count: int, sizes: Sequence[float]) -> list[int]:
    """Split `count` in proportion to `sizes`, rounding by largest remainder."""
    exact = [count * share for share in _shares(sizes)]
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
    group_shares = _shares(GROUP_SIZES)
    chances = {}
    for code, share in BARRIER_SHARES.items():
        factors = BARRIER_GROUP_FACTOR[code]
        scale = share / sum(s * f for s, f in zip(group_shares, factors, strict=True))
        chances[code] = tuple(min(0.95, scale * f) for f in factors)
    return chances


# --- BSNs ----------------------------------------------------------------------------------


def bsn_from_prefix(number: int) -> str | None:
    """The BSN 99 + six digits + check digit, or None when no check digit passes the elfproef."""
    head = f"{BSN_PREFIX}{number:0{BSN_FREE_DIGITS}d}"
    check = check_digit(head)
    return None if check is None else f"{head}{check}"


def draw_bsns(rng: random.Random, count: int) -> list[str]:
    """`count` distinct BSNs that pass the elfproef, in random order."""
    space = 10**BSN_FREE_DIGITS
    size = min(space, count + count // 8 + 64)
    while True:
        candidates = (bsn_from_prefix(n) for n in rng.sample(range(space), size))
        bsns = [bsn for bsn in candidates if bsn is not None]
        if len(bsns) >= count or size == space:
            return bsns[:count]
        size = min(space, size * 2)


# --- Staff ---------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class Staff:
    users: list[User]
    teams: list[Team]
    holders: list[list[list[User]]]  # [team][group] -> who holds that klantgroep's caseload
    intake_officers: list[list[User]]  # [team]
    demo_consultant: User


def ensure_teams() -> list[Team]:
    """The area teams, reusing a team that already has the name."""
    names = [name for name, _places in TEAM_AREAS]
    existing = {team.name: team for team in Team.objects.filter(name__in=names)}
    missing = [Team(name=name) for name in names if name not in existing]
    Team.objects.bulk_create(missing)
    existing.update((team.name, team) for team in missing)
    return [existing[name] for name in names]


def team_shares() -> list[float]:
    return _shares([sum(place.weight for place in places) for _name, places in TEAM_AREAS])


def draw_staff(
    rng: random.Random, fake: Faker, teams: Sequence[Team], *, clients: int, taken: set[str]
) -> Staff:
    """The demo log-ins plus enough consultants per team for caseloads of a realistic size."""
    names = _NameMaker(fake["nl_NL"], taken)
    demo_consultant = _demo_user(
        "consulent", "Sanne", "Visser", Role.CONSULTANT, teams[0], JobTitle.WORK_COACH
    )
    users = [
        demo_consultant,
        _demo_user("teamleider", "Marco", "Wolters", Role.MANAGER, teams[0]),
        _demo_user("beleid", "Ilse", "Hendriks", Role.POLICY, None),
        _demo_user("beheer", "Pieter", "Kok", Role.ADMIN, None, is_staff=True),
    ]
    group_shares = _shares(GROUP_SIZES)
    holders: list[list[list[User]]] = []
    intake_officers: list[list[User]] = []
    for index, (team, share) in enumerate(zip(teams, team_shares(), strict=True)):
        expected = clients * share
        if index > 0:
            users.append(names.user(rng, Role.MANAGER, team, ""))
        for _ in range(_staff_count(expected, CLIENTS_PER_GATEKEEPER)):
            users.append(names.user(rng, Role.CONSULTANT, team, JobTitle.GATEKEEPER))
        intakes = [
            names.user(rng, Role.CONSULTANT, team, JobTitle.INTAKE)
            for _ in range(_staff_count(expected, CLIENTS_PER_INTAKE_OFFICER))
        ]
        team_holders: list[list[User]] = []
        for group, title in enumerate(GROUP_JOB_TITLES):
            wanted = _staff_count(expected * group_shares[group], CASELOAD_SIZE[group])
            members = [demo_consultant] if index == 0 and title == JobTitle.WORK_COACH else []
            members += [
                names.user(rng, Role.CONSULTANT, team, title) for _ in range(wanted - len(members))
            ]
            team_holders.append(members)
        users += intakes
        users += [
            user for members in team_holders for user in members if user is not demo_consultant
        ]
        holders.append(team_holders)
        intake_officers.append(intakes)
    return Staff(users, list(teams), holders, intake_officers, demo_consultant)


def _staff_count(clients: float, per_person: int) -> int:
    return max(1, -(-round(clients) // per_person))


def _demo_user(
    username: str,
    first_name: str,
    last_name: str,
    role: Role,
    team: Team | None,
    job_title: str = "",
    *,
    is_staff: bool = False,
) -> User:
    return User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{STAFF_EMAIL_DOMAIN}",
        role=role,
        job_title=job_title,
        team=team,
        is_staff=is_staff,
        password=make_password(DEMO_PASSWORD),
    )


class _NameMaker:
    """Staff names and unique usernames (initial.surname), avoiding the ones already taken."""

    def __init__(self, fake: Faker, taken: set[str]) -> None:
        self._fake = fake
        self._taken = set(taken) | set(DEMO_USERNAMES)
        self._unusable = make_password(None)

    def user(self, rng: random.Random, role: Role, team: Team, job_title: str) -> User:
        female = rng.random() < 0.6
        first = self._fake.first_name_female() if female else self._fake.first_name_male()
        prefix, last = dutch_surname(self._fake)
        surname = f"{prefix} {last}" if prefix else last
        base = f"{ascii_slug(first)[:1]}.{ascii_slug(surname)}"
        username = base
        for number in itertools.count(2):
            if username not in self._taken:
                break
            username = f"{base}{number}"
        self._taken.add(username)
        return User(
            username=username,
            first_name=first,
            last_name=surname,
            email=f"{username}@{STAFF_EMAIL_DOMAIN}",
            role=role,
            job_title=job_title,
            team=team,
            # One unusable hash for all: only the demo log-ins can sign in.
            password=self._unusable,
        )


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def dutch_surname(fake: Faker) -> tuple[str, str]:
    """A Faker nl_NL surname split into prefix and name ("van der", "Berg")."""
    while True:
        words = fake.last_name().split()
        cut = 0
        while cut < len(words) - 1 and words[cut].lower() in SURNAME_PREFIXES:
            cut += 1
        rest = words[cut:]
        if len(rest) == 1 and rest[0][:1].isupper():
            return " ".join(words[:cut]).lower(), rest[0]


# --- Clients -------------------------------------------------------------------------------


class Period(NamedTuple):
    scheme: str
    start: datetime.date
    end: datetime.date | None
    reason: str


class Assignment(NamedTuple):
    group: int
    start: datetime.date
    end: datetime.date | None
    reason: str
    chosen_by_client: bool
    by_intake: bool


class Measurement(NamedTuple):
    measured_on: datetime.date
    step: int
    target: int
    note: str
    by_intake: bool


class Address(NamedTuple):
    street: str
    house_number: str
    postcode: str
    city: str
    neighbourhood: str


@dataclasses.dataclass(slots=True)
class Person:
    """One client with its histories, drawn but not saved."""

    bsn: str
    first_name: str
    surname_prefix: str
    last_name: str
    gender: str
    date_of_birth: datetime.date
    household: str
    education: str
    has_basic_qualification: bool
    is_status_holder: bool
    has_civic_integration_duty: bool
    in_target_group_register: bool
    barriers: tuple[str, ...]
    address: Address
    phone: str
    email: str
    team: Team
    consultant: User
    intake_officer: User
    group: int
    periods: list[Period]
    assignments: list[Assignment]
    measurements: list[Measurement]


@dataclasses.dataclass(frozen=True, slots=True)
class Street:
    name: str
    postcode: str
    place: Place


@dataclasses.dataclass(slots=True)
class Context:
    """What drawing a client needs: randomness, distributions, staff and the calendar."""

    rng: random.Random
    fake: Faker
    tables: Tables
    staff: Staff
    streets: list[list[Street]]  # [team]
    team_of_place: Sampler[int]
    place_in_team: list[Sampler[int]]
    today: datetime.date
    window_start: datetime.date


def build_context(
    rng: random.Random, fake: Faker, staff: Staff, *, today: datetime.date, years: int
) -> Context:
    streets = [draw_streets(rng, fake["nl_NL"], places) for _name, places in TEAM_AREAS]
    return Context(
        rng=rng,
        fake=fake,
        tables=Tables.build(),
        staff=staff,
        streets=streets,
        team_of_place=Sampler(range(len(TEAM_AREAS)), team_shares()),
        place_in_team=[
            Sampler(range(len(places)), [place.weight for place in places])
            for _name, places in TEAM_AREAS
        ],
        today=today,
        window_start=today - datetime.timedelta(days=round(365.25 * years)),
    )


def draw_streets(rng: random.Random, fake: Faker, places: Sequence[Place]) -> list[Street]:
    """Invented streets, STREETS_PER_PLACE per neighbourhood in order, each with its postcode."""
    streets = []
    for place in places:
        for _ in range(STREETS_PER_PLACE):
            name = ""
            while not name.isalpha():
                _prefix, name = dutch_surname(fake)
            letters = _postcode_letters(rng)
            streets.append(
                Street(
                    f"{name}{rng.choice(STREET_SUFFIXES)}",
                    f"{place.postcode_area} {letters}",
                    place,
                )
            )
    return streets


def _postcode_letters(rng: random.Random) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in UNUSED_POSTCODE_LETTERS:
            return letters


def draw_people(ctx: Context, count: int) -> Iterator[Person]:
    """The vignettes first, then random clients; klantgroepen exactly in Deventer's proportions."""
    bsns = draw_bsns(ctx.rng, count)
    groups = _group_sequence(ctx.rng, count)
    for vignette, bsn in zip(VIGNETTES, bsns, strict=False):
        yield vignette_person(ctx, vignette, bsn)
    for bsn, group in zip(bsns[len(VIGNETTES) :], groups, strict=True):
        yield random_person(ctx, bsn, group)


def _group_sequence(rng: random.Random, count: int) -> list[int]:
    wanted = quota(count, GROUP_SIZES)
    for vignette in VIGNETTES:
        wanted[vignette.group] -= 1
    sequence = [group for group, n in enumerate(wanted) for _ in range(max(0, n))]
    rng.shuffle(sequence)
    # A tiny municipality can have fewer places in a group than vignettes in it.
    return sequence[: count - len(VIGNETTES)]


def random_person(ctx: Context, bsn: str, group: int) -> Person:
    rng, tables = ctx.rng, ctx.tables
    age_band = tables.age_band[group].draw(rng)
    low, high = AGE_BANDS[age_band]
    born = ctx.today - datetime.timedelta(days=round(rng.uniform(low, high + 0.99) * 365.25))
    household = tables.household[age_band].draw(rng)
    gender = _draw_gender(rng, household)
    origin = tables.origin.draw(rng)
    first_name, prefix, last_name = _draw_name(ctx, origin, gender)
    status_holder = origin == "refugee" and rng.random() < STATUS_HOLDER_CHANCE
    education = tables.education[group].draw(rng)
    qualified = not status_holder and education in QUALIFYING_EDUCATION and rng.random() < 0.95
    barriers = _draw_barriers(ctx, group, household, origin, status_holder)
    step = tables.step[group].draw(rng)
    target = tables.target[step - 1].draw(rng)
    register_chance = 0.35 if group == GROEIEN and age_band == 0 else 0.02
    team = ctx.team_of_place.draw(rng)
    address = _draw_address(ctx, team)
    consultant = rng.choice(ctx.staff.holders[team][group])
    intake = rng.choice(ctx.staff.intake_officers[team])
    leaves = rng.random() < LEAVE_CHANCE[group]
    periods = _draw_benefit(ctx, group, born, leaves=leaves)
    current = periods[0]
    if current.reason in (OutflowReason.WORK, OutflowReason.OWN_BUSINESS):
        step, target = max(step, 5), 6
    first_day, last_day = _active_days(ctx, current)
    return Person(
        bsn=bsn,
        first_name=first_name,
        surname_prefix=prefix,
        last_name=last_name,
        gender=gender,
        date_of_birth=born,
        household=household,
        education=education,
        has_basic_qualification=qualified,
        is_status_holder=status_holder,
        has_civic_integration_duty="civic_integration" in barriers,
        in_target_group_register=rng.random() < register_chance,
        barriers=barriers,
        address=address,
        phone=_draw_phone(rng),
        email=_draw_email(rng, first_name, prefix + last_name),
        team=ctx.staff.teams[team],
        consultant=consultant,
        intake_officer=intake,
        group=group,
        periods=periods,
        assignments=draw_group_history(ctx, group, first_day, last_day),
        measurements=draw_ladder_history(ctx, group, first_day, last_day, step, target),
    )


def vignette_person(ctx: Context, vignette: Vignette, bsn: str) -> Person:
    rng = ctx.rng
    start = ctx.today - datetime.timedelta(days=round(vignette.months_on_benefit * 30.44))
    period = Period(BenefitScheme.PW, start, None, "")
    first_day, last_day = _active_days(ctx, period)
    first_name = vignette.first_name
    measurements = draw_ladder_history(
        ctx, vignette.group, first_day, last_day, vignette.step, vignette.target
    )
    measurements[-1] = measurements[-1]._replace(note=vignette.note)
    return Person(
        bsn=bsn,
        first_name=first_name,
        surname_prefix=vignette.surname_prefix,
        last_name=vignette.last_name,
        gender=vignette.gender,
        date_of_birth=ctx.today - datetime.timedelta(days=vignette.age_days),
        household=vignette.household,
        education=vignette.education,
        has_basic_qualification=vignette.has_basic_qualification,
        is_status_holder=vignette.is_status_holder,
        has_civic_integration_duty="civic_integration" in vignette.barriers,
        in_target_group_register=False,
        barriers=vignette.barriers,
        address=_draw_address(ctx, 0),
        phone=_draw_phone(rng),
        email=_draw_email(rng, first_name, vignette.surname_prefix + vignette.last_name),
        team=ctx.staff.teams[0],
        consultant=ctx.staff.demo_consultant,
        intake_officer=rng.choice(ctx.staff.intake_officers[0]),
        group=vignette.group,
        periods=[period],
        assignments=[Assignment(vignette.group, first_day, None, FIRST_GROUP_REASON, True, True)],
        measurements=measurements,
    )


def _draw_gender(rng: random.Random, household: str) -> Gender:
    if rng.random() < 0.003:
        return Gender.OTHER
    female_chance = 0.88 if household == HouseholdType.SINGLE_PARENT else 0.5
    return Gender.FEMALE if rng.random() < female_chance else Gender.MALE


def _draw_name(ctx: Context, origin: str, gender: Gender) -> tuple[str, str, str]:
    rng = ctx.rng
    female = gender == Gender.FEMALE or (gender == Gender.OTHER and rng.random() < 0.5)
    if origin in ("moroccan", "refugee"):
        males, females, surnames = MOROCCAN_NAMES if origin == "moroccan" else REFUGEE_NAMES
        return rng.choice(females if female else males), "", rng.choice(surnames)
    if origin in ("turkish", "polish"):
        fake = ctx.fake["tr_TR" if origin == "turkish" else "pl_PL"]
        if female:
            return fake.first_name_female(), "", fake.last_name_female()
        return fake.first_name_male(), "", fake.last_name_male()
    fake = ctx.fake["nl_NL"]
    first = fake.first_name_female() if female else fake.first_name_male()
    prefix, last = dutch_surname(fake)
    return first, prefix, last


def _draw_barriers(
    ctx: Context, group: int, household: str, origin: str, status_holder: bool
) -> tuple[str, ...]:
    rng = ctx.rng
    found = [
        code for code, chances in ctx.tables.barrier_chance.items() if rng.random() < chances[group]
    ]
    if rng.random() < CHILDCARE_CHANCE.get(household, 0.0):
        found.append("childcare")
    civic = (
        CIVIC_INTEGRATION_CHANCE_STATUS_HOLDER
        if status_holder
        else CIVIC_INTEGRATION_CHANCE.get(origin, 0.0)
    )
    if rng.random() < civic:
        found.append("civic_integration")
    return tuple(found)


def _draw_address(ctx: Context, team: int) -> Address:
    rng = ctx.rng
    place = ctx.place_in_team[team].draw(rng)
    street = ctx.streets[team][place * STREETS_PER_PLACE + rng.randrange(STREETS_PER_PLACE)]
    number = str(rng.randint(1, 180))
    if rng.random() < 0.1:
        number += rng.choice(("a", "b", "-1", "-2", " bis"))
    return Address(
        street.name, number, street.postcode, street.place.city, street.place.neighbourhood
    )


def _draw_phone(rng: random.Random) -> str:
    return f"06-{rng.randrange(10**7, 10**8)}" if rng.random() < 0.75 else ""


def _draw_email(rng: random.Random, first_name: str, surname: str) -> str:
    if rng.random() >= 0.55:
        return ""
    suffix = str(rng.randint(1, 99)) if rng.random() < 0.4 else ""
    return f"{ascii_slug(first_name)}.{ascii_slug(surname)}{suffix}@{rng.choice(EMAIL_DOMAINS)}"


def _draw_benefit(ctx: Context, group: int, born: datetime.date, *, leaves: bool) -> list[Period]:
    """The current (or last) spell first, then possibly one that ended earlier."""
    rng, tables, today = ctx.rng, ctx.tables, ctx.today
    adult_on = born + datetime.timedelta(days=round(18 * 365.25))
    first_possible_end = max(ctx.window_start, adult_on) + datetime.timedelta(days=30)
    end: datetime.date | None = None
    reason = ""
    if leaves and first_possible_end < today:
        end = first_possible_end + datetime.timedelta(
            days=rng.randrange((today - first_possible_end).days)
        )
        start = max(
            adult_on, end - datetime.timedelta(days=rng.randint(*SPELL_DAYS_OF_LEAVERS[group]))
        )
        reason = tables.outflow[group].draw(rng)
    else:
        days = _draw_duration_days(rng, tables.duration_band[group].draw(rng), group)
        start = max(adult_on, today - datetime.timedelta(days=days))
    periods = [Period(_draw_scheme(rng, group, born, start), start, end, reason)]
    if rng.random() < EARLIER_SPELL_CHANCE:
        earlier_end = start - datetime.timedelta(days=rng.randint(60, 900))
        earlier_start = earlier_end - datetime.timedelta(days=rng.randint(90, 1100))
        if earlier_start >= adult_on:
            reason = tables.earlier_spell_reason.draw(rng)
            periods.append(Period(BenefitScheme.PW, earlier_start, earlier_end, reason))
    return periods


def _draw_duration_days(rng: random.Random, band: int, group: int) -> int:
    if band == 0:
        return rng.randint(0, 240 if group == MATCHEN else 730)
    if band == 1:
        return rng.randint(731, 1826)
    return 1827 + round(rng.expovariate(1 / LONG_SPELL_EXTRA_DAYS))


def _draw_scheme(rng: random.Random, group: int, born: datetime.date, start: datetime.date) -> str:
    """Mostly PW; IOAW and IOAZ for older people born before 1965; a few self-employed (Bbz)."""
    age_at_start = (start - born).days / 365.25
    if born.year < 1965 and age_at_start >= 50 and rng.random() < 0.3:
        return BenefitScheme.IOAW
    if born.year < 1965 and age_at_start >= 55 and rng.random() < 0.05:
        return BenefitScheme.IOAZ
    if group in (MATCHEN, GROEIEN) and rng.random() < 0.02:
        return BenefitScheme.BBZ
    return BenefitScheme.PW


def _active_days(ctx: Context, period: Period) -> tuple[datetime.date, datetime.date]:
    """The days within the history window on which the client had a klantgroep and a ladder
    step: from the ambitiegesprek (soon after inflow, or in the window's first year for those
    already on benefit) to the end of the benefit or today."""
    rng = ctx.rng
    last_day = period.end or ctx.today
    if period.start >= ctx.window_start:
        first_day = period.start + datetime.timedelta(days=rng.randint(7, 45))
    else:
        first_day = ctx.window_start + datetime.timedelta(days=rng.randrange(365))
    return min(first_day, last_day), last_day


def draw_group_history(
    ctx: Context, group: int, first_day: datetime.date, last_day: datetime.date
) -> list[Assignment]:
    """Klantgroep assignments ending in `group`; each ends the day before the next starts."""
    rng = ctx.rng
    years = (last_day - first_day).days // 365
    moves = min(4, sum(1 for _ in range(years) if rng.random() < GROUP_MOVE_CHANCE_PER_YEAR))
    room = range(first_day.toordinal() + 30, last_day.toordinal() + 1)
    if len(room) < moves:
        moves = 0
    starts = [first_day, *(datetime.date.fromordinal(d) for d in sorted(rng.sample(room, moves)))]
    groups = [group]
    for _ in range(moves):
        groups.append(ctx.tables.previous_group[groups[-1]].draw(rng))
    groups.reverse()
    assignments = []
    for i, (this_group, start) in enumerate(zip(groups, starts, strict=True)):
        is_last = i == moves
        end = None if is_last else starts[i + 1] - datetime.timedelta(days=1)
        if i == 0:
            reason = FIRST_GROUP_REASON
        else:
            reason = rng.choice(
                MOVE_UP_REASONS if this_group < groups[i - 1] else MOVE_DOWN_REASONS
            )
        assignments.append(Assignment(this_group, start, end, reason, rng.random() < 0.9, i == 0))
    return assignments


def draw_ladder_history(
    ctx: Context,
    group: int,
    first_day: datetime.date,
    last_day: datetime.date,
    step: int,
    target: int,
) -> list[Measurement]:
    """Measurements from the ambitiegesprek on, ending at (step, target); mostly climbing."""
    rng = ctx.rng
    low, high = MEASUREMENT_INTERVAL_DAYS[group]
    days = [first_day.toordinal()]
    end = last_day.toordinal()
    while (day := days[-1] + rng.randint(low, high)) <= end:
        days.append(day)
    steps, targets = [step], [target]
    for _ in range(len(days) - 1):
        chance = rng.random()
        earlier = steps[-1] - 1 if chance < 0.33 else steps[-1] + 1 if chance < 0.43 else steps[-1]
        earlier = min(6, max(1, earlier))
        steps.append(earlier)
        targets.append(max(earlier, min(targets[-1], earlier + 2)))
    steps.reverse()
    targets.reverse()
    last = len(days) - 1
    return [
        Measurement(datetime.date.fromordinal(day), s, t, "", i == 0 and last > 0)
        for i, (day, s, t) in enumerate(zip(days, steps, targets, strict=True))
    ]


# --- Saving --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class References:
    """Policy rows by code, as the application manager keeps them."""

    groups: tuple[int, ...]  # ClientGroup ids in GROUPS order
    steps: dict[int, int]  # ladder step number -> LadderStep id
    barriers: dict[str, int]  # barrier code -> BarrierType id

    @classmethod
    def load(cls) -> References:
        groups = dict(ClientGroup.objects.filter(code__in=GROUPS).values_list("code", "id"))
        steps = dict(LadderStep.objects.filter(number__in=STEPS).values_list("number", "id"))
        barriers = dict(BarrierType.objects.values_list("code", "id"))
        wanted_barriers = {*BARRIER_SHARES, "childcare", "civic_integration"}
        missing = [
            *(f"client group {code!r}" for code in GROUPS if code not in groups),
            *(f"ladder step {n}" for n in STEPS if n not in steps),
            *(f"barrier type {code!r}" for code in sorted(wanted_barriers - barriers.keys())),
        ]
        if missing:
            raise DemoDataError(
                "The policy defaults are incomplete (run migrate); missing: " + ", ".join(missing)
            )
        return cls(tuple(groups[code] for code in GROUPS), steps, barriers)


@dataclasses.dataclass(slots=True)
class SeedResult:
    counts: Counter[str]
    groups: Counter[str]


def save_people(people: Sequence[Person], refs: References) -> Counter[str]:
    """Insert one chunk of clients and everything that hangs from them."""
    clients = [_client_row(person) for person in people]
    Client.objects.bulk_create(clients, batch_size=BATCH_SIZE)
    periods: list[BenefitPeriod] = []
    assignments: list[ClientGroupAssignment] = []
    measurements: list[LadderMeasurement] = []
    barriers = []
    caseload = []
    barrier_link = Client.barriers.through
    caseload_link = Client.consultants.through
    for client, person in zip(clients, people, strict=True):
        client_id = client.pk
        consultant_id = person.consultant.pk
        intake_id = person.intake_officer.pk
        periods += [
            BenefitPeriod(
                client_id=client_id,
                scheme=p.scheme,
                start_date=p.start,
                end_date=p.end,
                end_reason=p.reason,
            )
            for p in person.periods
        ]
        assignments += [
            ClientGroupAssignment(
                client_id=client_id,
                group_id=refs.groups[a.group],
                start_date=a.start,
                end_date=a.end,
                reason=a.reason,
                chosen_by_client=a.chosen_by_client,
                assigned_by_id=intake_id if a.by_intake else consultant_id,
            )
            for a in person.assignments
        ]
        measurements += [
            LadderMeasurement(
                client_id=client_id,
                measured_on=m.measured_on,
                step_id=refs.steps[m.step],
                target_step_id=refs.steps[m.target],
                measured_by_id=intake_id if m.by_intake else consultant_id,
                note=m.note,
            )
            for m in person.measurements
        ]
        barriers += [
            barrier_link(client_id=client_id, barriertype_id=refs.barriers[code])
            for code in person.barriers
        ]
        caseload.append(caseload_link(client_id=client_id, user_id=consultant_id))
    BenefitPeriod.objects.bulk_create(periods, batch_size=BATCH_SIZE)
    ClientGroupAssignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)
    LadderMeasurement.objects.bulk_create(measurements, batch_size=BATCH_SIZE)
    barrier_link.objects.bulk_create(barriers, batch_size=BATCH_SIZE)
    caseload_link.objects.bulk_create(caseload, batch_size=BATCH_SIZE)
    return Counter(
        {
            "clients": len(clients),
            "benefit periods": len(periods),
            "group assignments": len(assignments),
            "ladder measurements": len(measurements),
            "barriers": len(barriers),
            "caseload links": len(caseload),
        }
    )


def _client_row(person: Person) -> Client:
    address = person.address
    return Client(
        bsn=person.bsn,
        first_name=person.first_name,
        surname_prefix=person.surname_prefix,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        street=address.street,
        house_number=address.house_number,
        postcode=address.postcode,
        city=address.city,
        neighbourhood=address.neighbourhood,
        phone=person.phone,
        email=person.email,
        household_type=person.household,
        education_level=person.education,
        has_basic_qualification=person.has_basic_qualification,
        is_status_holder=person.is_status_holder,
        has_civic_integration_duty=person.has_civic_integration_duty,
        in_target_group_register=person.in_target_group_register,
        team_id=person.team.pk,
    )


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@transaction.atomic
def seed_demo(
    *,
    clients: int = DEFAULT_CLIENTS,
    seed: int = DEFAULT_SEED,
    today: datetime.date,
    years: int = DEFAULT_YEARS,
) -> SeedResult:
    """Create the demo municipality: teams, staff with the demo log-ins, and `clients` clients
    with `years` of history up to `today`. Same arguments, same data."""
    if years < 1:
        raise DemoDataError("The history needs at least one year.")
    if not len(VIGNETTES) <= clients <= MAX_CLIENTS:
        raise DemoDataError(f"A demo municipality needs {len(VIGNETTES)} to {MAX_CLIENTS} clients.")
    refs = References.load()
    taken = set(User.objects.values_list("username", flat=True))
    if clashes := sorted(taken.intersection(DEMO_USERNAMES)):
        raise DemoDataError("The demo users already exist: " + ", ".join(clashes))
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    fake = Faker(["nl_NL", "tr_TR", "pl_PL"])
    fake.seed_instance(seed)

    teams = ensure_teams()
    staff = draw_staff(rng, fake, teams, clients=clients, taken=taken)
    User.objects.bulk_create(staff.users, batch_size=BATCH_SIZE)
    counts: Counter[str] = Counter({"teams": len(teams), "users": len(staff.users)})
    groups: Counter[str] = Counter()
    ctx = build_context(rng, fake, staff, today=today, years=years)
    for chunk in chunked(draw_people(ctx, clients), CHUNK_SIZE):
        counts.update(save_people(chunk, refs))
        groups.update(GROUPS[person.group] for person in chunk)
    return SeedResult(counts, groups)
