"""The test database, as other processes (a Celery worker, pg_dump) and threads reach it."""

import queue
import threading
import time
from collections.abc import Callable
from urllib.parse import quote

from django.db import connection, transaction


def database_url() -> str:
    """DATABASE_URL of the database the tests run against."""
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = settings["HOST"]
    if host.startswith("/"):
        return f"postgres://{auth}@/{quote(host, safe='')}/{settings['NAME']}"
    return f"postgres://{auth}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def second_writer_waits(first: Callable[[], object], second: Callable[[], object]) -> None:
    """`first` in a transaction of this thread, and `second` in a transaction of another thread
    (its own connection) started before the first commits: asserts that the second waits for a
    lock the first holds until the first commits, and then succeeds. Needs committed rows
    (django_db(transaction=True))."""
    errors: list[Exception] = []
    second_session = queue.Queue[int]()

    def write_second() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    second_session.put(cursor.fetchone()[0])
                second()
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=write_second)
    with transaction.atomic():
        first()
        other.start()
        assert _blocks(second_session.get(timeout=10), within=10), f"no wait: {errors}"
    other.join(timeout=30)
    assert not other.is_alive()
    assert errors == []


def _blocks(session: int, *, within: float) -> bool:
    """Whether this session blocks that one (it waits for a lock this one holds), polled for
    `within` seconds."""
    deadline = time.monotonic() + within
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_backend_pid() = ANY(pg_blocking_pids(%s))", [session])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
