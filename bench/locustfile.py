"""The load test's simulated users, run by bench/load.py (locust, headless).

Consultants browse their caseload and the dossiers of their own clients and log conversations
through the real form (a work coach contact, completed at once, with a unique marker in the
report); team leaders open the dashboard, the work queue and the budget page; one policy officer
asks for a quarterly monitor, which the Celery worker builds. Each simulated user logs in once as
a user of its own (a two-factor code is accepted once per user per 30 s), taken from the plan
bench/load.py writes (LOAD_PLAN: usernames, authenticator keys, client ids). At the end every
conversation the server confirmed (a redirect to the saved conversation) is written to
LOAD_SUBMITTED, for bench/load.py to look up in the database, with the requests sent again.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import csrf_token, log_in

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SUBMITTED: list[dict[str, Any]] = []
RESENT: list[str] = []  # the requests sent once more (_browser_like), for the summary
SAVED = re.compile(r"/clienten/gesprekken/(\d+)/$")
HELD_ON = re.compile(r'name="held_on" value="([^"]+)"')  # the form's date: today, for the server


class _Resend(Retry):
    """Retry that notes each request it sends again."""

    def increment(
        self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any
    ) -> Retry:
        again = super().increment(method, url, *args, **kwargs)  # raises: not sent again
        RESENT.append(f"{method} {url}: {kwargs.get('error')!r}")
        return again


def _browser_like(user: HttpUser) -> None:
    """Send a request once more when the server closed its kept-alive connection without an
    answer, as browsers do: gunicorn closes a connection idle for 2 s, and a busy worker may
    close one the next request is already on its way over. Only that is retried, once: an error
    status or a second failure counts as a failure. A POST the server did process before closing
    would be saved twice, which bench/load.py reports (a conversation saved but not confirmed)."""
    retry = _Resend(total=1, connect=1, read=1, status=0, other=0, allowed_methods=None)
    user.client.mount("http://", HTTPAdapter(max_retries=retry))


def _log_in(user: HttpUser, account: dict[str, Any]) -> None:
    """Log in as `account`: its requests go by one name in the statistics; a refusal (answered
    200 with the form again) is reported as a failed request, and the user stops."""
    _browser_like(user)
    started = time.perf_counter()
    try:
        with user.client.rename_request("log in (password, code)"):
            log_in(user.client, user.host, account["username"], account["key"])
    except RuntimeError as error:
        events.request.fire(
            request_type="POST",
            name="log in refused",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )
        user.stop()


class Consultant(HttpUser):
    """A consultant at work: the caseload, a dossier, and now and then a conversation logged."""

    weight = 4
    wait_time = between(2, 6)  # reading a page before the next click

    def on_start(self) -> None:
        self.account = PLAN["consultants"].pop()
        self.client_ids: list[int] = self.account["clients"]
        _log_in(self, self.account)

    @task(3)
    def caseload(self) -> None:
        self.client.get("/clienten/", name="caseload list")

    @task(4)
    def dossier(self) -> None:
        client_id = secrets.choice(self.client_ids)
        self.client.get(f"/clienten/{client_id}/", name="client dossier")

    @task(2)
    def log_conversation(self) -> None:
        client_id = secrets.choice(self.client_ids)
        form_url = f"/clienten/{client_id}/gesprekken/nieuw/werkcoach/"
        page = self.client.get(form_url, name="conversation form")
        if page.status_code != 200:
            return  # counted as a failure by locust already
        marker = f"load-{uuid.uuid4().hex}"
        date = HELD_ON.search(page.text)
        held_on = date.group(1) if date else ""  # without it the form refuses: a failure
        with self.client.post(
            form_url,
            name="conversation save",
            data={
                "csrfmiddlewaretoken": csrf_token(page),
                "held_on": held_on,
                "consultant": self.account["user_id"],
                "location": "office",
                "notes": f"Werkcoachcontact onder belasting. Kenmerk {marker}.",
                "action": "complete",
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Saved means a redirect to the conversation; a form with errors answers 200.
            location = response.headers.get("Location", "")
            match = SAVED.search(location)
            if response.status_code != 302 or match is None:
                response.failure(f"not saved: {response.status_code} {location}")
                return
            response.success()
        SUBMITTED.append(
            {
                "id": int(match.group(1)),
                "client": client_id,
                "consultant": self.account["user_id"],
                "held_on": held_on,
                "marker": marker,
            }
        )
        self.client.get(location, name="conversation page")


class TeamLeader(HttpUser):
    """A team leader: the team's dashboard, the work queue and the budget page."""

    weight = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        _log_in(self, PLAN["managers"].pop())

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def work_queue(self) -> None:
        self.client.get("/werkvoorraad/", name="work queue")

    @task(1)
    def budget(self) -> None:
        self.client.get(PLAN["budget_url"], name="budget page")


class PolicyOfficer(HttpUser):
    """One policy officer, who asks for the last quarter's monitor (built by the Celery worker)
    and follows its page and the dashboard meanwhile."""

    fixed_count = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        _log_in(self, PLAN["policy_officer"])
        page = self.client.get("/monitor/", name="monitor archive")
        with self.client.post(
            "/monitor/aanvragen/",
            name="monitor request",
            data={"csrfmiddlewaretoken": csrf_token(page), **PLAN["monitor_request"]},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self.monitor_url = response.headers.get("Location", "")
            if response.status_code != 302 or not self.monitor_url.startswith("/monitor/"):
                response.failure(f"not requested: {response.status_code} {self.monitor_url}")
                self.monitor_url = ""
            else:
                response.success()

    @task(2)
    def monitor(self) -> None:
        if self.monitor_url:
            self.client.get(self.monitor_url, name="monitor page")

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")


@events.test_stop.add_listener
def write_submitted(**kwargs: Any) -> None:
    outcome = {"conversations": SUBMITTED, "resent": RESENT}
    Path(os.environ["LOAD_SUBMITTED"]).write_text(json.dumps(outcome))
