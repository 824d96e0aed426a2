"""`make demo`: the whole system on one machine, with demo data.

Starts the project-local PostgreSQL (unless DATABASE_URL is set), migrates, loads demo data
when the database has no clients yet, then runs the web server, a Celery worker and Celery
beat until Ctrl-C, which stops everything, PostgreSQL last. Running it again reuses the data.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tools import embedded_postgres

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "127.0.0.1:8000"
DEMO_LOGINS = [
    ("consulent", "consultant (werkcoach) of the first team"),
    ("teamleider", "team leader of the first team"),
    ("beleid", "policy officer: aggregates only"),
    ("beheer", "application manager: policy settings at /beheer/"),
]
# Settings of every process of the demo. The demo users log in with their password only:
# two-factor authentication is not required (a user may still switch it on on their profile page).
DEMO_SETTINGS = {"TWO_FACTOR_REQUIRED": "false"}


def environment() -> dict[str, str]:
    return {**os.environ, **DEMO_SETTINGS}


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(), check=True)


def services() -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    return {
        "web": [
            str(bin_dir / "gunicorn"),
            "casework.wsgi",
            "--bind",
            ADDRESS,
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ],
        "worker": [
            str(bin_dir / "celery"),
            "-A",
            "casework",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
        ],
        "beat": [str(bin_dir / "celery"), "-A", "casework", "beat", "--loglevel", "INFO"],
    }


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for name, process in processes.items():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in time; killing it", flush=True)
            process.kill()


def main() -> int:
    started = time.monotonic()
    server = embedded_postgres.ensure_database_url()
    (ROOT / ".local" / "broker" / "control").mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen] = {}
    try:
        manage("migrate", "--noinput", "--verbosity", "1")
        manage("seed_demo", "--if-empty")
        for name, command in services().items():
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=environment())
        print(
            f"\nCasework runs at http://{ADDRESS}/ (up in {time.monotonic() - started:.0f} s)\n"
            "Demo log-ins, password 'demo' for each:",
            flush=True,
        )
        for username, description in DEMO_LOGINS:
            print(f"  {username:<11} {description}", flush=True)
        print("Two-factor authentication is off in the demo: the password is enough.", flush=True)
        print("Press Ctrl-C to stop.\n", flush=True)
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped unexpectedly (exit {process.returncode})", flush=True)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    finally:
        stop(processes)
        if server is not None:
            server.cleanup()


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    # SIGTERM stops the demo like Ctrl-C does: children first, PostgreSQL last. SIGINT is set
    # explicitly too: a shell that starts the demo in the background leaves it ignored.
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    os.chdir(ROOT)
    sys.exit(main())
