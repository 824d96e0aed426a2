from django.http import HttpRequest

from casework.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind the log-in (LoginRequiredMiddleware): its user is a casework User."""

    user: User
