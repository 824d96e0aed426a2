"""The load test: 50 simulated users for 60 seconds against the production stack on loopback.

    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 50 --spawn-rate 10 --seconds 60 --clients 2700

On the running PostgreSQL (DATABASE_URL's server, else the project-local one) it recreates a
database of its own (--database, dropped first), migrates it and seeds the demo municipality;
starts a Redis on a free loopback port (the broker and the cache, as docker-compose has them), a
Celery worker on it and gunicorn with the production settings (bench.server.serve); gives the
users a password and an authenticator app (adding deputy team leaders: each simulated user logs
in as a user of its own); and runs
bench/locustfile.py headless: consultants browsing their caseload and dossiers and logging
conversations, team leaders opening the dashboard, the work queue and the budget page, one
policy officer asking for a quarterly monitor.

Afterwards it looks up every conversation the server confirmed (by id, client, consultant, date
and the unique marker in its report) and waits for the monitor to be built, and prints the
requests, failures, median and p95 per request type and the throughput. It exits non-zero on any
failed request, any confirmed conversation not in the database (or saved without being confirmed),
or a monitor not built.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import prepare_users, production_environment, redis_server, serve, stop  # noqa: E402

LOCAL_SOCKET = ROOT / ".local" / "postgres"
# Team leaders beyond the seeded one per team, so that each simulated team leader logs in as a
# user of its own (a code is accepted once per user per 30 s): deputies, as a big team has.
DEPUTY_PREFIX = "load.teamleider."


def server_url(database: str) -> str:
    """DATABASE_URL with its database replaced by `database`; else the project-local server."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return f"{configured.rsplit('/', 1)[0]}/{database}"
    return f"postgres://postgres@/{quote(str(LOCAL_SOCKET), safe='')}/{database}"


def recreate_database(database_url: str) -> None:
    """Drop and create the load test's database (through the server's maintenance database)."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(database_url)
    with psycopg.connect(
        host=config["HOST"],
        port=config.get("PORT") or None,
        user=config["USER"],
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def manage(database_url: str, *arguments: str) -> None:
    """A management command over the database, with the development settings (as `make demo`:
    the bench keys in bench.server are the development ones, so its BSNs stay readable)."""
    environment = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


@contextlib.contextmanager
def celery_worker(environment: dict[str, str]) -> Iterator[None]:
    """A real Celery worker on the broker in `environment`, as docker-compose runs it; waits
    until it answers a ping."""
    from casework.celery import app

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "casework",
            "--quiet",  # no banner
            "worker",
            "--loglevel=WARNING",
            "--concurrency=1",
            "--hostname=load@%h",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        yield
    finally:
        stop(process)


def plan(consultants_needed: int, managers_needed: int) -> dict[str, Any]:
    """Who logs in as whom: consultants with a caseload (their client ids), team leaders (with
    deputies added as needed) and the policy officer; each with an authenticator key."""
    from django.db.models import Count
    from django.utils import timezone

    from casework.models import Role, Team, User
    from clients.models import Client
    from monitoring.periods import Period

    # The consultants with the biggest caseloads: one query, counted in the database.
    consultants = list(
        User.objects.filter(role=Role.CONSULTANT)
        .annotate(clients=Count("caseload"))
        .filter(clients__gt=0)
        .order_by("-clients", "pk")[:consultants_needed]
    )
    if len(consultants) < consultants_needed:
        raise SystemExit(
            f"{len(consultants)} consultants have a caseload; {consultants_needed} are needed "
            "(seed more --clients)"
        )
    teams = list(Team.objects.order_by("pk"))
    managers = list(User.objects.filter(role=Role.MANAGER, team__isnull=False).order_by("pk"))
    for number in range(len(managers), managers_needed):
        managers.append(
            User.objects.create_user(
                username=f"{DEPUTY_PREFIX}{number}",
                first_name="Plaatsvervangend",
                last_name=f"teamleider {number}",
                role=Role.MANAGER,
                team=teams[number % len(teams)],
            )
        )
    policy_officer = User.objects.get(username="beleid")
    keys = prepare_users([u.username for u in [*consultants, *managers, policy_officer]])
    # Each consultant's own clients (the caseload link), in one query.
    caseloads: dict[int, list[int]] = {}
    for client_id, user_id in Client.consultants.through.objects.filter(
        user__in=consultants
    ).values_list("client_id", "user_id"):
        caseloads.setdefault(user_id, []).append(client_id)
    quarter = Period.quarter_of(timezone.localdate()).previous()
    return {
        "consultants": [
            {
                "username": u.username,
                "key": keys[u.username],
                "user_id": u.pk,
                "clients": caseloads[u.pk],
            }
            for u in consultants
        ],
        "managers": [{"username": u.username, "key": keys[u.username]} for u in managers],
        "policy_officer": {"username": "beleid", "key": keys["beleid"]},
        "budget_url": f"/budget/{timezone.localdate().year}/",
        "monitor_request": {
            "kind": "quarter",
            "year": quarter.start.year,
            "quarter": (quarter.start.month - 1) // 3 + 1,
        },
    }


def run_locust(base_url: str, workdir: Path, arguments: argparse.Namespace) -> int:
    environment = {
        **os.environ,
        "LOAD_PLAN": str(workdir / "plan.json"),
        "LOAD_SUBMITTED": str(workdir / "submitted.json"),
    }
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        f"--users={arguments.users}",
        f"--spawn-rate={arguments.spawn_rate}",
        f"--run-time={arguments.seconds}s",
        f"--host={base_url}",
        f"--csv={workdir / 'locust'}",
        "--only-summary",
        "--stop-timeout=30",  # users finish their task at the end: nothing is cut off midway
    ]
    with (workdir / "locust.log").open("w") as log:
        code = subprocess.run(command, cwd=ROOT, env=environment, stdout=log, stderr=log).returncode
    if code != 0:
        print((workdir / "locust.log").read_text()[-5000:])
    return code


def read_stats(workdir: Path) -> list[dict[str, str]]:
    with (workdir / "locust_stats.csv").open() as file:
        rows = list(csv.DictReader(file))
    # By name, the total last.
    return sorted(rows, key=lambda row: (row["Name"] == "Aggregated", row["Name"]))


def check_conversations(submitted: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """How many confirmed conversations are in the database as submitted, and what is wrong."""
    from clients.models import Conversation, ConversationStatus

    rows = {
        row["pk"]: row
        for row in Conversation.objects.filter(pk__in=[s["id"] for s in submitted]).values(
            "pk", "client_id", "consultant_id", "held_on", "notes", "status"
        )
    }
    problems = []
    found = 0
    for item in submitted:
        row = rows.get(item["id"])
        expected = (
            item["client"],
            item["consultant"],
            datetime.date.fromisoformat(item["held_on"]),
            ConversationStatus.COMPLETED,
        )
        if row is None:
            problems.append(f"conversation {item['id']} ({item['marker']}) is missing")
        elif (
            row["client_id"],
            row["consultant_id"],
            row["held_on"],
            row["status"],
        ) != expected or item["marker"] not in row["notes"]:
            problems.append(f"conversation {item['id']} differs: {row} (submitted {item})")
        else:
            found += 1
    # A conversation saved although its request failed (or was sent twice).
    unconfirmed = Conversation.objects.filter(notes__contains="Kenmerk load-").exclude(
        pk__in=[s["id"] for s in submitted]
    )
    problems += [
        f"conversation {pk} was saved but not confirmed"
        for pk in unconfirmed.values_list("pk", flat=True)
    ]
    return found, problems


def wait_for_monitor(timeout: float) -> str:
    """The status of the monitor the policy officer asked for, once built (or at `timeout`)."""
    from monitoring.models import Report, ReportStatus

    deadline = time.monotonic() + timeout
    while True:
        statuses = list(Report.objects.values_list("status", flat=True))
        if statuses and all(s in (ReportStatus.DONE, ReportStatus.FAILED) for s in statuses):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(1)
    return ", ".join(statuses) or "none requested"


def print_summary(stats: list[dict[str, str]]) -> tuple[int, int]:
    print(f"\n{'request':<34}{'count':>8}{'fail':>6}{'median ms':>11}{'p95 ms':>9}{'rps':>8}")
    total = failures = 0
    for row in stats:
        name = "all requests" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        if row["Name"] == "Aggregated":
            total, failures = count, failed
            print("-" * 76)
        print(
            f"{name:<34}{count:>8}{failed:>6}{float(row['Median Response Time']):>11.0f}"
            f"{float(row['95%']):>9.0f}{float(row['Requests/s']):>8.1f}"
        )
    return total, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="casework_load", help="recreated on each run")
    parser.add_argument("--clients", type=int, default=2700, help="clients to seed")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    arguments = parser.parse_args()

    database_url = server_url(arguments.database)
    started = time.perf_counter()
    recreate_database(database_url)
    manage(database_url, "migrate", "--verbosity=0")
    manage(database_url, "seed_demo", f"--clients={arguments.clients}")
    seeded = time.perf_counter() - started
    print(f"database {arguments.database} migrated and seeded in {seeded:.0f} s")

    with tempfile.TemporaryDirectory() as directory, redis_server(Path(directory)) as redis:
        workdir = Path(directory)
        # Redis as production has it (docker-compose): the broker in database 0, the cache in 1.
        services = {"CELERY_BROKER_URL": redis.url(0), "CACHE_URL": redis.url(1)}
        environment = production_environment(database_url, **services)
        os.environ.update(environment)
        import django

        django.setup()
        # The policy officer is one user; the rest are consultants and team leaders, 4 to 1
        # (the locustfile's weights), with room for locust's rounding.
        others = arguments.users - 1
        load_plan = plan(consultants_needed=others * 4 // 5 + 1, managers_needed=others // 5 + 1)
        (workdir / "plan.json").write_text(json.dumps(load_plan))
        with (
            celery_worker(environment),
            serve(database_url, **services) as base_url,
        ):
            print(
                f"{arguments.users} users for {arguments.seconds} s against {base_url} "
                f"(gunicorn 3x4, Celery worker and Redis at {redis.url(0)})"
            )
            exit_code = run_locust(base_url, workdir, arguments)
            monitor = wait_for_monitor(timeout=120)
        stats = read_stats(workdir)
        outcome = json.loads((workdir / "submitted.json").read_text())
    submitted, resent = outcome["conversations"], outcome["resent"]

    total, failures = print_summary(stats)
    found, problems = check_conversations(submitted)
    print(f"\nconversations confirmed by the server: {len(submitted)}, in the database: {found}")
    print(f"monitor requested by the policy officer: {monitor}")
    print(f"requests sent again after the server closed a kept-alive connection: {len(resent)}")
    for request in resent:
        print(f"  {request}")
    for problem in problems[:20]:
        print(f"  {problem}")
    ok = exit_code == 0 and failures == 0 and total > 0 and not problems and monitor == "done"
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
