"""One consistent view of the data, shared by several database connections: for computing the
monitor's figures at once (monitoring.report.collect).

PostgreSQL runs each query on one core. The monitor's figures are some 300 independent reads, so
on two connections they take about 40% less time on a machine with two cores (bench/monitor.py).
All connections see the same data: the caller's connection opens a REPEATABLE READ transaction
and exports its snapshot (pg_export_snapshot), the helpers' connections import it (SET
TRANSACTION SNAPSHOT). A benefit recorded while the monitor is built is in all of its figures or
in none.

Inside a transaction of the caller (an atomic block, a test's transaction) there is no view to
share: helpers could not see the caller's uncommitted writes. The work is then done on the
caller's connection alone, in the caller's transaction.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

_T = TypeVar("_T")

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def consistent_view() -> Iterator[str | None]:
    """A REPEATABLE READ transaction on this thread's connection, for as long as the block runs;
    yields the id of its exported snapshot, for run_all. Inside a caller's transaction that
    transaction is the view, and there is no snapshot to share (None)."""
    if connection.in_atomic_block:
        yield None
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        yield snapshot


def run_all(tasks: Sequence[Callable[[], _T]], *, snapshot: str | None) -> list[_T]:
    """Each task's result, in the tasks' order.

    With a snapshot (consistent_view's), this thread and settings.MONITOR_DATABASE_CONNECTIONS - 1
    helper threads take the tasks one by one, each helper on a connection of its own in the
    snapshot, closed when no task is left. The helpers run in this thread's context (the shared
    reads of monitoring.indicators.base) with its language and time zone, which Django keeps per
    thread. A helper that cannot start (no connection to be had) leaves its share to the others.
    The first error of a task stops them all from taking further tasks and is raised here once
    they have stopped; so is an exception that interrupts this thread while it waits (a time
    limit). Without a snapshot the tasks run here, one after another."""
    helpers = min(settings.MONITOR_DATABASE_CONNECTIONS, len(tasks)) - 1 if snapshot else 0
    if helpers <= 0:
        return [task() for task in tasks]

    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(tasks)):
        pending.put(index)
    results: dict[int, _T] = {}
    errors: list[BaseException] = []

    def take_tasks() -> None:
        try:
            while not errors:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                results[index] = tasks[index]()
        except BaseException as error:  # raised in the caller's thread, after the join
            errors.append(error)

    language = translation.get_language()
    time_zone = timezone.get_current_timezone()

    def helper() -> None:
        # take_tasks keeps the tasks' errors: what reaches the except is the helper's own.
        try:
            with (
                translation.override(language),
                timezone.override(time_zone),
                transaction.atomic(),
            ):
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                take_tasks()
        except DatabaseError:
            logger.warning("A helper connection could not start; the others do its share")
        finally:
            connection.close()

    threads: list[threading.Thread] = []
    try:
        for _ in range(helpers):
            threads.append(threading.Thread(target=contextvars.copy_context().run, args=(helper,)))
            threads[-1].start()
        take_tasks()
        for thread in threads:
            thread.join()
    except BaseException as error:  # while starting or waiting (a time limit)
        errors.append(error)  # the helpers stop after their current task
        for thread in threads:
            thread.join()
        raise
    if errors:
        raise errors[0]
    return [results[index] for index in range(len(tasks))]
