"""Forms of two-factor authentication: the code after the password, and the code that confirms a
new authenticator app (casework.two_factor_views). `check_code` checks a code of a confirmed
device: after the password here, and in sudo mode's form (casework.sudo_forms)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import User
from casework.two_factor import (
    Verification,
    app_device,
    is_app_code,
    normalise_recovery_code,
    recovery_device,
    verify_code,
    verify_new_app,
)

APP_CODE_INVALID = _("Enter the 6 digits your authenticator app shows now.")
APP_CODE_WRONG = _(
    "This code is not correct. Check that you use the app on which you set up this account, "
    "and enter the code it shows now."
)
RECOVERY_CODE_WRONG = _("This recovery code is not correct or has been used already.")


def app_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        help_text=_("6 digits; the app shows a new code every 30 seconds."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


def throttled_message(verification: Verification) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        verification.wait_seconds,
    ) % {"seconds": verification.wait_seconds}


def check_code(
    form: forms.Form, field: str, *, device: Device | None, code: str, recovery: bool = False
) -> bool:
    """Whether `code` is accepted by `device` (None: the user has no such device, so no code
    is). If not, the reason is added to the form's `field`: an app code that is not 6 digits
    (not counted as an attempt), too many wrong codes (django-otp's throttling: wait), or a
    wrong code. `recovery`: a recovery code rather than a code from the app."""
    if not recovery and not is_app_code(code):
        form.add_error(field, APP_CODE_INVALID)
        return False
    verification = (
        verify_code(device=device, code=code)
        if device is not None
        else Verification(accepted=False)
    )
    if verification.accepted:
        return True
    if verification.wait_seconds:
        form.add_error(field, throttled_message(verification))
    else:
        form.add_error(field, RECOVERY_CODE_WRONG if recovery else APP_CODE_WRONG)
    return False


class TwoFactorVerifyForm(forms.Form):
    """The second step of logging in: a code from the app or, when the app is lost, one of the
    recovery codes. `device` is the device that accepted it."""

    code = app_code_field()
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=30,
        required=False,
        help_text=_("One of the codes you saved when you set up two-factor authentication."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Device | None = None
        # Either field will do: the form knows which only once it has the data.
        self.fields["code"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        code = "".join(cleaned_data.get("code", "").split())
        recovery_code = normalise_recovery_code(cleaned_data.get("recovery_code", ""))
        if recovery_code and not code:
            device = recovery_device(self.user)
            accepted = check_code(
                self, "recovery_code", device=device, code=recovery_code, recovery=True
            )
        else:
            device = app_device(self.user)
            accepted = check_code(self, "code", device=device, code=code)
        if accepted:
            self.device = device
        return cleaned_data


class TwoFactorSetupForm(forms.Form):
    """The code that shows the new authenticator app works. `device` is the app being set up
    (casework.two_factor.new_app_device); once the code is checked, the saved one."""

    code = app_code_field()

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not is_app_code(code):
            raise forms.ValidationError(APP_CODE_INVALID)
        self.device, verification = verify_new_app(device=self.device, code=code)
        if verification.wait_seconds:
            raise forms.ValidationError(throttled_message(verification))
        if not verification.accepted:
            raise forms.ValidationError(APP_CODE_WRONG)
        return code
