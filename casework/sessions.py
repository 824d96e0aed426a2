"""Session lifetime: the log-in and last-activity times kept in the session, and ending every
session of a user ("log out everywhere")."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from casework.models import User

LOGGED_IN_AT = "casework_logged_in_at"
ACTIVE_AT = "casework_active_at"


def _now() -> int:
    return int(timezone.now().timestamp())


def stamp_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Receiver of user_logged_in (connected in CaseworkConfig.ready): the session remembers when
    its user logged in."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = request.session[ACTIVE_AT] = _now()


def session_expired(session: SessionBase) -> bool:
    """Whether a logged-in session has outlived the idle or the absolute maximum. A session
    without a log-in time (from before this check existed) counts as expired."""
    now = _now()
    logged_in_at = session.get(LOGGED_IN_AT)
    active_at = session.get(ACTIVE_AT)
    if SESSION_KEY not in session or logged_in_at is None or active_at is None:
        return SESSION_KEY in session
    return (
        now - active_at > settings.SESSION_IDLE_MINUTES * 60
        or now - logged_in_at > settings.SESSION_MAX_HOURS * 3600
    )


def record_activity(session: SessionBase) -> None:
    """Renew the session (its row and cookie) at most once per resolution, not per request."""
    now = _now()
    if now - session.get(ACTIVE_AT, 0) >= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS:
        session[ACTIVE_AT] = now


@transaction.atomic
def end_all_sessions(*, user: "User") -> None:
    """Every session of the user stops being valid: the moment is part of the user's session
    auth hash (User.get_session_auth_hash), which Django checks on every request. API tokens
    are not touched."""
    user.sessions_ended_at = timezone.now()
    user.save(update_fields=["sessions_ended_at"])
