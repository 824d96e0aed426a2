"""The Celery application; configuration comes from the Django settings (CELERY_*)."""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def resume_interrupted_work(sender: Any, **kwargs: Any) -> None:
    """A worker that starts may replace one that died while building a monitor: send the sweep
    of interrupted builds at once (the worker runs it), rather than wait for beat's next run or
    for the broker to hand out the dead worker's message again (an hour, with Redis)."""
    sender.app.send_task("monitoring.tasks.resume_interrupted_reports")
