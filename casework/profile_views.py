"""The user's profile page: their personal API tokens (create, shown once; revoke), logging
out everywhere and the state of their two-factor authentication (casework.two_factor_views).

Creating a token asks for sudo mode (casework.sudo): a token reads what the user reads through the
API without a second factor, so a stolen session must not be able to make one."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from casework.api.tokens import create_api_token, revoke_api_token
from casework.models import ApiToken
from casework.sessions import end_all_sessions
from casework.sudo import sudo_required
from casework.two_factor import has_two_factor, recovery_codes_left
from casework.types import AuthenticatedHttpRequest


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the system that uses it."),
    )


@require_GET
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_profile(request, ApiTokenForm())


@require_POST
@sudo_required
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a token (the profile page's form posts here), in sudo mode. The answer is the
    profile page with the new token: rendered, not redirected, since the token is in this
    response only and stored nowhere."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, form)
    _api_token, new_token = create_api_token(user=request.user, name=form.cleaned_data["name"])
    return _render_profile(request, ApiTokenForm(), new_token=new_token)


def _render_profile(
    request: AuthenticatedHttpRequest, form: ApiTokenForm, *, new_token: str | None = None
) -> HttpResponse:
    return render(
        request,
        "casework/profile.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=request.user),
            "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
            "session_max_hours": settings.SESSION_MAX_HOURS,
            "two_factor_on": has_two_factor(request.user),
            "two_factor_required": settings.TWO_FACTOR_REQUIRED,
            "recovery_codes_left": recovery_codes_left(request.user),
        },
    )


@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens; someone else's token is a 404."""
    api_token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if api_token is None:
        raise Http404
    revoke_api_token(api_token=api_token)
    messages.success(
        request, _("The API token %(name)s has been revoked.") % {"name": api_token.name}
    )
    return redirect("profile")


@require_POST
def logout_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """End every session of the user, this one too; their API tokens stay as they are."""
    end_all_sessions(user=request.user)
    logout(request)
    messages.success(
        request, _("You have been logged out everywhere. Your API tokens have not been revoked.")
    )
    return redirect("login")
