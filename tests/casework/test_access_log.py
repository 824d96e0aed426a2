import pytest
from django.db import DatabaseError, connection, transaction

from casework.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(consultant_a):
    return AccessLog.objects.create(
        user=consultant_a,
        client_id=1,
        view="clients:detail",
        path="/clienten/1/",
        reason="casework",
    )


def test_the_database_refuses_to_update_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(path="/elsewhere/")
    entry.refresh_from_db()
    assert entry.path == "/clienten/1/"


def test_the_database_refuses_to_delete_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_raw_sql_is_refused_too(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM casework_accesslog")
    assert AccessLog.objects.count() == 1
