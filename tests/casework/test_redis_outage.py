"""Redis (the Celery broker and the shared cache) goes down: the pages and saving a conversation
keep working, a monitor asked for meanwhile waits in the database, and it is built once Redis is
back. Beat's daily jobs run hourly, so one that beat could not send is made up.

The scenario runs a web server (bench.server.serve, the test settings) and a Celery worker
(tests.casework.test_celery.worker) over a Redis of its own on a free port (bench.server.
redis_server), which it stops and
starts; the shared Redis of CI (CASEWORK_TEST_REDIS_URL) is left alone.
"""

from __future__ import annotations

import ast
import datetime
import logging
import os
import subprocess
import sys
import time

import pytest
import requests
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from bench import server
from casework.cache import RedisCache
from casework.celery import app
from casework.models import Role
from clients import tasks as client_tasks
from clients.models import Conversation, ConversationKind, QueueSnapshot
from monitoring import report_services
from monitoring import tasks as monitoring_tasks
from monitoring.models import Report, ReportStatus
from monitoring.periods import Period
from tests.casework.factories import UserFactory
from tests.casework.test_celery import publishing_to, worker
from tests.database import database_url

PASSWORD = "outage-test-password"


# The scenario -----------------------------------------------------------------------------------


def log_in(base_url: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/inloggen/", timeout=30)
    response = session.post(
        f"{base_url}/inloggen/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": server.csrf_token(page),
        },
        timeout=30,
    )
    assert response.status_code == 200 and "/inloggen/" not in response.url, username
    return session


def get(session: requests.Session, url: str) -> requests.Response:
    """A page, which must answer (not hang: the timeout only guards the test run)."""
    response = session.get(url, timeout=30)
    assert response.status_code == 200, url
    timed(response)
    return response


def timed(response: requests.Response) -> None:
    """Print how long a request took, for the run's record (-s); not asserted."""
    for step in (*response.history, response):
        milliseconds = step.elapsed.total_seconds() * 1000
        print(f"{step.request.method} {step.request.path_url}: {milliseconds:.0f} ms")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_pages_work_and_a_monitor_waits_while_redis_is_down(tmp_path, client_a, consultant_a):
    manager = UserFactory(username="manager_outage", role=Role.MANAGER, team=client_a.team)
    policy = UserFactory(username="policy_outage", role=Role.POLICY, team=None)
    for user in (consultant_a, manager, policy):
        user.set_password(PASSWORD)
        user.save()

    with server.redis_server(tmp_path) as redis_instance:
        backing = {"CELERY_BROKER_URL": redis_instance.url(0), "CACHE_URL": redis_instance.url(1)}
        # The test settings (DEBUG: static files from the apps, so no collectstatic needed), with
        # the broker and the cache on Redis as production has them.
        with server.serve(
            database_url(),
            workers=1,
            threads=2,
            static_files=False,
            DJANGO_SETTINGS_MODULE="tests.settings",
            **backing,
        ) as base_url:
            redis_instance.stop()

            # /health/ says the broker is down; the pages keep working.
            assert requests.get(f"{base_url}/health/", timeout=30).status_code == 500
            consultant = log_in(base_url, consultant_a.username)
            get(consultant, f"{base_url}{reverse('clients:list')}")
            dossier = get(consultant, f"{base_url}{reverse('clients:detail', args=[client_a.pk])}")
            assert "Jansen" in dossier.text
            get(consultant, f"{base_url}{reverse('workqueue:index')}")
            create = f"{base_url}{reverse('conversations:create', args=[client_a.pk, 'werkcoach'])}"
            response = consultant.post(
                create,
                data={
                    "action": "complete",
                    "held_on": timezone.localdate().isoformat(),
                    "consultant": consultant_a.pk,
                    "location": "phone",
                    "notes": "Sollicitatiebrief besproken.",
                    "csrfmiddlewaretoken": server.csrf_token(get(consultant, create)),
                },
                timeout=30,
            )
            timed(response)
            assert response.status_code == 200  # followed the redirect to the conversation
            assert Conversation.objects.get(client=client_a).kind == ConversationKind.COACHING

            dashboard = get(log_in(base_url, manager.username), f"{base_url}{reverse('dashboard')}")
            assert "<h1" in dashboard.text

            officer = log_in(base_url, policy.username)
            page = get(officer, f"{base_url}{reverse('monitor-list')}")
            response = officer.post(
                f"{base_url}{reverse('monitor-request')}",
                data={
                    "kind": "quarter",
                    "year": "2025",
                    "quarter": "1",
                    "csrfmiddlewaretoken": server.csrf_token(page),
                },
                timeout=30,
            )
            timed(response)
            row = Report.objects.get()
            assert response.url.endswith(reverse("monitor-detail", args=[row.pk]))
            assert response.status_code == 200
            assert 'data-status="queued"' in response.text
            assert row.status == ReportStatus.QUEUED

        # Redis is back after a while; beat's sweep sends the monitor's message again, and a
        # worker builds it.
        redis_instance.start()
        Report.objects.filter(pk=row.pk).update(
            requested_at=timezone.now() - report_services.RESEND_AFTER
        )
        with worker({"CELERY_BROKER_URL": redis_instance.url(0)}):
            with Connection(redis_instance.url(0)) as broker:
                monitoring_tasks.resume_interrupted_reports.apply_async(connection=broker)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                row.refresh_from_db()
                if row.status in (ReportStatus.DONE, ReportStatus.FAILED):
                    break
                time.sleep(0.25)
    assert row.status == ReportStatus.DONE, row.failure_reason
    assert bytes(row.pdf).startswith(b"%PDF")


# The parts ------------------------------------------------------------------------------------


def unreachable_redis_url() -> str:
    return f"redis://127.0.0.1:{server.free_port()}/0"  # nothing listens there


def test_the_cache_answers_misses_while_redis_is_unreachable(caplog):
    cache = RedisCache(unreachable_redis_url(), {"OPTIONS": {"socket_connect_timeout": 0.5}})
    with caplog.at_level(logging.WARNING, logger="casework.cache"):
        assert cache.get("figure", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        cache.set("figure", 1)
        cache.set_many({"a": 1}, DEFAULT_TIMEOUT)
        assert cache.add("figure", 1) is False
        assert cache.has_key("figure") is False
        assert cache.delete("figure") is False
        cache.delete_many(["a"])
    assert len(caplog.records) == 8


def test_a_redis_cache_url_gets_the_tolerant_backend_with_short_timeouts():
    caches = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.CACHES)"],
        env={**os.environ, "CACHE_URL": "redis://redis:6379/1"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    default = ast.literal_eval(caches)["default"]
    assert default["BACKEND"] == "casework.cache.RedisCache"
    assert default["OPTIONS"]["socket_connect_timeout"] <= 1
    assert default["OPTIONS"]["socket_timeout"] <= 1


@pytest.mark.django_db
def test_a_monitor_asked_for_while_the_broker_is_down_is_saved_and_logged(
    caplog, django_capture_on_commit_callbacks
):
    with (
        publishing_to(unreachable_redis_url()),
        caplog.at_level(logging.WARNING, logger="monitoring.report_services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = report_services.request_report(period=Period.quarter(2025, 1), requested_by=None)
    row.refresh_from_db()
    assert row.status == ReportStatus.QUEUED
    assert any("could not be sent" in record.getMessage() for record in caplog.records)


def test_publishing_to_a_broker_that_is_down_gives_up_quickly():
    """Bounded: one retry, a connection timeout of a second (not celery's default of four)."""
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 1
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1


@pytest.mark.django_db
def test_the_work_queue_job_runs_hourly_and_once_a_day(consultant_a, django_assert_num_queries):
    entry = settings.CELERY_BEAT_SCHEDULE["record-work-queue"]
    assert len(entry["schedule"].hour) > 1
    day = datetime.date(2025, 3, 10)
    client_tasks.record_work_queue(day.isoformat())
    recorded = QueueSnapshot.objects.filter(day=day, consultant=consultant_a).count()
    assert recorded > 0
    with django_assert_num_queries(1):  # the day is recorded: nothing else
        client_tasks.record_work_queue(day.isoformat())
    # A consultant who has not been recorded yet (a run stopped half-way) makes it run again.
    other = UserFactory(role=Role.CONSULTANT, team=consultant_a.team)
    client_tasks.record_work_queue(day.isoformat())
    assert QueueSnapshot.objects.filter(day=day, consultant=other).count() == recorded


def test_the_nightly_and_monitor_jobs_are_made_up_when_missed():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert len(schedule["anonymise-expired-clients"]["schedule"].hour) > 1
    # The due monitors are asked for daily: a day missed is made up the next day.
    assert schedule["build-due-monitors"]["task"] == "monitoring.tasks.build_due_reports"
    sweep = schedule["resume-interrupted-monitors"]
    assert sweep["task"] == "monitoring.tasks.resume_interrupted_reports"
    assert sweep["task"] in app.tasks
    assert sweep["schedule"] <= report_services.RESEND_AFTER.total_seconds()
