from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from casework.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind the log-in (LoginRequiredMiddleware): its user is a casework User;
    `htmx` tells whether htmx made it (django-htmx's middleware)."""

    user: User
    htmx: HtmxDetails
