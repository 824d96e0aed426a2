"""`manage.py anonymise_clients`: anonymise the clients whose retention period has ended, as the
nightly job does (clients.retention); `--dry-run` lists them without writing anything."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.retention import anonymise_expired_clients, clients_due_for_anonymisation


class Command(BaseCommand):
    help = (
        "Anonymise the clients whose retention period (policy settings: years after their last "
        "benefit ended) has ended: name, BSN, address, contact data and free text are removed, "
        "the facts the monitors count are kept. --dry-run lists them (id, last benefit end, "
        "end of the retention period; never a name) and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list the clients that are due; write nothing"
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="the day (YYYY-MM-DD) to apply the retention period on; default today",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date = options["today"] or timezone.localdate()
        if not options["dry_run"]:
            run = anonymise_expired_clients(today=today)
            count = len(run.client_ids)
            self.stdout.write(
                ngettext(
                    "%(count)d client anonymised: %(ids)s",
                    "%(count)d clients anonymised: %(ids)s",
                    count,
                )
                % {"count": count, "ids": ", ".join(map(str, run.client_ids)) or "-"}
            )
            return
        due = clients_due_for_anonymisation(today=today).values_list(
            "pk", "last_benefit_end", "retention_ended"
        )
        self.stdout.write("\t".join((_("client"), _("last benefit ended"), _("retention ended"))))
        count = 0
        for pk, last_end, ended in due.iterator():
            self.stdout.write(f"{pk}\t{last_end.isoformat() if last_end else '-'}\t{ended}")
            count += 1
        self.stdout.write(
            ngettext(
                "%(count)d client would be anonymised on %(day)s (dry run: nothing written).",
                "%(count)d clients would be anonymised on %(day)s (dry run: nothing written).",
                count,
            )
            % {"count": count, "day": today.isoformat()}
        )
