"""Retention (Archiefwet): once a client's retention period has ended, their personal data is
removed and the facts the monitors count are kept, so that a monitor of an old period gives the
same figures before and after.

The period is PolicySettings.retention_years (the functioneel beheerder sets it in /beheer/; the
selectielijst's 10 years by default), counted from the day the file was last worked on: the latest
of
- the day the client's last benefit ended: their own benefit periods and those they shared as the
  partner, since both belong to the same file;
- the date of their last conversation and of their last plan: a client who is still being worked
  with (after their benefit ended, or without ever having one) is not anonymised mid-case;
- their registration, for a client who never had a benefit (screened without entitlement, say):
  the one date every client has, the day their file was opened.
A client with an open benefit, as the client or as the partner, is never due.

What the app instruments records (trajecten, placements, work profiles) does not move the clock:
clients cannot read the apps that build on it. That is a limit in theory only: a traject or a
placement is agreed and followed up in conversations (progress, coaching, aftercare), so a file
with a running traject but without a conversation for the whole retention period does not occur.

Run nightly by clients.tasks.anonymise_expired_clients; `manage.py anonymise_clients --dry-run`
lists who is due. The access log is never touched: it records who looked at a client, by id only,
and is append-only.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Collection
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.models import Notification, PolicySettings, Role, User
from clients.models import (
    Agreement,
    AgreementReview,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    ConversationAddendum,
    DomainScore,
    Gender,
    LadderMeasurement,
    Plan,
)
from clients.signals import clients_anonymising
from clients.workqueue.selectors import MakeInterval, PlusInterval

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

logger = logging.getLogger("casework.retention")

# Stored in the database, in the site's language (settings.LANGUAGE_CODE) at the time of
# anonymising. The name is a word no person is called, so the list pages, which sort and show
# clients by last name, keep working and show plainly what happened.
ANONYMISED_NAME = _("Anonymised")
# Replaces free text that was written (an empty field stays empty, so a page still shows which
# fields had something, and the check constraints that require a text, such as the reason of a
# missed agreement, still hold).
REMOVED_TEXT = _("Removed when the retention period ended.")

# Clients anonymised per transaction by the nightly run: the first run may find tens of thousands
# due; batches keep the transactions and the id lists short, and a run that is killed keeps the
# batches it finished (technical, not policy).
BATCH_SIZE = 1000


class Retention(TypedDict):
    last_benefit_end: datetime.date | None
    last_worked_on: datetime.date
    retention_ended: datetime.date


def clients_due_for_anonymisation(
    *, today: datetime.date
) -> QuerySet[WithAnnotations[Client, Retention]]:
    """The clients whose retention period ended on or before `today` and who are not anonymised
    yet, in id order, with `last_benefit_end` (NULL: never on benefit), `last_worked_on` (the day
    the period is counted from, as the module says) and `retention_ended` (the day it ended). A
    client with an open benefit, as the client or as the partner, is never due. One query; the
    subqueries use the indexes on benefits (client, start_date), the partner foreign key,
    conversations (client, ...) and plans (client, drawn_up_on)."""
    years = PolicySettings.load().retention_years
    benefits = BenefitPeriod.objects.filter(Q(client=OuterRef("pk")) | Q(partner=OuterRef("pk")))
    last_end = benefits.filter(end_date__isnull=False).order_by("-end_date").values("end_date")[:1]
    conversations = Conversation.objects.filter(client=OuterRef("pk")).order_by("-held_on")
    plans = Plan.objects.filter(client=OuterRef("pk")).order_by("-drawn_up_on")
    return (
        Client.objects.filter(anonymised_at__isnull=True)
        .filter(~Exists(benefits.filter(end_date__isnull=True)))
        .annotate(
            last_benefit_end=Subquery(last_end, output_field=DateField()),
            # PostgreSQL's GREATEST skips NULLs: a client without conversations or plans is
            # counted from the benefit's end (or, never on benefit, the registration) alone.
            last_worked_on=Greatest(
                Coalesce("last_benefit_end", TruncDate("created_at"), output_field=DateField()),
                Subquery(conversations.values("held_on")[:1], output_field=DateField()),
                Subquery(plans.values("drawn_up_on")[:1], output_field=DateField()),
                output_field=DateField(),
            ),
            retention_ended=PlusInterval("last_worked_on", MakeInterval("years", Value(years))),
        )
        .filter(retention_ended__lte=today)
        .order_by("pk")
    )


def _removed(field: str) -> Case:
    """The free-text field's new value: empty stays empty, anything written becomes
    REMOVED_TEXT (stored in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        removed = str(REMOVED_TEXT)
    return Case(
        When(**{field: ""}, then=Value("")), default=Value(removed), output_field=CharField()
    )


def removed_text(*fields: str) -> dict[str, Case]:
    """For QuerySet.update(): each free-text field replaced as `_removed` says. Also used by the
    receivers of clients_anonymising in the apps that build on clients."""
    return {field: _removed(field) for field in fields}


@transaction.atomic
def anonymise_clients(*, client_ids: Collection[int], today: datetime.date) -> list[int]:
    """Remove the personal data of those of `client_ids` whose retention period has ended by
    `today` (clients_due_for_anonymisation: a benefit reopened since they were selected, or an
    earlier run, leaves a client out), and return their ids. One UPDATE per table, whatever the
    number of clients; the other apps remove theirs through clients_anonymising, in the same
    transaction.

    What stays and what goes, per field of Client (the monitors, monitoring.indicators, are what
    must stay reproducible):
    - kept: date_of_birth (current_plan counts the clients under the policy's age on the
      period's last day, so the exact date is needed for any age the policy may set), team
      (every figure can be split by team), and the structured case facts the figures are made of
      or may be broken down by: household, education, the qualification and register flags, the
      barriers and the caseload links. Without a name, BSN, address or gender they point at
      nobody. All the histories stay: benefit periods, klantgroepen, ladder steps, conversations
      (kind, status, date, choices), plans and agreements (dates, status), invitations and, in
      instruments, trajecten, placements and work profiles.
    - removed: the name (the word ANONYMISED_NAME instead), the BSN and its look-up hash, the
      address (street, house number, postcode, neighbourhood, city), the contact data (phone,
      e-mail) and the gender (set to unknown): no monitor reads these, and with the exact date
      of birth the postcode or neighbourhood and the gender would single a person out again.
    - every free text about the client, in clients and (through the signal) in instruments:
      replaced by REMOVED_TEXT when written. What a consultant wrote down is the most personal
      part of the file, and no figure reads it.
    """
    ids = list(
        clients_due_for_anonymisation(today=today)
        .filter(pk__in=client_ids)
        .select_for_update(of=("self",))  # a second run at the same time waits, then skips them
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        name = str(ANONYMISED_NAME)
    Client.objects.filter(pk__in=ids).update(
        first_name="",
        surname_prefix="",
        last_name=name,
        bsn=None,
        bsn_hash=None,  # the keyed hash would still tell whether a BSN was ever a client here
        street="",
        house_number="",
        postcode="",
        neighbourhood="",
        city="",
        phone="",
        email="",
        gender=Gender.UNKNOWN,
        anonymised_at=timezone.now(),
    )
    LadderMeasurement.objects.filter(client__in=ids).update(**removed_text("note"))
    ClientGroupAssignment.objects.filter(client__in=ids).update(**removed_text("reason"))
    Conversation.objects.filter(client__in=ids).update(
        **removed_text(
            "notes",
            "urgent_action",
            "ambition",
            "wellbeing",
            "living_situation",
            "group_change_reason",
        )
    )
    DomainScore.objects.filter(conversation__client__in=ids).update(**removed_text("note"))
    ConversationAddendum.objects.filter(conversation__client__in=ids).update(**removed_text("text"))
    Plan.objects.filter(client__in=ids).update(**removed_text("goals"))
    Agreement.objects.filter(plan__client__in=ids).update(
        **removed_text("description", "missed_reason")
    )
    AgreementReview.objects.filter(agreement__plan__client__in=ids).update(**removed_text("note"))
    clients_anonymising.send(sender=Client, client_ids=ids)
    return ids


@dataclasses.dataclass(frozen=True)
class RetentionRun:
    day: datetime.date
    client_ids: list[int]


def anonymise_expired_clients(*, today: datetime.date) -> RetentionRun:
    """Anonymise every client whose retention period has ended by `today`, log their ids (never
    a name or BSN) to the "casework.retention" logger and notify the application managers once
    a day. Running it again the same day changes nothing."""
    due = list(clients_due_for_anonymisation(today=today).values_list("pk", flat=True))
    ids: list[int] = []
    for start in range(0, len(due), BATCH_SIZE):
        ids += anonymise_clients(client_ids=due[start : start + BATCH_SIZE], today=today)
    logger.info(
        "Retention run of %s: %d clients anonymised: %s",
        today.isoformat(),
        len(ids),
        ",".join(map(str, ids)) or "none",
    )
    if ids:
        _notify_application_managers(day=today, count=len(ids))
    return RetentionRun(day=today, client_ids=ids)


def _notify_application_managers(*, day: datetime.date, count: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = ngettext(
            "%(count)d client was anonymised: their retention period had ended.",
            "%(count)d clients were anonymised: their retention period had ended.",
            count,
        ) % {"count": count}
    managers = User.objects.filter(role=Role.ADMIN, is_active=True)
    Notification.objects.bulk_create(
        [
            Notification(user=user, key=f"retention:{day.isoformat()}", message=message)
            for user in managers
        ],
        ignore_conflicts=True,  # the key is unique per user: one notification a day
    )
