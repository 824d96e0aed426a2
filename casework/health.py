"""Health checks for /health/ beyond the database: the Celery broker, worker and beat."""

import dataclasses
import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from casework.celery import app
from casework.models import Heartbeat


@dataclasses.dataclass
class CeleryBroker(HealthCheck):
    """The broker accepts a connection."""

    def run(self) -> None:
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:
            raise ServiceUnavailable("Celery broker unreachable") from error


@dataclasses.dataclass
class CeleryHeartbeat(HealthCheck):
    """Beat scheduled, and a worker ran, the heartbeat task recently."""

    def run(self) -> None:
        try:
            beat = Heartbeat.objects.filter(service="celery").first()
        finally:
            # Checks run in an executor thread: close its connection, or it outlives the request.
            connection.close()
        if beat is None:
            raise ServiceUnavailable("No Celery heartbeat yet")
        max_age = datetime.timedelta(seconds=settings.CELERY_HEARTBEAT_MAX_AGE_SECONDS)
        if timezone.now() - beat.seen_at > max_age:
            raise ServiceUnavailable("Celery heartbeat too old: worker or beat is down")
