"""Serving the product as production does, for the benchmarks and the load test.

`serve` runs gunicorn with the production settings (bench.settings: production without TLS, which
the proxy terminates) over a DATABASE_URL and yields its address; `redis_server` runs a Redis of
its own on a free port, which can be stopped and started again; `prepare_users` gives users a
password and an authenticator app (production requires two-factor authentication), and `log_in`
logs a `requests` session in with both, as a person would.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password"  # noqa: S105 (benchmark users on a benchmark database)
# The development keys: a database seeded with the development settings (seed_demo) keeps its
# BSNs readable when served with production settings.
KEYS = {
    "SECRET_KEY": "development-only-insecure-key",
    "FIELD_ENCRYPTION_SALT": "development-only-bsn-salt",
    "BSN_HASH_KEY": "development-only-bsn-hash-key",
}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def production_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production process over `database_url`; `settings` add to it."""
    return {
        **os.environ,
        **KEYS,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",  # persistent connections, as production runs them
        "LOG_LEVEL": "WARNING",
        **settings,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def collect_static(environment: dict[str, str], *, root: Path = ROOT) -> None:
    """The manifest static files production serves (whitenoise), in STATIC_ROOT of the code in
    `root`."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=root,
        env=environment,
        check=True,
    )


def stop(process: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    """Stop a server or worker started here: SIGTERM (gunicorn's and Celery's warm shutdown),
    and SIGKILL when it has not stopped within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(base_url: str, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{base_url}/health/", timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base_url} did not come up in {timeout:.0f} s")
        time.sleep(0.2)


@contextlib.contextmanager
def serve(
    database_url: str,
    *,
    workers: int = 3,
    threads: int = 4,
    static_files: bool = True,
    root: Path = ROOT,
    **settings: str,
) -> Iterator[str]:
    """gunicorn with the production settings on a free loopback port, as the Dockerfile runs it
    (workers x threads); yields the base URL and stops it afterwards. `static_files`: collect the
    manifest static files first, which the production settings serve (settings with DEBUG on
    serve them from the apps and need none). `root`: the checkout whose code it serves (another
    version's, bench/compare.py), in this checkout's environment."""
    environment = production_environment(database_url, **settings)
    if static_files:
        collect_static(environment, root=root)
    base_url = f"http://127.0.0.1:{free_port()}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "casework.wsgi:application",
        f"--bind={base_url.removeprefix('http://')}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--timeout=60",
        "--error-logfile=-",
    ]
    process = subprocess.Popen(command, cwd=root, env=environment)
    try:
        wait_until_up(base_url)
        yield base_url
    finally:
        stop(process)


class RedisServer:
    """A redis-server on a free loopback port, without persistence, that can be stopped and
    started again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        executable = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [
                executable,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url())
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            raise RuntimeError("this Redis is not running")
        stop(self.process, timeout=10)
        self.process = None


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[RedisServer]:
    instance = RedisServer(folder)
    instance.start()
    try:
        yield instance
    finally:
        if instance.process is not None:
            instance.stop()


def prepare_users(usernames: Iterable[str]) -> dict[str, str]:
    """Give each user the benchmark password and a confirmed authenticator app; returns each
    user's app key (hex). Runs in a process with Django set up over the same database."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casework.models import User

    password = make_password(PASSWORD)  # one hash for all: hashing is slow by design
    keys = {}
    for user in User.objects.filter(username__in=list(usernames)):
        User.objects.filter(pk=user.pk).update(password=password)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        keys[user.username] = device.key
    return keys


def current_code(key: str) -> str:
    from binascii import unhexlify

    from django_otp.oath import totp

    return f"{totp(unhexlify(key)):06d}"


def csrf_token(response: requests.Response) -> str:
    match = CSRF_INPUT.search(response.text)
    if match is None:
        raise RuntimeError(f"no CSRF token on {response.url} ({response.status_code})")
    return match.group(1)


def wait_for_the_next_code() -> None:
    """Until the authenticator apps show their next code: a user logs in again (a code is
    accepted once)."""
    time.sleep(30 - time.time() % 30 + 0.5)


def log_in(session: requests.Session, base_url: str, username: str, key: str) -> None:
    """Log `session` in with the password and the app's current code. A code is accepted once
    (django-otp): log each user in once per 30 seconds at most."""
    page = session.get(f"{base_url}/inloggen/")
    response = session.post(
        f"{base_url}/inloggen/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
    )
    if not response.url.startswith(f"{base_url}/inloggen/code/"):
        raise RuntimeError(f"{username}: the password was not accepted ({response.url})")
    response = session.post(
        response.url,
        data={"code": current_code(key), "csrfmiddlewaretoken": csrf_token(response)},
    )
    if "/inloggen/" in response.url:
        raise RuntimeError(f"{username}: the code was not accepted")
