"""How long `manage.py import_clients` takes for a file of N clients (10,000 by default).

Run against a migrated database with at least one team, for example the demo database:

    .venv/bin/python -m tools.manage seed_demo
    .venv/bin/python bench/import_clients.py --rows 10000 --runs 3

Each run writes a CSV of new clients (valid BSNs, a benefit period, a klantgroep and a ladder step)
and imports it through the command, as the application manager would; then it imports the same
file again, which must change nothing. It prints the median over the runs of both, and the rows per
second. The clients stay in the database.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from tools.embedded_postgres import ensure_database_url

_server = ensure_database_url()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from casework.models import Role, Team, User  # noqa: E402
from clients.bsn import bsn_digest, check_digit  # noqa: E402
from clients.imports import HEADERS  # noqa: E402
from clients.models import Client  # noqa: E402


def new_bsns(count: int) -> list[str]:
    """`count` valid BSNs that no client has yet."""
    # Compared by keyed hash: the BSN column is encrypted.
    known = set(Client.objects.values_list("bsn_hash", flat=True))
    found: list[str] = []
    number = 60_000_000
    while len(found) < count:
        number += 1
        digit = check_digit(f"{number:08d}")
        if digit is not None and bsn_digest(bsn := f"{number:08d}{digit}") not in known:
            found.append(bsn)
    return found


def write_file(path: Path, bsns: list[str], team: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=HEADERS)
        writer.writeheader()
        for number, bsn in enumerate(bsns):
            writer.writerow(
                {
                    "bsn": bsn,
                    "voornaam": "Anna",
                    "achternaam": f"Bench {number}",
                    "geboortedatum": "1980-05-17",
                    "geslacht": "v",
                    "huishouden": "single",
                    "opleidingsniveau": "vocational",
                    "team": team,
                    "regeling": "pw",
                    "uitkering_start": "2021-03-01",
                    "klantgroep": "groeien",
                    "klantgroep_sinds": "2021-04-01",
                    "trede": "2",
                    "doeltrede": "3",
                    "trede_datum": "2021-04-01",
                }
            )


def timed_import(path: Path, username: str) -> float:
    started = time.perf_counter()
    call_command("import_clients", str(path), user=username, stdout=io.StringIO())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    team = Team.objects.order_by("pk").first()
    manager = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    if team is None or manager is None:
        sys.exit("Needs a team and an application manager: run seed_demo first.")
    first, again = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(options.runs):
            path = Path(folder) / f"clients-{run}.csv"
            write_file(path, new_bsns(options.rows), team.name)
            expected = Client.objects.count() + options.rows
            first.append(timed_import(path, manager.username))
            again.append(timed_import(path, manager.username))
            if Client.objects.count() != expected:  # every row once, idempotent on BSN
                sys.exit(f"Expected {expected:,} clients, found {Client.objects.count():,}.")
    median = statistics.median(first)
    print(f"{'import of':<26}{'median s':>10}{'rows/s':>10}")
    print(f"{f'{options.rows:,} new clients':<26}{median:>10.2f}{options.rows / median:>10,.0f}")
    median_again = statistics.median(again)
    print(
        f"{'the same file again':<26}{median_again:>10.2f}"
        f"{options.rows / median_again:>10,.0f}  (nothing written)"
    )


if __name__ == "__main__":
    main()
