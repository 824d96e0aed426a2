"""What drawing a client needs: randomness, distributions, policy, staff, meetings and the
calendar."""

from __future__ import annotations

import dataclasses
import datetime
import random
import zoneinfo

from django.conf import settings
from faker import Faker

from demo.distributions import Sampler, Tables
from demo.meetings import MeetingPlanner
from demo.places import TEAM_AREAS, Street, draw_streets, team_shares
from demo.policy import References
from demo.staff import Staff


@dataclasses.dataclass(slots=True)
class Context:
    rng: random.Random
    fake: Faker
    tables: Tables
    refs: References
    staff: Staff
    meetings: MeetingPlanner
    streets: list[list[Street]]  # [team]
    team_of_place: Sampler[int]
    place_in_team: list[Sampler[int]]
    today: datetime.date
    window_start: datetime.date
    zone: zoneinfo.ZoneInfo  # for the times conversations were completed


def build_context(
    rng: random.Random,
    fake: Faker,
    staff: Staff,
    refs: References,
    *,
    today: datetime.date,
    years: int,
    clients: int,
) -> Context:
    streets = [draw_streets(rng, fake["nl_NL"], places) for _name, places in TEAM_AREAS]
    group_names = [rhythm.name for rhythm in refs.rhythms]
    return Context(
        rng=rng,
        fake=fake,
        tables=Tables.build(),
        refs=refs,
        staff=staff,
        meetings=MeetingPlanner(rng, staff.holders, group_names, today=today, clients=clients),
        streets=streets,
        team_of_place=Sampler(range(len(TEAM_AREAS)), team_shares()),
        place_in_team=[
            Sampler(range(len(places)), [place.weight for place in places])
            for _name, places in TEAM_AREAS
        ],
        today=today,
        window_start=today - datetime.timedelta(days=round(365.25 * years)),
        zone=zoneinfo.ZoneInfo(settings.TIME_ZONE),
    )
