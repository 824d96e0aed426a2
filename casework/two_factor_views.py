"""Two-factor authentication pages: the code after the password, setting up an authenticator app
(with the first recovery codes), new recovery codes and switching it off from the profile page
(both in sudo mode, casework.sudo). What is enforced when is in
casework.middleware.TwoFactorMiddleware; the rules in casework.two_factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from casework.sudo import require_sudo, safe_next, sudo_required
from casework.two_factor import (
    SETUP_KEY,
    confirm_setup,
    has_two_factor,
    is_verified,
    mark_verified,
    new_app_device,
    qr_code_svg,
    recovery_codes_left,
    replace_recovery_codes,
    secret_in_groups,
    turn_off_two_factor,
)
from casework.two_factor_forms import TwoFactorSetupForm, TwoFactorVerifyForm
from casework.types import AuthenticatedHttpRequest


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password: a code from the app or a recovery code."""
    next_url = safe_next(request)
    if is_verified(request):
        return redirect(next_url)
    if not has_two_factor(request.user):
        if settings.TWO_FACTOR_REQUIRED:
            return redirect_to_login(next_url, reverse("two-factor-setup"))
        return redirect(next_url)
    form = TwoFactorVerifyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.device is not None:
        mark_verified(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = recovery_codes_left(request.user)
            messages.warning(
                request,
                ngettext(
                    "You logged in with a recovery code; %(count)d code is left. Make new "
                    "codes on your profile page.",
                    "You logged in with a recovery code; %(count)d codes are left. Make new "
                    "codes on your profile page.",
                    left,
                )
                % {"count": left},
            )
        return redirect(next_url)
    return render(request, "casework/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code,
    then save the recovery codes, shown on this response only."""
    next_url = safe_next(request)
    if has_two_factor(request.user):
        if is_verified(request):
            messages.info(request, _("Two-factor authentication is already on."))
            return redirect("profile")
        # Someone with only the password may not replace the app.
        return redirect_to_login(next_url, reverse("login-verify"))
    form = TwoFactorSetupForm(request.POST or None, device=new_app_device(request))
    if request.method == "POST" and form.is_valid():
        codes = confirm_setup(device=form.device)
        del request.session[SETUP_KEY]
        mark_verified(request, form.device)
        messages.success(request, _("Two-factor authentication is on."))
        return render(
            request,
            "casework/two_factor_recovery_codes.html",
            {"codes": codes, "next": next_url},
        )
    return render(
        request,
        "casework/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_code_svg(
                form.device, label=_("QR code to scan with your authenticator app")
            ),
            "secret": secret_in_groups(form.device),
            "required": settings.TWO_FACTOR_REQUIRED,
        },
    )


@never_cache
@require_POST
@sudo_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes (from the profile page), after sudo mode: someone with only a stolen
    session cannot make codes of their own. The old ones stop working."""
    if not has_two_factor(request.user):
        return redirect("profile")
    codes = replace_recovery_codes(user=request.user)
    return render(
        request,
        "casework/two_factor_recovery_codes.html",
        {"codes": codes, "next": reverse("profile"), "replaced": True},
    )


@require_POST
def turn_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Switch two-factor authentication off (from the profile page): only where it is not
    required, and after sudo mode (asked only of those who may switch it off)."""
    if settings.TWO_FACTOR_REQUIRED:
        raise PermissionDenied
    if (confirm := require_sudo(request)) is not None:
        return confirm
    turn_off_two_factor(user=request.user)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("profile")
