import datetime
import logging

from celery import shared_task
from django.utils import timezone

from clients import retention
from clients.workqueue import services as workqueue_services

logger = logging.getLogger(__name__)


# Limits above the project's defaults: at 100,000 clients and 1,550 consultants the run takes
# minutes (see bench/workqueue.py), and a re-run after a kill is harmless.
@shared_task(name="clients.tasks.record_work_queue", soft_time_limit=1800, time_limit=1860)
def record_work_queue(day: str | None = None) -> None:
    """Daily (Celery beat): record every consultant's work queue and notify newly overdue items.
    `day` (YYYY-MM-DD) defaults to today; running it twice for a day changes nothing."""
    run = workqueue_services.record_work_queue(
        day=datetime.date.fromisoformat(day) if day else timezone.localdate()
    )
    logger.info(
        "Work queue recorded for %s: %d consultants, %d e-mails",
        run.day,
        run.consultants,
        run.emails_sent,
    )


# Limits above the project's defaults: the first run after going live may anonymise thousands of
# clients (a few UPDATEs per table, in batches of 1,000); a re-run after a kill is harmless.
@shared_task(name="clients.tasks.anonymise_expired_clients", soft_time_limit=1800, time_limit=1860)
def anonymise_expired_clients(day: str | None = None) -> None:
    """Nightly (Celery beat): anonymise the clients whose retention period has ended by `day`
    (YYYY-MM-DD, default today); clients.retention logs their ids and notifies the application
    managers. Running it twice changes nothing: an anonymised client is never selected again."""
    retention.anonymise_expired_clients(
        today=datetime.date.fromisoformat(day) if day else timezone.localdate()
    )
