"""The test database, as other processes (a Celery worker, pg_dump) reach it."""

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """DATABASE_URL of the database the tests run against."""
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = settings["HOST"]
    if host.startswith("/"):
        return f"postgres://{auth}@/{quote(host, safe='')}/{settings['NAME']}"
    return f"postgres://{auth}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"
