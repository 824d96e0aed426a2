from importlib import import_module

from celery import shared_task
from django.conf import settings

from casework.services import record_heartbeat


@shared_task(name="casework.tasks.heartbeat")
def heartbeat() -> None:
    """Scheduled by beat and run by a worker: its row proves both are alive (see /health/)."""
    record_heartbeat(service="celery")


@shared_task(name="casework.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Daily (beat): delete expired sessions, which may still hold a search term (a name or a
    BSN) nobody will use again."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
