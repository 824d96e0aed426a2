"""A worker killed while building a monitor: the build is resumed when a worker starts (or by
beat's sweep), it completes exactly once, and the killed worker's message, which Redis hands out
again an hour later, changes nothing.

The unit tests of the sweep (report_services.resume_interrupted_builds) run the task function in
the test process; the scenario runs real workers (tests.casework.test_celery.worker) over a Redis
of its own (bench.server.redis_server).
"""

import datetime
import logging
import re
import time

import pytest
import redis
from django.db import connection
from django.utils import timezone
from kombu import Connection

from bench.server import redis_server
from monitoring import report_services, tasks
from monitoring.models import FailureReason, Report, ReportStatus
from monitoring.periods import Period
from tests.casework.test_celery import worker

Q1_2025 = Period.quarter(2025, 1)


def report(period, status, **fields):
    row = Report.objects.create(
        period_start=period.start, period_end=period.end, period_kind=period.kind.value
    )
    Report.objects.filter(pk=row.pk).update(status=status, **fields)
    row.refresh_from_db()
    return row


class OtherSession:
    """A second database session, as another worker's: holds a report's advisory lock."""

    def __init__(self):
        self.connection = connection.get_new_connection(connection.get_connection_params())
        self.connection.autocommit = True

    def lock(self, row):
        self.connection.execute(
            "SELECT pg_advisory_lock(%s, %s)", [report_services.LOCK_NAMESPACE, row.pk]
        )

    def close(self):
        self.connection.close()


# The sweep -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_resumes_builds_whose_worker_died_and_leaves_live_ones(
    django_capture_on_commit_callbacks, caplog
):
    now = timezone.now()
    just_begun = now - datetime.timedelta(seconds=30)
    too_long = now - datetime.timedelta(seconds=report_services.TIME_LIMIT + 60)
    died = report(Q1_2025, ReportStatus.RUNNING, started_at=just_begun)
    alive = report(Period.quarter(2024, 4), ReportStatus.RUNNING, started_at=just_begun)
    timed_out = report(Period.quarter(2024, 3), ReportStatus.RUNNING, started_at=too_long)
    waiting_long = report(
        Period.quarter(2024, 2),
        ReportStatus.QUEUED,
        requested_at=now - report_services.RESEND_AFTER - datetime.timedelta(seconds=1),
    )
    waiting_briefly = report(Period.quarter(2024, 1), ReportStatus.QUEUED, requested_at=now)
    # Failed once, its retry due in a minute: waiting since the attempt started, not since asked.
    retrying = report(
        Period.year(2023),
        ReportStatus.QUEUED,
        requested_at=too_long,
        started_at=now - datetime.timedelta(seconds=90),
        failure_reason=FailureReason.DATABASE,
    )
    other = OtherSession()
    try:
        other.lock(alive)
        with (
            django_capture_on_commit_callbacks() as sent,
            caplog.at_level(logging.WARNING, logger="monitoring.tasks"),
        ):
            tasks.resume_interrupted_reports()
    finally:
        other.close()

    status = dict(Report.objects.values_list("pk", "status"))
    assert status == {
        died.pk: ReportStatus.QUEUED,
        alive.pk: ReportStatus.RUNNING,
        timed_out.pk: ReportStatus.FAILED,
        waiting_long.pk: ReportStatus.QUEUED,
        waiting_briefly.pk: ReportStatus.QUEUED,
        retrying.pk: ReportStatus.QUEUED,
    }
    timed_out.refresh_from_db()
    assert timed_out.failure_reason == FailureReason.TIMEOUT
    assert len(sent) == 2  # died and waiting_long
    assert len(caplog.records) == 3
    # The resumed build builds; a duplicate message afterwards does nothing.
    tasks.build_report(died.pk)
    died.refresh_from_db()
    built_at = died.built_at
    assert died.status == ReportStatus.DONE and built_at is not None
    tasks.build_report(died.pk)
    died.refresh_from_db()
    assert died.built_at == built_at


@pytest.mark.django_db
def test_a_timed_out_build_can_be_asked_for_again(django_capture_on_commit_callbacks):
    too_long = timezone.now() - datetime.timedelta(seconds=report_services.TIME_LIMIT + 60)
    row = report(Q1_2025, ReportStatus.RUNNING, started_at=too_long)
    report_services.resume_interrupted_builds(now=timezone.now())
    with django_capture_on_commit_callbacks() as sent:
        again = report_services.request_report(period=Q1_2025, requested_by=None)
    assert (again.pk, again.status, again.failure_reason) == (row.pk, ReportStatus.QUEUED, "")
    assert len(sent) == 1


# A real worker, killed --------------------------------------------------------------------------


def wait_for(condition, *, timeout, interval=0.05, steady=1):
    """Whether `condition` came true (on `steady` polls in a row) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    in_a_row = 0
    while time.monotonic() < deadline:
        in_a_row = in_a_row + 1 if condition() else 0
        if in_a_row == steady:
            return True
        time.sleep(interval)
    return False


def status_of(row):
    return Report.objects.filter(pk=row.pk).values_list("status", flat=True).get()


def lock_held(row):
    """Whether any session holds the report's advisory lock (read from pg_locks, not taken)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND objid = %s AND objsubid = 2 AND granted",
            [report_services.LOCK_NAMESPACE, row.pk],
        )
        return cursor.fetchone()[0] > 0


def stopped(process):
    """A worker's output, after stopping it as a deploy does (warm shutdown)."""
    process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def built_lines(output):
    return re.findall(r"Monitor \S+ \S+ built", output)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_building_a_monitor(tmp_path):
    row = Report.objects.create(
        period_start=Q1_2025.start, period_end=Q1_2025.end, period_kind="quarter"
    )
    with redis_server(tmp_path) as redis_instance:
        broker_url = redis_instance.url()
        broker_environment = {"CELERY_BROKER_URL": broker_url}
        # 1. A worker takes the build and is killed (SIGKILL; the solo pool is one process) while
        # building: the monitor is left "running" and the message unacknowledged in Redis.
        with worker(broker_environment) as first:
            with Connection(broker_url) as broker:
                original = tasks.build_report.apply_async(args=[row.pk], connection=broker)
            assert wait_for(lambda: status_of(row) == ReportStatus.RUNNING, timeout=60)
            first.kill()
            first.wait(timeout=10)
            killed_output = first.stdout.read()
        assert f"build_report[{original.id}] received" in killed_output
        assert built_lines(killed_output) == []
        assert status_of(row) == ReportStatus.RUNNING
        unacked = redis.Redis.from_url(broker_url)
        assert unacked.hlen("unacked") == 1
        # PostgreSQL ends the dead worker's session, and with it the build's lock.
        assert wait_for(lambda: not lock_held(row), timeout=30)

        # 2. A new worker starts: its sweep finds the build interrupted and sends it again; the
        # monitor is built once. The killed worker's message is still unacknowledged (Redis
        # would hand it out after the visibility timeout, an hour).
        with worker(broker_environment) as second:
            assert wait_for(lambda: status_of(row) == ReportStatus.DONE, timeout=120, interval=0.25)
            resumed_output = stopped(second)
        row.refresh_from_db()
        built_at = row.built_at
        assert "its worker died while building it; sent again" in resumed_output
        assert len(built_lines(resumed_output)) == 1
        assert f"build_report[{original.id}]" not in resumed_output
        assert unacked.hlen("unacked") == 1

        # 3. An hour later Redis hands the killed worker's message out again: it finds the monitor
        # done and changes nothing. (The hour is made to have passed: the message's delivery
        # time in the index of unacknowledged messages is put back by the visibility timeout.)
        ((tag, delivered_at),) = unacked.zrange("unacked_index", 0, -1, withscores=True)
        unacked.zadd("unacked_index", {tag: delivered_at - 3601})

        def handled():
            pending, queued = unacked.pipeline().hexists("unacked", tag).llen("celery").execute()
            return not pending and queued == 0

        with worker(broker_environment) as third:
            assert wait_for(handled, timeout=60, interval=0.25, steady=2)
            redelivered_output = stopped(third)
        assert f"build_report[{original.id}] received" in redelivered_output
        assert f"build_report[{original.id}] succeeded" in redelivered_output
        assert built_lines(redelivered_output) == []
    row.refresh_from_db()
    assert (row.status, row.built_at) == (ReportStatus.DONE, built_at)
    assert bytes(row.pdf).startswith(b"%PDF")
