"""`manage.py reencrypt_bsns`: write every client's BSN again with the current encryption key and
recompute its look-up hash; the step of a key rotation (casework.settings, BSN block) after which
the old key can go."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import ngettext

from clients.models import Client


class Command(BaseCommand):
    help = (
        "Encrypt every client's BSN again with the current key (the first FIELD_ENCRYPTION_SALT "
        "with SECRET_KEY) and recompute its look-up hash with the current BSN_HASH_KEY. "
        "Rotating the encryption key: put the new salt first (or the new SECRET_KEY, the old one "
        "in SECRET_KEY_FALLBACKS), deploy, run this command, then remove the old salt or "
        "fallback. Rolling out a new BSN_HASH_KEY: set it and run this command before the "
        "application takes requests again; until it has finished, a search by BSN and the check "
        "for a BSN that already exists miss the clients not yet done. Safe to run again; prints "
        "counts, never a BSN."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="clients written per transaction (default 500)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        written = rehashed = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                # Locked while they are written, so that a BSN changed meanwhile in the
                # application is not overwritten with the value read here. Anonymised clients
                # have no BSN and no hash: nothing to do.
                batch = list(
                    Client.objects.select_for_update()
                    .filter(pk__gt=last_pk, bsn__isnull=False)
                    .order_by("pk")
                    .only("bsn", "bsn_hash")[:batch_size]
                )
                if not batch:
                    break
                for client in batch:
                    old_hash = client.bsn_hash
                    client.sync_bsn_hash()
                    if client.bsn_hash != old_hash:
                        rehashed += 1
                # Reading decrypted with any configured key; writing encrypts with the first.
                Client.objects.bulk_update(batch, ["bsn", "bsn_hash"])
            written += len(batch)
            last_pk = batch[-1].pk
        self.stdout.write(
            ngettext(
                "%(count)d BSN encrypted again with the current key.",
                "%(count)d BSNs encrypted again with the current key.",
                written,
            )
            % {"count": written}
        )
        self.stdout.write(
            ngettext(
                "%(count)d look-up hash recomputed with a new BSN_HASH_KEY.",
                "%(count)d look-up hashes recomputed with a new BSN_HASH_KEY.",
                rehashed,
            )
            % {"count": rehashed}
        )
