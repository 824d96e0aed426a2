"""The production settings pass `manage.py check --deploy` and refuse to start without secrets.

Each test runs Django in a subprocess with casework.settings_production and an environment like
the one docker-compose.yml gives the containers, so nothing from this test process (the test
settings, a developer's DEBUG=1) leaks in.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Only what a process needs to run; every setting comes from production_environment().
_PASSTHROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def production_environment(*, without: tuple[str, ...] = (), **overrides: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSTHROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="casework.settings_production",
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_SALT=secrets.token_urlsafe(32),
        BSN_HASH_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="casework.example.nl",
        CELERY_BROKER_URL="redis://redis:6379/0",
    )
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    env.update(overrides)
    for name in without:
        env.pop(name, None)
    return env


def run_django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    env = production_environment()
    assert len(env["SECRET_KEY"]) >= 50

    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output.upper(), output
    assert result.stderr.strip() == "", output


@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_SALT", "BSN_HASH_KEY"]
)
def test_production_settings_refuse_to_start_without(variable):
    result = run_django(["manage.py", "check"], production_environment(without=(variable,)))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


# What docker-compose.yml's web healthcheck does: plain HTTP to localhost:8000/health/.
_HEALTH_PROBE = """
import json
import django
django.setup()
from django.test import Client
response = Client().get("/health/?format=json", HTTP_HOST="localhost:8000")
print(json.dumps({
    "status": response.status_code,
    "location": response.headers.get("Location", ""),
    "body": response.content.decode(),
}))
"""


def test_container_health_probe_reaches_the_health_view_over_plain_http():
    # ALLOWED_HOSTS as docker-compose.yml builds it; the memory broker answers at once.
    env = production_environment(
        ALLOWED_HOSTS="casework.example.nl,localhost", CELERY_BROKER_URL="memory://"
    )

    result = run_django(["-c", _HEALTH_PROBE], env)

    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout.strip().splitlines()[-1])
    # Not redirected to HTTPS (SECURE_REDIRECT_EXEMPT) and not refused (ALLOWED_HOSTS): the
    # checks ran. Whether the database is reachable here doesn't matter.
    assert response["location"] == ""
    assert response["status"] in (200, 500), response
    assert "CeleryBroker" in response["body"]
    assert "Database" in response["body"]
