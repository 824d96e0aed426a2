"""tools.backup: a backup of the test database, restored into a fresh database, holds every client,
the BSNs as the same ciphertext (decryptable with the same keys) and the access log's append-only
trigger; a restore refuses a database that is not empty."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from casework.models import AccessLog, AccessReason
from clients.models import Client, Conversation
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import ClientFactory
from tests.database import database_url
from tools import backup

# Committed rows (transaction=True): pg_dump reads the database from another session. The rows
# that migrations seed are put back afterwards for the tests that follow (serialized_rollback).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def source() -> backup.Database:
    return backup.Database.from_settings(connection.settings_dict)


@pytest.fixture
def fresh_database(source: backup.Database) -> Iterator[backup.Database]:
    target = source.named(f"{source.name}_restored")
    with source.connect(dbname="postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target.name)))
    backup.create_database(target)
    yield target
    with source.connect(dbname="postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(target.name)))


@pytest.fixture
def casework_data(consultant_a: Any, team_a: Any) -> list[Client]:
    clients = ClientFactory.create_batch(5, team=team_a)
    clients.append(ClientFactory(team=team_a, bsn=None))  # anonymised: no BSN any more
    ConversationFactory(client=clients[0], consultant=consultant_a)
    AccessLog.objects.create(
        user=consultant_a,
        client_id=clients[0].pk,
        view="clients:detail",
        path=f"/clienten/{clients[0].pk}/",
        reason=AccessReason.CASEWORK,
    )
    return clients


def bsn_columns(cursor: Any) -> dict[int, tuple[str | None, str | None]]:
    table = Client._meta.db_table
    cursor.execute(f'SELECT id, bsn, bsn_hash FROM "{table}"')  # noqa: S608 (a model's table)
    return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def test_a_restore_into_a_fresh_database_finds_every_client(
    casework_data: list[Client],
    source: backup.Database,
    fresh_database: backup.Database,
    tmp_path: Path,
) -> None:
    dump = tmp_path / "casework.dump"
    backup.backup(database=source, file=dump)
    assert dump.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    assert not (tmp_path / "casework.dump.partial").exists()

    backup.restore(database=fresh_database, file=dump)

    with connection.cursor() as cursor:
        original = bsn_columns(cursor)
    with fresh_database.connect() as restored:
        with restored.cursor() as cursor:
            copied = bsn_columns(cursor)
        conversation_ids = {
            row[0]
            for row in restored.execute(
                sql.SQL("SELECT id FROM {}").format(sql.Identifier(Conversation._meta.db_table))
            )
        }
        access_log_rows = restored.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(AccessLog._meta.db_table))
        ).fetchone()
        # The append-only trigger came along: the restored log refuses changes too.
        for statement in ("UPDATE {} SET view = 'changed'", "DELETE FROM {}"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                restored.execute(
                    sql.SQL(statement).format(sql.Identifier(AccessLog._meta.db_table))
                )

    assert set(copied) == {client.pk for client in casework_data}
    # The ciphertext as it was (the keys are not in the dump, only the encrypted values)...
    assert copied == original
    # ...and decryptable with this installation's keys.
    field = Client._meta.get_field("bsn")
    for client in casework_data:
        ciphertext, _digest = copied[client.pk]
        if client.bsn is not None:
            assert client.bsn not in ciphertext
        assert field.from_db_value(ciphertext, None, connection) == client.bsn
    assert conversation_ids == set(Conversation.objects.values_list("pk", flat=True))
    assert access_log_rows == (1,)


def test_the_command_refuses_a_database_that_is_not_empty(
    casework_data: list[Client],
    source: backup.Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url())
    dump = tmp_path / "casework.dump"
    assert backup.main(["backup", str(dump)]) == 0
    capsys.readouterr()

    # Restoring over the database it came from, without --clean: refused, nothing touched.
    assert backup.main(["restore", str(dump), "--database", source.name]) == 1

    assert "not empty" in capsys.readouterr().err
    assert Client.objects.count() == len(casework_data)
    assert AccessLog.objects.count() == 1


def test_clean_replaces_the_contents_of_a_database(
    casework_data: list[Client],
    source: backup.Database,
    fresh_database: backup.Database,
    tmp_path: Path,
) -> None:
    dump = tmp_path / "casework.dump"
    backup.backup(database=source, file=dump)
    backup.restore(database=fresh_database, file=dump)
    table = sql.Identifier(Client._meta.db_table)
    with fresh_database.connect() as restored:
        restored.execute(sql.SQL("UPDATE {} SET first_name = 'Gewijzigd'").format(table))

    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(database=fresh_database, file=dump)
    backup.restore(database=fresh_database, file=dump, clean=True)

    with fresh_database.connect() as restored:
        names = dict(restored.execute(sql.SQL("SELECT id, first_name FROM {}").format(table)))
    assert names == {client.pk: client.first_name for client in casework_data}
