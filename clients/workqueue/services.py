"""Writes of the work queue: the daily record per consultant and the notifications of items that
became overdue. Run daily by clients.tasks.record_work_queue; running it again for the same day
changes nothing."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.models import Notification, PolicySettings, Role, User
from clients.models import QueueItemKind, QueueSnapshot
from clients.workqueue.selectors import Window, caseload, newly_overdue_items, queue_counts

# Stored in the notification, so without the client's name or BSN: the link says who it is.
OVERDUE_MESSAGES = {
    QueueItemKind.AMBITION: _("An ambition conversation was due on %(date)s and is now overdue."),
    QueueItemKind.PROGRESS: _("A progress conversation was due on %(date)s and is now overdue."),
    QueueItemKind.LEGALITY_REVIEW: _("A legality review was due on %(date)s and is now overdue."),
    QueueItemKind.INACTIVE: _("A client in your caseload has had no activity since %(date)s."),
    QueueItemKind.AGREEMENT: _("An agreement was due on %(date)s and is still open."),
}


@dataclasses.dataclass(frozen=True)
class WorkQueueRun:
    day: datetime.date
    consultants: int
    emails_sent: int


def record_work_queue(*, day: datetime.date) -> WorkQueueRun:
    """For every active consultant: record the day's queue counts per kind (QueueSnapshot, one row
    per day, consultant and kind, overwritten on a re-run), notify them of each item that became
    overdue since the previous run (one notification per item, keyed so a re-run adds nothing),
    and, when e-mail notifications are on, send one summary e-mail a day.

    "Became overdue since the previous run": due from the last recorded day before `day` (or
    yesterday, on the first run) up to and including yesterday, so a day the job did not run is
    caught up and an item is reported once. An item that was already overdue when it entered the
    queue (say, a client registered with a benefit that started months ago) is shown in the queue
    but not notified.

    Each consultant's queue comes from the same selectors as their "Mijn werkvoorraad" page, so the
    record is what they saw that day."""
    policy = PolicySettings.load()
    window = Window.starting(day, policy)
    last_run = QueueSnapshot.objects.filter(day__lt=day).aggregate(day=Max("day"))["day"]
    since = last_run or day - datetime.timedelta(days=1)
    consultants = User.objects.filter(role=Role.CONSULTANT, is_active=True).order_by("pk")
    emails_sent = 0
    count = 0
    for consultant in consultants:
        _record_for_consultant(consultant, window=window, since=since, policy=policy)
        emails_sent += email_new_notifications(user=consultant)
        count += 1
    return WorkQueueRun(day=day, consultants=count, emails_sent=emails_sent)


@transaction.atomic
def _record_for_consultant(
    consultant: User, *, window: Window, since: datetime.date, policy: PolicySettings
) -> None:
    clients = caseload(consultant)
    counts = queue_counts(clients, window=window, policy=policy)
    QueueSnapshot.objects.bulk_create(
        [
            QueueSnapshot(
                day=window.today,
                consultant=consultant,
                kind=count.kind,
                overdue=count.overdue,
                due_soon=count.due_soon,
            )
            for count in counts.kinds
        ],
        update_conflicts=True,
        unique_fields=["day", "consultant", "kind"],
        update_fields=["overdue", "due_soon"],
    )
    items = newly_overdue_items(clients, today=window.today, since=since, policy=policy)
    Notification.objects.bulk_create(
        [_overdue_notification(consultant, row, policy=policy) for row in items],
        ignore_conflicts=True,  # the key is unique per user: a re-run creates nothing new
    )


def _overdue_notification(
    user: User, row: Mapping[str, Any], *, policy: PolicySettings
) -> Notification:
    kind = QueueItemKind(row["item_kind"])
    due: datetime.date = row["item_due"]
    # For inactivity the date in the message is the last activity, not the day it became a signal.
    shown = (
        due - datetime.timedelta(days=policy.inactivity_days)
        if kind == QueueItemKind.INACTIVE
        else due
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = OVERDUE_MESSAGES[kind] % {"date": formats.date_format(shown, "j F Y")}
    return Notification(
        user=user,
        key=f"overdue:{kind}:{row['item_client']}:{due.isoformat()}",
        message=message,
        url=reverse("clients:detail", args=[row["item_client"]]),
    )


def email_new_notifications(*, user: User) -> bool:
    """Send the user one e-mail about their unread notifications not e-mailed before, at most one
    a day, when e-mail notifications are on (settings.NOTIFY_BY_EMAIL) and the user has an
    address. It says how many, never what: no personal data leaves by e-mail."""
    if not settings.NOTIFY_BY_EMAIL or not user.email:
        return False
    now = timezone.now()
    if user.notifications.filter(emailed_at__date=timezone.localdate(now)).exists():
        return False
    pending = list(
        user.notifications.filter(emailed_at__isnull=True, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not pending:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "Casework: %(count)d new notification",
            "Casework: %(count)d new notifications",
            len(pending),
        ) % {"count": len(pending)}
        body = ngettext(
            "You have %(count)d new notification in Casework, for example about items in your "
            "work queue that are now overdue. Log in to Casework to read it.",
            "You have %(count)d new notifications in Casework, for example about items in your "
            "work queue that are now overdue. Log in to Casework to read them.",
            len(pending),
        ) % {"count": len(pending)}
    send_mail(subject, body, None, [user.email])
    # Only after sending: if sending fails, the next run tries again.
    Notification.objects.filter(pk__in=pending).update(emailed_at=now)
    return True
