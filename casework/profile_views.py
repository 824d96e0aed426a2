"""The user's profile page: their personal API tokens (create, shown once; revoke) and logging
out everywhere."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from casework.api.tokens import create_api_token, revoke_api_token
from casework.models import ApiToken
from casework.sessions import end_all_sessions
from casework.types import AuthenticatedHttpRequest


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the system that uses it."),
    )


@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _api_token, new_token = create_api_token(user=request.user, name=form.cleaned_data["name"])
        # Rendered, not redirected: the token is in this response only and stored nowhere.
        form = ApiTokenForm()
    return render(
        request,
        "casework/profile.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=request.user),
            "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
            "session_max_hours": settings.SESSION_MAX_HOURS,
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
