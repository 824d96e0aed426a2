"""Reads of the kernel."""

from django.db.models import QuerySet

from casework.models import Role, User


def team_consultants(user: User) -> QuerySet[User]:
    """The active consultants of the user's team, by name."""
    if user.team_id is None:
        return User.objects.none()
    return User.objects.filter(team_id=user.team_id, role=Role.CONSULTANT, is_active=True).order_by(
        "first_name", "last_name"
    )
