"""Tasks go through a real broker to a real Celery worker process."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse
from kombu import Connection

from casework.celery import app
from casework.models import Heartbeat
from casework.tasks import heartbeat
from tests.database import database_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def publishing_to(broker_url: str) -> Iterator[None]:
    """Tasks sent from this process go to `broker_url`, and to the configured broker again
    afterwards. Celery's app keeps the connection and producer pools of the broker it first
    sent to, whatever broker_url says later: they are dropped on the way in and out, as Celery
    itself does after a fork (Celery._after_fork)."""

    def drop_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url
    app.conf.broker_url = broker_url
    drop_pools()
    try:
        yield
    finally:
        app.conf.broker_url = saved
        drop_pools()


@contextmanager
def worker(broker_environment: dict[str, str]) -> Iterator[subprocess.Popen]:
    environment = {**os.environ, "DATABASE_URL": database_url(), **broker_environment}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "casework",
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output)


def wait_for_heartbeat(timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(service="celery").exists():
            return True
        time.sleep(0.25)
    return False


def test_a_task_runs_on_a_real_worker_over_the_filesystem_broker(tmp_path, client, consultant_a):
    folder = tmp_path / "broker"
    (folder / "control").mkdir(parents=True)
    client.force_login(consultant_a)
    assert client.get(reverse("health-celery")).status_code == 500  # no heartbeat yet

    with worker(
        {"CELERY_BROKER_URL": "filesystem://", "CELERY_FILESYSTEM_BROKER_DIR": str(folder)}
    ):
        options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        }
        with Connection("filesystem://", transport_options=options) as broker:
            heartbeat.apply_async(connection=broker)
        assert wait_for_heartbeat()

    assert client.get(reverse("health-celery")).status_code == 200


@pytest.mark.redis
def test_a_task_runs_on_a_real_worker_over_redis():
    redis_url = os.environ["CASEWORK_TEST_REDIS_URL"]
    with worker({"CELERY_BROKER_URL": redis_url}):
        with Connection(redis_url) as broker:
            heartbeat.apply_async(connection=broker)
        assert wait_for_heartbeat()
