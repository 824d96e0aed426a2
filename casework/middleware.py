from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseRedirectBase
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from casework.sessions import record_activity, session_expired
from casework.two_factor import TWO_FACTOR_PENDING, has_two_factor, is_verified


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


class TwoFactorMiddleware:
    """A session whose user logged in with a password but has not given the second factor yet
    (django-otp's request.user.is_verified()) gets only the log-in, code and set-up pages: a user
    with an authenticator app is sent to the code page, and where TWO_FACTOR_REQUIRED is on a user
    without one to the set-up page. An htmx request gets HX-Redirect, the API a JSON 403; API
    tokens are not sessions and are not affected (a token is created on the profile page, so
    from a session that passed this)."""

    # What works before the second factor. Static files never get here (WhiteNoise serves them).
    ALLOWED_VIEWS = frozenset(
        {
            "login",
            "logout",
            "login-verify",
            "two-factor-setup",
            "set_language",
            "health",
            "health-celery",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_verified(request):
            return None
        if not (settings.TWO_FACTOR_REQUIRED or request.session.get(TWO_FACTOR_PENDING)):
            return None
        match = request.resolver_match
        if match is None or match.view_name in self.ALLOWED_VIEWS:
            return None
        scheme = request.headers.get("Authorization", "").split(maxsplit=1)[:1]
        if "api" in match.namespaces and [word.lower() for word in scheme] == ["token"]:
            # An API token (casework.api.authentication): DRF authenticates the call by it, or
            # refuses it, and never falls back to the session.
            return None
        if has_two_factor(user):
            step = "login-verify"
        elif settings.TWO_FACTOR_REQUIRED:
            step = "two-factor-setup"
        else:  # the app was removed since log-in (in /beheer/): nothing to ask for any more
            del request.session[TWO_FACTOR_PENDING]
            return None
        if "api" in match.namespaces:
            return JsonResponse(
                {"detail": _("Log in with two-factor authentication to use the API.")},
                status=403,
            )
        htmx = getattr(request, "htmx", None)
        if htmx:
            # Back to the page the part belongs to afterwards, not to the part.
            page = htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(page, reverse(step)).url)
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), reverse(step))
        return redirect(step)
