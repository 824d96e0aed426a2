"""PostgreSQL restarted under load: the application recovers by itself, without restarting gunicorn.

On a PostgreSQL cluster of its own (pgserver, in a temporary folder: the shared server is never
restarted), a migrated database with a small demo municipality is served by gunicorn with DEBUG
off and production's database settings: persistent connections (CONN_MAX_AGE=60) checked before
reuse (CONN_HEALTH_CHECKS). A few
consultants, each logged in once, keep opening their caseload and a dossier and logging a
conversation, while PostgreSQL is restarted (pg_ctl restart -m fast). Requests may fail only
while the server is down or restarting; every request started more than RECOVERY seconds after it
is back succeeds. Restarted once more while the application is idle (every persistent
connection broken, none used meanwhile), not one request fails afterwards. Every conversation the
server confirmed is in the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import psycopg
import pytest
import requests

from bench.server import csrf_token, log_in, serve
from tools import embedded_postgres  # before pgserver: it sets pgserver's runtime folder

if TYPE_CHECKING:
    import pgserver

ROOT = Path(__file__).resolve().parent.parent
CONSULTANTS = 3
STEADY = 3.0  # seconds of traffic before the restart, and (twice that) after it
RECOVERY = 1.5  # seconds after PostgreSQL is back from which every request must succeed
SAVED = re.compile(r"/clienten/gesprekken/(\d+)/$")
HELD_ON = re.compile(r'name="held_on" value="([^"]+)"')  # the form's date: today, for the server

# Run in a process over the new cluster with the development settings: migrate, seed a small
# municipality, and give CONSULTANTS consultants with a caseload a password and authenticator app.
SETUP = f"""
import json, django
django.setup()
from django.core.management import call_command
from django.db.models import Count
from bench.server import prepare_users
from casework.models import Role, User
call_command("migrate", verbosity=0)
call_command("seed_demo", clients=60, years=1, verbosity=0)
users = list(
    User.objects.filter(role=Role.CONSULTANT)
    .annotate(clients=Count("caseload"))
    .filter(clients__gt=0)
    .order_by("-clients", "pk")[:{CONSULTANTS}]
)
keys = prepare_users([u.username for u in users])
print(json.dumps([
    {{"username": u.username, "key": keys[u.username], "user_id": u.pk,
      "client_id": u.caseload.order_by("pk").first().pk}}
    for u in users
]))
"""


@dataclass(frozen=True)
class Outcome:
    started: float
    ended: float
    request: str
    ok: bool
    detail: str


def pg_ctl(server: pgserver.PostgresServer, *arguments: str) -> None:
    """pg_ctl on the test's cluster (waiting, fast shutdown), as the system user pgserver runs
    PostgreSQL as (PostgreSQL refuses root)."""
    from pgserver._commands import pg_ctl as run

    run(["-w", "-m", "fast", *arguments], pgdata=server.pgdata, user=server.system_user, timeout=60)


@pytest.fixture
def cluster() -> Iterator[tuple[pgserver.PostgresServer, str]]:
    """A PostgreSQL of this test's own with a database "casework"; stopped afterwards. In a
    folder of its own, not pytest's tmp_path: other pytest runs on the machine prune those."""
    import pgserver

    with tempfile.TemporaryDirectory(prefix="casework-pg-restart-") as folder:
        Path(folder).chmod(0o755)  # PostgreSQL runs as pgserver's system user, not as root
        server = pgserver.get_server(Path(folder) / "pgdata", cleanup_mode="stop")
        assert server.pgdata != embedded_postgres.DATA_DIR  # never the shared server
        with psycopg.connect(server.get_uri(), autocommit=True) as connection:
            connection.execute('CREATE DATABASE "casework"')
        socket_dir = str(server.get_postmaster_info().socket_dir)
        try:
            yield server, f"postgres://postgres@/{quote(socket_dir, safe='')}/casework"
        finally:
            # pgserver stops only the postmaster it started, which the restart replaced.
            pg_ctl(server, "stop")


def set_up(database_url: str) -> list[dict[str, Any]]:
    environment = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    environment["DJANGO_SETTINGS_MODULE"] = "casework.settings"
    result = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def request(session: requests.Session, method: str, url: str, **kwargs: Any) -> tuple[bool, str]:
    """(ok, detail) of one request: a page answered 200, a save redirected to the conversation."""
    try:
        response = session.request(method, url, timeout=15, allow_redirects=False, **kwargs)
    except requests.RequestException as error:
        return False, type(error).__name__
    if method == "POST":
        match = SAVED.search(response.headers.get("Location", ""))
        return response.status_code == 302 and match is not None, (
            match.group(1) if match else str(response.status_code)
        )
    return response.status_code == 200, str(response.status_code)


@dataclass(frozen=True)
class Consultant:
    """A logged-in consultant: a session, its form token and the form's date for one client."""

    session: requests.Session
    user_id: int
    client_id: int
    token: str
    held_on: str


def logged_in(base_url: str, account: dict[str, Any]) -> Consultant:
    session = requests.Session()
    log_in(session, base_url, account["username"], account["key"])
    form = session.get(f"{base_url}/clienten/{account['client_id']}/gesprekken/nieuw/werkcoach/")
    held_on = HELD_ON.search(form.text)
    assert held_on is not None
    # The session's token stays valid for every save.
    return Consultant(
        session, account["user_id"], account["client_id"], csrf_token(form), held_on.group(1)
    )


def at_work(
    base_url: str, consultant: Consultant, stop: threading.Event, outcomes: list[Outcome]
) -> None:
    """Caseload, dossier and a conversation logged, over and over until `stop`."""
    dossier = f"{base_url}/clienten/{consultant.client_id}/"
    form_url = f"{dossier}gesprekken/nieuw/werkcoach/"
    number = 0
    while not stop.is_set():
        number += 1
        saved = {
            "csrfmiddlewaretoken": consultant.token,
            "held_on": consultant.held_on,
            "consultant": consultant.user_id,
            "location": "office",
            "notes": f"Tijdens de herstart, nummer {number}.",
            "action": "complete",
        }
        steps: list[tuple[str, str, str, dict[str, Any]]] = [
            ("caseload list", "GET", f"{base_url}/clienten/", {}),
            ("client dossier", "GET", dossier, {}),
            ("conversation save", "POST", form_url, {"data": saved}),
        ]
        for name, method, url, kwargs in steps:
            started = time.monotonic()
            ok, detail = request(consultant.session, method, url, **kwargs)
            outcomes.append(Outcome(started, time.monotonic(), name, ok, detail))
            time.sleep(0.05)


@contextlib.contextmanager
def traffic(base_url: str, consultants: list[Consultant]) -> Iterator[list[Outcome]]:
    """The consultants at work, each in a thread of its own, while the block runs."""
    outcomes: list[Outcome] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=at_work, args=(base_url, consultant, stop, outcomes))
        for consultant in consultants
    ]
    for thread in threads:
        thread.start()
    try:
        yield outcomes
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def test_the_application_recovers_from_a_postgres_restart_by_itself(
    cluster: tuple[pgserver.PostgresServer, str],
) -> None:
    server, database_url = cluster
    accounts = set_up(database_url)
    assert len(accounts) == CONSULTANTS
    # The test settings (DEBUG: static files from the apps, so no collectstatic, which takes half
    # a minute here) with production's database settings: persistent connections (CONN_MAX_AGE
    # from the environment) with CONN_HEALTH_CHECKS, which every settings module has.
    production_like = {"DJANGO_SETTINGS_MODULE": "tests.settings", "CONN_MAX_AGE": "60"}
    restart = ["-l", str(server.pgdata / "log"), "restart"]

    with serve(
        database_url, workers=2, threads=4, static_files=False, **production_like
    ) as base_url:
        consultants = [logged_in(base_url, account) for account in accounts]
        # 1. Restarted under load.
        with traffic(base_url, consultants) as outcomes:
            time.sleep(STEADY)
            went_down = time.monotonic()
            pg_ctl(server, *restart)
            back = time.monotonic()
            time.sleep(2 * STEADY)
        # 2. Restarted while the application is idle: every thread of gunicorn keeps a
        # connection the restart broke, which must not cost the next request.
        pg_ctl(server, *restart)
        with traffic(base_url, consultants) as after_idle_restart:
            time.sleep(STEADY)

    before = [o for o in outcomes if o.ended < went_down]
    after = [o for o in outcomes if o.started > back + RECOVERY]
    failed = [o for o in outcomes if not o.ok]
    recovered = min((o.ended for o in outcomes if o.ok and o.started >= back), default=back)
    first_failed = min((o.started for o in failed), default=back)
    last_failed = max((o.ended for o in failed), default=back)
    print(
        f"\nUnder load: {len(outcomes)} requests; PostgreSQL down for {back - went_down:.2f} s "
        f"(pg_ctl restart -m fast); {len(failed)} failed, from {first_failed - went_down:+.2f} s "
        f"after it went down to {last_failed - back:+.2f} s after it was back; first success "
        f"{recovered - back:+.2f} s after it was back; failures: "
        f"{sorted({(o.request, o.detail) for o in failed})}. After an idle restart: "
        f"{len(after_idle_restart)} requests, {sum(not o.ok for o in after_idle_restart)} failed."
    )
    assert before and all(o.ok for o in before), "requests failed before the restart"
    assert after and all(o.ok for o in after), [o for o in after if not o.ok]
    # Only requests in flight during the restart, or started while PostgreSQL was down, failed.
    assert all(o.ended > went_down and o.started < back + RECOVERY for o in failed)
    assert after_idle_restart and all(o.ok for o in after_idle_restart), [
        o for o in after_idle_restart if not o.ok
    ]

    # Every conversation the server confirmed is in the database.
    confirmed = [
        int(o.detail)
        for o in [*outcomes, *after_idle_restart]
        if o.ok and o.request == "conversation save"
    ]
    with psycopg.connect(server.get_uri("casework")) as connection:
        found = connection.execute(
            "SELECT count(*) FROM clients_conversation WHERE id = ANY(%s)", [confirmed]
        ).fetchone()
    assert confirmed and found == (len(confirmed),)
