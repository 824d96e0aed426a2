"""Background jobs of the monitor: building one, beat's job that asks for the due ones, and the
sweep that sends again the builds the broker will not deliver (report_services.
resume_interrupted_builds)."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError
from django.utils import timezone

from monitoring import report_services
from monitoring.models import FailureReason

logger = logging.getLogger(__name__)


def failure_reason(error: BaseException) -> FailureReason:
    if isinstance(error, DatabaseError):
        return FailureReason.DATABASE
    return FailureReason.ERROR


@shared_task(
    bind=True,
    name="monitoring.tasks.build_report",
    max_retries=2,
    default_retry_delay=60,
    soft_time_limit=report_services.SOFT_TIME_LIMIT,
    time_limit=report_services.TIME_LIMIT,
)
def build_report(self: Task, report_id: int) -> None:
    """Build one monitor. Safe to run twice (acks late): a done monitor is left alone. A failed
    attempt is recorded with its reason and retried; after the last retry the monitor is failed.
    A build that ran out of time is failed at once: another attempt would take as long."""
    try:
        report_services.build_report(report_id=report_id)
    except SoftTimeLimitExceeded:
        logger.exception("Building monitor %s took longer than allowed", report_id)
        report_services.record_failure(
            report_id=report_id, reason=FailureReason.TIMEOUT, final=True
        )
        raise
    except Exception as error:
        final = self.request.retries >= (self.max_retries or 0)
        logger.exception("Building monitor %s failed (final: %s)", report_id, final)
        report_services.record_failure(
            report_id=report_id, reason=failure_reason(error), final=final
        )
        if not final:
            raise self.retry(exc=error) from error


@shared_task(name="monitoring.tasks.build_due_reports")
def build_due_reports() -> None:
    """Daily (Celery beat): ask for the monitor of the last completed quarter and, in the first
    quarter, of the last completed year, unless they are done already. A day on which beat could
    not send this (the broker was down) is made up the next day."""
    for row in report_services.request_due_reports(today=timezone.localdate()):
        logger.info("Monitor %s: %s", row.period.label, row.status)


@shared_task(name="monitoring.tasks.resume_interrupted_reports")
def resume_interrupted_reports() -> None:
    """When a worker starts (casework.celery) and every few minutes (beat): send again the builds
    whose worker died or whose message was lost; fail the ones that ran out of time."""
    sweep = report_services.resume_interrupted_builds(now=timezone.now())
    for report_id in sweep.resumed:
        logger.warning("Monitor %s: its worker died while building it; sent again", report_id)
    for report_id in sweep.resent:
        logger.warning("Monitor %s: waited in the queue too long; sent again", report_id)
    for report_id in sweep.failed:
        logger.warning("Monitor %s: was building for longer than allowed; failed", report_id)
