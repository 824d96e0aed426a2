"""Writes of the kernel: the access log and heartbeats."""

from collections.abc import Iterable

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
    """Log that the requesting user was shown these clients' data: one row per client, one query."""
    now = timezone.now()
    AccessLog.objects.bulk_create(
        AccessLog(
            user=request.user,
            accessed_at=now,
            client_id=client_id,
            view=view,
            path=request.path[:500],
            reason=reason,
        )
        for client_id in client_ids
    )


def record_heartbeat(*, service: str) -> None:
    Heartbeat.objects.update_or_create(service=service, defaults={"seen_at": timezone.now()})
