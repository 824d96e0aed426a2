"""The demo municipality: a Deventer-like caseload drawn from the distributions in DOMAIN.md.

Drawing is plain Python on one `random.Random(seed)` and one seeded Faker, so the same seed,
size and reference date give the same rows. Clients are drawn one at a time, each with the
consultant's work of the history window, and inserted in chunks inside one transaction: memory
stays flat as the municipality grows.

The parts: demo.distributions (the figures and samplers), demo.policy (the policy rows read),
demo.places and demo.names (the map and invented names), demo.bsns, demo.staff (teams and
users), demo.vignettes (the named personas and their stories), demo.people (drawing clients),
demo.history (conversations, plans, meeting invitations), demo.meetings (the bijeenkomsten),
demo.texts (the Dutch phrases), demo.budgets (the budgets of last year and this one),
demo.trajectories (trajecten and their commitments), demo.employers (employers, vacancies,
placements and work profiles), demo.records (what is drawn) and demo.saving (the inserts).
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import connection, transaction
from faker import Faker

from casework.models import User
from clients.models import (
    Agreement,
    AgreementReview,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    DomainScore,
    Invitation,
    LadderMeasurement,
    Meeting,
    Plan,
)
from demo.bsns import MAX_CLIENTS
from demo.budgets import ensure_budgets
from demo.context import build_context
from demo.distributions import GROUPS
from demo.employers import save_employers, save_placements, save_work_profiles
from demo.people import draw_people
from demo.policy import DemoDataError, References
from demo.saving import foreign_keys_checked_at_the_end, save_people, save_sessions, take_ids
from demo.staff import DEMO_USERNAMES, draw_staff, ensure_teams
from demo.trajectories import Catalogue, save_trajectories
from demo.vignettes import VIGNETTES
from instruments.models import Commitment, Employer, Placement, Trajectory, Vacancy, WorkProfile

T = TypeVar("T")

DEFAULT_CLIENTS = 2700  # about Deventer's number of people on bijstand
DEFAULT_SEED = 7411
DEFAULT_YEARS = 3
CHUNK_SIZE = 2000  # clients drawn and inserted at a time
BATCH_SIZE = 2000  # users per INSERT statement
# The tables filled with COPY: their foreign keys are checked once, at the end (demo.saving).
LOADED = (
    *(Client, Client.barriers.through, Client.consultants.through, BenefitPeriod),
    *(ClientGroupAssignment, LadderMeasurement, Meeting, Invitation, Plan, Agreement),
    *(Conversation, Conversation.checklist.through, Conversation.referred_to.through),
    *(DomainScore, AgreementReview, Trajectory, Commitment, Employer, Vacancy, Placement),
    *(WorkProfile, WorkProfile.sectors.through),
)


@dataclasses.dataclass(slots=True)
class SeedResult:
    counts: Counter[str]
    groups: Counter[str]


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
    counts: Counter[str] = Counter(
        {"teams": len(teams), "users": len(staff.users), "budgets": ensure_budgets(today=today)}
    )
    groups: Counter[str] = Counter()
    ctx = build_context(rng, fake, staff, refs, today=today, years=years, clients=clients)
    team_ids = [team.pk for team in teams]
    catalogue = Catalogue.load()
    # The budgets are Deventer's: a larger municipality gets as many trajecten, not more.
    scale = min(1.0, DEFAULT_CLIENTS / clients)
    # The trajecten draw from a generator of their own, so they leave the other rows as they were.
    trajectory_rng = random.Random(f"trajectories-{seed}")  # noqa: S311 - as rng
    # So do the employer services.
    employer_rng = random.Random(f"employers-{seed}")  # noqa: S311 - as rng
    with foreign_keys_checked_at_the_end(LOADED):
        employers, employer_counts = save_employers(
            employer_rng, refs, clients=clients, today=today, window_start=ctx.window_start
        )
        counts.update(employer_counts)
        for chunk in chunked(draw_people(ctx, clients), CHUNK_SIZE):
            # The meetings first: the chunk's conversations and invitations point at them.
            counts["meetings"] += save_sessions(ctx.meetings.take_new(), refs, team_ids)
            client_ids = take_ids(Client, len(chunk))
            counts.update(save_people(chunk, client_ids, refs))
            counts.update(
                save_trajectories(
                    trajectory_rng, catalogue, chunk, client_ids, refs, today=today, scale=scale
                )
            )
            # After the trajecten: a placement follows the client's wage cost subsidy and job
            # coaching.
            counts.update(save_placements(employers, chunk, client_ids, today=today))
            counts.update(save_work_profiles(employers, chunk, client_ids))
            groups.update(GROUPS[person.group] for person in chunk if person.work.assignments)
        with connection.cursor() as cursor:
            # Fresh planner statistics: autovacuum would take a while to notice millions of new
            # rows, and until it does the first queries get bad plans. Taken before the keys are
            # added back: their checks join the loaded tables.
            cursor.execute("ANALYZE")
    return SeedResult(counts, groups)
