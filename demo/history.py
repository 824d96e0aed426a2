"""The consultant's work with one client, from the screening to the reference date.

Conversations come first and everything else follows from them, as in the product: the
ambitiegesprek records the first klantgroep and ladder step, every voortgangsgesprek records a
ladder measurement (and a move to another klantgroep, when there is one), plans are drawn up after
the ambitiegesprek and renewed in later conversations, and progress conversations settle the
plan's agreements. The rhythm of the conversations is the klantgroep's, read from the policy rows.

Some clients are left behind on purpose, so the work queue has something to show: a share is past
its progress conversation or legality review, a few have had no activity for longer than the
policy allows, and some plans are missing or out of date.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Sequence
from typing import NamedTuple

from casework.models import User
from clients.models import (
    AgreementStatus,
    Attendance,
    ConversationKind,
    ConversationStatus,
    LegalityJudgement,
    Location,
    OutflowReason,
    ScreeningOutcome,
    UrgentNeed,
)
from demo.context import Context
from demo.distributions import (
    FIRST_GROUP_REASON,
    GROUP_MOVE_CHANCE_PER_YEAR,
    MATCHEN,
    MOVE_DOWN_REASONS,
    MOVE_UP_REASONS,
    ZORGEN,
    Sampler,
)
from demo.meetings import draw_attendance
from demo.records import (
    ActionPlan,
    Assignment,
    Invite,
    Measurement,
    Period,
    Review,
    Talk,
    Task,
    Work,
)
from demo.texts import (
    AFTERCARE_NOTES,
    AGREEMENTS,
    AMBITION_ADVICE_TAKEN,
    AMBITION_AGAINST_ADVICE,
    AMBITION_AGREED,
    AMBITION_NOTES,
    AMBITIONS,
    BARRIER_AGREEMENTS,
    BARRIER_PARTNERS,
    COACHING_NOTES,
    DRAFT_NOTES,
    GROUP_STILL_RIGHT,
    INTERPRETER_NOTE,
    LEGALITY_NOTES,
    LIVING,
    LOW_SCORE_NOTES,
    MISSED_REASONS,
    PLAN_GOALS,
    PROGRESS_NOTES,
    REVIEW_NOTES,
    SCREENING_FINDINGS,
    SCREENING_OPENINGS,
    URGENT_ACTIONS,
    URGENT_PARTNERS,
    WELLBEING,
    pick,
)
from demo.vignettes import Story

# Who is left behind: clients on benefit without any activity for longer than the policy's
# inactivity days (by up to this many days more), and clients whose progress conversation or
# legality review is late (by up to this many days).
INACTIVE_CHANCE = 0.02
INACTIVE_EXTRA_DAYS = (1, 150)
OVERDUE_CHANCE = 0.15
OVERDUE_DAYS = (1, 150)
# Everyone else is seen on time: a little before the rhythm says, as a share of its interval.
HELD_EARLY = (0.8, 0.97)
DAYS_A_MONTH = 30.44

# Contacts between conversations: the werkmakelaar sees every Matchen client often, the
# werkcoach some Groeien clients; aftercare for those who left benefit for work.
COACHING_CHANCE = (1.0, 0.35, 0.0, 0.0)
COACHING_EVERY_DAYS = ((28, 70), (45, 120), (60, 120), (60, 120))
AFTERCARE_CONTACTS = (1, 3)
AFTERCARE_DAYS = (20, 200)
DRAFT_CHANCE = 0.08  # of the demo consultant's clients: a report not yet completed

# Screening.
URGENT_NEED = Sampler(
    (UrgentNeed.NONE, UrgentNeed.NO_MONEY_FOR_FOOD, UrgentNeed.EVICTION, UrgentNeed.OTHER),
    (88, 5, 4, 3),
)
LEGALITY = Sampler((LegalityJudgement.PLAUSIBLE, LegalityJudgement.DOUBT), (93, 7))
CHECKLIST_COMPLETE_CHANCE = 0.9
BARRIER_REFERRAL_CHANCE = 0.4

# Where conversations are held, by klantgroep: Faciliteren and Zorgen partly at home.
OFFICE_LOCATIONS = Sampler((Location.OFFICE, Location.VIDEO, Location.PHONE), (75, 10, 15))
HOME_LOCATIONS = Sampler((Location.HOME, Location.OFFICE, Location.PHONE), (45, 45, 10))
CONTACT_LOCATIONS = Sampler((Location.PHONE, Location.OFFICE, Location.VIDEO), (60, 30, 10))

# The participatieladder: the chance per year of a client having climbed or dropped a step.
CLIMB_PER_YEAR = (0.45, 0.35, 0.2, 0.1)
DROP_PER_YEAR = (0.05, 0.08, 0.08, 0.1)

# Life domains: self-reliance 1-5, low for Zorgen and high for Matchen; a barrier lowers its
# domain, and the work domain follows the ladder step. Progress conversations score again the
# domains the plan works on (the lowest at the start), which move a little each time.
DOMAIN_MEAN = (4.2, 3.4, 2.7, 2.1)
DOMAIN_SPREAD = 0.8
DOMAIN_OFFSET = {"justice": 1.6, "housing": 0.3}
WORK_SCORE_BY_STEP = (1.2, 1.5, 2.2, 2.8, 3.6, 4.5)
BARRIER_DOMAINS = {
    "medical": ("physical_health", 1.6),
    "psychological": ("mental_health", 1.8),
    "problem_debts": ("debts", 1.8),
    "civic_integration": ("language", 1.6),
    "childcare": ("family_care", 1.2),
    "informal_care": ("family_care", 1.4),
}
FOCUS_DOMAINS = 3
SCORE_UP = (0.3, 0.25, 0.18, 0.12)
SCORE_DOWN = 0.08
LOW_SCORE_NOTE_CHANCE = 0.5

# Plans van aanpak: most of those who need one have one; some are out of date.
PLAN_CHANCE = (0.25, 0.88)  # by whether the client needs a plan
STALE_PLAN_CHANCE = 0.15
RENEW_AFTER = 0.85  # share of the validity after which the next conversation renews the plan
PLAN_AFTER_AMBITION_DAYS = (5, 30)
SIGNED_BY_CLIENT_CHANCE = 0.9
SIGNED_BY_MUNICIPALITY_CHANCE = 0.95
AGREEMENTS_PER_PLAN = (2, 4)
AGREEMENT_DUE_DAYS = (14, 180)
AGREEMENT_OUTCOME = Sampler(
    (AgreementStatus.DONE, AgreementStatus.MISSED, AgreementStatus.CANCELLED), (70, 18, 12)
)
REVIEW_WINDOW_DAYS = (-14, 150)  # a progress conversation settles the agreements due around it
SETTLED_WITHOUT_CONVERSATION_CHANCE = 0.85
SETTLED_WITHIN_DAYS = 21
THEME_INVITED_DAYS_BEFORE = (10, 24)
# Conversations in which a plan is renewed when it is about to run out.
RENEWING_KINDS = frozenset({ConversationKind.PROGRESS, ConversationKind.COACHING})


@dataclasses.dataclass(frozen=True, slots=True)
class Case:
    """One client as the consultant's work needs it."""

    team: int
    neighbourhood: str
    group: int  # the klantgroep on the reference date
    step: int  # the latest ladder measurement
    target: int
    consultant: User
    intake_officer: User
    periods: Sequence[Period]  # the current (or last) benefit first
    ambition_on: datetime.date  # may lie after the reference date: still in intake
    born: datetime.date
    barriers: tuple[str, ...]
    note: str = ""  # on the latest ladder measurement
    story: Story | None = None


class Span(NamedTuple):
    """A time in one klantgroep."""

    group: int
    start: datetime.date
    end: datetime.date | None
    reason: str
    chosen_by_client: bool


def draw_group_history(
    ctx: Context, group: int, first_day: datetime.date, last_day: datetime.date
) -> list[Span]:
    """Klantgroep spans ending in `group`; each ends the day before the next starts."""
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
    spans = []
    for i, (this_group, start) in enumerate(zip(groups, starts, strict=True)):
        end = None if i == moves else starts[i + 1] - datetime.timedelta(days=1)
        if i == 0:
            reason = FIRST_GROUP_REASON
        else:
            reason = rng.choice(
                MOVE_UP_REASONS if this_group < groups[i - 1] else MOVE_DOWN_REASONS
            )
        spans.append(Span(this_group, start, end, reason, rng.random() < 0.9))
    return spans


def draw_work(ctx: Context, case: Case) -> Work:
    return _WorkDraw(ctx, case).draw()


class _WorkDraw:
    """Draws one client's work; the steps share the client, the calendar and what was drawn."""

    def __init__(self, ctx: Context, case: Case) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.case = case
        self.today = ctx.today
        self.talks: list[Talk] = []
        self.progress: list[Talk] = []  # in date order: ambition and progress conversations

    def draw(self) -> Work:
        ctx, case, rng, today = self.ctx, self.case, self.rng, self.today
        current = case.periods[0]
        gatekeeper = rng.choice(ctx.staff.gatekeepers[case.team])
        for period in reversed(case.periods):
            if period.start >= ctx.window_start:
                self._screening(period, gatekeeper, current=period is current)
        last_day = current.end or today
        on_benefit = current.end is None
        if case.ambition_on > last_day and on_benefit:
            return Work(self.talks, [], [], [], [])  # in intake: no ambitiegesprek yet
        first_day = min(case.ambition_on, last_day)
        end = last_day
        inactivity = ctx.refs.inactivity_days
        if on_benefit and case.story is None and rng.random() < INACTIVE_CHANCE:
            cut = today - datetime.timedelta(days=inactivity + rng.randint(*INACTIVE_EXTRA_DAYS))
            if cut > first_day:
                end = cut
        self.end = end
        self.inactive = end < last_day

        if case.story is None:
            spans = draw_group_history(ctx, case.group, first_day, end)
        else:
            spans = [Span(case.group, first_day, None, FIRST_GROUP_REASON, True)]
        self.spans = spans
        holders = ctx.staff.holders[case.team]
        consultants = [
            case.consultant if span.group == case.group else rng.choice(holders[span.group])
            for span in spans
        ]
        ambition = self._ambition(spans[0], first_day)
        assignments = [Assignment(*spans[0], ambition)]
        late = on_benefit and not self.inactive and rng.random() < OVERDUE_CHANCE
        if case.story is not None:
            late = case.story.progress_overdue
        for i, span in enumerate(spans):
            span_end = (
                spans[i + 1].start - datetime.timedelta(days=1) if i + 1 < len(spans) else end
            )
            if i > 0:
                move = self._progress(span.start, consultants[i - 1], spans[i - 1].group, span)
                assignments.append(Assignment(*span, move))
            self._rhythm(span, span_end, consultants[i], late=late and i == len(spans) - 1)
        if current.end is not None and current.reason in (
            OutflowReason.WORK,
            OutflowReason.OWN_BUSINESS,
        ):
            self._aftercare(current.end)
        measurements = self._ladder()
        self._scores(ambition)
        plans = self._plans(ambition, consultants[0])
        if on_benefit and not self.inactive:
            self._keep_in_touch(plans)
            self._draft()
        invites = self._kickoff_invite(ambition) + self._theme_invites()
        self.talks.sort(key=lambda talk: talk.held_on)
        return Work(self.talks, assignments, measurements, plans, invites)

    # --- Conversations -----------------------------------------------------------------------

    def _talk(self, kind: str, day: datetime.date, consultant: User, location: str) -> Talk:
        rng = self.rng
        completed_at = datetime.datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(9, 16),
            rng.choice((0, 15, 30, 45)),
            tzinfo=self.ctx.zone,
        )
        talk = Talk(kind, day, consultant, location, completed_at=completed_at)
        self.talks.append(talk)
        return talk

    def _screening(self, period: Period, gatekeeper: User, *, current: bool) -> Talk:
        ctx, rng, case = self.ctx, self.rng, self.case
        location = Location.OFFICE if rng.random() < 0.8 else Location.PHONE
        talk = self._talk(ConversationKind.SCREENING, period.start, gatekeeper, location)
        talk.notes = pick(rng, SCREENING_OPENINGS, SCREENING_FINDINGS)
        questions = list(ctx.refs.questions)
        if questions and rng.random() >= CHECKLIST_COMPLETE_CHANCE:
            for code in rng.sample(questions, min(len(questions), rng.randint(1, 2))):
                questions.remove(code)
        talk.checklist = tuple(questions)
        talk.legality_judgement = LEGALITY.draw(rng)
        need = URGENT_NEED.draw(rng)
        talk.urgent_need = need
        partners = []
        if need != UrgentNeed.NONE:
            talk.urgent_action = rng.choice(URGENT_ACTIONS[need])
            partners.append(URGENT_PARTNERS[need])
        partners += [
            BARRIER_PARTNERS[code]
            for code in case.barriers
            if code in BARRIER_PARTNERS and rng.random() < BARRIER_REFERRAL_CHANCE
        ]
        talk.referred_to = tuple(
            name for name in dict.fromkeys(partners) if name in ctx.refs.partners
        )
        talk.screening_outcome = (
            ScreeningOutcome.REFERRED
            if talk.referred_to and not current
            else ScreeningOutcome.AMBITION_PLANNED
        )
        return talk

    def _ambition(self, span: Span, day: datetime.date) -> Talk:
        rng, case = self.rng, self.case
        location = Location.OFFICE if rng.random() < 0.9 else Location.VIDEO
        talk = self._talk(ConversationKind.AMBITION, day, case.intake_officer, location)
        talk.ambition = case.story.ambition if case.story else rng.choice(AMBITIONS[span.group])
        # A neighbouring klantgroep, for a preference or an advice that differs.
        up = span.group == MATCHEN or (span.group != ZORGEN and rng.random() < 0.5)
        other = span.group + 1 if up else span.group - 1
        # The client's preference comes first; when the client did not choose, the advice won.
        talk.preferred_group = span.group if span.chosen_by_client else other
        talk.advised_group = (
            span.group if rng.random() < 0.85 or not span.chosen_by_client else other
        )
        if not span.chosen_by_client:
            choice = AMBITION_ADVICE_TAKEN
        elif talk.advised_group != span.group:
            choice = AMBITION_AGAINST_ADVICE
        else:
            choice = rng.choice(AMBITION_AGREED)
        notes = [rng.choice(AMBITION_NOTES), choice]
        if "civic_integration" in case.barriers and rng.random() < 0.5:
            notes.insert(0, INTERPRETER_NOTE)
        talk.notes = " ".join(notes)
        talk.rights_and_duties_explained = rng.random() < 0.97
        talk.new_group = span.group
        talk.group_change_reason = span.reason
        talk.chosen_by_client = span.chosen_by_client
        talk.kickoff = self.ctx.meetings.kickoff(case.team, span.group, day)
        self.progress.append(talk)
        return talk

    def _progress(
        self, day: datetime.date, consultant: User, group: int, move: Span | None = None
    ) -> Talk:
        rng = self.rng
        rhythm = self.ctx.refs.rhythms[group]
        locations = HOME_LOCATIONS if rhythm.progress_per_year > 1 else OFFICE_LOCATIONS
        talk = self._talk(ConversationKind.PROGRESS, day, consultant, locations.draw(rng))
        talk.wellbeing = rng.choice(WELLBEING)
        talk.living_situation = rng.choice(LIVING)
        talk.minima_discussed = rng.random() < 0.6
        talk.debts_discussed = "problem_debts" in self.case.barriers or rng.random() < 0.4
        talk.legality_checked = rhythm.legal_review_months is None or rng.random() < 0.3
        if move is None:
            talk.notes = pick(rng, PROGRESS_NOTES[group], GROUP_STILL_RIGHT)
            talk.group_still_right = True
        else:
            talk.notes = f"{rng.choice(PROGRESS_NOTES[group])} {move.reason}"
            talk.group_still_right = False
            talk.new_group = move.group
            talk.group_change_reason = move.reason
            talk.chosen_by_client = move.chosen_by_client
        self.progress.append(talk)
        return talk

    def _rhythm(self, span: Span, span_end: datetime.date, consultant: User, *, late: bool) -> None:
        """Progress conversations, legality reviews and contacts at the klantgroep's rhythm;
        when `late`, the last ones are not held (yet)."""
        rng, group = self.rng, span.group
        rhythm = self.ctx.refs.rhythms[group]
        if rhythm.progress_per_year:
            interval = 365.25 / rhythm.progress_per_year
            for day in self._on_rhythm(span.start, span_end, interval, late=late):
                self._progress(day, consultant, group)
        if rhythm.legal_review_months:
            interval = rhythm.legal_review_months * DAYS_A_MONTH
            for day in self._on_rhythm(span.start, span_end, interval, late=late):
                talk = self._talk(
                    ConversationKind.LEGALITY_REVIEW, day, consultant, HOME_LOCATIONS.draw(rng)
                )
                talk.notes = rng.choice(LEGALITY_NOTES)
                talk.legality_judgement = LEGALITY.draw(rng)
                talk.legality_checked = True
        if rng.random() < COACHING_CHANCE[group]:
            low, high = COACHING_EVERY_DAYS[group]
            day = span.start + datetime.timedelta(days=rng.randint(low, high))
            while day <= span_end:
                self._contact(ConversationKind.COACHING, day, consultant, COACHING_NOTES[group])
                day += datetime.timedelta(days=rng.randint(low, high))

    def _on_rhythm(
        self, start: datetime.date, end: datetime.date, interval: float, *, late: bool
    ) -> list[datetime.date]:
        rng = self.rng
        days = []
        day = start
        while (
            day := day + datetime.timedelta(days=round(interval * rng.uniform(*HELD_EARLY)))
        ) <= end:
            days.append(day)
        if late:
            # The next one was due this many days ago or more.
            due_by = self.today - datetime.timedelta(days=rng.randint(*OVERDUE_DAYS) + interval)
            while days and days[-1] > due_by:
                days.pop()
        return days

    def _contact(
        self, kind: str, day: datetime.date, consultant: User, notes: Sequence[str]
    ) -> Talk:
        talk = self._talk(kind, day, consultant, CONTACT_LOCATIONS.draw(self.rng))
        talk.notes = self.rng.choice(notes)
        return talk

    def _aftercare(self, left_on: datetime.date) -> None:
        rng = self.rng
        days = sorted(rng.randint(*AFTERCARE_DAYS) for _ in range(rng.randint(*AFTERCARE_CONTACTS)))
        for offset in days:
            day = left_on + datetime.timedelta(days=offset)
            if day <= self.today:
                self._contact(
                    ConversationKind.AFTERCARE, day, self.case.consultant, AFTERCARE_NOTES
                )

    def _keep_in_touch(self, plans: list[ActionPlan]) -> None:
        """A short contact when nothing else happened lately: only the clients chosen to be
        inactive go without one for longer than the policy allows."""
        inactivity = self.ctx.refs.inactivity_days
        last = max(
            self.case.periods[0].start,
            *(talk.held_on for talk in self.talks),
            *(plan.drawn_up_on for plan in plans),
        )
        quiet = (self.today - last).days
        if quiet >= inactivity - 7:
            back = self.rng.randint(1, max(1, min(inactivity // 2, quiet - 1)))
            group = self.case.group
            self._contact(
                ConversationKind.COACHING,
                self.today - datetime.timedelta(days=back),
                self.case.consultant,
                COACHING_NOTES[group],
            )

    def _draft(self) -> None:
        """A conversation not yet completed, in the demo consultant's caseload."""
        case, rng = self.case, self.rng
        if case.consultant is not self.ctx.staff.demo_consultant:
            return
        if case.story is not None:
            notes = case.story.draft
        else:
            notes = rng.choice(DRAFT_NOTES) if rng.random() < DRAFT_CHANCE else ""
        if notes:
            day = self.today - datetime.timedelta(days=rng.randint(0, 6))
            talk = Talk(
                ConversationKind.PROGRESS,
                day,
                case.consultant,
                OFFICE_LOCATIONS.draw(rng),
                notes=notes,
                status=ConversationStatus.DRAFT,
                wellbeing=rng.choice(WELLBEING),
            )
            self.talks.append(talk)

    # --- What conversations record ------------------------------------------------------------

    def _ladder(self) -> list[Measurement]:
        """A measurement in every ambition and progress conversation, ending at the client's
        current step and target; mostly climbing, at the klantgroep's pace."""
        rng, case, talks = self.rng, self.case, self.progress
        steps, targets = [case.step], [case.target]
        for later, earlier in itertools.pairwise(reversed(talks)):
            years = (later.held_on - earlier.held_on).days / 365.25
            climb = CLIMB_PER_YEAR[case.group] * years
            drop = climb + DROP_PER_YEAR[case.group] * years
            chance = rng.random()
            step = (
                steps[-1] - 1 if chance < climb else steps[-1] + 1 if chance < drop else steps[-1]
            )
            step = min(6, max(1, step))
            steps.append(step)
            targets.append(max(step, min(targets[-1], step + 2)))
        steps.reverse()
        targets.reverse()
        measurements = []
        for talk, step, target in zip(talks, steps, targets, strict=True):
            talk.step, talk.target = step, target
            measurements.append(Measurement(talk.held_on, step, target, "", talk))
        if case.note:
            measurements[-1] = measurements[-1]._replace(note=case.note)
        return measurements

    def _scores(self, ambition: Talk) -> None:
        """All active life domains in the ambitiegesprek; the plan's focus domains again in
        every progress conversation, moving a little each time."""
        rng, case = self.rng, self.case
        group = self.spans[0].group
        lowered: dict[str, float] = {}
        for code in case.barriers:
            if code in BARRIER_DOMAINS:
                domain, by = BARRIER_DOMAINS[code]
                lowered[domain] = max(lowered.get(domain, 0.0), by)
        scores = {}
        for code in self.ctx.refs.domains:
            if code == "work" and ambition.step is not None:
                mean = WORK_SCORE_BY_STEP[ambition.step - 1]
            else:
                mean = DOMAIN_MEAN[group] + DOMAIN_OFFSET.get(code, 0.0) - lowered.get(code, 0.0)
            scores[code] = min(5, max(1, round(rng.gauss(mean, DOMAIN_SPREAD))))
        ambition.scores = [
            (code, score, self._score_note(code, score)) for code, score in scores.items()
        ]
        focus = sorted(scores, key=lambda code: (scores[code], rng.random()))[:FOCUS_DOMAINS]
        up = SCORE_UP[case.group]
        for talk in self.progress[1:]:
            for code in focus:
                chance = rng.random()
                if chance < up:
                    scores[code] = min(5, scores[code] + 1)
                elif chance < up + SCORE_DOWN:
                    scores[code] = max(1, scores[code] - 1)
            talk.scores = [(code, scores[code], "") for code in focus]

    def _score_note(self, code: str, score: int) -> str:
        if score > 2 or code not in LOW_SCORE_NOTES or self.rng.random() >= LOW_SCORE_NOTE_CHANCE:
            return ""
        return self.rng.choice(LOW_SCORE_NOTES[code])

    # --- Plans van aanpak ---------------------------------------------------------------------

    def _plans(self, ambition: Talk, first_consultant: User) -> list[ActionPlan]:
        ctx, rng, case, today = self.ctx, self.rng, self.case, self.today
        refs = ctx.refs
        age = (
            today.year
            - case.born.year
            - ((today.month, today.day) < (case.born.month, case.born.day))
        )
        required = age <= refs.plan_required_up_to_age or refs.rhythms[case.group].requires_plan
        story = case.story
        if story is None and rng.random() >= PLAN_CHANCE[required]:
            return []
        first = ambition.held_on + datetime.timedelta(days=rng.randint(*PLAN_AFTER_AMBITION_DAYS))
        drawn: list[tuple[datetime.date, User]] = []
        if first <= self.end:
            drawn.append((first, first_consultant))
        valid = datetime.timedelta(days=refs.plan_valid_months * DAYS_A_MONTH)
        if drawn and required:
            renewals = sorted(
                (talk for talk in self.talks if talk.kind in RENEWING_KINDS),
                key=lambda talk: talk.held_on,
            )
            for talk in renewals:
                if talk.held_on >= drawn[-1][0] + valid * RENEW_AFTER:
                    drawn.append((talk.held_on, talk.consultant))
            if story is None and rng.random() < STALE_PLAN_CHANCE:
                while len(drawn) > 1 and today - drawn[-1][0] < valid:
                    drawn.pop()
        if story is not None:
            # The story's plan renews the plans before it, as a conversation would.
            story_day = max(ambition.held_on, today - datetime.timedelta(days=story.plan_age_days))
            drawn = [(day, by) for day, by in drawn if day + valid * RENEW_AFTER <= story_day]
            drawn.append((story_day, case.consultant))
        plans = []
        signed: tuple[datetime.date | None, datetime.date | None]
        for i, (day, by) in enumerate(drawn):
            next_plan_on = drawn[i + 1][0] if i + 1 < len(drawn) else None
            if story is not None and next_plan_on is None:
                tasks = self._story_tasks(story)
                signed = (day, min(today, day + datetime.timedelta(days=2)))
                goals = story.plan_goals
            else:
                tasks = self._tasks(day, next_plan_on)
                signed = self._signatures(day)
                goals = rng.choice(PLAN_GOALS[self._group_on(day)])
            plans.append(ActionPlan(day, by, goals, signed[1], signed[0], tasks))
        return plans

    def _signatures(self, day: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        """(municipality, client), when signed by the reference date."""
        rng, today = self.rng, self.today
        municipality = client = None
        if rng.random() < SIGNED_BY_MUNICIPALITY_CHANCE:
            municipality = day + datetime.timedelta(days=rng.randint(0, 3))
        if rng.random() < SIGNED_BY_CLIENT_CHANCE:
            client = day + datetime.timedelta(days=rng.randint(0, 14))
        return (
            municipality if municipality and municipality <= today else None,
            client if client and client <= today else None,
        )

    def _group_on(self, day: datetime.date) -> int:
        group = self.spans[0].group
        for span in self.spans:
            if span.start <= day:
                group = span.group
        return group

    def _tasks(self, day: datetime.date, next_plan_on: datetime.date | None) -> list[Task]:
        rng, case = self.rng, self.case
        pool = list(AGREEMENTS[self._group_on(day)])
        pool += [BARRIER_AGREEMENTS[code] for code in case.barriers if code in BARRIER_AGREEMENTS]
        chosen = rng.sample(pool, min(len(pool), rng.randint(*AGREEMENTS_PER_PLAN)))
        # Settled by the next plan, the end of the benefit or the reference date.
        until = min(next_plan_on or self.today, self.end)
        dropped = next_plan_on is not None or case.periods[0].end is not None
        tasks = []
        for description, responsible in chosen:
            due = day + datetime.timedelta(days=rng.randint(*AGREEMENT_DUE_DAYS))
            task = Task(description, responsible, due, AgreementStatus.OPEN)
            self._settle(task, day, until)
            if task.status == AgreementStatus.OPEN and dropped:
                # Left open when the next plan replaced this one, or when the benefit ended.
                task.status = AgreementStatus.CANCELLED
                task.status_changed_on = until
            tasks.append(task)
        return tasks

    def _settle(self, task: Task, drawn_up_on: datetime.date, until: datetime.date) -> None:
        """In the first progress conversation around the due date; else perhaps directly."""
        rng = self.rng
        earliest = task.due_date + datetime.timedelta(days=REVIEW_WINDOW_DAYS[0])
        latest = min(until, task.due_date + datetime.timedelta(days=REVIEW_WINDOW_DAYS[1]))
        outcome = AGREEMENT_OUTCOME.draw(rng)
        for talk in self.progress:
            if max(earliest, drawn_up_on + datetime.timedelta(days=1)) <= talk.held_on <= latest:
                note = rng.choice(REVIEW_NOTES[outcome])
                self._set_status(task, outcome, talk.held_on)
                task.review = Review(talk, note)
                return
        day = task.due_date + datetime.timedelta(days=rng.randint(0, SETTLED_WITHIN_DAYS))
        if day <= until and rng.random() < SETTLED_WITHOUT_CONVERSATION_CHANCE:
            self._set_status(task, outcome, day)

    def _set_status(self, task: Task, status: str, day: datetime.date) -> None:
        task.status = status
        task.status_changed_on = day
        if status == AgreementStatus.MISSED:
            task.missed_reason = self.rng.choice(MISSED_REASONS)

    def _story_tasks(self, story: Story) -> list[Task]:
        tasks = []
        for agreement in story.agreements:
            due = self.today + datetime.timedelta(days=agreement.due_in_days)
            settled = agreement.status != AgreementStatus.OPEN
            tasks.append(
                Task(
                    agreement.description,
                    agreement.responsible,
                    due,
                    agreement.status,
                    agreement.missed_reason,
                    min(due, self.today) if settled else None,
                )
            )
        return tasks

    # --- Bijeenkomsten ------------------------------------------------------------------------

    def _kickoff_invite(self, ambition: Talk) -> list[Invite]:
        session = ambition.kickoff
        if session is None:
            return []
        if session.date > self.today:
            attendance: str = Attendance.INVITED
        elif session.date > self.end:
            # Left benefit before the kick-off, or went quiet.
            attendance = (
                Attendance.ABSENT_WITHOUT_NOTICE if self.inactive else Attendance.ABSENT_WITH_NOTICE
            )
        else:
            attendance = draw_attendance(self.rng, session, self.today)
        return [Invite(session, ambition.consultant, ambition.held_on, attendance)]

    def _theme_invites(self) -> list[Invite]:
        rng, case = self.rng, self.case
        since = self.spans[-1].start
        invites = []
        for session in self.ctx.meetings.themes[case.team]:
            if session.group != case.group or rng.random() >= session.invite_chance:
                continue
            if session.neighbourhood and session.neighbourhood != case.neighbourhood:
                continue
            before = datetime.timedelta(days=rng.randint(*THEME_INVITED_DAYS_BEFORE))
            invited_on = min(self.today, session.date - before)
            if not since <= invited_on <= self.end:
                continue
            if session.date > self.end and session.date <= self.today:
                attendance: str = Attendance.ABSENT_WITH_NOTICE
            else:
                attendance = draw_attendance(rng, session, self.today)
            invites.append(Invite(session, case.consultant, invited_on, attendance))
        return invites
