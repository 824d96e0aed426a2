"""The sudo-mode confirmation page (casework.sudo): the user confirms it is them, then goes on
to the page they came from."""

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from casework.sudo import grant_sudo, safe_next
from casework.sudo_forms import SudoForm
from casework.types import AuthenticatedHttpRequest


@sensitive_post_parameters("password", "code")
@never_cache
@require_http_methods(["GET", "POST"])
def sudo_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    form = SudoForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            grant_sudo(request)
            return redirect(next_url)
        if getattr(request, "axes_locked_out", False):
            # Too many wrong passwords: the account is locked (django-axes), and this session of
            # it ends as well. AxesMiddleware answers with the log-in page and its message.
            logout(request)
    return render(
        request,
        "casework/sudo.html",
        {"form": form, "next": next_url, "sudo_minutes": settings.SUDO_MINUTES},
    )
