"""What the generator draws before it saves: plain records, one client and its histories at a
time. Policy rows appear by code or index (klantgroep index in GROUPS, ladder step number, life
domain code); saving maps them to ids. Records that other rows point to get their id (`pk`)
when they are saved."""

from __future__ import annotations

import dataclasses
import datetime
from typing import NamedTuple

from casework.models import Team, User
from clients.models import ConversationStatus


class Period(NamedTuple):
    scheme: str
    start: datetime.date
    end: datetime.date | None
    reason: str


class Address(NamedTuple):
    street: str
    house_number: str
    postcode: str
    city: str
    neighbourhood: str


@dataclasses.dataclass(slots=True, eq=False)
class Session:
    """A meeting (bijeenkomst)."""

    kind: str
    title: str
    group: int | None
    orientation: str
    team: int
    date: datetime.date
    start_time: datetime.time
    place: str
    trainer: str
    is_mandatory: bool
    neighbourhood: str = ""  # a neighbourhood meeting invites the people who live there
    invite_chance: float = 0.0  # a theme meeting's chance to invite one client it suits
    invited: int = 0
    pk: int | None = None


@dataclasses.dataclass(slots=True, eq=False)
class Talk:
    """A conversation. Fields as in clients.models.Conversation; only what its kind uses is
    filled in."""

    kind: str
    held_on: datetime.date
    consultant: User
    location: str
    notes: str = ""
    status: str = ConversationStatus.COMPLETED
    completed_at: datetime.datetime | None = None
    # Screening
    checklist: tuple[str, ...] = ()  # screening question codes
    legality_judgement: str = ""
    urgent_need: str = ""
    urgent_action: str = ""
    referred_to: tuple[str, ...] = ()  # partner names
    screening_outcome: str = ""
    # Ambition
    ambition: str = ""
    preferred_group: int | None = None
    advised_group: int | None = None
    rights_and_duties_explained: bool | None = None
    kickoff: Session | None = None
    # Progress
    wellbeing: str = ""
    living_situation: str = ""
    minima_discussed: bool = False
    debts_discussed: bool = False
    legality_checked: bool = False
    group_still_right: bool | None = None
    # Consequences
    new_group: int | None = None
    group_change_reason: str = ""
    chosen_by_client: bool = True
    step: int | None = None
    target: int | None = None
    scores: list[tuple[str, int, str]] = dataclasses.field(default_factory=list)  # code, 1-5, note
    pk: int | None = None


class Assignment(NamedTuple):
    """A klantgroep assignment, recorded in the conversation that chose the group."""

    group: int
    start: datetime.date
    end: datetime.date | None
    reason: str
    chosen_by_client: bool
    talk: Talk


class Measurement(NamedTuple):
    """A ladder measurement, taken in a conversation."""

    measured_on: datetime.date
    step: int
    target: int
    note: str
    talk: Talk


class Review(NamedTuple):
    talk: Talk
    note: str


@dataclasses.dataclass(slots=True, eq=False)
class Task:
    """An agreement (afspraak) of a plan."""

    description: str
    responsible: str
    due_date: datetime.date
    status: str
    missed_reason: str = ""
    status_changed_on: datetime.date | None = None
    review: Review | None = None  # the progress conversation that settled it


@dataclasses.dataclass(slots=True, eq=False)
class ActionPlan:
    """A plan van aanpak."""

    drawn_up_on: datetime.date
    drawn_up_by: User
    goals: str
    client_signed_on: datetime.date | None
    municipality_signed_on: datetime.date | None
    tasks: list[Task]


class Invite(NamedTuple):
    session: Session
    invited_by: User
    invited_on: datetime.date
    attendance: str


@dataclasses.dataclass(slots=True)
class Work:
    """The consultant's work with one client."""

    talks: list[Talk]
    assignments: list[Assignment]
    measurements: list[Measurement]
    plans: list[ActionPlan]
    invites: list[Invite]


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
    work: Work
