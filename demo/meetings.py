"""Bijeenkomsten over the recent months: kick-offs on a fixed rhythm per team and klantgroep,
with a new session whenever one is full, and theme meetings per team, oriented on a sector
(Matchen, Groeien) or a neighbourhood (Faciliteren, Zorgen)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from casework.models import User
from clients.models import Attendance, MeetingKind
from demo.distributions import FACILITEREN, GROEIEN, GROUP_SIZES, MATCHEN, ZORGEN, Sampler, shares
from demo.places import TEAM_AREAS, team_shares
from demo.records import Session
from demo.texts import NEIGHBOURHOOD_THEMES, SECTORS

HISTORY_DAYS = 183  # meetings are kept for the recent half year
AHEAD_DAYS = 42  # and planned this far ahead
# Kick-offs, by klantgroep: every two weeks for Matchen and Groeien, every four for the others,
# on a fixed weekday and time; about two weeks after the ambitiegesprek.
KICKOFF_EVERY_DAYS = (14, 14, 28, 28)
KICKOFF_WEEKDAY = (1, 1, 3, 3)  # Tuesday, Thursday
KICKOFF_TIME = (
    datetime.time(9, 30),
    datetime.time(13, 30),
    datetime.time(10, 0),
    datetime.time(14, 0),
)
KICKOFF_AFTER_DAYS = 10
# No meetings on the public holidays with a fixed date (month, day): a week later instead.
HOLIDAYS = frozenset({(1, 1), (4, 27), (12, 25), (12, 26)})
KICKOFF_CAPACITY = 16  # a fuller kick-off gets another session: later that day, or a day later
KICKOFF_SESSIONS_A_DAY = 2
KICKOFF_SECOND_SESSION_AFTER = datetime.timedelta(hours=3)
THEME_INVITEES = 15  # about this many clients invited to a theme meeting
# Who comes: to a kick-off (mandatory), and to a theme meeting.
KICKOFF_ATTENDANCE = Sampler(
    (Attendance.PRESENT, Attendance.ABSENT_WITH_NOTICE, Attendance.ABSENT_WITHOUT_NOTICE),
    (83, 10, 7),
)
THEME_ATTENDANCE = Sampler(
    (Attendance.PRESENT, Attendance.ABSENT_WITH_NOTICE, Attendance.ABSENT_WITHOUT_NOTICE),
    (70, 22, 8),
)


class MeetingPlanner:
    """Every meeting of the demo, drawn once per run. Kick-off sessions open as clients are
    invited to them, so none stands empty and none overflows."""

    def __init__(
        self,
        rng: random.Random,
        holders: Sequence[Sequence[Sequence[User]]],
        group_names: Sequence[str],
        *,
        today: datetime.date,
        clients: int,
    ) -> None:
        self.today = today
        self.first_day = today - datetime.timedelta(days=HISTORY_DAYS)
        self.last_day = today + datetime.timedelta(days=AHEAD_DAYS)
        self._holders = holders
        self._group_names = group_names
        self._kickoffs: dict[tuple[int, int, datetime.date], list[Session]] = {}
        monday = self.first_day - datetime.timedelta(days=self.first_day.weekday())
        self._grid = [monday + datetime.timedelta(days=day) for day in KICKOFF_WEEKDAY]
        self.themes = [
            self._draw_themes(rng, team, clients * share)
            for team, share in enumerate(team_shares())
        ]
        self._new: list[Session] = [session for sessions in self.themes for session in sessions]

    def kickoff(self, team: int, group: int, ambition_on: datetime.date) -> Session | None:
        """The kick-off session a client is invited to after the ambitiegesprek, if it falls
        within the meetings kept."""
        after = ambition_on + datetime.timedelta(days=KICKOFF_AFTER_DAYS)
        if after < self.first_day:
            return None
        first, every = self._grid[group], KICKOFF_EVERY_DAYS[group]
        day = first + datetime.timedelta(days=-(-max(0, (after - first).days) // every) * every)
        day = avoid_holidays(day)
        if not self.first_day <= day <= self.last_day:
            return None
        sessions = self._kickoffs.setdefault((team, group, day), [])
        if not sessions or sessions[-1].invited >= KICKOFF_CAPACITY:
            trainer = self._holders[team][group][0]
            later_days, later_that_day = divmod(len(sessions), KICKOFF_SESSIONS_A_DAY)
            start = datetime.datetime.combine(day, KICKOFF_TIME[group])
            session = Session(
                kind=MeetingKind.KICKOFF,
                title=f"Kick-off {self._group_names[group]}",
                group=group,
                orientation="",
                team=team,
                date=workday_after(day, later_days),
                start_time=(start + later_that_day * KICKOFF_SECOND_SESSION_AFTER).time(),
                place=team_room(team),
                trainer=f"{trainer.first_name} {trainer.last_name}",
                is_mandatory=True,
            )
            sessions.append(session)
            self._new.append(session)
        session = sessions[-1]
        session.invited += 1
        return session

    def take_new(self) -> list[Session]:
        """The sessions not handed out for saving before."""
        new, self._new = self._new, []
        return new

    def _draw_themes(self, rng: random.Random, team: int, clients: float) -> list[Session]:
        """Two theme meetings a month: one on a sector, one in a neighbourhood."""
        places = TEAM_AREAS[team][1]
        place_of = Sampler(places, [place.weight for place in places])
        group_share = shares(GROUP_SIZES)
        place_share = shares([place.weight for place in places])
        sessions = []
        for month in range(-(HISTORY_DAYS // 30), AHEAD_DAYS // 30 + 1):
            base = self.today + datetime.timedelta(days=30 * month + rng.randint(-6, 6))
            wednesday = avoid_holidays(base + datetime.timedelta(days=(2 - base.weekday()) % 7))
            sector = rng.choice(SECTORS)
            group = MATCHEN if month % 2 else GROEIEN
            sessions.append(
                Session(
                    kind=MeetingKind.THEME,
                    title=f"Werken in {sector}",
                    group=group,
                    orientation=sector.removeprefix("de ").capitalize(),
                    team=team,
                    date=wednesday,
                    start_time=datetime.time(10, 0),
                    place=team_room(team),
                    trainer="Werkgeversservicepunt",
                    is_mandatory=False,
                    invite_chance=min(1.0, THEME_INVITEES / (clients * group_share[group] + 1)),
                )
            )
            place = place_of.draw(rng)
            group = FACILITEREN if month % 2 else ZORGEN
            expected = clients * group_share[group] * place_share[places.index(place)]
            sessions.append(
                Session(
                    kind=MeetingKind.THEME,
                    title=rng.choice(NEIGHBOURHOOD_THEMES).format(place=place.neighbourhood),
                    group=group,
                    orientation=place.neighbourhood,
                    team=team,
                    date=avoid_holidays(wednesday + datetime.timedelta(days=8)),
                    start_time=datetime.time(14, 0),
                    place=f"Wijkcentrum {place.neighbourhood}",
                    trainer=f"Wijkteam {place.neighbourhood}",
                    is_mandatory=False,
                    neighbourhood=place.neighbourhood,
                    invite_chance=min(1.0, THEME_INVITEES / (expected + 1)),
                )
            )
        return [s for s in sessions if self.first_day <= s.date <= self.last_day]


def team_room(team: int) -> str:
    return f"Werkplein Deventer, zaal {team + 1}"


def avoid_holidays(day: datetime.date) -> datetime.date:
    while (day.month, day.day) in HOLIDAYS:
        day += datetime.timedelta(days=7)
    return day


def workday_after(day: datetime.date, workdays: int) -> datetime.date:
    """The day `workdays` working days (Monday to Friday) after `day`."""
    while workdays > 0:
        day += datetime.timedelta(days=1)
        workdays -= day.weekday() < 5
    return day


def draw_attendance(rng: random.Random, session: Session, today: datetime.date) -> str:
    """Open until the meeting has been held."""
    if session.date > today:
        return Attendance.INVITED
    sampler = KICKOFF_ATTENDANCE if session.is_mandatory else THEME_ATTENDANCE
    return sampler.draw(rng)
