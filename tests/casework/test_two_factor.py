"""Two-factor authentication (casework.two_factor): setting up an authenticator app with a real
TOTP code, logging in with a code or a recovery code, what an unverified session may do, the
profile page, the application manager's reset in /beheer/, and that production cannot switch it
off while the demo and the tests have it off."""

import json
import re
import time
from base64 import b32decode
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.translation import trans_real
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.api.tokens import create_api_token
from casework.checks import two_factor_required
from casework.two_factor import (
    APP_DEVICE_NAME,
    RECOVERY_CODE_COUNT,
    confirm_setup,
    device_name,
)
from tests.casework.sudo import confirm_sudo
from tests.casework.test_deploy import production_environment, run_django
from tests.casework.test_security_headers import InlineCode

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def switch_on(user) -> list[str]:
    """Two-factor authentication on for the user, as after setting it up; its recovery codes."""
    device = TOTPDevice.objects.create(
        user=user, name=device_name(APP_DEVICE_NAME), confirmed=False
    )
    return confirm_setup(device=device)


def totp_code(key: bytes, *, after_t: int = -1, drift: int = 0) -> str:
    """The code an authenticator app with this key shows: the first one after time step
    `after_t` (a code works once)."""
    totp = TOTP(key, drift=drift)
    totp.time = time.time()
    while totp.t() <= after_t:
        totp.time += totp.step
    return f"{totp.token():06d}"


def app_code(user) -> str:
    """The code the user's authenticator app shows, computed from the device's key: the first
    one the device has not accepted yet (a code works once)."""
    device = TOTPDevice.objects.get(user=user)
    return totp_code(device.bin_key, after_t=device.last_t, drift=device.drift)


def key_on(page) -> bytes:
    """The secret key the set-up page shows for typing into the app."""
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)</code>', page.text)
    assert secret is not None
    return b32decode(secret.group(1).replace(" ", ""))


def wrong_code(user) -> str:
    right = int(app_code(user))
    return f"{(right + 1) % 1_000_000:06d}"


def log_in(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    return response


def verify_url(next_url="/"):
    return f"{reverse('login-verify')}?next={next_url}"


def sudo_url(next_url):
    return f"{reverse('sudo')}?{urlencode({'next': next_url})}"


def field_errors(response, field):
    match = re.search(rf'id="id_{field}-errors">(.*?)</div>', response.text, re.S)
    return match.group(1) if match else None


def recovery_codes_on(response) -> list[str]:
    listing = re.search(
        r'<ol class="recovery-codes" id="recovery-codes">(.*?)</ol>', response.text, re.S
    )
    assert listing is not None
    return re.findall(r"<code>([a-z2-7]+)</code>", listing.group(1))


def test_setting_up_and_logging_in_with_a_real_code(client, consultant_a, required):
    log_in(client, consultant_a, next_url=reverse("clients:list"))

    # Only the password so far: every page leads to the set-up page.
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('two-factor-setup')}?next={reverse('clients:list')}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert re.search(r'<svg [^>]*class="qr-code"[^>]*role="img" aria-label="[^"]+"', page.text)
    secret = re.search(
        r'<code class="secret" id="two-factor-secret">((?:[A-Z2-7]{4} ){7}[A-Z2-7]{4})</code>',
        page.text,
    )
    assert secret is not None
    assert 'autocomplete="one-time-code"' in page.text
    assert 'inputmode="numeric"' in page.text
    # Nothing saved until the app is confirmed; the QR code stays the same meanwhile.
    assert not TOTPDevice.objects.filter(user=consultant_a).exists()
    assert secret.group(1) in client.get(response.url).text
    key = b32decode(secret.group(1).replace(" ", ""))

    response = client.post(
        reverse("two-factor-setup"),
        {"code": totp_code(key), "next": reverse("clients:list")},
    )

    assert response.status_code == 200
    codes = recovery_codes_on(response)
    assert len(codes) == len(set(codes)) == RECOVERY_CODE_COUNT
    assert sorted(
        StaticToken.objects.filter(device__user=consultant_a).values_list("token", flat=True)
    ) == sorted(codes)
    assert f'href="{reverse("clients:list")}"' in response.text
    assert "no-store" in response.headers["Cache-Control"]
    device = TOTPDevice.objects.get(user=consultant_a)
    assert device.confirmed is True
    assert device.bin_key == key
    assert client.get(reverse("clients:list")).status_code == 200

    # The next log-in asks for a code from the app, and goes on to `next` after it.
    client.post(reverse("logout"))
    log_in(client, consultant_a, next_url=reverse("clients:list"))
    response = client.get(reverse("clients:list"))
    assert response.url == verify_url(reverse("clients:list"))
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.text.count("<h1") == 1

    response = client.post(
        reverse("login-verify"), {"code": app_code(consultant_a), "next": reverse("clients:list")}
    )

    assert response.status_code == 302
    assert response.url == reverse("clients:list")
    assert client.get(reverse("clients:list")).status_code == 200


def test_a_wrong_code_is_refused_and_the_next_attempt_has_to_wait(client, consultant_a, required):
    switch_on(consultant_a)
    log_in(client, consultant_a)

    response = client.post(reverse("login-verify"), {"code": wrong_code(consultant_a)})

    assert response.status_code == 200
    assert field_errors(response, "code")
    assert 'aria-describedby="id_code-help id_code-errors"' in response.text
    assert client.get(reverse("home")).status_code == 302
    # django-otp's throttling: straight after a wrong code even the right one is not checked.
    response = client.post(reverse("login-verify"), {"code": app_code(consultant_a)})
    assert response.status_code == 200
    assert field_errors(response, "code")
    device = TOTPDevice.objects.get(user=consultant_a)
    assert device.throttling_failure_count == 1

    # Once the wait is over, the right code is accepted.
    device.throttling_failure_timestamp -= timedelta(seconds=2)
    device.save()
    response = client.post(reverse("login-verify"), {"code": app_code(consultant_a)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_something_else_than_six_digits_is_refused_without_counting_as_an_attempt(
    client, consultant_a, required, code
):
    switch_on(consultant_a)
    log_in(client, consultant_a)

    response = client.post(reverse("login-verify"), {"code": code})

    assert response.status_code == 200
    assert field_errors(response, "code")
    assert TOTPDevice.objects.get(user=consultant_a).throttling_failure_count == 0


def test_a_recovery_code_works_once(client, consultant_a, required):
    codes = switch_on(consultant_a)
    log_in(client, consultant_a)

    # Typed with capitals and a space: still accepted.
    typed = f"{codes[0][:4].upper()} {codes[0][4:]}"
    response = client.post(reverse("login-verify"), {"code": "", "recovery_code": typed})

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=consultant_a).count() == RECOVERY_CODE_COUNT - 1

    client.post(reverse("logout"))
    log_in(client, consultant_a)
    response = client.post(reverse("login-verify"), {"recovery_code": codes[0]})
    assert response.status_code == 200
    assert field_errors(response, "recovery_code")
    assert "<details open>" in response.text  # the recovery field is shown with its error
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("user", ["consultant_a", "application_manager"])
def test_an_unverified_session_is_sent_to_the_code_page(client, request, user, required):
    user = request.getfixturevalue(user)
    switch_on(user)
    log_in(client, user)

    page = client.get(reverse("profile"))
    assert page.status_code == 302
    assert page.url == verify_url(reverse("profile"))
    assert client.get(reverse("admin:index")).url.startswith(reverse("login-verify"))

    part = client.get(
        reverse("notifications"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/profiel/",
    )
    assert part.status_code == 200
    assert part.headers["HX-Redirect"] == verify_url(reverse("profile"))

    api = client.get("/api/v1/clients/")
    assert api.status_code == 403
    assert api.headers["Content-Type"] == "application/json"
    assert json.loads(api.content)["detail"]


def test_a_user_without_an_app_is_sent_to_the_set_up_page(client, consultant_a, required):
    log_in(client, consultant_a)

    assert client.get(reverse("home")).url == f"{reverse('two-factor-setup')}?next=/"
    assert client.get(reverse("login-verify")).url == f"{reverse('two-factor-setup')}?next=/"
    assert client.get("/api/v1/clients/").status_code == 403


def test_what_works_before_the_second_factor(client, consultant_a, required):
    switch_on(consultant_a)
    log_in(client, consultant_a)

    assert client.get(reverse("login-verify")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get(reverse("health"), {"format": "json"}).status_code in (200, 500)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_only_the_password_does_not_replace_the_app(client, consultant_a, required):
    switch_on(consultant_a)
    log_in(client, consultant_a)

    response = client.get(reverse("two-factor-setup"))

    assert response.url.startswith(reverse("login-verify"))
    assert TOTPDevice.objects.filter(user=consultant_a).count() == 1


def test_next_must_be_a_page_of_this_site(client, consultant_a, required):
    switch_on(consultant_a)
    log_in(client, consultant_a)

    response = client.post(
        reverse("login-verify"), {"code": app_code(consultant_a), "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_api_tokens_are_not_affected(api_client, client_a, consultant_a, required):
    # The user has not even set up an app; the token was made when two-factor was not required.
    _api_token, token = create_api_token(user=consultant_a, name="koppeling")

    response = api_client.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    # Not even next to a session that has not given its second factor; a wrong token is no way
    # around it either.
    api_client.force_login(consultant_a)
    assert api_client.get("/api/v1/clients/").status_code == 403
    response = api_client.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    response = api_client.get("/api/v1/clients/", HTTP_AUTHORIZATION="Token wrong")
    assert response.status_code == 401
    response = api_client.get("/api/v1/clients/", HTTP_AUTHORIZATION="Basic eDp5")
    assert response.status_code == 403


def test_without_the_requirement_the_password_is_enough(client, consultant_a, settings):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, consultant_a)

    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/clients/").status_code == 200


def test_without_the_requirement_a_user_who_switched_it_on_still_gives_a_code(
    client, consultant_a, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    switch_on(consultant_a)
    log_in(client, consultant_a)

    assert client.get(reverse("home")).url == verify_url("/")
    response = client.post(reverse("login-verify"), {"code": app_code(consultant_a)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_profile_page_shows_the_state_and_makes_new_recovery_codes(client, consultant_a):
    client.force_login(consultant_a)
    page = client.get(reverse("profile"))
    assert f'href="{reverse("two-factor-setup")}"' in page.text
    assert 'id="two-factor-recovery-codes"' not in page.text

    old_codes = switch_on(consultant_a)
    page = client.get(reverse("profile"))
    assert 'id="two-factor-recovery-codes"' in page.text
    assert 'id="two-factor-off"' in page.text  # not required here

    # A session alone makes no codes: sudo mode first, then back to the profile page.
    refused = client.post(
        reverse("two-factor-recovery-codes"),
        HTTP_REFERER=f"http://testserver{reverse('profile')}",
    )
    assert refused.status_code == 302
    assert refused.url == sudo_url(reverse("profile"))
    assert set(
        StaticToken.objects.filter(device__user=consultant_a).values_list("token", flat=True)
    ) == set(old_codes)

    confirm_sudo(client)
    response = client.post(reverse("two-factor-recovery-codes"))

    assert response.status_code == 200
    new_codes = recovery_codes_on(response)
    assert len(new_codes) == RECOVERY_CODE_COUNT
    tokens = set(
        StaticToken.objects.filter(device__user=consultant_a).values_list("token", flat=True)
    )
    assert tokens == set(new_codes)
    assert not tokens & set(old_codes)


def test_two_factor_can_be_switched_off_only_where_it_is_not_required(
    client, consultant_a, settings
):
    switch_on(consultant_a)
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(consultant_a)
    client.post(reverse("login-verify"), {"code": app_code(consultant_a)})

    settings.TWO_FACTOR_REQUIRED = True
    assert 'id="two-factor-off"' not in client.get(reverse("profile")).text
    # Refused outright, without asking for the password first.
    assert client.post(reverse("two-factor-off")).status_code == 403
    assert TOTPDevice.objects.filter(user=consultant_a).exists()

    settings.TWO_FACTOR_REQUIRED = False
    # A session alone does not switch it off: sudo mode first.
    refused = client.post(reverse("two-factor-off"))
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("sudo"))
    assert TOTPDevice.objects.filter(user=consultant_a).exists()
    assert StaticDevice.objects.filter(user=consultant_a).exists()

    confirm_sudo(client)
    response = client.post(reverse("two-factor-off"))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=consultant_a).exists()
    assert not StaticDevice.objects.filter(user=consultant_a).exists()
    assert client.get(reverse("home")).status_code == 200


def test_the_two_factor_pages_have_nothing_inline(client, consultant_a, required):
    log_in(client, consultant_a)
    setup = client.get(reverse("two-factor-setup"))
    codes = client.post(reverse("two-factor-setup"), {"code": totp_code(key_on(setup))})
    client.post(reverse("logout"))
    log_in(client, consultant_a)
    verify = client.get(reverse("login-verify"))

    for response in (setup, codes, verify):
        assert response.status_code == 200
        assert response.text.count("<h1") == 1
        parser = InlineCode()
        parser.feed(response.text)
        assert parser.found == []


def test_the_application_manager_resets_two_factor_in_the_admin(
    client, application_manager, consultant_a
):
    switch_on(consultant_a)
    device = TOTPDevice.objects.get(user=consultant_a)
    recovery = StaticDevice.objects.get(user=consultant_a)
    client.force_login(application_manager)

    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.text  # the secret stays hidden
    assert (
        client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403
    )
    static_change = client.get(reverse("admin:otp_static_staticdevice_change", args=[recovery.pk]))
    assert static_change.status_code == 200
    assert recovery.token_set.first().token not in static_change.text

    confirm_sudo(client)  # tests/casework/test_admin.py: without it, nothing is deleted
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    client.post(
        reverse("admin:otp_static_staticdevice_delete", args=[recovery.pk]), {"post": "yes"}
    )

    assert not TOTPDevice.objects.filter(user=consultant_a).exists()
    assert not StaticDevice.objects.filter(user=consultant_a).exists()


@pytest.mark.parametrize("user", ["consultant_a", "manager_a", "policy_officer"])
def test_other_roles_do_not_reach_the_devices_in_the_admin(client, request, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_system_check_refuses_two_factor_off_without_debug(settings):
    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = False
    assert [error.id for error in two_factor_required(None)] == ["casework.E001"]

    settings.TWO_FACTOR_REQUIRED = True
    assert two_factor_required(None) == []
    settings.DEBUG = True
    settings.TWO_FACTOR_REQUIRED = False
    assert two_factor_required(None) == []


_PRINT_SETTING = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.TWO_FACTOR_REQUIRED)"
)


def test_production_cannot_switch_two_factor_off():
    env = production_environment(TWO_FACTOR_REQUIRED="false")

    result = run_django(["-c", _PRINT_SETTING], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_check_fails_with_two_factor_off_and_debug_off():
    env = production_environment(
        DJANGO_SETTINGS_MODULE="casework.settings", DEBUG="false", TWO_FACTOR_REQUIRED="false"
    )

    result = run_django(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "casework.E001" in result.stderr


def test_required_by_default():
    env = production_environment(DJANGO_SETTINGS_MODULE="casework.settings")
    result = run_django(["-c", _PRINT_SETTING], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_the_demo_users_log_in_with_their_password_only(client, consultant_a, settings):
    """The settings the demo's processes get (`make demo`, tools/demo.py) pass the system checks
    and let a user without an app in with the password alone."""
    from tools import demo

    # The demo's processes start without DJANGO_SETTINGS_MODULE (manage.py, casework.wsgi and
    # casework.celery default to casework.settings); this test process has the test settings.
    env = {**demo.environment(), "DJANGO_SETTINGS_MODULE": "casework.settings"}
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.core.management import call_command; call_command('check'); "
        "print(json.dumps(settings.TWO_FACTOR_REQUIRED))"
    )
    result = run_django(["-c", script], env)
    assert result.returncode == 0, result.stderr

    settings.TWO_FACTOR_REQUIRED = json.loads(result.stdout.strip().splitlines()[-1])
    log_in(client, consultant_a)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("clients:list")).status_code == 200


@pytest.fixture
def site_language_marked(monkeypatch, settings):
    """The site language's catalog translates the device names as "[site] <name>", so that a
    name stored in another language shows (locale/ may not have their Dutch yet)."""
    catalog = trans_real.translation(settings.LANGUAGE_CODE)
    names = {"Authenticator app", "Recovery codes"}  # the msgids
    original = catalog.gettext
    monkeypatch.setattr(
        catalog,
        "gettext",
        lambda message: f"[site] {message}" if message in names else original(message),
    )


def test_device_names_are_stored_in_the_site_language(
    client, consultant_a, settings, site_language_marked
):
    """/beheer/ shows the names of the devices: in the site's language, whatever the language of
    the user who set up the app."""
    settings.TWO_FACTOR_REQUIRED = True
    log_in(client, consultant_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200
    client.post(reverse("two-factor-setup"), {"code": totp_code(key_on(page))})

    assert TOTPDevice.objects.get(user=consultant_a).name == "[site] Authenticator app"
    assert StaticDevice.objects.get(user=consultant_a).name == "[site] Recovery codes"


def test_a_wrong_code_does_not_switch_the_new_app_on(client, consultant_a, required):
    log_in(client, consultant_a)
    page = client.get(reverse("two-factor-setup"))
    key = key_on(page)
    wrong = f"{(int(totp_code(key)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two-factor-setup"), {"code": wrong})

    assert response.status_code == 200
    assert field_errors(response, "code")
    assert key_on(response) == key  # the same app, to try again
    assert not TOTPDevice.objects.filter(user=consultant_a, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=consultant_a).exists()
    assert client.get(reverse("home")).status_code == 302
