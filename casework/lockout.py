"""The answer to a log-in of a locked account (django-axes' AXES_LOCKOUT_CALLABLE): the log-in
page again, with the message in place of the form's errors. The same for every username, known
or not, so it reveals nothing about which accounts exist."""

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from casework.forms import LoginForm


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    message = _(
        "Too many failed attempts. Your account has been locked temporarily; try again in "
        "%(minutes)s minutes or contact the application manager."
    ) % {"minutes": settings.AXES_COOLOFF_MINUTES}
    return render(
        request,
        "registration/login.html",
        {
            "form": LoginForm(request),
            "lockout_message": message,
            "next": request.POST.get("next", ""),
        },
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
