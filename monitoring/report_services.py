"""Writes of the monitor archive: requesting a monitor, building it, recording a failure.

A monitor is built by a Celery task (monitoring.tasks.build_report) with acks late, so a task can
run twice: after a worker crash, a broker redelivery, a second request, a resumed build. Building
is therefore idempotent: one row per period (a unique constraint), a done monitor is left alone,
two workers never build the same row at once (a PostgreSQL advisory lock, released by the
database when a worker dies), and the files are stored in one UPDATE together with the status
"done".

The database, not the broker, is the record of what is to be built: a request whose message
cannot be sent (the broker is down) stays queued, and a build whose worker died stays running
with its lock free. resume_interrupted_builds, run when a worker starts and every few minutes by
beat, sends both again; a message the broker still holds is then delivered twice, which is
harmless.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import override
from kombu.exceptions import OperationalError

from casework.models import User
from monitoring import report
from monitoring.models import FailureReason, Report, ReportKind, ReportStatus
from monitoring.periods import Period, PeriodKind

logger = logging.getLogger(__name__)

# The build task's time limits (seconds). At 100,000 clients a build computes every indicator for
# up to eleven periods; these stay below the Redis visibility timeout (3600 s), so a slow build is
# not handed to a second worker.
SOFT_TIME_LIMIT = 1800
TIME_LIMIT = 1860

# The first key of the advisory lock on a report being built ("mo" "ni": monitoring).
LOCK_NAMESPACE = 0x6D6F6E69

# How long a monitor may wait in the queue before resume_interrupted_builds sends its message
# again (it was lost, or never sent while the broker was down): longer than a build waits for its
# retry (the task's default_retry_delay, 60 s) and for the builds queued before it, usually.
# Sending too early only costs a duplicate message, which finds the monitor done or locked.
RESEND_AFTER = datetime.timedelta(minutes=5)


def _enqueue(report_id: int) -> None:
    """Send the build's message once the transaction has committed (the worker must find the
    row)."""
    transaction.on_commit(functools.partial(_send, report_id))


def _send(report_id: int) -> None:
    """Send a build's message. A broker that is down must not fail the request that asked for
    it (the monitor is saved, queued): the failure is logged, and resume_interrupted_builds sends
    the message again when the broker is back. Bounded by the publish retry policy (settings)."""
    from monitoring.tasks import build_report  # the task module imports this one

    try:
        build_report.delay(report_id)
    except (OperationalError, OSError):
        logger.warning(
            "Monitor %s is queued, but its message could not be sent to the broker; it is sent "
            "again when the broker is back",
            report_id,
            exc_info=True,
        )


def normalise(period: Period) -> Period:
    """A period given by its dates that is exactly a quarter or a year is that quarter or year
    (so it is compared with the right previous period, and archived once)."""
    if period.kind == PeriodKind.CUSTOM:
        for candidate in (Period.quarter_of(period.start), Period.year(period.start.year)):
            if (candidate.start, candidate.end) == (period.start, period.end):
                return candidate
    return period


@transaction.atomic
def request_report(*, period: Period, requested_by: User | None) -> Report:
    """The monitor of a period, queued for building unless it is done already (a rebuild is
    asked for explicitly: rebuild_report). A failed monitor is queued again. Asking twice
    enqueues twice, which is harmless: the task does nothing for a monitor that is done or being
    built."""
    period = normalise(period)
    row, created = Report.objects.select_for_update().get_or_create(
        period_start=period.start,
        period_end=period.end,
        defaults={
            "period_kind": ReportKind(period.kind.value),
            "requested_by": requested_by,
        },
    )
    if row.status == ReportStatus.DONE:
        return row
    if row.status == ReportStatus.FAILED:
        _requeue(row, requested_by=requested_by)
    _enqueue(row.pk)
    if created:
        logger.info("Monitor %s requested", row.period.label)
    return row


def can_rebuild(row: Report, *, now: datetime.datetime) -> bool:
    """Whether a rebuild may be asked for: not while a build is queued or running, unless it has
    been so for longer than a build may take (its message or worker was lost)."""
    if not row.in_progress:
        return True
    since = row.started_at or row.requested_at
    return since < now - datetime.timedelta(seconds=TIME_LIMIT)


@transaction.atomic
def rebuild_report(*, report_row: Report, requested_by: User) -> bool:
    """Build the monitor again with the data as it is now; the new files replace the old ones
    when the build is done (until then the old files stay downloadable). False when a build is
    under way already."""
    row = Report.objects.select_for_update().defer("pdf", "csv", "xlsx").get(pk=report_row.pk)
    if not can_rebuild(row, now=timezone.now()):
        return False
    _requeue(row, requested_by=requested_by)
    _enqueue(row.pk)
    return True


def _requeue(row: Report, *, requested_by: User | None) -> None:
    row.status = ReportStatus.QUEUED
    row.failure_reason = ""
    row.requested_by = requested_by
    row.requested_at = timezone.now()
    row.started_at = None
    row.finished_at = None
    row.save(
        update_fields=[
            "status",
            "failure_reason",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
        ]
    )


@contextlib.contextmanager
def _building(report_id: int) -> Iterator[bool]:
    """Whether this process may build the report: a session-level advisory lock, held while the
    build runs (across its transactions) and released when the connection ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, report_id])
        (acquired,) = cursor.fetchone()
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, report_id])


def build_report(*, report_id: int) -> None:
    """Build the monitor's files, unless it is done or another worker is building it. A monitor
    left "running" by a crashed worker is built again. Raises on failure (see record_failure)."""
    with _building(report_id) as acquired:
        if not acquired:
            logger.info("Monitor %s is being built by another worker", report_id)
            return
        row = Report.objects.defer("pdf", "csv", "xlsx").filter(pk=report_id).first()
        if row is None or row.status == ReportStatus.DONE:
            return
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.RUNNING, started_at=timezone.now(), finished_at=None
        )
        # The council reads Dutch, whoever asked for the monitor and in whichever language.
        with override(settings.LANGUAGE_CODE):
            monitor = report.collect(row.period, made_at=timezone.now())
            files = report.render(monitor)
        finished = timezone.now()
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE,
            failure_reason="",
            finished_at=finished,
            built_at=finished,
            pdf=files.pdf,
            csv=files.csv,
            xlsx=files.xlsx,
        )
        logger.info("Monitor %s built", row.period.label)


def record_failure(*, report_id: int, reason: FailureReason, final: bool) -> None:
    """A failed attempt: queued again with the reason while attempts remain, failed after the
    last one. Files of an earlier build stay as they were."""
    Report.objects.filter(pk=report_id).update(
        status=ReportStatus.FAILED if final else ReportStatus.QUEUED,
        failure_reason=reason,
        finished_at=timezone.now() if final else None,
    )


@dataclasses.dataclass(frozen=True)
class Sweep:
    """What resume_interrupted_builds did: the ids of the monitors sent again, by why."""

    resumed: list[int]  # were being built by a worker that died
    resent: list[int]  # waited in the queue too long: their message was lost or never sent
    failed: list[int]  # were being built for longer than allowed (TIME_LIMIT)


def resume_interrupted_builds(*, now: datetime.datetime) -> Sweep:
    """Send again the builds the broker will not deliver soon, so that a monitor is never left
    queued or running for nothing (run when a worker starts and every few minutes by beat):

    - "Running" with its lock free: the worker building it died (killed, restarted, a deploy).
      With the Redis broker, its unacknowledged message comes back only after the visibility
      timeout, an hour. Queued again and sent, unless it had been building for longer than the
      hard time limit: another attempt would take as long, so it is failed (reason timeout), and
      asking for it or rebuilding it builds it again. A build whose lock is held is alive.
    - "Queued" for longer than RESEND_AFTER: its message was lost or never sent (the broker was
      down when it was asked for). Sent again.

    A duplicate of a message the broker still holds finds the monitor locked or done and does
    nothing. A few rows at most: each running row is locked on its own."""
    started_too_long_ago = Q(started_at__lt=now - datetime.timedelta(seconds=TIME_LIMIT))
    running = (
        Report.objects.filter(status=ReportStatus.RUNNING)
        .annotate(timed_out=ExpressionWrapper(started_too_long_ago, output_field=BooleanField()))
        .values_list("pk", "timed_out")
    )
    resumed, failed = [], []
    for report_id, timed_out in running:
        with _building(report_id) as acquired:
            if not acquired:
                continue  # being built
            # Under the lock: no worker can mark the row running or done meanwhile.
            still_running = Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING)
            if timed_out:
                if still_running.update(
                    status=ReportStatus.FAILED,
                    failure_reason=FailureReason.TIMEOUT,
                    finished_at=now,
                ):
                    failed.append(report_id)
            elif still_running.update(status=ReportStatus.QUEUED, started_at=None):
                resumed.append(report_id)
    waiting_since = Coalesce("started_at", "requested_at")
    resent = list(
        Report.objects.alias(waiting_since=waiting_since)
        .filter(status=ReportStatus.QUEUED, waiting_since__lt=now - RESEND_AFTER)
        .exclude(pk__in=resumed)
        .values_list("pk", flat=True)
    )
    for report_id in resumed + resent:
        _enqueue(report_id)
    return Sweep(resumed=resumed, resent=resent, failed=failed)


def due_periods(*, today: datetime.date) -> list[Period]:
    """The last completed quarter and, in the first quarter, the last completed year."""
    this_quarter = Period.quarter_of(today)
    periods = [this_quarter.previous()]
    if this_quarter.start.month == 1:
        periods.append(Period.year(today.year - 1))
    return periods


def request_due_reports(*, today: datetime.date) -> list[Report]:
    """Beat's job: the due monitors, requested unless they are done already."""
    return [request_report(period=period, requested_by=None) for period in due_periods(today=today)]
