"""How fast the key pages and API lists are, served as production serves them.

    export DATABASE_URL=postgres://postgres@/%2Fwork%2Fmain%2F.local%2Fpostgres/casework_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clients 100000 --years 10
    .venv/bin/python bench/pages.py --requests 200 --rounds 3

Runs gunicorn with the production settings (bench.server.serve: --workers=3 --threads=4 as the
Dockerfile) over the database and, for each page, as the user who works with it:

- median and p95 latency over --requests sequential requests of one logged-in user;
- the queries of one request with an empty cache, counted in this process through Django's test
  client over the same database and settings (the server cannot tell), and that request's time
  (printed below the table: the dashboard's worst case), with the queries and time of a request
  once CURRENT_CACHE_SECONDS have passed (the dashboard's current quarter computed again);
- the throughput at --concurrent clients: threads, each with its own logged-in session (each user
  logs in once: a code is accepted once), requesting the page for --seconds;
- the ratio of the median to the trivial view's: the profile page, a small logged-in page through
  the same middleware stack (session, user, two-factor device, navigation with the unread
  notifications count, the base layout), which is the floor every page stands on.

The workers share a cache as in production (CACHE_URL): a Redis of the benchmark's own on a free
port. With --rounds N (default 3: the machine is shared and noisy) every figure is the median of N
rounds. The pages write what they write in production: sessions and access-log rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    collect_static,
    csrf_token,
    log_in,
    prepare_users,
    production_environment,
    redis_server,
    serve,
    wait_for_the_next_code,
)

CONSULTANT, TEAM_LEADER = "consulent", "teamleider"


@dataclass(frozen=True)
class Page:
    label: str
    role: str  # whose sessions request it: CONSULTANT, TEAM_LEADER or another consultant
    url: str


@dataclass
class Figures:
    median: float
    p95: float
    queries: int
    rps: float


def setup_django(database_url: str) -> None:
    """Django in this process over the same database with the same settings as the server."""
    os.environ.update(production_environment(database_url))
    import django

    django.setup()


def choose_pages(concurrent: int) -> tuple[list[Page], dict[str, list[str]]]:
    """The pages with their URLs over the data in the database, and the users of each role for
    the concurrent clients (the consultant or team leader first)."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from casework.models import Role, User
    from clients.models import Client, ClientGroup, ClientGroupAssignment

    consultant = User.objects.get(username=CONSULTANT)
    leader = User.objects.get(username=TEAM_LEADER)
    caseload = Client.objects.filter(consultants=consultant)
    # The dossier of the consultant's client with the richest history.
    rich = caseload.annotate(
        events=Count("conversations", distinct=True)
        + Count("trajectories", distinct=True)
        + Count("ladder_measurements", distinct=True)
    ).order_by("-events", "pk")[0]
    # The caseload list searched for a common surname over the whole team (a client calls in),
    # filtered to the klantgroep with most current clients.
    surname = (
        Client.objects.filter(team=consultant.team)
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")[0]["last_name"]
    )
    group = ClientGroup.objects.get(
        pk=ClientGroupAssignment.objects.filter(end_date__isnull=True)
        .values("group")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["group"]
    )
    list_url = f"{reverse('clients:list')}?consultant=&group={group.pk}"
    colleagues = User.objects.filter(
        Q(role=Role.CONSULTANT, team_id=consultant.team_id) & ~Q(pk=consultant.pk)
    ).order_by("pk")
    # The caseload list as a consultant opens it (their own clients, no search), by the other
    # consultants of the team with the largest caseloads (the search term lives in the session).
    searching = [CONSULTANT] + [u.username for u in colleagues[: concurrent - 1]]
    own = [
        u.username
        for u in colleagues.exclude(username__in=searching)
        .annotate(clients=Count("caseload"))
        .order_by("-clients", "pk")[:concurrent]
    ]
    pages = [
        Page("trivial: profile page", CONSULTANT, reverse("profile")),
        Page(f"caseload list: '{surname}', {group.name}", CONSULTANT, list_url),
        Page(
            f"caseload list: own ({Client.objects.filter(consultants__username=own[0]).count()})",
            own[0],
            reverse("clients:list"),
        ),
        Page(
            f"client dossier ({rich.events} events)",
            CONSULTANT,
            reverse("clients:detail", args=[rich.pk]),
        ),
        Page("work queue", CONSULTANT, reverse("workqueue:index")),
        Page("work queue: team overview (team leader)", TEAM_LEADER, reverse("workqueue:index")),
        Page("dashboard (team leader)", TEAM_LEADER, reverse("dashboard")),
        Page("budget page", TEAM_LEADER, reverse("instruments:budget", args=[timezone.now().year])),
        Page("/api/v1/clients/", CONSULTANT, reverse("api:clients-list")),
    ]
    leaders = User.objects.filter(role=Role.MANAGER, team__isnull=False).exclude(pk=leader.pk)
    users = {
        CONSULTANT: searching,
        TEAM_LEADER: [TEAM_LEADER] + [u.username for u in leaders.order_by("pk")],
        own[0]: own,
    }
    return pages, users | {"search": [surname]}


def count_queries(pages: list[Page], surname: str) -> dict[str, tuple[int, float, int, float]]:
    """The first view of each page, through the test client over the same database (logged in,
    two-factor verified, as on the server), after a warm-up request: the queries and the time (ms)
    of one request with an empty cache (the dashboard's worst case: every quarter of the trend
    computed), then of one request once CURRENT_CACHE_SECONDS have passed (what a team leader
    meets on opening the dashboard again a while later: the current quarter and the caseloads
    computed again, the quarters that have ended still cached). The time passes in this process's
    local-memory cache only (as monitoring's tests let it pass)."""
    from types import SimpleNamespace
    from unittest import mock

    from django.core.cache import cache, caches
    from django.core.cache.backends import locmem
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casework.models import User
    from monitoring.selectors import CURRENT_CACHE_SECONDS

    if not isinstance(caches["default"], locmem.LocMemCache):
        raise SystemExit("count_queries needs this process's cache in local memory (no CACHE_URL)")
    browsers = {}
    for username in {page.role for page in pages}:
        user = User.objects.get(username=username)
        browser = Client(HTTP_HOST="127.0.0.1")
        browser.force_login(user)
        session = browser.session
        device = TOTPDevice.objects.get(user=user, confirmed=True, name="bench")
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        browsers[username] = browser
    browsers[CONSULTANT].post(reverse("clients:list"), {"q": surname})

    def first_view(browser: Client, page: Page) -> tuple[int, float]:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            check(browser.get(page.url).status_code, page)
        return len(queries), (time.perf_counter() - started) * 1000

    counts = {}
    for page in pages:
        browser = browsers[page.role]
        check(browser.get(page.url).status_code, page)
        cache.clear()
        cold = first_view(browser, page)
        later = time.time() + CURRENT_CACHE_SECONDS + 1
        with mock.patch.object(locmem, "time", SimpleNamespace(time=lambda at=later: at)):
            expired = first_view(browser, page)
        counts[page.label] = (*cold, *expired)
    return counts


def check(status: int, page: Page) -> None:
    if status != 200:
        raise SystemExit(f"{page.url} answered {status} as {page.role}")


def logged_in_sessions(
    base_url: str, usernames: list[str], keys: dict[str, str], count: int, surname: str | None
) -> list[requests.Session]:
    """`count` sessions of the users in turn, searching for `surname` if given; a user with a
    second session logs in again in the next 30-second window (a code is accepted once)."""
    sessions: list[requests.Session] = []
    while len(sessions) < count:
        if sessions:
            wait_for_the_next_code()
        for username in usernames[: count - len(sessions)]:
            session = requests.Session()
            # A GET again on a fresh connection when gunicorn closed the kept-alive one under it
            # (after its keep-alive seconds, while the users waited for the dashboard's first
            # views), as a browser does.
            session.mount(
                "http://", HTTPAdapter(max_retries=Retry(total=1, allowed_methods={"GET"}))
            )
            log_in(session, base_url, username, keys[username])
            if surname is not None:
                # The search term lives in the session (post/redirect/get), as a person types it.
                page = session.get(f"{base_url}/clienten/")
                session.post(
                    f"{base_url}/clienten/",
                    data={"q": surname, "csrfmiddlewaretoken": csrf_token(page)},
                )
            sessions.append(session)
    return sessions


def timed(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url, allow_redirects=False)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def latency(session: requests.Session, url: str, count: int) -> tuple[float, float]:
    for _ in range(5):  # warm-up: the workers' caches, connections and compiled templates
        timed(session, url)
    timings = sorted(timed(session, url) for _ in range(count))
    return statistics.median(timings), timings[round(0.95 * (len(timings) - 1))]


def throughput(sessions: list[requests.Session], url: str, seconds: float) -> float:
    done = [0] * len(sessions)
    deadline: list[float] = []
    # The run starts once every user's first view is done (the barrier's action, before any
    # thread goes on): the dashboard's first views can take longer than the run itself.
    start = threading.Barrier(
        len(sessions) + 1, action=lambda: deadline.append(time.perf_counter() + seconds)
    )

    def work(index: int) -> None:
        # Each user's first view, untimed: the dashboard's computes their team's figures (seconds,
        # reported below the table as the first view), which is not the page's throughput.
        timed(sessions[index], url)
        start.wait()
        while time.perf_counter() < deadline[0]:
            timed(sessions[index], url)
            done[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - (deadline[0] - seconds))


def median_of(rounds: list[Figures]) -> Figures:
    return Figures(
        statistics.median(r.median for r in rounds),
        statistics.median(r.p95 for r in rounds),
        rounds[0].queries,
        statistics.median(r.rps for r in rounds),
    )


def print_table(pages: list[Page], figures: dict[str, Figures]) -> None:
    floor = figures[pages[0].label].median
    width = max(len(page.label) for page in pages)
    print(
        f"{'page':{width}}  {'median ms':>9}  {'p95 ms':>7}  {'ratio':>6}  {'queries':>7}  "
        f"{'rps@8':>6}"
    )
    for page in pages:
        f = figures[page.label]
        print(
            f"{page.label:{width}}  {f.median:9.1f}  {f.p95:7.1f}  {f.median / floor:5.1f}x  "
            f"{f.queries:7d}  {f.rps:6.1f}"
        )


def shared_arguments(parser: argparse.ArgumentParser, *, seconds: float) -> None:
    """The options of this benchmark that bench/compare.py shares."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        required="DATABASE_URL" not in os.environ,
        help="default: DATABASE_URL",
    )
    parser.add_argument("--concurrent", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--seconds", type=float, default=seconds, help="duration of a throughput run"
    )
    parser.add_argument("--only", help="only the pages whose label contains this")


@dataclass(frozen=True)
class Workload:
    pages: list[Page]  # the trivial page first
    users: dict[str, list[str]]  # per role, who requests its pages
    surname: str  # what the consultants search for
    keys: dict[str, str]  # per user, their authenticator app's key


def prepare(args: argparse.Namespace) -> Workload:
    """Django in this process over the database, and the pages (the trivial one and those --only
    chooses) with their users, each ready to log in."""
    setup_django(args.database_url)
    pages, users = choose_pages(args.concurrent)
    surname = users.pop("search")[0]
    if args.only:
        pages = [pages[0]] + [p for p in pages[1:] if args.only in p.label]
    # Only the roles whose pages are measured log in (a role's users log in more than once
    # where they are fewer than --concurrent, 30 seconds apart).
    users = {role: names for role, names in users.items() if any(p.role == role for p in pages)}
    keys = prepare_users([name for names in users.values() for name in names])
    return Workload(pages, users, surname, keys)


def log_in_everyone(
    base_url: str, workload: Workload, concurrent: int
) -> dict[str, list[requests.Session]]:
    """Per role, `concurrent` logged-in sessions; the consultants' with the search term."""
    return {
        role: logged_in_sessions(
            base_url,
            names,
            workload.keys,
            concurrent,
            workload.surname if role == CONSULTANT else None,
        )
        for role, names in workload.users.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shared_arguments(parser, seconds=8)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; figures are medians")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn --workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn --threads")
    args = parser.parse_args()

    workload = prepare(args)
    pages = workload.pages
    from clients.models import Client

    # The manifest static files, which the first views in this process need as the server does.
    collect_static(production_environment(args.database_url))
    queries = count_queries(pages, workload.surname)
    print(
        f"{Client.objects.count():,} clients; gunicorn --workers={args.workers} "
        f"--threads={args.threads}; {args.requests} requests per page, {args.concurrent} "
        f"concurrent clients for {args.seconds:.0f} s; medians of {args.rounds} rounds",
        flush=True,
    )
    # The workers share a cache in a Redis of its own, as production has one (CACHE_URL; without
    # it each worker keeps its own and computes the dashboard again).
    with (
        tempfile.TemporaryDirectory() as folder,
        redis_server(Path(folder)) as redis,
        serve(
            args.database_url,
            workers=args.workers,
            threads=args.threads,
            static_files=False,
            CACHE_URL=redis.url(1),
        ) as base_url,
    ):
        sessions = log_in_everyone(base_url, workload, args.concurrent)
        rounds: dict[str, list[Figures]] = {page.label: [] for page in pages}
        for number in range(args.rounds):
            for page in pages:
                url = base_url + page.url
                median, p95 = latency(sessions[page.role][0], url, args.requests)
                rps = throughput(sessions[page.role], url, args.seconds)
                rounds[page.label].append(Figures(median, p95, queries[page.label][0], rps))
                print(f"{page.label}: {rounds[page.label][-1]}", file=sys.stderr, flush=True)
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr, flush=True)
    print_table(pages, {label: median_of(figures) for label, figures in rounds.items()})
    print(
        "First view, in this process: with an empty cache (the queries in the table); after "
        "CURRENT_CACHE_SECONDS (the current quarter computed again)"
    )
    width = max(len(label) for label in queries)
    for label, (cold_queries, cold_ms, queries_later, ms_later) in queries.items():
        print(
            f"  {label:{width}}  {cold_queries:4d} queries {cold_ms:8.0f} ms;"
            f"  {queries_later:4d} queries {ms_later:8.0f} ms"
        )


if __name__ == "__main__":
    main()
