"""How long the quarterly monitor takes: every indicator for one quarter, and the PDF.

Run against a database seeded at scale, for example:

    export DATABASE_URL=postgres://postgres@/%2Fwork%2Fmain%2F.local%2Fpostgres/casework_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clients 100000 --years 10
    .venv/bin/python bench/monitor.py --runs 3

For the last quarter that has ended it times, over `--runs` runs, computing every indicator of
the monitor (the quarter, the previous one, the same quarter last year and the eight quarters of
the charts: report.collect), then rendering the PDF, the CSV and the XLSX once, and prints the
medians, the number of queries of one collect and the process's peak memory. Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from clients.models import Client  # noqa: E402
from monitoring import report  # noqa: E402
from monitoring.indicators import REGISTRY  # noqa: E402
from monitoring.periods import Period  # noqa: E402


def seconds(started: float) -> float:
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the computation")
    arguments = parser.parse_args()

    quarter = Period.quarter_of(timezone.localdate()).previous()
    print(f"{Client.objects.count()} clients, {len(REGISTRY)} indicators, {quarter.label}")

    collect_times = []
    for run in range(arguments.runs):
        started = time.perf_counter()
        if run == 0:
            with CaptureQueriesContext(connection) as queries:
                monitor = report.collect(quarter, made_at=timezone.now())
        else:
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

    print(f"{'step':<40}{'median s':>10}")
    print(f"{'all indicators (collect)':<40}{statistics.median(collect_times):>10.2f}")
    print(f"{'PDF':<40}{pdf_time:>10.2f}")
    print(f"{'CSV and XLSX':<40}{tables_time:>10.2f}")
    print(f"queries of one collect: {len(queries)}; PDF {len(pdf) // 1024} KB")
    print(f"peak memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
