"""The sudo-mode confirmation form: the user's password, and a code from their authenticator app
when they have two-factor authentication on (casework.sudo, casework.two_factor)."""

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from casework.two_factor import app_device, has_two_factor
from casework.two_factor_forms import app_code_field, check_code
from casework.types import AuthenticatedHttpRequest


class SudoForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = app_code_field()

    def __init__(self, *args: Any, request: AuthenticatedHttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        if not has_two_factor(request.user):
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        password = cleaned_data.get("password")
        if password is None:
            return cleaned_data
        user = self.request.user
        # Through authenticate(), as a log-in: django-axes counts a wrong password as a failed
        # log-in of this username and refuses every attempt of a locked account.
        authenticated = authenticate(self.request, username=user.get_username(), password=password)
        if authenticated is None or authenticated.pk != user.pk:
            self.add_error("password", _("The password is not correct."))
        elif "code" in self.fields and "code" in cleaned_data:
            # The app's code, not a recovery code: those are for logging in when the app is lost.
            check_code(
                self,
                "code",
                device=app_device(user),
                code="".join(cleaned_data["code"].split()),
            )
        return cleaned_data
