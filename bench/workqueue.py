"""How long the daily work-queue job takes (clients.tasks.record_work_queue): every active
consultant's queue counted and recorded, the newly overdue items notified.

    export DATABASE_URL=postgres://postgres@/%2Fwork%2Fmain%2F.local%2Fpostgres/casework_bench
    .venv/bin/python bench/workqueue.py

The pages, the work queue among them, are timed by bench/pages.py. This writes what the job
writes: the day's snapshots and notifications (a re-run on the same day overwrites them).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from clients.models import Client  # noqa: E402
from clients.workqueue.services import record_work_queue  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    print(f"{Client.objects.count():,} clients")
    started = time.perf_counter()
    run = record_work_queue(day=timezone.localdate())
    print(
        f"daily job: {run.consultants} consultants in {time.perf_counter() - started:.1f} s "
        f"({run.emails_sent} e-mails)"
    )


if __name__ == "__main__":
    main()
