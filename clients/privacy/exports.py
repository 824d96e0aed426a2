"""The access log search as a CSV or XLSX file, for the application manager. Every text goes
through casework.spreadsheets, so a user's name or a path cannot run as a formula."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from casework import spreadsheets
from casework.models import AccessLog
from casework.spreadsheets import Cell

DATETIME_FORMAT = "DD-MM-YYYY HH:MM:SS"


def header() -> list[Cell]:
    return [
        _("When"),
        _("User"),
        _("User name"),
        _("Role"),
        _("Client number"),
        _("Page"),
        _("Address"),
        _("Reason"),
    ]


def _local(moment: datetime.datetime) -> datetime.datetime:
    """Local time without a zone: a spreadsheet has no time zones (openpyxl refuses them)."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def row(entry: AccessLog) -> list[Cell]:
    return [
        _local(entry.accessed_at),
        str(entry.user),
        entry.user.username,
        entry.user.get_role_display(),
        entry.client_id,
        entry.view,
        entry.path,
        entry.get_reason_display(),
    ]


def render(entries: Iterable[AccessLog], file_format: str) -> bytes:
    """The entries are written as they come: pass an iterator for a long log."""
    return spreadsheets.render(
        file_format,
        title=_("Access log"),
        header=header(),
        rows=(row(entry) for entry in entries),
        number_formats={0: DATETIME_FORMAT},
    )
