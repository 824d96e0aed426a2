"""A project-local PostgreSQL for `make demo` and `make test` (the pgserver wheel).

Used only when DATABASE_URL is unset: it needs no root, no system service and no
network port (PostgreSQL listens on a Unix socket inside the data folder).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".local" / "postgres"
DATABASE_NAME = "casework"

# pgserver keeps its lock in XDG_RUNTIME_DIR, read when it is imported: keep it in the project.
if "XDG_RUNTIME_DIR" not in os.environ:
    _runtime_dir = DATA_DIR.parent / "run"
    _runtime_dir.mkdir(parents=True, exist_ok=True)
    _runtime_dir.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(_runtime_dir)

import pgserver  # noqa: E402
import psycopg  # noqa: E402


def start() -> pgserver.PostgresServer:
    """Start (or attach to) the local server; it stops when the last user exits."""
    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(DATA_DIR, cleanup_mode="stop")
    with psycopg.connect(server.get_uri(), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server


def database_url(server: pgserver.PostgresServer) -> str:
    """A DATABASE_URL that django-environ parses into a Unix-socket connection."""
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@/{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def ensure_database_url() -> pgserver.PostgresServer | None:
    """Set DATABASE_URL to the local server unless one is configured already."""
    if os.environ.get("DATABASE_URL"):
        return None
    server = start()
    os.environ["DATABASE_URL"] = database_url(server)
    return server
