import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from casework.models import AccessLog, AccessReason
from casework.services import record_access

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


def test_recording_writes_one_row_per_client_in_one_query(
    rf, consultant_a, django_assert_num_queries
):
    request = rf.get("/clienten/" + "x" * 600, {"page": "2"})
    request.user = consultant_a
    before = timezone.now()
    with django_assert_num_queries(1):
        record_access(request=request, client_ids=[3, 1, 2], view="clients:list")
    rows = AccessLog.objects.order_by("client_id")
    assert [(r.user_id, r.client_id, r.view, r.reason) for r in rows] == [
        (consultant_a.pk, client_id, "clients:list", AccessReason.CASEWORK)
        for client_id in (1, 2, 3)
    ]
    assert {r.path for r in rows} == {request.path[:500]}  # the path, cut to its column
    assert all(before <= r.accessed_at <= timezone.now() for r in rows)


def test_recording_no_clients_writes_nothing(rf, consultant_a, django_assert_num_queries):
    request = rf.get("/clienten/")
    request.user = consultant_a
    with django_assert_num_queries(0):
        record_access(request=request, client_ids=[], view="clients:list", reason="audit")
    assert not AccessLog.objects.exists()
