"""The production topology in docker-compose.yml and the Dockerfile hang together.

There is no Docker engine in CI, so these tests read the files: services, images, commands,
health checks, start order, environment and volumes, with compose's `${...}` interpolation
applied the way `docker compose` applies it.
"""

import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_SERVICES = ("web", "worker", "beat", "db", "redis")
# What an operator puts in .env; interpolation must succeed with exactly this.
OPERATOR_ENV = {
    "SECRET_KEY": "k" * 64,
    "FIELD_ENCRYPTION_SALT": "s" * 32,
    "BSN_HASH_KEY": "h" * 32,
    "ALLOWED_HOSTS": "casework.example.nl",
    "POSTGRES_PASSWORD": "s3cret-password",
}

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\})"
)


class MissingVariable(Exception):
    pass


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name, op, arg = match["name"], match["op"], match["arg"]
        present = name in env and (env[name] != "" or not (op or "").startswith(":"))
        if present:
            return env[name]
        if op in (":?", "?"):
            raise MissingVariable(f"{name}: {arg}")
        if op in (":-", "-"):
            return arg
        return ""

    return _VARIABLE.sub(replace, value)


def interpolate_tree(node: Any, env: dict[str, str]) -> Any:
    """Interpolate every string value of the parsed file, as compose does (comments aren't)."""
    if isinstance(node, dict):
        return {key: interpolate_tree(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_tree(item, env) for item in node]
    if isinstance(node, str):
        return interpolate(node, env)
    return node


def as_text(command: str | list[str]) -> str:
    return command if isinstance(command, str) else " ".join(command)


def as_args(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment", {})
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: str(value) for key, value in raw.items()}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    return [
        (instruction.upper(), arguments.strip())
        for instruction, _, arguments in (line.partition(" ") for line in logical)
    ]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict[str, Any]]:
    return compose["services"]


def test_compose_defines_the_production_services(services):
    assert set(services) >= {"web", "migrate", "worker", "beat", "db", "redis"}


def test_database_is_postgres_16_with_its_data_on_a_named_volume(services):
    db = services["db"]
    assert db["image"].startswith("postgres:16")
    targets = {volume.split(":")[1] for volume in db["volumes"]}
    assert "/var/lib/postgresql/data" in targets


def test_broker_is_redis_7(services):
    assert services["redis"]["image"].startswith("redis:7")


# ids spelled out: a bare "redis" id would count as the `redis` marker in tests/conftest.py.
@pytest.mark.parametrize("name", LONG_RUNNING_SERVICES, ids=lambda name: f"service:{name}")
def test_every_long_running_service_has_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable", False)
    assert healthcheck["test"][0] in ("CMD", "CMD-SHELL")
    assert len(healthcheck["test"]) > 1


def test_database_healthcheck_uses_pg_isready(services):
    assert "pg_isready" in as_text(services["db"]["healthcheck"]["test"][1:])


def test_redis_healthcheck_pings_redis(services):
    assert "redis-cli ping" in as_text(services["redis"]["healthcheck"]["test"][1:])


def test_web_healthcheck_calls_health_endpoint_on_localhost(services):
    probe = as_text(services["web"]["healthcheck"]["test"][1:])
    url = re.search(r"https?://[^\s'\"]+", probe)
    assert url, probe
    parts = urlsplit(url[0])
    assert parts.scheme == "http"
    assert parts.hostname == "localhost"
    assert parts.port == 8000
    assert parts.path == "/health/"


def test_web_allowed_hosts_include_localhost_for_the_health_probe(services):
    value = interpolate(environment_of(services["web"])["ALLOWED_HOSTS"], OPERATOR_ENV)
    hosts = value.split(",")
    assert "localhost" in hosts
    assert "casework.example.nl" in hosts


def test_worker_healthcheck_pings_its_own_celery_node(services):
    test = services["worker"]["healthcheck"]["test"]
    probe = interpolate(as_text(test[1:]), {})
    assert "celery -A casework inspect ping" in probe
    assert "celery@$HOSTNAME" in probe
    # $HOSTNAME is expanded by a shell, which only CMD-SHELL provides.
    assert test[0] == "CMD-SHELL"


def test_beat_healthcheck_watches_its_schedule_file(services):
    beat = services["beat"]
    schedule = next(
        arg.split("=", 1)[1] for arg in as_args(beat["command"]) if arg.startswith("--schedule=")
    )
    assert schedule in as_text(beat["healthcheck"]["test"][1:])


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_start_after_migrate_succeeded_and_backing_services_are_healthy(
    services, name
):
    depends_on = services[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_migrate_waits_for_a_healthy_database(services):
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_migrate_runs_once_and_is_not_restarted(services):
    assert services["migrate"].get("restart", "no") in ("no", "on-failure")


def test_migrate_command_applies_migrations_without_prompting(services):
    args = as_args(services["migrate"]["command"])
    assert args[:3] == ["python", "manage.py", "migrate"]
    assert "--noinput" in args


def test_web_command_serves_the_wsgi_application_with_gunicorn(services):
    args = as_args(services["web"]["command"])
    assert args[0] == "gunicorn"
    assert args[1] in ("casework.wsgi", "casework.wsgi:application")
    assert any(arg.startswith("--bind=0.0.0.0:8000") for arg in args)


def test_worker_command_starts_a_celery_worker_with_fixed_concurrency(services):
    args = as_args(interpolate(as_text(services["worker"]["command"]), {}))
    assert args[:4] == ["celery", "-A", "casework", "worker"]
    concurrency = [arg for arg in args if arg.startswith("--concurrency=")]
    assert concurrency
    assert int(concurrency[0].split("=", 1)[1]) >= 1


def test_beat_command_keeps_its_schedule_in_a_volume_or_tmp(services):
    beat = services["beat"]
    args = as_args(beat["command"])
    assert args[:4] == ["celery", "-A", "casework", "beat"]
    schedule = next(arg.split("=", 1)[1] for arg in args if arg.startswith("--schedule="))
    mounts = [volume.split(":")[1] for volume in beat.get("volumes", [])]
    assert schedule.startswith("/tmp/") or any(  # noqa: S108 (a path inside the container)
        schedule.startswith(mount.rstrip("/") + "/") for mount in mounts
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_production_settings_against_db_and_redis(services, name):
    env = {
        key: interpolate(value, OPERATOR_ENV)
        for key, value in environment_of(services[name]).items()
    }
    assert env["DJANGO_SETTINGS_MODULE"] == "casework.settings_production"
    database = urlsplit(env["DATABASE_URL"])
    assert database.scheme in ("postgres", "postgresql")
    assert database.hostname == "db"
    assert database.port == 5432
    broker = urlsplit(env["CELERY_BROKER_URL"])
    assert broker.scheme == "redis"
    assert broker.hostname == "redis"


def test_database_url_matches_the_database_container(services):
    db_env = {
        key: interpolate(value, OPERATOR_ENV)
        for key, value in environment_of(services["db"]).items()
    }
    web_env = environment_of(services["web"])
    database = urlsplit(interpolate(web_env["DATABASE_URL"], OPERATOR_ENV))
    assert database.username == db_env["POSTGRES_USER"]
    assert database.password == db_env["POSTGRES_PASSWORD"]
    assert database.path == "/" + db_env["POSTGRES_DB"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_require_secret_key_from_the_environment(services, name):
    raw = environment_of(services[name])["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", raw), raw
    assert interpolate(raw, OPERATOR_ENV) == OPERATOR_ENV["SECRET_KEY"]


@pytest.mark.parametrize("variable", sorted(OPERATOR_ENV))
def test_compose_refuses_to_start_without_each_required_variable(compose, variable):
    env = {key: value for key, value in OPERATOR_ENV.items() if key != variable}
    with pytest.raises(MissingVariable, match=variable):
        interpolate_tree(compose, env)
    # An empty value is refused as well (`:?`).
    with pytest.raises(MissingVariable, match=variable):
        interpolate_tree(compose, {**env, variable: ""})


def test_compose_interpolates_with_only_the_required_variables(compose):
    interpolated = interpolate_tree(compose, OPERATOR_ENV)
    assert "${" not in str(interpolated)
    assert set(interpolated["services"]) == set(compose["services"])


def test_no_password_or_secret_has_a_default_value(services):
    for name, service in services.items():
        for key, value in environment_of(service).items():
            if "PASSWORD" in key or "SECRET" in key:
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value), f"{name}.{key}={value}"
        database_url = environment_of(service).get("DATABASE_URL")
        if database_url:
            assert re.search(r":\$\{POSTGRES_PASSWORD:\?[^}]+\}@", database_url), database_url


def test_every_dependency_is_a_defined_service(services):
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown service {dependency}"


def test_named_volumes_are_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
            if source.startswith((".", "/", "~", "$")):
                continue  # a bind mount
            assert source in declared, f"{name} uses undeclared volume {source}"


def test_app_services_build_and_share_one_image(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    for name in APP_SERVICES:
        assert services[name]["build"]["context"] == "."


def test_dockerfile_builds_on_python_311(services):
    bases = [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "FROM"
    ]
    args = dict(
        arguments.split("=", 1)
        for instruction, arguments in dockerfile_instructions()
        if instruction == "ARG" and "=" in arguments
    )
    assert bases
    for base in bases:
        image = base.split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda match: args.get(match[1], ""), image)
        assert image.startswith("python:3.11"), image


def test_dockerfile_installs_pinned_uv_and_syncs_the_locked_production_dependencies():
    runs = [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "RUN"
    ]
    assert any(re.search(r"pip install uv==\d+\.\d+\.\d+", run) for run in runs)
    syncs = [run for run in runs if "uv sync" in run]
    assert syncs
    assert all("--frozen" in run and "--no-dev" in run for run in syncs)


def test_dockerfile_collects_static_files_at_build_time_with_production_settings():
    runs = [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "RUN"
    ]
    collect = [run for run in runs if "collectstatic" in run]
    assert collect
    assert "--noinput" in collect[0]
    assert "DJANGO_SETTINGS_MODULE=casework.settings_production" in collect[0]
    assert "SECRET_KEY=" in collect[0]


def test_dockerfile_runs_as_a_non_root_user():
    users = [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "USER"
    ]
    assert users, "no USER instruction: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_dockerfile_exposes_port_8000_and_serves_with_gunicorn():
    instructions = dockerfile_instructions()
    assert ("EXPOSE", "8000") in instructions
    command = [arguments for instruction, arguments in instructions if instruction == "CMD"][-1]
    assert '"gunicorn"' in command
    assert "casework.wsgi" in command


def test_dockerfile_creates_the_beat_schedule_directory_for_the_volume(services):
    # A named volume copies owner and mode from the image's directory; without it beat, running
    # as a non-root user, could not write its schedule.
    mounts = [volume.split(":")[1] for volume in services["beat"].get("volumes", [])]
    runs = " ".join(
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "RUN"
    )
    for mount in mounts:
        assert mount in runs, f"the Dockerfile does not create {mount}"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    patterns = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".env", ".git", ".venv", ".local"} <= patterns
