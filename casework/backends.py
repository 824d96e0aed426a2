"""The authentication backend: Django's, reading a session's user together with what every page
shows of them."""

from typing import Any

from django.contrib.auth import backends

from casework.models import User
from casework.notifications import UNREAD_COUNT, unread_count_of_user

# Built once: resolving the count's subquery on every request cost more than the query it saves.
SESSION_USERS = User._default_manager.select_related("team").annotate(
    **{UNREAD_COUNT: unread_count_of_user()}
)


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, whose get_user (once per request, for the session's user) also reads
    the user's team and unread notifications count: the base layout shows both on every page,
    which cost a query each per page (bench/pages.py)."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = SESSION_USERS.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
