"""`make test`: pytest against a real PostgreSQL (the project-local one without DATABASE_URL)."""

import subprocess
import sys

from tools import embedded_postgres


def main() -> int:
    server = embedded_postgres.ensure_database_url()
    try:
        return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]])
    finally:
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
