"""Run a manage.py command against the project-local PostgreSQL (unless DATABASE_URL is set)."""

import subprocess
import sys

from tools import embedded_postgres


def main() -> int:
    server = embedded_postgres.ensure_database_url()
    try:
        return subprocess.call([sys.executable, "manage.py", *sys.argv[1:]])
    finally:
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
