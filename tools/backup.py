"""Back up the database to one file and restore it (docs/backup.md).

    python -m tools.backup backup FILE
    python -m tools.backup restore FILE --database NAME [--create] [--clean]

The connection comes from DATABASE_URL (without it: the project-local PostgreSQL, as
`tools.manage` does). A backup is `pg_dump --format=custom`: schema, data, the access log's
append-only trigger and the BSNs as they are stored, encrypted. The keys that decrypt them
(SECRET_KEY, FIELD_ENCRYPTION_SALT, BSN_HASH_KEY) are not in the database, so never in a dump.

A restore goes into the database NAME on the same server, in one transaction: it fails as a whole
or not at all. It refuses a database that already holds tables unless --clean is given, which
drops the dump's objects first and replaces them.

pg_dump and pg_restore come from PATH when their major version is at least the server's (older
ones refuse to dump a newer server), else from the pgserver wheel that runs the project-local
PostgreSQL.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import environ
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

# Tables, partitioned tables, views, materialised views, sequences and foreign tables: any of them
# makes a database "not empty" for a restore without --clean.
_NOT_EMPTY = """
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
"""


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why and what to do."""


@dataclasses.dataclass(frozen=True)
class Database:
    """Where one PostgreSQL database lives, as libpq needs it."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Database:
        """From a Django DATABASES entry (django-environ parses DATABASE_URL into one)."""
        return cls(
            name=str(settings["NAME"]),
            host=str(settings.get("HOST") or ""),
            port=str(settings.get("PORT") or ""),
            user=str(settings.get("USER") or ""),
            password=str(settings.get("PASSWORD") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls.from_settings(environ.Env.db_url_config(url))

    def named(self, name: str) -> Database:
        """Another database on the same server."""
        return dataclasses.replace(self, name=name)

    def connect(self, *, dbname: str | None = None) -> psycopg.Connection[Any]:
        parameters = {
            "dbname": dbname or self.name,
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
        }
        conninfo = make_conninfo(**{key: value for key, value in parameters.items() if value})
        return psycopg.connect(conninfo, autocommit=True)

    def environment(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password travels here, never in argv."""
        variables = {"PGHOST": self.host, "PGPORT": self.port, "PGUSER": self.user}
        variables["PGPASSWORD"] = self.password
        return {**os.environ, **{key: value for key, value in variables.items() if value}}


def server_major_version(database: Database) -> int:
    with database.connect() as connection:
        return connection.info.server_version // 10000


def _embedded_bin_dir() -> Path | None:
    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def _major_version(executable: str) -> int | None:
    # "pg_dump (PostgreSQL) 16.2" or "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    output = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    return int(match.group(1)) if match else None


def find_tool(name: str, server_major: int) -> str:
    """pg_dump or pg_restore from PATH, else the embedded one: the first at least as new as the
    server."""
    embedded = _embedded_bin_dir()
    candidates = [shutil.which(name), str(embedded / name) if embedded else None]
    found = []
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            major = _major_version(candidate)
            if major is not None and major >= server_major:
                return candidate
            found.append(f"{candidate} ({major})")
    raise BackupError(
        f"No {name} of PostgreSQL {server_major} or newer found "
        f"(found: {', '.join(found) or 'none'}). "
        f"Install the PostgreSQL {server_major} client tools."
    )


def _run(command: list[str], database: Database) -> None:
    result = subprocess.run(
        command, env=database.environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


def backup(*, database: Database, file: Path) -> None:
    """Dump the database to file (custom format). The file is written beside it first and only
    renamed into place once pg_dump succeeded and pg_restore can read it back, so a failed backup
    never leaves a file that looks like a good one. Readable by its owner only: it holds personal
    data."""
    major = server_major_version(database)
    partial = file.with_name(file.name + ".partial")
    # Created 0600 before pg_dump writes into it (pg_dump truncates, keeping the mode).
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        _run(
            [
                find_tool("pg_dump", major),
                "--format=custom",
                f"--file={partial}",
                f"--dbname={database.name}",
            ],
            database,
        )
        # Reads the archive's table of contents: a truncated or corrupt file fails here.
        _run([find_tool("pg_restore", major), "--list", str(partial)], database)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(file)


def _database_exists(database: Database) -> bool:
    with database.connect(dbname="postgres") as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
    return row is not None


def create_database(database: Database) -> None:
    with database.connect(dbname="postgres") as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))


def relation_count(database: Database) -> int:
    """How many tables, views and sequences the database holds outside the system schemas."""
    with database.connect() as connection:
        row = connection.execute(_NOT_EMPTY).fetchone()
    return int(row[0]) if row else 0


def restore(*, database: Database, file: Path, clean: bool = False, create: bool = False) -> None:
    """Restore a backup into database. It must be empty unless clean: then the dump's objects are
    dropped and recreated. In one transaction, so a failed restore changes nothing."""
    if not file.is_file():
        raise BackupError(f"No backup file {file}.")
    if not _database_exists(database):
        if not create:
            raise BackupError(
                f"Database {database.name!r} does not exist. Create it, or pass --create."
            )
        create_database(database)
    elif not clean and (count := relation_count(database)):
        raise BackupError(
            f"Database {database.name!r} is not empty ({count} tables, views or sequences): "
            "nothing was restored. Restore into an empty database, or pass --clean to replace "
            "its contents by the backup's."
        )
    command = [
        find_tool("pg_restore", server_major_version(database)),
        f"--dbname={database.name}",
        "--single-transaction",
        "--exit-on-error",
        # Objects belong to the user that restores, whoever owned them on the backed-up server.
        "--no-owner",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(file)], database)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.backup", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    commands = parser.add_subparsers(dest="command", required=True)
    backup_parser = commands.add_parser("backup", help="dump the database to FILE")
    backup_parser.add_argument("file", type=Path, metavar="FILE")
    restore_parser = commands.add_parser("restore", help="restore FILE into database NAME")
    restore_parser.add_argument("file", type=Path, metavar="FILE")
    restore_parser.add_argument("--database", required=True, metavar="NAME")
    restore_parser.add_argument(
        "--create", action="store_true", help="create database NAME when it does not exist"
    )
    restore_parser.add_argument(
        "--clean", action="store_true", help="replace the contents of a database that is not empty"
    )
    arguments = parser.parse_args(argv)

    server = None
    if not os.environ.get("DATABASE_URL"):
        from tools import embedded_postgres  # starts the server: only when it is needed

        server = embedded_postgres.ensure_database_url()
    try:
        database = Database.from_url(os.environ["DATABASE_URL"])
        if arguments.command == "backup":
            backup(database=database, file=arguments.file)
            size = arguments.file.stat().st_size
            print(f"Backed up {database.name} to {arguments.file} ({size:,} bytes).")
        else:
            target = database.named(arguments.database)
            restore(
                database=target,
                file=arguments.file,
                clean=arguments.clean,
                create=arguments.create,
            )
            print(f"Restored {arguments.file} into {target.name}.")
    except (BackupError, psycopg.OperationalError) as error:  # a refusal, or no server to reach
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
