"""The production settings as the benchmarks and the load test serve them on loopback: without
TLS. In production a proxy terminates TLS in front of gunicorn; here there is none, so the cookies
may travel over plain HTTP and nothing redirects to https. Everything else is production's: DEBUG
off, the manifest static files, two-factor authentication required, the keys from the
environment (bench.server.production_environment)."""

from casework.settings_production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
