"""Employer services for the demo municipality: employers, vacancies, placements, work profiles.

Employers come first, about one for every ten clients, spread over the active kansrijke sectoren
(more in zorg, logistiek, techniek and schoonmaak, where most clients find work) with a size that
decides how often they post a vacancy and take on a client. Every benefit period that ended with
reason "work" gets its placement, starting the day after, as place_client records it; a share came
through one of the employer's vacancies, posted some weeks before. A placement ends the day before
the client's next benefit period, when there is one, and some others end later as contracts do:
whether a placement was durable is derived from the benefit periods
(instruments.employer_selectors.with_durability). Wage cost subsidy and job coaching follow the
client's own trajecten of those instruments, and are otherwise drawn by klantgroep.

Clients on benefit in a klantgroep that is offered vacancies (ClientGroup.offered_vacancies) mostly
have a work profile: the hours they can work and the sectors they look in, kept by their
consultant. With the open vacancies of the last three months they fill the werkmakelaar's matching
list.

Everything draws from a generator of its own, so the other rows stay as they were, and is inserted
with COPY (demo.saving).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from faker import Faker

from clients.models import ClientGroup, OutflowReason
from demo.distributions import Sampler
from demo.names import ascii_slug, dutch_surname
from demo.places import postcode_letters
from demo.policy import DemoDataError, References
from demo.records import Person
from demo.saving import Rows, take_ids
from instruments.models import (
    ContractType,
    Employer,
    Placement,
    Sector,
    Trajectory,
    Vacancy,
    VacancyLevel,
    WorkProfile,
)

CLIENTS_PER_EMPLOYER = 10
MIN_EMPLOYERS = 20
# How many employers of each sector, by the sector's name (OTHER_SECTOR_WEIGHT if not listed).
SECTOR_WEIGHTS = {
    "Zorg": 22,
    "Techniek": 14,
    "Logistiek": 14,
    "Schoonmaak": 11,
    "Detailhandel": 11,
    "Horeca": 9,
    "Bouw": 9,
    "Onderwijs": 5,
    "ICT": 3,
}
OTHER_SECTOR_WEIGHT = 3
# An employer's size: how often it posts a vacancy or takes on a client, relative to the others.
SIZE_SHAPE = 1.6  # Pareto: many small firms, a few large ones
MAX_SIZE = 25.0

# Where employers are: Deventer mostly, else a town nearby. (city, postcodes, phone area code)
CITIES = (
    (("Deventer", (7411, 7429), "0570"), 70),
    (("Apeldoorn", (7311, 7339), "055"), 5),
    (("Twello", (7391, 7392), "0571"), 5),
    (("Zutphen", (7201, 7207), "0575"), 4),
    (("Olst", (8121, 8121), "0570"), 3),
    (("Raalte", (8101, 8102), "0572"), 3),
    (("Holten", (7451, 7451), "0548"), 2),
    (("Wijhe", (8131, 8131), "0570"), 2),
    (("Bathmen", (7437, 7437), "0570"), 2),
    (("Schalkhaar", (7433, 7433), "0570"), 2),
    (("Gorssel", (7213, 7213), "0575"), 2),
)
STREETS = (
    "Industrieweg",
    "Handelsweg",
    "Nijverheidsstraat",
    "Ambachtsweg",
    "Transportweg",
    "Havenweg",
    "Energieweg",
    "Edisonstraat",
    "Wattstraat",
    "Kanaalweg",
    "Stationsstraat",
    "Hanzeweg",
    "Marktstraat",
    "Kerkstraat",
    "Dorpsstraat",
    "Zutphenseweg",
    "Holterweg",
    "Rijksstraatweg",
)
NAME_WORDS = (
    "Linde",
    "Anker",
    "Brink",
    "IJsselzicht",
    "Hanze",
    "Salland",
    "Zonnehof",
    "Wissel",
    "Vijfhoek",
    "Berkel",
    "Eik",
    "Horst",
    "Kolk",
    "Waag",
    "Boei",
    "Duif",
)
# Company names per sector: {surname}, {word} (from NAME_WORDS) and {city}.
COMPANY_NAMES = {
    "Zorg": (
        "Zorggroep {word}",
        "Thuiszorg {surname}",
        "Woonzorgcentrum De {word}",
        "Zorgcentrum {word}",
        "Stichting Zorg {city}",
        "Thuiszorg {city}",
        "Huisartsenpraktijk {surname}",
        "Begeleid Wonen De {word}",
    ),
    "Techniek": (
        "{surname} Installatietechniek",
        "Metaalbewerking {surname}",
        "{surname} Elektrotechniek",
        "Machinefabriek {surname}",
        "{word} Techniek",
        "Autobedrijf {surname}",
        "Garage {surname}",
    ),
    "Logistiek": (
        "Transportbedrijf {surname}",
        "{surname} Logistics",
        "Distributiecentrum {city}",
        "{word} Logistiek",
        "Koeriersdienst {surname}",
        "Expeditie {surname}",
    ),
    "Schoonmaak": (
        "{surname} Schoonmaak",
        "Schoonmaakbedrijf {word}",
        "{word} Facilitair",
        "Glazenwasserij {surname}",
        "Schoonmaakdienst {city}",
    ),
    "Detailhandel": (
        "Supermarkt {surname}",
        "Bakkerij {surname}",
        "Tuincentrum {word}",
        "Slagerij {surname}",
        "Bouwmarkt {city}",
        "{surname} Mode",
    ),
    "Horeca": (
        "Restaurant De {word}",
        "Hotel {word}",
        "Eetcafé De {word}",
        "Brasserie {surname}",
        "Partycentrum {surname}",
        "Lunchroom De {word}",
    ),
    "Bouw": (
        "Bouwbedrijf {surname}",
        "{surname} Bouw",
        "Aannemersbedrijf {surname}",
        "Schildersbedrijf {surname}",
        "Hoveniersbedrijf {surname}",
    ),
    "Onderwijs": (
        "Kinderopvang De {word}",
        "Basisschool De {word}",
        "{word} Onderwijsgroep",
        "Kinderdagverblijf {word}",
    ),
    "ICT": ("{word} IT", "{surname} Software", "{surname} ICT-diensten", "Datacenter {city}"),
}
OTHER_COMPANY_NAMES = ("{surname} {sector}", "{sector} {city}", "{word} {sector}")
COMPANY_FORMS = ("", "", "", " B.V.", " B.V.")
NAME_ATTEMPTS = 30  # redraws for a name not used yet, before a second firm gets it

# Vacancies per sector: (title, level).
JOBS = {
    "Zorg": (
        ("Medewerker huishoudelijke hulp", VacancyLevel.BASIC),
        ("Helpende zorg en welzijn", VacancyLevel.MBO_1_2),
        ("Verzorgende IG", VacancyLevel.MBO_3_4),
        ("Gastvrouw/gastheer woonzorgcentrum", VacancyLevel.BASIC),
        ("Begeleider gehandicaptenzorg", VacancyLevel.MBO_3_4),
        ("Medewerker facilitaire dienst", VacancyLevel.BASIC),
        ("Praktijkondersteuner", VacancyLevel.HBO),
    ),
    "Techniek": (
        ("Productiemedewerker metaal", VacancyLevel.BASIC),
        ("Monteur installatietechniek", VacancyLevel.MBO_3_4),
        ("Leerling-elektromonteur", VacancyLevel.MBO_1_2),
        ("Lasser", VacancyLevel.MBO_1_2),
        ("Autotechnicus", VacancyLevel.MBO_3_4),
        ("Werkvoorbereider", VacancyLevel.HBO),
    ),
    "Logistiek": (
        ("Orderpicker", VacancyLevel.BASIC),
        ("Magazijnmedewerker", VacancyLevel.BASIC),
        ("Heftruckchauffeur", VacancyLevel.MBO_1_2),
        ("Bezorger", VacancyLevel.BASIC),
        ("Chauffeur C/E", VacancyLevel.MBO_3_4),
        ("Teamleider magazijn", VacancyLevel.MBO_3_4),
    ),
    "Schoonmaak": (
        ("Schoonmaakmedewerker", VacancyLevel.BASIC),
        ("Glazenwasser", VacancyLevel.MBO_1_2),
        ("Allround schoonmaker", VacancyLevel.MBO_1_2),
        ("Voorwerker schoonmaak", VacancyLevel.MBO_3_4),
    ),
    "Detailhandel": (
        ("Vakkenvuller", VacancyLevel.BASIC),
        ("Kassamedewerker", VacancyLevel.BASIC),
        ("Verkoopmedewerker", VacancyLevel.MBO_1_2),
        ("Medewerker bakkerij", VacancyLevel.MBO_1_2),
        ("Assistent-filiaalmanager", VacancyLevel.MBO_3_4),
    ),
    "Horeca": (
        ("Afwasser", VacancyLevel.BASIC),
        ("Bediening", VacancyLevel.BASIC),
        ("Keukenhulp", VacancyLevel.BASIC),
        ("Zelfstandig werkend kok", VacancyLevel.MBO_3_4),
        ("Medewerker housekeeping", VacancyLevel.BASIC),
    ),
    "Bouw": (
        ("Bouwplaatsmedewerker", VacancyLevel.BASIC),
        ("Hovenier", VacancyLevel.MBO_1_2),
        ("Schilder", VacancyLevel.MBO_1_2),
        ("Timmerman", VacancyLevel.MBO_3_4),
        ("Uitvoerder", VacancyLevel.HBO),
    ),
    "Onderwijs": (
        ("Conciërge", VacancyLevel.BASIC),
        ("Overblijfkracht", VacancyLevel.BASIC),
        ("Onderwijsassistent", VacancyLevel.MBO_3_4),
        ("Pedagogisch medewerker", VacancyLevel.MBO_3_4),
    ),
    "ICT": (
        ("Helpdeskmedewerker", VacancyLevel.MBO_3_4),
        ("Medewerker datacenter", VacancyLevel.MBO_1_2),
        ("Junior developer", VacancyLevel.HBO),
    ),
}
OTHER_JOBS = (
    ("Medewerker {sector}", VacancyLevel.BASIC),
    ("Allround medewerker {sector}", VacancyLevel.MBO_1_2),
)
LEVEL_REQUIREMENTS = {
    VacancyLevel.BASIC: "Geen diploma nodig; wel gemotiveerd en betrouwbaar.",
    VacancyLevel.MBO_1_2: "Diploma op mbo-niveau 1 of 2, of bereid dit tijdens het werk te halen.",
    VacancyLevel.MBO_3_4: "Diploma op mbo-niveau 3 of 4 in de richting.",
    VacancyLevel.HBO: "Hbo-werk- en denkniveau.",
}
SECTOR_REQUIREMENTS = {
    "Zorg": "Een VOG is vereist.",
    "Onderwijs": "Een VOG is vereist.",
    "Techniek": "VCA-basis, of bereid dit te halen.",
    "Bouw": "VCA-basis is verplicht.",
    "Logistiek": "Een heftruckcertificaat is een pré.",
    "Schoonmaak": "Vroeg beginnen is geen probleem.",
    "Horeca": "Beschikbaar in de avond en het weekend.",
    "Detailhandel": "Beschikbaar op zaterdag.",
}

# Vacancies: open ones posted in the last three months, and closed ones over the history window.
OPEN_VACANCIES_PER_EMPLOYER = 0.35
CLOSED_VACANCIES_PER_EMPLOYER_A_YEAR = 0.4
OPEN_FOR_DAYS = 91
VACANCY_HOURS = Sampler((16, 20, 24, 28, 32, 36, 38, 40), (8, 14, 18, 16, 18, 8, 6, 12))

# Placements, by klantgroep (GROUPS order) where a chance depends on it.
VIA_VACANCY_CHANCE = 0.45
VACANCY_POSTED_DAYS_BEFORE = (14, 75)
CONTRACTS = Sampler(
    (ContractType.FIXED_TERM, ContractType.AGENCY, ContractType.PERMANENT), (55, 27, 18)
)
CONTRACTS_WITH_SUBSIDY = Sampler((ContractType.FIXED_TERM, ContractType.PERMANENT), (75, 25))
PLACEMENT_HOURS = Sampler((12, 16, 20, 24, 28, 32, 36, 38, 40), (3, 8, 12, 15, 14, 16, 10, 6, 16))
WAGE_SUBSIDY_CHANCE = (0.03, 0.2, 0.25, 0.25)
JOB_COACHING_CHANCE = (0.05, 0.2, 0.3, 0.3)
JOB_COACHING_WITH_SUBSIDY_CHANCE = 0.5
# The client's own trajecten of these instruments (by catalogue name) decide for them.
WAGE_SUBSIDY_INSTRUMENT = "Loonkostensubsidie"
JOB_COACHING_INSTRUMENT = "Jobcoaching"
# Work that ended without a return to benefit (another job, a contract not renewed), by contract.
ENDED_CHANCE = {
    ContractType.FIXED_TERM: 0.3,
    ContractType.AGENCY: 0.45,
    ContractType.PERMANENT: 0.08,
}
ENDED_AFTER_DAYS = (60, 730)

# Work profiles: the share of the clients offered vacancies who have one, by klantgroep.
PROFILE_CHANCE = (0.95, 0.75, 0.6, 0.6)
PROFILE_HOURS = Sampler((8, 12, 16, 20, 24, 28, 32, 36, 40), (3, 5, 12, 16, 18, 15, 14, 6, 11))
CHILDCARE_MAX_HOURS = 28  # a parent home after school: the Kamphuis vignette's hours
INTEREST_COUNT = Sampler((0, 1, 2, 3), (20, 40, 28, 12))  # none: open to any sector
# The named personas' own wishes (demo.vignettes): hours and sector names.
VIGNETTE_PROFILES = {
    ("Monique", "Kamphuis"): (28, ("Schoonmaak",)),
    ("Dennis", "Koster"): (40, ("Logistiek",)),
    ("Haider", "Al-Jaburi"): (40, ("Techniek",)),
}


# A traject of wage cost subsidy or job coaching: instrument name, start, end (or planned end).
Support = tuple[str, datetime.date, datetime.date]


@dataclasses.dataclass(frozen=True, slots=True)
class Branch:
    """An active sector as the generator uses it."""

    pk: int
    name: str
    jobs: tuple[tuple[str, VacancyLevel], ...]  # (title, level)


@dataclasses.dataclass(frozen=True, slots=True)
class Firm:
    """A saved employer."""

    pk: int
    branch: Branch


@dataclasses.dataclass(slots=True)
class Employers:
    """The saved employers, and what the placements and work profiles of every chunk need."""

    rng: random.Random
    firms: Sampler[Firm]  # by size
    branches: list[Branch]
    interests: Sampler[Branch]  # the sectors clients look in, as many as there are employers
    offered: frozenset[int]  # GROUPS indexes of the klantgroepen offered vacancies


def save_employers(
    rng: random.Random,
    refs: References,
    *,
    clients: int,
    today: datetime.date,
    window_start: datetime.date,
) -> tuple[Employers, Counter[str]]:
    """Insert the employers and the vacancies no demo client was placed through: open ones of
    the last three months and closed ones over the history window."""
    fake = Faker("nl_NL")
    fake.seed_instance(rng.getrandbits(64))
    branches = [
        Branch(sector.pk, sector.name, _titles(sector.name))
        for sector in Sector.objects.filter(is_active=True).order_by("position", "pk")
    ]
    if not branches:
        raise DemoDataError("The employers need an active sector (run migrate).")
    weights = [SECTOR_WEIGHTS.get(branch.name, OTHER_SECTOR_WEIGHT) for branch in branches]
    by_sector = Sampler(branches, weights)
    cities = Sampler([city for city, _weight in CITIES], [weight for _city, weight in CITIES])
    count = max(MIN_EMPLOYERS, round(clients / CLIENTS_PER_EMPLOYER))
    rows = Rows(
        Employer,
        *("id", "name", "kvk_number", "sector", "contact_name", "contact_phone"),
        *("contact_email", "address", "city", "created_at"),
    )
    kvk_numbers = set(Employer.objects.values_list("kvk_number", flat=True))
    names: set[str] = set()
    firms, sizes = [], []
    for pk in take_ids(Employer, count):
        branch = by_sector.draw(rng)
        city, postcodes, area_code = cities.draw(rng)
        name = _company_name(rng, fake, branch, city, names)
        first_name = fake.first_name()
        prefix, last_name = dutch_surname(fake)
        contact = f"{first_name} {prefix} {last_name}" if prefix else f"{first_name} {last_name}"
        postcode = f"{rng.randint(*postcodes)} {postcode_letters(rng)}"
        known_since = window_start - datetime.timedelta(days=rng.randint(0, 5 * 365))
        rows.add(
            pk,
            name,
            _kvk_number(rng, kvk_numbers),
            branch.pk,
            contact,
            _phone(rng, area_code),
            f"{ascii_slug(first_name)}.{ascii_slug(prefix + last_name)}@"
            f"{ascii_slug(name)[:40]}.example",
            f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {postcode}",
            city,
            datetime.datetime.combine(known_since, datetime.time(10), tzinfo=datetime.UTC),
        )
        firms.append(Firm(pk, branch))
        sizes.append(min(MAX_SIZE, rng.paretovariate(SIZE_SHAPE)))
    offered = set(
        ClientGroup.objects.filter(pk__in=refs.groups, offered_vacancies=True).values_list(
            "pk", flat=True
        )
    )
    employers = Employers(
        rng=rng,
        firms=Sampler(firms, sizes),
        branches=branches,
        interests=Sampler(branches, weights),
        offered=frozenset(index for index, pk in enumerate(refs.groups) if pk in offered),
    )
    vacancies = _vacancy_rows()
    open_count = round(count * OPEN_VACANCIES_PER_EMPLOYER)
    years = (today - window_start).days / 365.25
    closed_count = round(count * CLOSED_VACANCIES_PER_EMPLOYER_A_YEAR * years)
    open_since = today - datetime.timedelta(days=OPEN_FOR_DAYS)
    for index, pk in enumerate(take_ids(Vacancy, open_count + closed_count)):
        is_open = index < open_count
        if is_open:
            posted = open_since + datetime.timedelta(days=rng.randint(1, OPEN_FOR_DAYS))
        else:
            days = max(0, (open_since - window_start).days)
            posted = window_start + datetime.timedelta(days=rng.randint(0, days))
        firm = employers.firms.draw(rng)
        _add_vacancy(rng, vacancies, pk, firm, posted, VACANCY_HOURS.draw(rng), is_open=is_open)
    return employers, Counter({"employers": rows.write(), "vacancies": vacancies.write()})


class Job(NamedTuple):
    """A placement as drawn."""

    client: int
    firm: Firm
    start: datetime.date
    contract: str
    hours: int
    wage_subsidy: bool
    job_coaching: bool
    ended: datetime.date | None
    placed_by: int
    vacancy_posted: datetime.date | None  # None: not through a vacancy


def save_placements(
    employers: Employers,
    people: Sequence[Person],
    client_ids: Sequence[int],
    *,
    today: datetime.date,
) -> Counter[str]:
    """The placements of one chunk of saved clients, after their trajecten: one for every benefit
    period that ended with reason "work", starting the day after, with the vacancy it came
    through, if any."""
    rng = employers.rng
    support = _support(client_ids)
    jobs = [
        _job(employers, person, client_id, period.end, support.get(client_id, ()), today)
        for person, client_id in zip(people, client_ids, strict=True)
        for period in person.periods
        if period.reason == OutflowReason.WORK and period.end is not None
    ]
    placements = Rows(
        Placement,
        *("client", "employer", "vacancy", "start_date", "contract_type", "hours_per_week"),
        *("with_wage_subsidy", "with_job_coaching", "ended_on", "placed_by", "created_at"),
    )
    vacancies = _vacancy_rows()
    through = sum(job.vacancy_posted is not None for job in jobs)
    vacancy_ids = iter(take_ids(Vacancy, through))
    for job in jobs:
        vacancy = None
        if job.vacancy_posted is not None:
            vacancy = next(vacancy_ids)
            _add_vacancy(
                rng, vacancies, vacancy, job.firm, job.vacancy_posted, job.hours, is_open=False
            )
        placements.add(
            job.client,
            job.firm.pk,
            vacancy,
            job.start,
            job.contract,
            job.hours,
            job.wage_subsidy,
            job.job_coaching,
            job.ended,
            job.placed_by,
            datetime.datetime.combine(job.start, datetime.time(9), tzinfo=datetime.UTC),
        )
    # The vacancies first: the placements point at them.
    return Counter({"vacancies": vacancies.write(), "placements": placements.write()})


def save_work_profiles(
    employers: Employers, people: Sequence[Person], client_ids: Sequence[int]
) -> Counter[str]:
    """Work profiles of the chunk's clients on benefit in a klantgroep offered vacancies, kept by
    their consultant."""
    rng = employers.rng
    by_name = {branch.name: branch for branch in employers.branches}
    chosen = []
    for person, client_id in zip(people, client_ids, strict=True):
        if (
            person.work.assignments
            and person.periods[0].end is None
            and person.group in employers.offered
        ):
            wish = VIGNETTE_PROFILES.get((person.first_name, person.last_name))
            if wish is not None or rng.random() < PROFILE_CHANCE[person.group]:
                chosen.append((person, client_id, wish))
    profiles = Rows(WorkProfile, "id", "client", "hours_per_week", "updated_at", "updated_by")
    interests = Rows(WorkProfile.sectors.through, "workprofile", "sector")
    for (person, client_id, wish), pk in zip(
        chosen, take_ids(WorkProfile, len(chosen)), strict=True
    ):
        if wish is None:
            hours = PROFILE_HOURS.draw(rng)
            if "childcare" in person.barriers:
                hours = min(hours, CHILDCARE_MAX_HOURS)
            sectors = _interests(rng, employers.interests, INTEREST_COUNT.draw(rng))
        else:
            hours = wish[0]
            sectors = [by_name[name] for name in wish[1] if name in by_name]
        # Kept up to date in the latest conversation.
        last_seen = max(talk.held_on for talk in person.work.talks)
        updated = datetime.datetime.combine(last_seen, datetime.time(11), tzinfo=datetime.UTC)
        profiles.add(pk, client_id, hours, updated, person.consultant.pk)
        for branch in sectors:
            interests.add(pk, branch.pk)
    return Counter({"work profiles": profiles.write(), "sector interests": interests.write()})


def _job(
    employers: Employers,
    person: Person,
    client_id: int,
    left_on: datetime.date,
    trajecten: Sequence[Support],
    today: datetime.date,
) -> Job:
    rng = employers.rng
    group = person.group
    start = left_on + datetime.timedelta(days=1)
    firm = employers.firms.draw(rng)
    subsidy = _supported(trajecten, WAGE_SUBSIDY_INSTRUMENT, start)
    subsidy = subsidy or rng.random() < WAGE_SUBSIDY_CHANCE[group]
    coaching = _supported(trajecten, JOB_COACHING_INSTRUMENT, start)
    chance = JOB_COACHING_WITH_SUBSIDY_CHANCE if subsidy else JOB_COACHING_CHANCE[group]
    coaching = coaching or rng.random() < chance
    contract = (CONTRACTS_WITH_SUBSIDY if subsidy else CONTRACTS).draw(rng)
    posted = None
    if rng.random() < VIA_VACANCY_CHANCE:
        posted = start - datetime.timedelta(days=rng.randint(*VACANCY_POSTED_DAYS_BEFORE))
        hours = VACANCY_HOURS.draw(rng)
    else:
        hours = PLACEMENT_HOURS.draw(rng)
    # Back on benefit: the work ended the day before. Otherwise some contracts end as well.
    ended = min((p.start for p in person.periods if p.start > left_on), default=None)
    if ended is not None:
        ended -= datetime.timedelta(days=1)
    elif rng.random() < ENDED_CHANCE[contract]:
        ended = start + datetime.timedelta(days=rng.randint(*ENDED_AFTER_DAYS))
        if ended >= today:
            ended = None
    return Job(
        client_id,
        firm,
        start,
        contract,
        hours,
        subsidy,
        coaching,
        ended,
        person.consultant.pk,
        posted,
    )


def _support(client_ids: Sequence[int]) -> dict[int, list[Support]]:
    """The chunk's trajecten of wage cost subsidy and job coaching by client, in one query: a
    placement gets the support the client had a traject for when the work started."""
    found: dict[int, list[Support]] = {}
    if not client_ids:
        return found
    chunk = set(client_ids)
    # By the chunk's range of ids: a list of thousands of ids costs more than the rows it finds.
    rows = Trajectory.objects.filter(
        client_id__gte=min(chunk),
        client_id__lte=max(chunk),
        instrument__name__in=(WAGE_SUBSIDY_INSTRUMENT, JOB_COACHING_INSTRUMENT),
    ).values_list("client_id", "instrument__name", "start_date", "end_date", "planned_end_date")
    for client_id, name, start, end, planned_end in rows:
        if client_id in chunk:
            found.setdefault(client_id, []).append((name, start, end or planned_end))
    return found


def _supported(trajecten: Sequence[Support], name: str, day: datetime.date) -> bool:
    return any(n == name and start <= day <= end for n, start, end in trajecten)


def _interests(rng: random.Random, sectors: Sampler[Branch], count: int) -> list[Branch]:
    """`count` different sectors (fewer when there are not that many)."""
    chosen: list[Branch] = []
    for _ in range(count * 5):
        if len(chosen) == count:
            break
        branch = sectors.draw(rng)
        if branch not in chosen:
            chosen.append(branch)
    return chosen


def _vacancy_rows() -> Rows:
    return Rows(
        Vacancy,
        *("id", "employer", "title", "hours_per_week", "level", "requirements", "is_open"),
        "posted_on",
    )


def _add_vacancy(
    rng: random.Random,
    rows: Rows,
    pk: int,
    firm: Firm,
    posted: datetime.date,
    hours: int,
    *,
    is_open: bool,
) -> None:
    title, level = rng.choice(firm.branch.jobs)
    requirements = [LEVEL_REQUIREMENTS[level]]
    if firm.branch.name in SECTOR_REQUIREMENTS:
        requirements.append(SECTOR_REQUIREMENTS[firm.branch.name])
    rows.add(pk, firm.pk, title, hours, level, " ".join(requirements), is_open, posted)


def _titles(sector: str) -> tuple[tuple[str, VacancyLevel], ...]:
    if sector in JOBS:
        return JOBS[sector]
    return tuple((title.format(sector=sector.lower()), level) for title, level in OTHER_JOBS)


def _company_name(
    rng: random.Random, fake: Faker, branch: Branch, city: str, taken: set[str]
) -> str:
    """A name no other demo employer has, unless the patterns run out."""
    patterns = COMPANY_NAMES.get(branch.name, OTHER_COMPANY_NAMES)
    name = ""
    for _ in range(NAME_ATTEMPTS):
        pattern = rng.choice(patterns)
        prefix, last_name = dutch_surname(fake)
        surname = f"{prefix.capitalize()} {last_name}" if prefix else last_name
        name = pattern.format(
            surname=surname, word=rng.choice(NAME_WORDS), city=city, sector=branch.name
        )
        if "{surname}" in pattern:
            name += rng.choice(COMPANY_FORMS)
        if name not in taken:
            break
    taken.add(name)
    return name


def _kvk_number(rng: random.Random, taken: set[str]) -> str:
    """Eight digits, not taken yet: the old numbers of the Chamber of Commerce for the east of
    the country start with 08; newer ones are higher."""
    while True:
        if rng.random() < 0.3:
            number = f"08{rng.randrange(10**6):06d}"
        else:
            number = str(rng.randrange(50_000_000, 100_000_000))
        if number not in taken:
            taken.add(number)
            return number


def _phone(rng: random.Random, area_code: str) -> str:
    """A landline number: ten digits with the area code."""
    digits = 10 - len(area_code)
    return f"{area_code}-{rng.randint(2, 9)}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
