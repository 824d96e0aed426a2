"""How long "Mijn werkvoorraad" takes to render, against a trivial page through the same stack.

Run against a database seeded at scale, for example:

    export DATABASE_URL=postgres://postgres@/%2Fwork%2Fmain%2F.local%2Fpostgres/casework_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clients 100000 --years 10
    .venv/bin/python bench/workqueue.py --runs 20

It renders the work queue through Django's test client (all middleware, templates, the access log)
for the consultants with the largest caseloads and for a team leader, and prints the median and
95th percentile in ms, the number of queries and the ratio to the log-in page. With --job it also
times the daily job (clients.tasks.record_work_queue) once. It writes what the pages write:
sessions, access-log rows and, with --job, the day's snapshots and notifications.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.models import Role, User  # noqa: E402
from clients.models import Client as Person  # noqa: E402
from clients.workqueue.services import record_work_queue  # noqa: E402


def measure(get: Callable[[], object], runs: int) -> tuple[float, float, int]:
    """Median and 95th percentile in ms over `runs` calls after two warm-up calls, and the
    number of queries of one call."""
    for _ in range(2):
        get()
    reset_queries()  # with DEBUG on, the log is capped at 9,000 queries
    with CaptureQueriesContext(connection) as queries:
        get()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(queries)


def page(user: User | None, url: str) -> Callable[[], object]:
    browser = Client()
    if user is not None:
        browser.force_login(user)

    def get() -> object:
        response = browser.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} for {user}")
        return response

    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page")
    parser.add_argument("--consultants", type=int, default=3, help="largest caseloads to time")
    parser.add_argument("--job", action="store_true", help="also time the daily job once")
    args = parser.parse_args()

    clients = Person.objects.count()
    caseload = Person.consultants.through.objects
    largest = (
        User.objects.filter(role=Role.CONSULTANT, pk__in=caseload.values("user"))
        .annotate(clients=Count("caseload"))
        .order_by("-clients", "pk")
    )
    consultants = list(largest[: args.consultants])
    leader = User.objects.filter(role=Role.MANAGER, team__isnull=False).order_by("pk").first()
    if not consultants:
        raise SystemExit("No consultant with a caseload: seed the database first (seed_demo).")
    print(f"{clients} clients; {args.runs} runs per page after 2 warm-up runs")

    url = reverse("workqueue:index")
    base_median, base_p95, base_queries = measure(page(None, reverse("login")), args.runs)
    print(
        f"{'log-in page (baseline)':48} median {base_median:7.1f} ms  p95 {base_p95:7.1f} ms  "
        f"{base_queries:2d} queries"
    )
    cases: list[tuple[str, Callable[[], object]]] = [
        (f"consultant {user.username} ({user.clients} clients)", page(user, url))
        for user in consultants
    ]
    if leader is not None:
        cases.append((f"team leader {leader.username}: team overview", page(leader, url)))
        member = largest.filter(team=leader.team_id).first()
        if member is not None:
            label = f"team leader: queue of {member.username} ({member.clients} clients)"
            cases.append((label, page(leader, f"{url}?consultant={member.pk}")))
    for label, get in cases:
        median, p95, queries = measure(get, args.runs)
        print(
            f"{label:48} median {median:7.1f} ms  p95 {p95:7.1f} ms  {queries:2d} queries  "
            f"{median / base_median:5.1f}x the log-in page"
        )

    if args.job:
        started = time.perf_counter()
        run = record_work_queue(day=timezone.localdate())
        print(
            f"daily job: {run.consultants} consultants in {time.perf_counter() - started:.1f} s "
            f"({run.emails_sent} e-mails)"
        )


if __name__ == "__main__":
    main()
