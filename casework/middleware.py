from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from casework.sessions import record_activity, session_expired


class LanguageMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language (the language cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a municipal office
    works in Dutch whatever the browser says, so that is ignored."""

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, plus: a request that brought a session cookie but has no user any more (the
    session expired or was ended) gets a message saying so, and an htmx request is sent to the
    log-in page with HX-Redirect (a plain redirect would swap the log-in page into the part)."""

    def handle_no_permission(  # type: ignore[override]  # htmx gets a client-side redirect
        self, request: HttpRequest, view_func: Any
    ) -> HttpResponseRedirectBase:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            messages.info(request, _("Your session has expired; please log in again."))
        htmx = getattr(request, "htmx", None)
        if htmx:
            # Back to the page the part belongs to after logging in, not to the part.
            page = htmx.current_url_abs_path or request.get_full_path()
            login = redirect_to_login(page, self.get_login_url(view_func))
            return HttpResponseClientRedirect(login.url)
        return super().handle_no_permission(request, view_func)


class SessionExpiryMiddleware:
    """Ends a session that has been idle too long or is older than the absolute maximum
    (casework.sessions); the request goes on without a user, so LoginRequiredMiddleware sends
    a page to the log-in page and the API answers 401. Otherwise it records the activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if session_expired(request.session):
            logout(request)
        elif SESSION_KEY in request.session:
            record_activity(request.session)
        return self.get_response(request)
