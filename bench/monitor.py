"""How long the quarterly monitor takes: every indicator for one quarter, and the PDF; and, with
--worker, how much memory a Celery worker needs to build it.

Run against a database seeded at scale, for example:

    export DATABASE_URL=postgres://postgres@/%2Fwork%2Fmain%2F.local%2Fpostgres/casework_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clients 100000 --years 10
    .venv/bin/python bench/monitor.py --runs 3 --indicators --worker

For the last quarter that has ended it times, over `--runs` runs, computing every indicator of
the monitor (the quarter, the previous one, the same quarter last year and the eight quarters of
the charts: report.collect, on MONITOR_DATABASE_CONNECTIONS connections at once), then rendering
the PDF, the CSV and the XLSX once, and prints the medians, the number of queries of one collect
(on all its connections) and this process's peak memory. Nothing is written.

--indicators also times each indicator over all the periods of the monitor (the slowest first),
one after another on one connection.

--worker then starts a real worker (`celery -A casework worker --pool solo`, with the filesystem
broker in a temporary directory), asks it `--runs` times to build the monitor of the quarter as
the application does (monitoring.report_services: request_report, then rebuild_report), waits
until each build is done and reads the worker's peak resident memory (VmHWM in
/proc/<pid>/status). This writes: the quarter's monitor is stored in the database, as a build by
the application would.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the computation")
    parser.add_argument(
        "--indicators", action="store_true", help="also time each indicator over the periods"
    )
    parser.add_argument(
        "--worker", action="store_true", help="also build the monitor in a real Celery worker"
    )
    parser.add_argument(
        "--skip-collect", action="store_true", help="only the worker (with --worker)"
    )
    return parser.parse_args()


ARGUMENTS = arguments()
# The worker and this process (which sends the build's message) share a broker of their own:
# set before the settings are read.
BROKER_DIR = tempfile.mkdtemp(prefix="monitor-bench-broker-") if ARGUMENTS.worker else None
if BROKER_DIR is not None:
    os.environ.pop("CELERY_BROKER_URL", None)  # the filesystem broker, the default
    os.environ["CELERY_FILESYSTEM_BROKER_DIR"] = BROKER_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.backends.base.base import BaseDatabaseWrapper  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.server import stop  # noqa: E402
from casework.models import User  # noqa: E402
from clients.models import Client  # noqa: E402
from monitoring import report, report_services  # noqa: E402
from monitoring.indicators import REGISTRY  # noqa: E402
from monitoring.indicators.base import (  # noqa: E402
    Scope,
    ordered_indicators,
    shared_reads,
    trend_quarters,
)
from monitoring.models import Report, ReportStatus  # noqa: E402
from monitoring.periods import Period  # noqa: E402

# How long a build in the worker may take before the benchmark gives up (the task's own limit).
BUILD_TIMEOUT = report_services.TIME_LIMIT
SLOWEST_SHOWN = 10


def seconds(started: float) -> float:
    return time.perf_counter() - started


def row(step: str, value: str) -> None:
    print(f"{step:<44}{value:>12}")


@contextlib.contextmanager
def counting_queries() -> Iterator[list[None]]:
    """A list with an item per query run meanwhile, on this thread's connection and on every
    connection opened meanwhile (collect's helpers, monitoring.snapshot)."""
    queries: list[None] = []

    def count(
        execute: Callable[..., object], sql: str, params: object, many: bool, context: object
    ) -> object:
        queries.append(None)
        return execute(sql, params, many, context)

    def on_new_connection(
        sender: object, connection: BaseDatabaseWrapper, **kwargs: object
    ) -> None:
        connection.execute_wrappers.append(count)

    connection_created.connect(on_new_connection)
    try:
        with connection.execute_wrapper(count):
            yield queries
    finally:
        connection_created.disconnect(on_new_connection)


def time_collect(quarter: Period, runs: int) -> None:
    started = time.perf_counter()
    with counting_queries() as queries:
        monitor = report.collect(quarter, made_at=timezone.now())
    collect_times = [seconds(started)]
    for _run in range(runs - 1):
        started = time.perf_counter()
        monitor = report.collect(quarter, made_at=timezone.now())
        collect_times.append(seconds(started))

    started = time.perf_counter()
    pdf = report.render_pdf(monitor)
    pdf_time = seconds(started)
    started = time.perf_counter()
    report.render_csv(monitor)
    report.render_xlsx(monitor)
    tables_time = seconds(started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    row("step", "median s")
    row("all indicators (collect)", f"{statistics.median(collect_times):.2f}")
    row("  runs", " ".join(f"{t:.1f}" for t in collect_times))
    row("PDF", f"{pdf_time:.2f}")
    row("CSV and XLSX", f"{tables_time:.2f}")
    print(f"queries of one collect: {len(queries)}; PDF {len(pdf) // 1024} KB")
    print(f"peak memory of this process: {peak_mb:.0f} MB")


def time_indicators(quarter: Period) -> None:
    """Each indicator over the monitor's periods, in one batch as collect computes them, but one
    after another on this connection."""
    compared = [quarter, quarter.previous(), quarter.a_year_earlier()]
    periods = list(dict.fromkeys([*compared, *trend_quarters(quarter)]))
    timings = []
    with shared_reads():
        for indicator in ordered_indicators():
            started = time.perf_counter()
            with counting_queries() as queries:
                for period in periods:
                    indicator.compute(period, Scope())
            timings.append((seconds(started), len(queries), indicator.code))
    print(f"\nslowest indicators over {len(periods)} periods (one batch, one connection):")
    row("indicator", "s (queries)")
    for spent, count, code in sorted(timings, reverse=True)[:SLOWEST_SHOWN]:
        row(f"  {code}", f"{spent:.2f} ({count})")
    row("  all", f"{sum(t for t, _n, _c in timings):.2f}")


def peak_memory_kb(pid: int) -> int:
    """The process's peak resident set size (VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"No VmHWM for process {pid}")


def build_in_worker(quarter: Period, runs: int, broker_dir: str) -> None:
    """Start a worker, have it build the quarter's monitor `runs` times, print its peak memory."""
    environment = {**os.environ, "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "--quiet",
            "-A",
            "casework",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
    )
    build_times = []
    peaks = []
    try:
        user = User.objects.order_by("pk").first()
        for run in range(runs):
            existing = Report.objects.filter(period_start=quarter.start, period_end=quarter.end)
            requested = time.perf_counter()
            row_ = existing.defer("pdf", "csv", "xlsx").first()
            if row_ is None or user is None:
                row_ = report_services.request_report(period=quarter, requested_by=user)
            elif not report_services.rebuild_report(report_row=row_, requested_by=user):
                raise RuntimeError(f"Monitor {row_.pk} is being built already")
            status = _wait_until_built(row_.pk, worker)
            build_times.append(seconds(requested))
            peaks.append(peak_memory_kb(worker.pid) / 1024)
            if status != ReportStatus.DONE:
                raise RuntimeError(f"Build {run + 1} ended as {status}")
    finally:
        stop(worker, timeout=60)
        shutil.rmtree(broker_dir, ignore_errors=True)

    print(f"\nCelery worker (--pool solo), {runs} builds of the monitor {quarter.label}:")
    row("step", "median")
    row("build in the worker (request to done), s", f"{statistics.median(build_times):.2f}")
    row("  runs, s", " ".join(f"{t:.1f}" for t in build_times))
    row("worker peak memory (VmHWM), MB", f"{max(peaks):.0f}")
    row("  after each build, MB", " ".join(f"{p:.0f}" for p in peaks))


def _wait_until_built(report_id: int, worker: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + BUILD_TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"The worker stopped (exit code {worker.returncode})")
        status = Report.objects.filter(pk=report_id).values_list("status", flat=True).get()
        if status in (ReportStatus.DONE, ReportStatus.FAILED):
            return str(status)
        time.sleep(0.5)
    raise RuntimeError(f"Monitor {report_id} was not built within {BUILD_TIMEOUT} s")


def main() -> None:
    quarter = Period.quarter_of(timezone.localdate()).previous()
    print(f"{Client.objects.count()} clients, {len(REGISTRY)} indicators, {quarter.label}")
    if not ARGUMENTS.skip_collect:
        time_collect(quarter, ARGUMENTS.runs)
    if ARGUMENTS.indicators:
        time_indicators(quarter)
    if BROKER_DIR is not None:
        build_in_worker(quarter, ARGUMENTS.runs, BROKER_DIR)


if __name__ == "__main__":
    main()
