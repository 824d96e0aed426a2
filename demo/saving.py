"""Saving drawn clients, one chunk at a time, with PostgreSQL's COPY.

A municipality of 100,000 clients with ten years of history is millions of rows (conversations,
their domain scores, ladder measurements, agreements). bulk_create builds a model instance and
prepares every field of every row in Python, which on this machine inserts a few thousand wide
rows a second: minutes for the whole history. COPY takes the row tuples as drawn, so seeding
stays within the time the scale issue allows. Row ids are taken from each table's sequence before
writing, so rows of one chunk can point at each other; the column names come from the models.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model

from clients.bsn import bsn_digest
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
from demo.policy import References
from demo.records import Person, Session, Talk


class Rows:
    """Rows for one model's table, each a tuple of values in the order of `fields`."""

    def __init__(self, model: type[Model], *fields: str) -> None:
        self.model = model
        self.columns = [_column(model, name) for name in fields]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def write(self) -> int:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in self.rows:
                copy.write_row(row)
        return len(self.rows)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column.")
    return field.column


@contextlib.contextmanager
def foreign_keys_checked_at_the_end(models: Iterable[type[Model]]) -> Iterator[None]:
    """Load the models' tables without their foreign keys, and add the keys back afterwards.

    Django's foreign keys are checked at commit, one trigger call per row and key: for the
    millions of rows of a large municipality that was 40% of the seeding time. Adding a key
    back checks the whole table in one join (PostgreSQL's advice for populating a database).
    The drop and the add are in the caller's transaction: on an error nothing changes."""
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A key cannot be dropped or added while checks of earlier writes (the staff, say) wait
        # for the commit on either of its tables: run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])"
            " ORDER BY conrelid::regclass::text, conname",
            [tables],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        # Back to checking at commit: Django's keys are all deferrable and initially deferred.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def take_ids(model: type[Model], count: int) -> list[int]:
    """`count` new ids from the model's id sequence, in order."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def save_sessions(sessions: Sequence[Session], refs: References, teams: Sequence[int]) -> int:
    """The meetings not saved before: `teams` are the Team ids by index."""
    rows = Rows(
        Meeting,
        *("id", "kind", "title", "group", "orientation", "team", "date", "start_time"),
        *("place", "trainer", "is_mandatory"),
    )
    for session, pk in zip(sessions, take_ids(Meeting, len(sessions)), strict=True):
        session.pk = pk
        group = None if session.group is None else refs.groups[session.group]
        rows.add(
            pk,
            session.kind,
            session.title,
            group,
            session.orientation,
            teams[session.team],
            session.date,
            session.start_time,
            session.place,
            session.trainer,
            session.is_mandatory,
        )
    return rows.write()


def save_people(
    people: Sequence[Person], client_ids: Sequence[int], refs: References
) -> Counter[str]:
    """Insert one chunk of clients, with the ids taken for them, and everything that hangs from
    them."""
    counts: Counter[str] = Counter()
    talks = [
        (client_id, talk)
        for person, client_id in zip(people, client_ids, strict=True)
        for talk in person.work.talks
    ]
    for (_client_id, talk), pk in zip(talks, take_ids(Conversation, len(talks)), strict=True):
        talk.pk = pk
    counts.update(_conversations(talks, refs))
    counts.update(_histories(people, client_ids, refs))
    counts.update(_plans(people, client_ids))
    # The clients after their histories (the keys are checked at the end): a client row takes its
    # current klantgroep and ladder step from its histories as it is written (migration 0010 of
    # clients), and a history written before its client has no row to update. The other way
    # round, every client was written twice more (seeding took 33 s longer at 100,000 clients).
    counts["clients"] = _clients(people, client_ids).write()
    return counts


def _clients(people: Sequence[Person], ids: Sequence[int]) -> Rows:
    rows = Rows(
        Client,
        *("id", "bsn", "bsn_hash", "first_name", "surname_prefix", "last_name"),
        *("date_of_birth", "gender"),
        *("street", "house_number", "postcode", "city", "neighbourhood", "phone", "email"),
        *("household_type", "education_level", "has_basic_qualification", "is_status_holder"),
        *("has_civic_integration_duty", "in_target_group_register", "team"),
        *("created_at", "updated_at"),
    )
    # COPY bypasses the model: the BSN is encrypted by its own field (keys derived once per
    # process) and hashed by the one look-up function, as Client.save() does.
    bsn_field = cast(Field, Client._meta.get_field("bsn"))
    for person, pk in zip(people, ids, strict=True):
        address = person.address
        # Registered when the history starts: the first conversation, or the benefit's start.
        talks = person.work.talks
        registered = talks[0].held_on if talks else person.periods[-1].start
        created = datetime.datetime.combine(registered, datetime.time(9), tzinfo=datetime.UTC)
        rows.add(
            pk,
            bsn_field.get_prep_value(person.bsn),
            bsn_digest(person.bsn),
            person.first_name,
            person.surname_prefix,
            person.last_name,
            person.date_of_birth,
            person.gender,
            address.street,
            address.house_number,
            address.postcode,
            address.city,
            address.neighbourhood,
            person.phone,
            person.email,
            person.household,
            person.education,
            person.has_basic_qualification,
            person.is_status_holder,
            person.has_civic_integration_duty,
            person.in_target_group_register,
            person.team.pk,
            created,
            created,
        )
    return rows


def _conversations(talks: Sequence[tuple[int, Talk]], refs: References) -> Counter[str]:
    groups, steps = refs.groups, refs.steps
    rows = Rows(
        Conversation,
        *("id", "client", "kind", "status", "held_on", "consultant", "location", "notes"),
        *("completed_at", "created_at", "updated_at", "legality_judgement", "urgent_need"),
        *("urgent_action", "screening_outcome", "ambition", "preferred_group"),
        *("advised_group", "rights_and_duties_explained", "kickoff", "wellbeing"),
        *("living_situation", "minima_discussed", "debts_discussed", "legality_checked"),
        *("group_still_right", "new_group", "group_change_reason", "chosen_by_client"),
        *("ladder_step", "ladder_target"),
    )
    scores = Rows(DomainScore, "conversation", "domain", "score", "note")
    checklist = Rows(Conversation.checklist.through, "conversation", "screeningquestion")
    referrals = Rows(Conversation.referred_to.through, "conversation", "partner")
    for client_id, talk in talks:
        pk = talk.pk
        created = talk.completed_at or datetime.datetime.combine(
            talk.held_on, datetime.time(9), tzinfo=datetime.UTC
        )
        rows.add(
            pk,
            client_id,
            talk.kind,
            talk.status,
            talk.held_on,
            talk.consultant.pk,
            talk.location,
            talk.notes,
            talk.completed_at,
            created,
            created,
            talk.legality_judgement,
            talk.urgent_need,
            talk.urgent_action,
            talk.screening_outcome,
            talk.ambition,
            _optional(groups, talk.preferred_group),
            _optional(groups, talk.advised_group),
            talk.rights_and_duties_explained,
            talk.kickoff.pk if talk.kickoff else None,
            talk.wellbeing,
            talk.living_situation,
            talk.minima_discussed,
            talk.debts_discussed,
            talk.legality_checked,
            talk.group_still_right,
            _optional(groups, talk.new_group),
            talk.group_change_reason,
            talk.chosen_by_client,
            None if talk.step is None else steps[talk.step],
            None if talk.target is None else steps[talk.target],
        )
        for code, score, note in talk.scores:
            scores.add(pk, refs.domains[code], score, note)
        for code in talk.checklist:
            checklist.add(pk, refs.questions[code])
        for name in talk.referred_to:
            referrals.add(pk, refs.partners[name])
    return Counter(
        {
            "conversations": rows.write(),
            "domain scores": scores.write(),
            "checklist answers": checklist.write(),
            "referrals": referrals.write(),
        }
    )


def _optional(ids: Sequence[int], index: int | None) -> int | None:
    return None if index is None else ids[index]


def _histories(
    people: Sequence[Person], client_ids: Sequence[int], refs: References
) -> Counter[str]:
    periods = Rows(BenefitPeriod, "client", "scheme", "start_date", "end_date", "end_reason")
    assignments = Rows(
        ClientGroupAssignment,
        *("client", "group", "start_date", "end_date", "reason", "chosen_by_client"),
        *("assigned_by", "conversation"),
    )
    measurements = Rows(
        LadderMeasurement,
        *("client", "measured_on", "step", "target_step", "measured_by", "note", "conversation"),
    )
    barriers = Rows(Client.barriers.through, "client", "barriertype")
    caseload = Rows(Client.consultants.through, "client", "user")
    invitations = Rows(Invitation, "meeting", "client", "invited_by", "invited_on", "attendance")
    for person, client_id in zip(people, client_ids, strict=True):
        work = person.work
        for p in person.periods:
            periods.add(client_id, p.scheme, p.start, p.end, p.reason)
        for a in work.assignments:
            assignments.add(
                client_id,
                refs.groups[a.group],
                a.start,
                a.end,
                a.reason,
                a.chosen_by_client,
                a.talk.consultant.pk,
                a.talk.pk,
            )
        for m in work.measurements:
            measurements.add(
                client_id,
                m.measured_on,
                refs.steps[m.step],
                refs.steps[m.target],
                m.talk.consultant.pk,
                m.note,
                m.talk.pk,
            )
        for code in person.barriers:
            barriers.add(client_id, refs.barriers[code])
        caseload.add(client_id, person.consultant.pk)
        for invite in work.invites:
            invitations.add(
                invite.session.pk,
                client_id,
                invite.invited_by.pk,
                invite.invited_on,
                invite.attendance,
            )
    return Counter(
        {
            "benefit periods": periods.write(),
            "group assignments": assignments.write(),
            "ladder measurements": measurements.write(),
            "barriers": barriers.write(),
            "caseload links": caseload.write(),
            "invitations": invitations.write(),
        }
    )


def _plans(people: Sequence[Person], client_ids: Sequence[int]) -> Counter[str]:
    drawn = [
        (client_id, plan)
        for person, client_id in zip(people, client_ids, strict=True)
        for plan in person.work.plans
    ]
    plans = Rows(
        Plan,
        *("id", "client", "drawn_up_on", "drawn_up_by", "goals", "client_signed_on"),
        *("municipality_signed_on", "created_at"),
    )
    agreements = Rows(
        Agreement,
        *("id", "plan", "description", "responsible", "due_date", "status", "missed_reason"),
        "status_changed_on",
    )
    reviews = Rows(AgreementReview, "conversation", "agreement", "status", "note")
    tasks = [task for _client_id, plan in drawn for task in plan.tasks]
    task_ids = iter(take_ids(Agreement, len(tasks)))
    for (client_id, plan), pk in zip(drawn, take_ids(Plan, len(drawn)), strict=True):
        created = datetime.datetime.combine(
            plan.drawn_up_on, datetime.time(12), tzinfo=datetime.UTC
        )
        plans.add(
            pk,
            client_id,
            plan.drawn_up_on,
            plan.drawn_up_by.pk,
            plan.goals,
            plan.client_signed_on,
            plan.municipality_signed_on,
            created,
        )
        for task in plan.tasks:
            task_id = next(task_ids)
            agreements.add(
                task_id,
                pk,
                task.description,
                task.responsible,
                task.due_date,
                task.status,
                task.missed_reason,
                task.status_changed_on,
            )
            if task.review is not None:
                reviews.add(task.review.talk.pk, task_id, task.status, task.review.note)
    return Counter(
        {
            "plans": plans.write(),
            "agreements": agreements.write(),
            "agreement reviews": reviews.write(),
        }
    )
