from celery import shared_task

from casework.services import record_heartbeat


@shared_task(name="casework.tasks.heartbeat")
def heartbeat() -> None:
    """Scheduled by beat and run by a worker: its row proves both are alive (see /health/)."""
    record_heartbeat(service="celery")
