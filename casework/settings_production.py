"""Production settings: hardened, and no start without the secrets (`manage.py check --deploy`)."""

from casework.settings import *  # noqa: F403
from casework.settings import STORAGES, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # no default: refuse to start without it
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# --- BSN encryption at rest (issue 7): no defaults, refuse to start without them ---
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

SALT_KEY = env.list("FIELD_ENCRYPTION_SALT")
BSN_HASH_KEY = env.str("BSN_HASH_KEY")
if not SALT_KEY or not all(SALT_KEY) or not BSN_HASH_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_SALT and BSN_HASH_KEY may not be empty.")
# --- end BSN encryption ---

# --- Two-factor authentication (issue 7) ---
# Required for every staff account, whatever the environment says (see also the system check
# casework.checks.two_factor_required).
TWO_FACTOR_REQUIRED = True
# --- end two-factor authentication ---
