"""`manage.py seed_demo`: fill an empty database with a Deventer-like demo municipality."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clients.models import Client
from demo.distributions import GROUPS
from demo.policy import DemoDataError
from demo.population import DEFAULT_CLIENTS, DEFAULT_SEED, DEFAULT_YEARS, seed_demo
from demo.staff import DEMO_USERNAMES


class Command(BaseCommand):
    help = (
        "Create a realistic demo municipality: teams, consultants, the demo log-ins and clients "
        "with a few years of history: benefit, klantgroepen, the participatieladder, "
        "conversations, plans van aanpak with their agreements, bijeenkomsten, trajecten "
        "with their commitments on the budgets of last year and this one, and employers with "
        "their vacancies, the placements of those who left benefit for work and the work "
        "profiles the vacancy matching reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clients", type=int, default=DEFAULT_CLIENTS, help="number of clients to create"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="same seed and size, same data"
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="reference date (YYYY-MM-DD) the history ends on; default today",
        )
        parser.add_argument(
            "--years", type=int, default=DEFAULT_YEARS, help="years of history before --today"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has clients",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Client.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has clients; demo data left as it is.")
                return
            raise CommandError(
                "The database already has clients. Use an empty database, or --if-empty to "
                "keep the existing data."
            )
        today = options["today"] or timezone.localdate()
        if isinstance(today, str):  # call_command passes option values unparsed
            today = datetime.date.fromisoformat(today)
        started = time.perf_counter()
        try:
            result = seed_demo(
                clients=options["clients"],
                seed=options["seed"],
                today=today,
                years=options["years"],
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started

        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
        groups = ", ".join(f"{code} {result.groups[code]}" for code in GROUPS)
        self.stdout.write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s: {counts}."))
        self.stdout.write(f"Klantgroepen: {groups}.")
        self.stdout.write(f"Demo log-ins (password 'demo'): {', '.join(DEMO_USERNAMES)}.")
