"""Teams and staff: the demo log-ins and enough consultants per team for realistic caseloads."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Sequence

from django.contrib.auth.hashers import make_password
from faker import Faker

from casework.models import JobTitle, Role, Team, User
from demo.distributions import GROUP_SIZES, shares
from demo.names import ascii_slug, dutch_surname
from demo.places import TEAM_AREAS, team_shares

# The demo log-ins exist only in demo data; every other generated user has no usable password.
DEMO_PASSWORD = "demo"  # noqa: S105
DEMO_USERNAMES = ("consulent", "teamleider", "beleid", "beheer")

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
STAFF_EMAIL_DOMAIN = "gemeente-deventer.example"
# Clients reach staff through the municipality's general number (on their plan).
STAFF_PHONE = "14 0570"


@dataclasses.dataclass(slots=True)
class Staff:
    users: list[User]
    teams: list[Team]
    holders: list[list[list[User]]]  # [team][group] -> who holds that klantgroep's caseload
    intake_officers: list[list[User]]  # [team]
    gatekeepers: list[list[User]]  # [team]
    demo_consultant: User


def ensure_teams() -> list[Team]:
    """The area teams, reusing a team that already has the name."""
    names = [name for name, _places in TEAM_AREAS]
    existing = {team.name: team for team in Team.objects.filter(name__in=names)}
    missing = [Team(name=name) for name in names if name not in existing]
    Team.objects.bulk_create(missing)
    existing.update((team.name, team) for team in missing)
    return [existing[name] for name in names]


def draw_staff(
    rng: random.Random, fake: Faker, teams: Sequence[Team], *, clients: int, taken: set[str]
) -> Staff:
    """The demo log-ins plus enough consultants per team for caseloads of a realistic size."""
    names = _NameMaker(fake["nl_NL"], taken)
    # One hash for the four: the demo password is public anyway, and hashing is slow by design.
    password = make_password(DEMO_PASSWORD)
    demo_consultant = _demo_user(
        "consulent", "Sanne", "Visser", Role.CONSULTANT, teams[0], password, JobTitle.WORK_COACH
    )
    users = [
        demo_consultant,
        _demo_user("teamleider", "Marco", "Wolters", Role.MANAGER, teams[0], password),
        _demo_user("beleid", "Ilse", "Hendriks", Role.POLICY, None, password),
        _demo_user("beheer", "Pieter", "Kok", Role.ADMIN, None, password, is_staff=True),
    ]
    group_shares = shares(GROUP_SIZES)
    holders: list[list[list[User]]] = []
    intake_officers: list[list[User]] = []
    gatekeepers: list[list[User]] = []
    for index, (team, share) in enumerate(zip(teams, team_shares(), strict=True)):
        expected = clients * share
        if index > 0:
            users.append(names.user(rng, Role.MANAGER, team, ""))
        gatekeepers.append(
            [
                names.user(rng, Role.CONSULTANT, team, JobTitle.GATEKEEPER)
                for _ in range(_staff_count(expected, CLIENTS_PER_GATEKEEPER))
            ]
        )
        users += gatekeepers[-1]
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
    return Staff(users, list(teams), holders, intake_officers, gatekeepers, demo_consultant)


def _staff_count(clients: float, per_person: int) -> int:
    return max(1, -(-round(clients) // per_person))


def _demo_user(
    username: str,
    first_name: str,
    last_name: str,
    role: Role,
    team: Team | None,
    password: str,
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
        phone=STAFF_PHONE if role == Role.CONSULTANT else "",
        is_staff=is_staff,
        password=password,
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
            phone=STAFF_PHONE if role == Role.CONSULTANT else "",
            # One unusable hash for all: only the demo log-ins can sign in.
            password=self._unusable,
        )
