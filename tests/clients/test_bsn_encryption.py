"""The BSN at rest: encrypted (Fernet, keys from the settings), a keyed hash for look-up, masked
everywhere, shown in full only on an explicit, access-logged request."""

import importlib
import io
import re
from collections.abc import Iterator
from unittest import mock

import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog
from clients.bsn import bsn_digest
from clients.import_services import import_clients
from clients.imports import validate_table
from clients.models import Client
from clients.selectors import clients_with_bsn
from tests.api import with_token
from tests.casework.factories import TeamFactory
from tests.clients.factories import ClientFactory
from tests.clients.test_import import BSNS, row, table

pytestmark = pytest.mark.django_db

BSN_FIELD = Client._meta.get_field("bsn")
MIGRATION = importlib.import_module("clients.migrations.0007_bsn_encrypted")


@pytest.fixture(autouse=True)
def fresh_keys() -> Iterator[None]:
    """The field derives its keys once per process (cached_property); tests that change the salt
    need them derived again, before and after."""

    def forget() -> None:
        for name in ("keys", "f"):
            BSN_FIELD.__dict__.pop(name, None)

    forget()
    yield
    forget()


def raw_columns(client: Client) -> tuple[str | None, str | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn, bsn_hash FROM clients_client WHERE id = %s", [client.pk])
        return cursor.fetchone()


def show_url(client: Client) -> str:
    return reverse("clients:bsn-show", args=[client.pk])


# At rest


def test_the_column_holds_no_plain_bsn_and_decrypts_back(client_a):
    raw, digest = raw_columns(client_a)
    assert raw is not None and client_a.bsn not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert BSN_FIELD.f.decrypt(raw.encode()).decode() == client_a.bsn
    assert Client.objects.get(pk=client_a.pk).bsn == client_a.bsn
    assert digest == bsn_digest(client_a.bsn)


def test_the_same_bsn_encrypts_differently_each_time(client_a):
    first, _digest = raw_columns(client_a)
    client_a.save()
    second, _digest = raw_columns(client_a)
    assert first != second


def test_the_hash_is_keyed_and_normalised(client_a, settings):
    digest = bsn_digest(client_a.bsn)
    assert len(digest) == 64 and client_a.bsn not in digest
    assert bsn_digest(f" {client_a.bsn[:4]}.{client_a.bsn[4:]} ") == digest
    settings.BSN_HASH_KEY = "another key"
    assert bsn_digest(client_a.bsn) != digest
    client_a.save()
    assert raw_columns(client_a)[1] == bsn_digest(client_a.bsn) != digest


def test_the_hash_follows_the_bsn_on_every_save(client_a):
    client_a.bsn = "123456782"
    client_a.save(update_fields=["bsn"])
    assert raw_columns(client_a)[1] == bsn_digest("123456782")


def test_the_keys_are_derived_once_not_per_row(team_a):
    ClientFactory.create_batch(5, team=team_a)
    list(Client.objects.all())  # derives the keys
    with mock.patch.object(PBKDF2HMAC, "derive", side_effect=AssertionError("derived again")):
        assert len({c.bsn for c in Client.objects.all()}) == 5
        ClientFactory.create_batch(5, team=team_a)


def test_an_old_salt_later_in_the_list_still_decrypts(client_a, settings):
    settings.SALT_KEY = ["old salt"]
    BSN_FIELD.__dict__.pop("keys", None)
    BSN_FIELD.__dict__.pop("f", None)
    client_a.save()
    old_raw, _digest = raw_columns(client_a)

    settings.SALT_KEY = ["new salt", "old salt"]  # rotation: the new salt first
    BSN_FIELD.__dict__.pop("keys", None)
    BSN_FIELD.__dict__.pop("f", None)
    assert Client.objects.get(pk=client_a.pk).bsn == client_a.bsn
    client_a.save()  # encrypted again, with the new salt
    new_raw, _digest = raw_columns(client_a)
    assert new_raw != old_raw

    settings.SALT_KEY = ["new salt"]  # the old salt retired after every row was saved again
    BSN_FIELD.__dict__.pop("keys", None)
    BSN_FIELD.__dict__.pop("f", None)
    assert Client.objects.get(pk=client_a.pk).bsn == client_a.bsn
    # Without its salt an old token cannot be read: an error, never the ciphertext as the BSN.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE clients_client SET bsn = %s WHERE id = %s", [old_raw, client_a.pk])
    with pytest.raises(InvalidToken):
        Client.objects.get(pk=client_a.pk)


# Key rotation: manage.py reencrypt_bsns


def use_keys(settings, *salts: str, secret: str | None = None, fallbacks=()) -> None:
    settings.SALT_KEY = list(salts)
    if secret is not None:
        settings.SECRET_KEY = secret
        settings.SECRET_KEY_FALLBACKS = list(fallbacks)
    BSN_FIELD.__dict__.pop("keys", None)
    BSN_FIELD.__dict__.pop("f", None)


def reencrypt(*args: str) -> list[int]:
    """The command's counts (BSNs written, hashes changed); the output holds no BSN."""
    out = io.StringIO()
    call_command("reencrypt_bsns", *args, stdout=out)
    assert not any(client.bsn and client.bsn in out.getvalue() for client in Client.objects.all())
    return [int(number) for number in re.findall(r"\d+", out.getvalue())]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"salts": ["old salt"]}, {"salts": ["new salt", "old salt"]}),
        (
            {"salts": ["salt"], "secret": "old secret"},
            {"salts": ["salt"], "secret": "new secret", "fallbacks": ["old secret"]},
        ),
    ],
    ids=["salt", "secret-key"],
)
def test_reencrypting_lets_the_old_key_go(settings, team_a, old, new):
    use_keys(settings, *old["salts"], secret=old.get("secret"))
    clients = ClientFactory.create_batch(3, team=team_a)
    anonymised = ClientFactory(team=team_a, bsn=None)
    before = {client.pk: raw_columns(client) for client in clients}

    use_keys(settings, *new["salts"], secret=new.get("secret"), fallbacks=new.get("fallbacks", ()))
    assert reencrypt("--batch-size", "2") == [3, 0]

    use_keys(settings, new["salts"][0], secret=new.get("secret"))  # the old key retired
    for client in clients:
        raw, digest = raw_columns(client)
        assert raw != before[client.pk][0] and digest == before[client.pk][1]
        assert Client.objects.get(pk=client.pk).bsn == client.bsn
    assert raw_columns(anonymised) == (None, None)


def test_the_hashes_follow_a_new_hash_key(settings, client_a, team_a):
    others = ClientFactory.create_batch(2, team=team_a)
    settings.BSN_HASH_KEY = "a new hash key"
    assert not clients_with_bsn(Client.objects.all(), client_a.bsn).exists()

    assert reencrypt() == [3, 3]

    for client in (client_a, *others):
        assert raw_columns(client)[1] == bsn_digest(client.bsn)
        assert clients_with_bsn(Client.objects.all(), client.bsn).get() == client
    assert reencrypt() == [3, 0]  # again: new ciphertexts, the same hashes


def test_reencrypting_takes_a_fixed_number_of_queries_per_batch(team_a, django_assert_num_queries):
    ClientFactory.create_batch(4, team=team_a)
    # Per batch: savepoint, select for update, bulk update, release; and the empty last batch.
    with django_assert_num_queries(2 * 4 + 3):
        call_command("reencrypt_bsns", "--batch-size", "2", stdout=io.StringIO())


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError):
        call_command("reencrypt_bsns", "--batch-size", "0")


# Anonymised


def test_an_anonymised_client_has_no_bsn_and_no_hash(client, consultant_a, client_a, team_a):
    other = ClientFactory(team=team_a)
    for anonymised in (client_a, other):  # NULLs do not clash in the unique hash
        anonymised.bsn = None
        anonymised.save()
    assert raw_columns(client_a) == (None, None)
    assert client_a.masked_bsn == ""
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    assert response.status_code == 200
    assert show_url(client_a) not in response.text
    response = client.post(show_url(client_a))
    assert response.status_code == 200


# Look-up by BSN, through the hash


def test_the_list_search_finds_the_bsn(client, consultant_a, client_a, team_a):
    ClientFactory.create_batch(2, team=team_a)
    client.force_login(consultant_a)
    client.post(reverse("clients:list"), {"q": client_a.bsn})
    response = client.get(reverse("clients:list"), {"consultant": ""})
    assert [row["pk"] for row in response.context["page"]] == [client_a.pk]


def test_the_api_search_finds_the_bsn(api_client, consultant_a, client_a, team_a):
    ClientFactory.create_batch(2, team=team_a)
    response = with_token(api_client, consultant_a).post(
        "/api/v1/clients/search/", {"bsn": client_a.bsn}, format="json"
    )
    assert [found["id"] for found in response.json()] == [client_a.pk]


def test_the_import_recognises_known_bsns_and_hashes_new_ones():
    TeamFactory(name="Team Noord")
    ClientFactory(bsn=BSNS[0], first_name="Known")
    result = validate_table(table(row(0), row(1)), today=timezone.localdate())
    outcome = import_clients(result=result)
    assert (outcome.created, outcome.existing) == (1, 1)
    created = Client.objects.get(bsn_hash=bsn_digest(BSNS[1]))
    raw, digest = raw_columns(created)
    assert raw is not None and BSNS[1] not in raw and digest == bsn_digest(BSNS[1])
    assert Client.objects.get(bsn_hash=bsn_digest(BSNS[0])).first_name == "Known"


def test_a_duplicate_bsn_is_refused_next_to_the_field(client, consultant_a, client_a, team_a):
    client.force_login(consultant_a)
    other = ClientFactory(team=team_a)
    other.consultants.add(consultant_a)
    response = client.post(
        reverse("clients:update", args=[other.pk]),
        {**form_data(other), "bsn": f"{client_a.bsn[:3]} {client_a.bsn[3:]}"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"]
    assert 'id="id_bsn-errors"' in response.text
    other.refresh_from_db()
    assert other.bsn != client_a.bsn


# The edit form


def form_data(client: Client) -> dict[str, object]:
    return {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth.isoformat(),
        "gender": client.gender,
        "household_type": client.household_type,
        "education_level": client.education_level,
    }


def test_the_edit_page_leaves_the_bsn_out_and_empty_keeps_it(client, consultant_a, client_a):
    client.force_login(consultant_a)
    url = reverse("clients:update", args=[client_a.pk])
    response = client.get(url)
    assert client_a.bsn not in response.text
    assert 'id="id_bsn-help"' in response.text
    response = client.post(url, {**form_data(client_a), "first_name": "Bea", "bsn": ""})
    assert response.status_code == 302
    saved = Client.objects.get(pk=client_a.pk)
    assert (saved.first_name, saved.bsn) == ("Bea", client_a.bsn)
    assert raw_columns(saved)[1] == bsn_digest(client_a.bsn)


def test_a_new_bsn_on_the_edit_page_replaces_the_old(client, consultant_a, client_a):
    client.force_login(consultant_a)
    url = reverse("clients:update", args=[client_a.pk])
    response = client.post(url, {**form_data(client_a), "bsn": "1234.56.782"})
    assert response.status_code == 302
    saved = Client.objects.get(pk=client_a.pk)
    assert saved.bsn == "123456782"
    assert raw_columns(saved)[1] == bsn_digest("123456782")


# Masked, and shown on request


def test_the_dossier_shows_the_bsn_masked_with_a_show_button(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    assert client_a.bsn not in response.text
    assert client_a.masked_bsn in response.text
    assert f'action="{show_url(client_a)}"' in response.text
    assert f'hx-post="{show_url(client_a)}"' in response.text


def test_showing_returns_the_full_page_and_logs_once(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(show_url(client_a))
    assert response.status_code == 200
    assert client_a.bsn in response.text
    assert response.text.count("<h1") == 1
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get()
    assert (entry.client_id, entry.user, entry.view) == (
        client_a.pk,
        consultant_a,
        "clients:bsn-show",
    )


def test_showing_over_htmx_returns_only_the_bsn(
    client, consultant_a, client_a, django_assert_num_queries
):
    client.force_login(consultant_a)
    # Session, user, the client in scope, the access log row.
    with django_assert_num_queries(4):
        response = client.post(show_url(client_a), headers={"HX-Request": "true"})
    assert response.content.decode().strip().endswith(client_a.bsn)
    assert "<html" not in response.text
    assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(view="clients:bsn-show").count() == 1


def test_showing_needs_a_post_with_csrf(consultant_a, client_a):
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(consultant_a)
    assert browser.get(show_url(client_a)).status_code == 405
    assert browser.post(show_url(client_a)).status_code == 403
    assert not AccessLog.objects.exists()


def test_showing_is_scoped(client, consultant_b, policy_officer, application_manager, client_a):
    client.force_login(consultant_b)
    assert client.post(show_url(client_a)).status_code == 404
    for user in (policy_officer, application_manager):
        client.force_login(user)
        assert client.post(show_url(client_a)).status_code == 403
    client.logout()
    response = client.post(show_url(client_a))
    assert response.status_code == 302 and client_a.bsn not in response.text
    assert not AccessLog.objects.exists()


def test_the_list_shows_the_bsn_masked(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(reverse("clients:list"))
    assert client_a.masked_bsn in response.text
    assert client_a.bsn not in response.text


# The migration's data step


def migration_apps() -> StateApps:
    """The models as the migration's data step sees them: bsn is the library's lenient field."""
    loader = MigrationLoader(connection)
    state = loader.project_state(("clients", "0006_client_anonymised_at"))
    for operation in loader.get_migration("clients", "0007_bsn_encrypted").operations[:2]:
        operation.state_forwards("clients", state)
    return state.apps


def test_the_migration_encrypts_plain_rows_and_reverses(client_a, team_a):
    historical = migration_apps()
    anonymised = ClientFactory(team=team_a, bsn=None)
    with connection.cursor() as cursor:  # as before the migration: plain, no hash
        cursor.execute("UPDATE clients_client SET bsn = %s, bsn_hash = NULL", [client_a.bsn])
        cursor.execute("UPDATE clients_client SET bsn = NULL WHERE id = %s", [anonymised.pk])
    MIGRATION.encrypt_and_hash(historical, None)
    raw, digest = raw_columns(client_a)
    assert raw is not None and raw.startswith("gAAAAA") and digest == bsn_digest(client_a.bsn)
    assert raw_columns(anonymised) == (None, None)
    MIGRATION.encrypt_and_hash(historical, None)  # again: nothing changes but the IV
    assert Client.objects.get(pk=client_a.pk).bsn == client_a.bsn

    with connection.schema_editor() as schema_editor:
        MIGRATION.decrypt(historical, schema_editor)
    assert raw_columns(client_a)[0] == client_a.bsn
    assert raw_columns(anonymised)[0] is None
