import datetime
import logging

from celery import shared_task
from django.utils import timezone

from casework.models import Role, User
from clients import retention
from clients.models import QueueSnapshot
from clients.workqueue import services as workqueue_services

logger = logging.getLogger(__name__)


# Limits above the project's defaults: at 100,000 clients and 1,550 consultants the run takes
# minutes (see bench/workqueue.py), and a re-run after a kill is harmless. The hard limit is below
# an hour, so beat's hourly runs never overlap.
@shared_task(name="clients.tasks.record_work_queue", soft_time_limit=1800, time_limit=1860)
def record_work_queue(day: str | None = None) -> None:
    """Hourly from the morning (Celery beat): record every consultant's work queue and notify
    newly overdue items, unless the day is recorded already. The first run of the day does the
    work; the later ones make up a run that beat could not send or a worker did not finish, and
    otherwise stop after one query. `day` (YYYY-MM-DD) defaults to today; running it twice for a
    day changes nothing."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    if _recorded(on):
        return
    run = workqueue_services.record_work_queue(day=on)
    logger.info(
        "Work queue recorded for %s: %d consultants, %d e-mails",
        run.day,
        run.consultants,
        run.emails_sent,
    )


def _recorded(day: datetime.date) -> bool:
    """Whether every active consultant's queue of `day` is recorded (the run writes a row per
    kind for each consultant, even with nothing in it): one query."""
    return not (
        User.objects.filter(role=Role.CONSULTANT, is_active=True)
        .exclude(pk__in=QueueSnapshot.objects.filter(day=day).values("consultant"))
        .exists()
    )


# Limits above the project's defaults: the first run after going live may anonymise thousands of
# clients (a few UPDATEs per table, in batches of 1,000); a re-run after a kill is harmless.
@shared_task(name="clients.tasks.anonymise_expired_clients", soft_time_limit=1800, time_limit=1860)
def anonymise_expired_clients(day: str | None = None) -> None:
    """Hourly at night (Celery beat): anonymise the clients whose retention period has ended by
    `day` (YYYY-MM-DD, default today); clients.retention logs their ids and notifies the
    application managers. Running it twice changes nothing: an anonymised client is never
    selected again, so the later runs of a night only make up one beat could not send."""
    retention.anonymise_expired_clients(
        today=datetime.date.fromisoformat(day) if day else timezone.localdate()
    )
