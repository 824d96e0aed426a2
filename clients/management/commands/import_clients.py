"""`manage.py import_clients FILE`: import an existing client base from CSV or XLSX.

The column layout is clients.imports.COLUMNS, documented in docs/import.md. `--user` names the
application manager the import is recorded by, as the upload page records the logged-in user.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import User
from clients.import_services import import_clients
from clients.imports import UnreadableFileError, parse_file, write_template


class Command(BaseCommand):
    help = (
        "Import clients with their benefit period, klantgroep and ladder step from a CSV or "
        "XLSX file (layout: docs/import.md). Every row is validated first; nothing is written "
        "when any row has a problem, unless --only-valid is given. Clients whose BSN is already "
        "known are left as they are. --user names the application manager the import is "
        "recorded by."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file to import")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=(
                "username of the application manager who runs the import, recorded as who "
                "assigned the klantgroep and measured the ladder step; required with a FILE"
            ),
        )
        parser.add_argument(
            "--only-valid",
            action="store_true",
            help="import the valid rows and skip the rows with problems",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report only; write nothing"
        )
        parser.add_argument(
            "--template",
            metavar="PATH",
            help="write an empty XLSX template with the column headers to PATH and stop",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            write_template(options["template"])
            self.stdout.write(_("Template written to %(path)s.") % {"path": options["template"]})
            return
        if not options["file"]:
            raise CommandError(_("Give the file to import, or --template PATH."))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        user = importing_user(options["user"])

        started = time.monotonic()
        try:
            with path.open("rb") as stream:
                result = parse_file(stream, path.name, today=timezone.localdate())
        except UnreadableFileError as error:
            raise CommandError(str(error)) from error
        for problem in result.problems:
            self.stdout.write(
                _("Row %(row)d, column %(column)s: %(message)s")
                % {"row": problem.row, "column": problem.column or "-", "message": problem.message}
            )
        self.stdout.write(
            _("%(total)d rows read: %(valid)d valid, %(invalid)d with problems.")
            % {"total": result.total, "valid": len(result.rows), "invalid": result.invalid_rows}
        )

        only_valid = options["only_valid"]
        if not result.is_valid and not (only_valid and result.rows):
            raise CommandError(_("Nothing imported: the file has problems (see above)."))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing written."))
            return

        outcome = import_clients(result=result, only_valid=only_valid, imported_by=user)
        self.stdout.write(
            _(
                "%(created)d clients imported, %(existing)d already known and left as they were, "
                "%(invalid)d rows skipped because of problems (%(seconds).1f s)."
            )
            % {
                "created": outcome.created,
                "existing": outcome.existing,
                "invalid": outcome.invalid,
                "seconds": time.monotonic() - started,
            }
        )


def importing_user(username: str | None) -> User:
    """The user the import is recorded by: an active user allowed to import, as on the upload
    page (clients.import_views)."""
    if not username:
        raise CommandError(_("Give --user USERNAME: the application manager who runs the import."))
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Unknown or inactive user: %(username)s") % {"username": username})
    if not user.has_perm("clients.import_clients"):
        raise CommandError(
            _("User %(username)s may not import clients: only an application manager may.")
            % {"username": username}
        )
    return user
