"""Sudo mode: the user confirms it is them (password, and a code when they have two-factor
authentication) before a sensitive action: exporting a caseload or the access log, a subject
access PDF, creating an API token, new recovery codes, changing users, the policy settings or
someone's two-factor devices in /beheer/, deleting a client. The confirmation holds for
settings.SUDO_MINUTES; logging out ends it with the session.

`sudo_required` guards a function view, `require_sudo` any other view (admin methods, class
views). Without a valid confirmation nothing is done: every method, GET or POST, is sent to the
confirmation page (casework.sudo_views), which comes back to `next` afterwards.

`safe_next` is the `next` of a request, checked to be a page of this site: the confirmation page
and the two-factor pages (casework.two_factor_views) go there afterwards."""

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

SUDO_AT = "casework_sudo_at"

_P = ParamSpec("_P")
_R = TypeVar("_R", bound=HttpRequest)


def _now() -> int:
    return int(timezone.now().timestamp())


def sudo_is_valid(request: HttpRequest) -> bool:
    """Whether the user of this session confirmed it was them less than SUDO_MINUTES ago."""
    confirmed_at = request.session.get(SUDO_AT)
    return confirmed_at is not None and _now() - confirmed_at < settings.SUDO_MINUTES * 60


def grant_sudo(request: HttpRequest) -> None:
    """After a successful confirmation: a new session key (what an attacker may have learnt of
    the old one is worth nothing now), and the moment, from which SUDO_MINUTES run."""
    request.session.cycle_key()
    request.session[SUDO_AT] = _now()


def _is_of_this_site(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest) -> str:
    """Where to go afterwards: the request's `next` (posted, else in the query string) when it
    is a page of this site, otherwise the home page."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if _is_of_this_site(request, url):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _page_posted_from(request: HttpRequest) -> str:
    """The page a form was posted from (the Referer, when it is a page of this site), else the
    URL posted to: a POST-only URL cannot be gone back to."""
    referer = request.headers.get("Referer", "")
    if _is_of_this_site(request, referer):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


def require_sudo(request: HttpRequest) -> HttpResponse | None:
    """None when the confirmation is valid; otherwise the redirect to the confirmation page,
    with the page to come back to: this one for a GET, the page the form was on for a POST
    (what was posted is not performed and not kept), the page an htmx part belongs to for
    htmx."""
    if sudo_is_valid(request):
        return None
    htmx = getattr(request, "htmx", None)
    if htmx:
        back = htmx.current_url_abs_path or request.path
    else:
        back = (
            request.get_full_path()
            if request.method in ("GET", "HEAD")
            else _page_posted_from(request)
        )
    url = f"{reverse('sudo')}?{urlencode({'next': back})}"
    if htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def sudo_required(
    view: Callable[Concatenate[_R, _P], HttpResponse],
) -> Callable[Concatenate[_R, _P], HttpResponse]:
    """Decorator of a function view: it runs only within SUDO_MINUTES of a confirmation. Put it
    below the permission check, so that users who may not do the action at all get their 403
    without being asked for their password."""

    @functools.wraps(view)
    def wrapper(request: _R, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
        return require_sudo(request) or view(request, *args, **kwargs)

    return wrapper
