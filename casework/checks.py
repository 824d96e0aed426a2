"""System checks of casework's own settings (registered in CaseworkConfig.ready)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def two_factor_required(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Two-factor authentication may be off in development, the demo and the tests only: with
    DEBUG off `manage.py check` fails, and so does `migrate`, the job docker-compose.yml runs
    before it starts the web server."""
    if settings.DEBUG or settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        Error(
            "TWO_FACTOR_REQUIRED is off while DEBUG is off.",
            hint=(
                "Every staff account needs two-factor authentication in production: remove "
                "TWO_FACTOR_REQUIRED=false from the environment (casework.settings_production "
                "always sets it on)."
            ),
            id="casework.E001",
        )
    ]
