"""Drawing clients: who they are, where they live, their benefit, and (from demo.history) the
consultant's work with them."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from clients.models import BenefitScheme, Gender, HouseholdType, OutflowReason
from demo.bsns import draw_bsns
from demo.context import Context
from demo.distributions import (
    AGE_BANDS,
    CHILDCARE_CHANCE,
    CIVIC_INTEGRATION_CHANCE,
    CIVIC_INTEGRATION_CHANCE_STATUS_HOLDER,
    EARLIER_SPELL_CHANCE,
    GROEIEN,
    GROUP_SIZES,
    LEAVE_CHANCE,
    LONG_SPELL_EXTRA_DAYS,
    MATCHEN,
    QUALIFYING_EDUCATION,
    SPELL_DAYS_OF_LEAVERS,
    STATUS_HOLDER_CHANCE,
    quota,
)
from demo.history import Case, draw_work
from demo.names import EMAIL_DOMAINS, MOROCCAN_NAMES, REFUGEE_NAMES, ascii_slug, dutch_surname
from demo.places import STREETS_PER_PLACE
from demo.records import Address, Period, Person
from demo.vignettes import VIGNETTES, Vignette


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
    in_register = rng.random() < register_chance
    phone = _draw_phone(rng)
    email = _draw_email(rng, first_name, prefix + last_name)
    case = Case(
        team=team,
        neighbourhood=address.neighbourhood,
        group=group,
        step=step,
        target=target,
        consultant=consultant,
        intake_officer=intake,
        periods=periods,
        ambition_on=_ambition_day(ctx, current),
        born=born,
        barriers=barriers,
    )
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
        in_target_group_register=in_register,
        barriers=barriers,
        address=address,
        phone=phone,
        email=email,
        team=ctx.staff.teams[team],
        consultant=consultant,
        intake_officer=intake,
        group=group,
        periods=periods,
        work=draw_work(ctx, case),
    )


def vignette_person(ctx: Context, vignette: Vignette, bsn: str) -> Person:
    rng = ctx.rng
    start = ctx.today - datetime.timedelta(days=round(vignette.months_on_benefit * 30.44))
    period = Period(BenefitScheme.PW, start, None, "")
    first_name = vignette.first_name
    address = _draw_address(ctx, 0)
    phone = _draw_phone(rng)
    email = _draw_email(rng, first_name, vignette.surname_prefix + vignette.last_name)
    intake = rng.choice(ctx.staff.intake_officers[0])
    case = Case(
        team=0,
        neighbourhood=address.neighbourhood,
        group=vignette.group,
        step=vignette.step,
        target=vignette.target,
        consultant=ctx.staff.demo_consultant,
        intake_officer=intake,
        periods=[period],
        ambition_on=_ambition_day(ctx, period),
        born=ctx.today - datetime.timedelta(days=vignette.age_days),
        barriers=vignette.barriers,
        note=vignette.note,
        story=vignette.story,
    )
    return Person(
        bsn=bsn,
        first_name=first_name,
        surname_prefix=vignette.surname_prefix,
        last_name=vignette.last_name,
        gender=vignette.gender,
        date_of_birth=case.born,
        household=vignette.household,
        education=vignette.education,
        has_basic_qualification=vignette.has_basic_qualification,
        is_status_holder=vignette.is_status_holder,
        has_civic_integration_duty="civic_integration" in vignette.barriers,
        in_target_group_register=False,
        barriers=vignette.barriers,
        address=address,
        phone=phone,
        email=email,
        team=ctx.staff.teams[0],
        consultant=case.consultant,
        intake_officer=intake,
        group=vignette.group,
        periods=[period],
        work=draw_work(ctx, case),
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


def _ambition_day(ctx: Context, period: Period) -> datetime.date:
    """The day of the ambitiegesprek: soon after inflow, or in the window's first year for those
    already on benefit (everyone existing gets one in the first year). From then on the client
    has a klantgroep and a ladder step; a client whose day is still to come is in intake."""
    rng = ctx.rng
    if period.start >= ctx.window_start:
        return period.start + datetime.timedelta(days=rng.randint(7, 45))
    return ctx.window_start + datetime.timedelta(days=rng.randrange(365))
