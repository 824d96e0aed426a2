"""A caseload as a CSV or XLSX file. The file leaves the system: it carries the masked BSN only,
and every text goes through casework.spreadsheets so a name cannot run as a formula."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from casework import spreadsheets
from casework.models import User
from casework.spreadsheets import Cell
from clients.models import BenefitPeriod, Client
from clients.selectors import with_current_status

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django_stubs_ext import WithAnnotations

DATE_FORMAT = "DD-MM-YYYY"


class ExportAnnotations(TypedDict):
    """What `caseload` adds to each client."""

    current_group_name: str | None
    current_step: int | None
    benefit_since: datetime.date | None


if TYPE_CHECKING:
    ExportedClient: TypeAlias = WithAnnotations[Client, ExportAnnotations]


def caseload(clients: QuerySet[Client]) -> QuerySet[ExportedClient]:
    """The rows of an export, by name: the current klantgroep, ladder step and benefit start are
    annotated in SQL; the team is joined and the consultants are one prefetch query, so the file
    costs the same few queries for any number of clients."""
    open_benefit = BenefitPeriod.objects.filter(client=OuterRef("pk"), end_date__isnull=True)
    annotated = (
        with_current_status(clients)
        .annotate(benefit_since=Subquery(open_benefit.values("start_date")[:1]))
        .select_related("team")
        .prefetch_related(
            Prefetch("consultants", queryset=User.objects.order_by("first_name", "last_name"))
        )
        .order_by("last_name", "first_name", "pk")
    )
    # The plugin can't match the two-step annotation to the TypedDict; the names are the same.
    return cast("QuerySet[ExportedClient]", annotated)


def header() -> list[Cell]:
    return [
        _("Name"),
        _("BSN"),
        _("Date of birth"),
        _("Client group"),
        _("Ladder step"),
        _("On benefit since"),
        _("Consultants"),
        _("Team"),
    ]


def row(client: ExportedClient) -> list[Cell]:
    return [
        client.full_name,
        client.masked_bsn,
        client.date_of_birth,
        client.current_group_name,
        client.current_step,
        client.benefit_since,
        ", ".join(str(consultant) for consultant in client.consultants.all()),
        client.team.name,
    ]


def render(clients: Sequence[ExportedClient], file_format: str) -> bytes:
    """The date of birth and the benefit start are dates in the XLSX."""
    return spreadsheets.render(
        file_format,
        title=_("Clients"),
        header=header(),
        rows=(row(client) for client in clients),
        number_formats={2: DATE_FORMAT, 5: DATE_FORMAT},
    )
