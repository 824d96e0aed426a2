"""The monitor's figures on several database connections in one snapshot (monitoring.snapshot):
the helpers see what the caller's view sees and not what others commit meanwhile, the figures are
those of one connection, a read shared by indicators is made once, an error in a helper reaches
the caller, and the helpers' connections are closed.

Committed rows (transaction=True): the helpers' connections cannot see a test's transaction. The
policy defaults of the migrations are restored after each test (serialized_rollback).
"""

import datetime
import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from django.utils.translation import override

from clients.models import Client
from monitoring import report
from monitoring.indicators.base import shared, shared_reads
from monitoring.periods import Period
from monitoring.snapshot import consistent_view, run_all
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONNECTIONS = 3


@pytest.fixture(autouse=True)
def three_connections(settings):
    settings.MONITOR_DATABASE_CONNECTIONS = CONNECTIONS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def each_on_a_thread_of_its_own(task):
    """CONNECTIONS tasks that wait for each other before they run `task`: every thread of
    run_all holds one of them, none can take two."""
    together = threading.Barrier(CONNECTIONS)

    def waiting():
        together.wait(timeout=10)
        return task()

    return [waiting] * CONNECTIONS


def commit_a_client_elsewhere() -> None:
    def create():
        try:
            ClientFactory()
        finally:
            connection.close()

    thread = threading.Thread(target=create)
    thread.start()
    thread.join()


def test_the_helpers_see_the_callers_view_not_what_is_committed_meanwhile():
    ClientFactory()
    with consistent_view() as snapshot:
        commit_a_client_elsewhere()
        seen = run_all(
            each_on_a_thread_of_its_own(lambda: (backend(), Client.objects.count())),
            snapshot=snapshot,
        )
    assert len({session for session, _count in seen}) == CONNECTIONS
    assert [count for _session, count in seen] == [1] * CONNECTIONS
    assert Client.objects.count() == 2


def test_the_helpers_close_their_connections():
    with consistent_view() as snapshot:
        sessions = run_all(each_on_a_thread_of_its_own(backend), snapshot=snapshot)
    helpers = set(sessions) - {backend()}
    assert len(helpers) == CONNECTIONS - 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [[*helpers]]
            )
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.1)
    else:
        pytest.fail("a helper's connection is still open")


def test_inside_a_transaction_everything_runs_on_its_connection():
    """Helpers could not see the transaction's own writes."""
    with transaction.atomic():
        ClientFactory()
        with consistent_view() as snapshot:
            seen = run_all([lambda: (backend(), Client.objects.count())] * 4, snapshot=snapshot)
        assert snapshot is None
        assert seen == [(backend(), 1)] * 4


def test_a_helper_that_cannot_start_leaves_its_share_to_the_caller(caplog):
    """Here a snapshot that does not exist (its transaction has ended): the helpers' import
    fails, as it would when no connection is to be had."""
    with consistent_view() as snapshot:
        pass
    seen = run_all([backend] * 20, snapshot=snapshot)
    assert seen == [backend()] * 20
    assert "could not start" in caplog.text


def test_an_error_in_a_helper_reaches_the_caller():
    def failing_on_a_helper():
        if threading.current_thread() is not threading.main_thread():
            raise ValueError("helper failed")

    with consistent_view() as snapshot, pytest.raises(ValueError, match="helper failed"):
        run_all(each_on_a_thread_of_its_own(failing_on_a_helper), snapshot=snapshot)


def test_after_an_error_no_thread_takes_another_task():
    done = []

    def failing_here():
        if threading.current_thread() is threading.main_thread():
            raise ValueError("failed here")
        time.sleep(0.05)
        done.append(1)

    with consistent_view() as snapshot, pytest.raises(ValueError, match="failed here"):
        run_all([failing_here] * 40, snapshot=snapshot)
    assert len(done) < 20


def test_a_shared_read_is_made_once_for_all_threads():
    reads = []

    def read():
        reads.append(threading.current_thread())
        time.sleep(0.2)  # the other threads ask meanwhile
        return "read"

    with consistent_view() as snapshot, shared_reads():
        values = run_all(
            each_on_a_thread_of_its_own(lambda: shared(("test",), read)), snapshot=snapshot
        )
    assert values == ["read"] * CONNECTIONS
    assert len(reads) == 1


def test_the_monitor_on_several_connections_is_the_monitor_on_one():
    call_command(
        "seed_demo", clients=150, years=3, today=datetime.date(2025, 6, 30), stdout=io.StringIO()
    )
    quarter = Period.quarter(2025, 1)
    made_at = timezone.now()
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection)

    connection_created.connect(count)
    try:
        # English, where the default language is Dutch: the helpers compute the rows' labels in
        # the caller's language.
        with override("en"):
            on_several = report.collect(quarter, made_at=made_at)
            assert len(opened) == CONNECTIONS - 1
            with transaction.atomic():
                on_one = report.collect(quarter, made_at=made_at)
            assert len(opened) == CONNECTIONS - 1
    finally:
        connection_created.disconnect(count)
    assert on_several == on_one
    assert on_several.sections[0].results[0].headline.current.number > 0
