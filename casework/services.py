"""Writes of the kernel: the access log and heartbeats."""

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from casework.models import AccessLog, AccessReason, Heartbeat
from casework.types import AuthenticatedHttpRequest


def record_access(
    *,
    request: AuthenticatedHttpRequest,
    client_ids: Iterable[int],
    view: str,
    reason: str = AccessReason.CASEWORK,
) -> None:
    """Log that the requesting user was shown these clients' data: one row per client, one query.
    The rows are one INSERT of the clients' ids as an array: building and saving a model instance
    per row (bulk_create) was a tenth of the caseload list's time at 100,000 clients
    (bench/pages.py)."""
    ids = list(client_ids)
    if not ids:
        return
    table = connection.ops.quote_name(AccessLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, accessed_at, client_id, view, path, reason) "
            "SELECT %s, %s, unnest(%s::bigint[]), %s, %s, %s",
            [request.user.pk, timezone.now(), ids, view, request.path[:500], reason],
        )


def record_heartbeat(*, service: str) -> None:
    Heartbeat.objects.update_or_create(service=service, defaults={"seen_at": timezone.now()})
