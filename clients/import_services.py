"""Writing a validated client-base import (see clients.imports for reading and validating).

All or nothing: unless the caller chooses to import only the valid rows, a file with any problem
writes nothing. Either way the writes happen in one transaction.

Idempotent on BSN: a client whose BSN is already in the database is left exactly as it is (also
its benefit periods, klantgroep and ladder step); only new BSNs are created. Importing the same
file twice therefore changes nothing the second time. Corrections to existing clients are made
in the dossier, not by re-importing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from clients.bsn import bsn_digest
from clients.imports import ImportResult
from clients.models import BenefitPeriod, Client, ClientGroupAssignment, LadderMeasurement

if TYPE_CHECKING:
    from casework.models import User

BATCH_SIZE = 1000


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    existing: int  # rows whose BSN was already known: left as they were
    invalid: int  # rows with problems: not imported
    written: bool  # False when the file had problems and only_valid was not chosen


@transaction.atomic
def import_clients(
    *, result: ImportResult, only_valid: bool = False, imported_by: User | None = None
) -> ImportOutcome:
    """Create the clients of a validated file with their benefit period, klantgroep and ladder
    step, in bulk. Writes nothing when the file has problems, unless only_valid is chosen."""
    if not result.is_valid and not only_valid:
        return ImportOutcome(created=0, existing=0, invalid=result.invalid_rows, written=False)

    # The BSN is stored encrypted: known clients are matched on its keyed hash.
    digests = {row.bsn: bsn_digest(row.bsn) for row in result.rows}
    known = set(
        Client.objects.filter(bsn_hash__in=digests.values()).values_list("bsn_hash", flat=True)
    )
    new_rows = [row for row in result.rows if digests[row.bsn] not in known]
    # PostgreSQL returns the new primary keys, so the related rows can point at them. bulk_create
    # skips save(), so the hash is set here, by the same function.
    clients = Client.objects.bulk_create(
        [Client(**row.client, bsn_hash=digests[row.bsn]) for row in new_rows],
        batch_size=BATCH_SIZE,
    )
    pairs = list(zip(new_rows, clients, strict=True))
    BenefitPeriod.objects.bulk_create(
        [BenefitPeriod(client=client, **row.benefit) for row, client in pairs if row.benefit],
        batch_size=BATCH_SIZE,
    )
    ClientGroupAssignment.objects.bulk_create(
        [
            ClientGroupAssignment(client=client, assigned_by=imported_by, **row.group)
            for row, client in pairs
            if row.group
        ],
        batch_size=BATCH_SIZE,
    )
    LadderMeasurement.objects.bulk_create(
        [
            LadderMeasurement(client=client, measured_by=imported_by, **row.ladder)
            for row, client in pairs
            if row.ladder
        ],
        batch_size=BATCH_SIZE,
    )
    return ImportOutcome(
        created=len(clients),
        existing=len(result.rows) - len(new_rows),
        invalid=result.invalid_rows,
        written=True,
    )
