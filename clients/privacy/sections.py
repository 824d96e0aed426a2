"""A section of the subject access document: a titled table of texts.

The clients app writes its own sections; apps that build on clients (instruments, ...) add theirs
through the signal clients.signals.subject_access_requested, whose receivers return a `Section`
or a list of them (possibly empty). The document renders every section the same way, so a
receiver formats its values itself, with `text`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework.formatting import NO_VALUE, euro
from clients.models import Client
from clients.signals import subject_access_requested


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[str]]


def text(value: object) -> str:
    """A value as the client reads it, in the active language: dates and times in the local
    format, amounts in euros, yes or no, and a dash for nothing."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return euro(value)
    return str(value)


def sections_of_other_apps(client: Client) -> list[Section]:
    """The sections every receiver of subject_access_requested returns, in connection order."""
    sections: list[Section] = []
    for _receiver, response in subject_access_requested.send(sender=Client, client=client):
        if isinstance(response, Section):
            sections.append(response)
        else:
            sections.extend(cast("Sequence[Section]", response))
    return sections
