"""Encrypt the BSN at rest and add its keyed look-up hash (issue 7).

The column becomes text first (a Fernet token is ~120 characters, the old column held 9), then
every row is encrypted and hashed in batches. Meanwhile the column is the library's lenient
encrypted field, which passes a value that is not a Fernet token through unchanged: a plain BSN
reads as itself, an encrypted one decrypts, so running the data step again changes nothing. Only
then does it become clients.bsn.EncryptedBsnField, which refuses what it cannot decrypt.

Reversible: backwards, every BSN is decrypted and written back in plain before the column
returns to varchar(9) with its unique constraint. That needs the keys the rows were encrypted
with (SECRET_KEY and FIELD_ENCRYPTION_SALT or their fallbacks).
"""

from typing import Any

import encrypted_fields.fields
from django.db import migrations, models

import clients.bsn

BATCH_SIZE = 500


def _batches(Client: Any) -> Any:
    ids = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        yield list(Client.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).only("bsn"))


def encrypt_and_hash(apps: Any, schema_editor: Any) -> None:
    Client = apps.get_model("clients", "Client")
    for batch in _batches(Client):
        for client in batch:
            client.bsn_hash = clients.bsn.bsn_digest(client.bsn) if client.bsn else None
        # bulk_update writes bsn through the encrypted field: encrypted with the current key.
        Client.objects.bulk_update(batch, ["bsn", "bsn_hash"])


def decrypt(apps: Any, schema_editor: Any) -> None:
    Client = apps.get_model("clients", "Client")
    table = schema_editor.quote_name(Client._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        for batch in _batches(Client):
            # Raw SQL: the ORM would encrypt the value again on the way in.
            cursor.executemany(
                f"UPDATE {table} SET bsn = %s WHERE id = %s",  # noqa: S608 (table name from the model)
                [(client.bsn, client.pk) for client in batch],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_client_anonymised_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="bsn_hash",
            field=models.CharField(
                editable=False,
                error_messages={"unique": "A client with this BSN already exists."},
                max_length=64,
                null=True,
                unique=True,
                verbose_name="BSN look-up hash",
            ),
        ),
        migrations.AlterField(
            model_name="client",
            name="bsn",
            field=encrypted_fields.fields.EncryptedCharField(
                max_length=9,
                null=True,
                validators=[clients.bsn.validate_bsn],
                verbose_name="BSN",
            ),
        ),
        migrations.RunPython(encrypt_and_hash, decrypt, elidable=False),
        migrations.AlterField(
            model_name="client",
            name="bsn",
            field=clients.bsn.EncryptedBsnField(
                max_length=9,
                null=True,
                validators=[clients.bsn.validate_bsn],
                verbose_name="BSN",
            ),
        ),
    ]
