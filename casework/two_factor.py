"""Two-factor authentication (django-otp): an authenticator app (a TOTP device) per user, plus
recovery codes (a static device with single-use tokens) for when the app is lost.

A user with a confirmed app gives a code after their password on every log-in; where
TWO_FACTOR_REQUIRED is on (always in production) a user without one sets it up first
(casework.middleware.TwoFactorMiddleware, casework.two_factor_views). The application manager
resets a user's two-factor authentication in /beheer/ by deleting their devices.

Re-authentication before a sensitive action (sudo mode, casework.sudo_forms) asks a user with
`has_two_factor(user)` for a code from their app, checked with `verify_code` against
`app_device(user)`: a recovery code does not do there, it is only for logging in when the app is
lost.
"""

import math
import re
from base64 import b32encode
from typing import TYPE_CHECKING, Any, NamedTuple

import qrcode
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from qrcode.image.svg import SvgPathFillImage

if TYPE_CHECKING:
    from casework.models import User

# Session key: set at log-in when the user has two-factor authentication on, so that it is asked
# for even where it is not required, without a query on every request.
TWO_FACTOR_PENDING = "casework_two_factor_pending"
# Session key: the secret key of the app the user is setting up, until it is confirmed.
SETUP_KEY = "casework_two_factor_setup_key"
# How many recovery codes a user gets at a time; each works once.
RECOVERY_CODE_COUNT = 10
# Device names, as the application manager sees them in /beheer/: stored in the site's language
# (device_name), whatever the language of the user who sets it up.
APP_DEVICE_NAME = gettext_lazy("Authenticator app")
RECOVERY_DEVICE_NAME = gettext_lazy("Recovery codes")

_APP_CODE = re.compile(r"\d{6}")


class Verification(NamedTuple):
    """The outcome of checking a code: accepted, or not; `wait_seconds` > 0 when the device
    refused to check it at all after too many wrong codes (django-otp's throttling)."""

    accepted: bool
    wait_seconds: int = 0


# Selectors.


def has_two_factor(user: "User") -> bool:
    """Whether the user has two-factor authentication on: a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    """Whether the request's session has passed the second factor (django-otp's OTPMiddleware
    gives request.user its is_verified())."""
    return bool(getattr(request.user, "is_verified", bool)())


def app_device(user: "User") -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_device(user: "User") -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user).order_by("pk").first()


def recovery_codes_left(user: "User") -> int:
    return StaticToken.objects.filter(device__user=user).count()


def secret_in_groups(device: TOTPDevice) -> str:
    """The device's secret in base32, as authenticator apps ask for it when typed in, in groups
    of four characters."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, *, label: str) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (one path on a white background).
    Its size comes from the `qr-code` class in casework.css: no style attributes, which the
    Content-Security-Policy would block."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage)
    svg = image.get_image()
    for attribute in ("width", "height"):
        svg.attrib.pop(attribute, None)
    svg.set("class", "qr-code")
    svg.set("role", "img")
    svg.set("aria-label", label)
    # Built by qrcode's ElementTree, which escapes every text and attribute value.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


def normalise_recovery_code(code: str) -> str:
    """Recovery codes are lower-case base32; people type them with capitals, spaces or dashes."""
    return re.sub(r"[\s-]", "", code).lower()


def is_app_code(code: str) -> bool:
    return _APP_CODE.fullmatch(code) is not None


def device_name(name: Promise) -> str:
    """A device name as stored in the database: in the site's language (LANGUAGE_CODE), not in
    the language of the request that creates the device."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(name)


# Services.


@transaction.atomic
def verify_code(*, device: Device, code: str) -> Verification:
    """Check a code against one device, with the device's row locked so that concurrent attempts
    are counted one after the other. A wrong code makes the next attempt wait (1, 2, 4, 8, …
    seconds); a right one cannot be used again (TOTP) or is used up (recovery code)."""
    device = type(device).objects.select_for_update().get(pk=device.pk)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = (details or {}).get("locked_until", timezone.now()) - timezone.now()
        return Verification(accepted=False, wait_seconds=max(1, math.ceil(wait.total_seconds())))
    return Verification(accepted=device.verify_token(code))


def new_app_device(request: HttpRequest) -> TOTPDevice:
    """The authenticator app the user is setting up, not saved: its key is kept in the session,
    so that the QR code stays the same until the user confirms it with a code."""
    key = request.session.get(SETUP_KEY)
    if key is None:
        key = request.session[SETUP_KEY] = default_key()
    return TOTPDevice(
        user=request.user, key=key, name=device_name(APP_DEVICE_NAME), confirmed=False
    )


@transaction.atomic
def verify_new_app(*, device: TOTPDevice, code: str) -> tuple[TOTPDevice, Verification]:
    """Check the first code of an app being set up. The device is saved first, unconfirmed (so
    used for nothing yet), so that django-otp counts wrong codes as for any device."""
    saved, _created = TOTPDevice.objects.get_or_create(
        user=device.user, key=device.key, confirmed=False, defaults={"name": device.name}
    )
    return saved, verify_code(device=saved, code=code)


@transaction.atomic
def confirm_setup(*, device: TOTPDevice) -> list[str]:
    """Switch the app on after the user gave a right code from it (verify_new_app); returns their
    first recovery codes. Any other app of the user is removed: one app per user."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return replace_recovery_codes(user=device.user)


@transaction.atomic
def replace_recovery_codes(*, user: "User") -> list[str]:
    """New recovery codes for the user; the old ones stop working. Returned once, stored only
    in the database, to be shown to the user once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": device_name(RECOVERY_DEVICE_NAME)}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def turn_off_two_factor(*, user: "User") -> None:
    """Remove the user's app and recovery codes (only where two-factor authentication is not
    required; the view checks that)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session has passed its second factor with this device: a new session key, as after
    any step up in rights, and the device in the session (django-otp)."""
    request.session.cycle_key()
    otp_login(request, device)


def remember_two_factor(
    sender: Any, request: HttpRequest | None, user: "User", **kwargs: Any
) -> None:
    """Receiver of user_logged_in (connected in CaseworkConfig.ready): the session remembers
    whether the user still has to give a code, for TwoFactorMiddleware."""
    if request is not None and hasattr(request, "session"):
        request.session[TWO_FACTOR_PENDING] = has_two_factor(user)
