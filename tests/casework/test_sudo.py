"""Sudo mode (casework.sudo): a sensitive action asks the user to confirm it is them, with their
password and, when they have two-factor authentication, a code; the confirmation holds for
SUDO_MINUTES and ends with the session."""

from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import AccessLog, Role
from casework.sudo import SUDO_AT
from clients.models import Client as ClientRecord
from tests.casework.sudo import confirm_sudo
from tests.casework.test_two_factor import app_code, log_in, switch_on, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def export_url():
    return reverse("clients:export", args=["csv"])


def sudo_url(next_url):
    return f"{reverse('sudo')}?{urlencode({'next': next_url})}"


def confirm(client, password=PASSWORD, next_url=None, **fields):
    return client.post(
        reverse("sudo"), {"password": password, "next": next_url or export_url(), **fields}
    )


def test_the_export_asks_for_the_password_and_works_after_it(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(export_url())
    assert response.status_code == 302
    assert response.url == sudo_url(export_url())
    assert not AccessLog.objects.exists()

    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="password"' in page.text
    assert 'name="code"' not in page.text  # no two-factor device, no code
    assert f'name="next" value="{export_url()}"' in page.text

    session_key = client.session.session_key
    confirmed = confirm(client)
    assert confirmed.status_code == 302
    assert confirmed.url == export_url()
    # A new session key, the same log-in.
    assert client.session.session_key != session_key
    assert client.session[SESSION_KEY] == str(consultant_a.pk)

    download = client.get(export_url())
    assert download.status_code == 200
    assert AccessLog.objects.filter(view="clients:export", client_id=client_a.pk).exists()


def test_a_wrong_password_is_refused_and_counts_as_a_failed_log_in(client, consultant_a):
    client.force_login(consultant_a)
    response = confirm(client, password="wrong password")
    assert response.status_code == 200
    assert 'id="error-summary"' in response.text
    assert 'id="id_password-errors"' in response.text
    assert SUDO_AT not in client.session
    assert client.get(export_url()).status_code == 302
    assert AccessAttempt.objects.get(username="consultant_a").failures_since_start == 1


def test_five_wrong_passwords_lock_the_account_and_end_the_session(client, consultant_a):
    elsewhere = Client()  # another browser, logged in before the lock-out
    elsewhere.force_login(consultant_a)
    client.force_login(consultant_a)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert confirm(client, password="wrong password").status_code == 200
    locked = confirm(client, password="wrong password")
    assert locked.status_code == 429
    assert 'id="lockout"' in locked.text
    assert SESSION_KEY not in client.session

    # Locked: not even the right password confirms, and that session ends too.
    assert confirm(elsewhere).status_code == 429
    assert SESSION_KEY not in elsewhere.session
    assert SUDO_AT not in elsewhere.session


def test_with_two_factor_authentication_the_code_is_asked_too(client, consultant_a):
    recovery_codes = switch_on(consultant_a)
    log_in(client, consultant_a)
    client.post(reverse("login-verify"), {"code": app_code(consultant_a)})
    page = client.get(sudo_url(export_url()))
    assert page.status_code == 200
    assert 'name="code"' in page.text
    assert 'autocomplete="one-time-code"' in page.text

    without_code = confirm(client)
    assert without_code.status_code == 200
    assert 'id="id_code-errors"' in without_code.text
    # Not a recovery code: those are for logging in when the app is lost.
    assert confirm(client, code=recovery_codes[0]).status_code == 200
    wrong = confirm(client, code=wrong_code(consultant_a))
    assert wrong.status_code == 200
    assert 'id="id_code-errors"' in wrong.text
    assert SUDO_AT not in client.session

    # A wrong code makes the next attempt wait a second (django-otp's throttling): waited.
    TOTPDevice.objects.get(user=consultant_a).throttle_reset()
    assert confirm(client, code=app_code(consultant_a)).status_code == 302
    assert client.get(export_url()).status_code == 200


def test_an_unconfirmed_device_asks_no_code(client, consultant_a):
    TOTPDevice.objects.create(user=consultant_a, name="app", confirmed=False)
    client.force_login(consultant_a)
    assert 'name="code"' not in client.get(reverse("sudo")).text
    assert confirm(client).status_code == 302


def test_the_confirmation_expires_after_sudo_minutes(client, consultant_a, settings):
    settings.SUDO_MINUTES = 10
    client.force_login(consultant_a)
    confirm_sudo(client, minutes_ago=9)
    assert client.get(export_url()).status_code == 200
    confirm_sudo(client, minutes_ago=10)
    response = client.get(export_url())
    assert response.status_code == 302
    assert response.url == sudo_url(export_url())


def test_logging_out_ends_it(client, consultant_a):
    client.force_login(consultant_a)
    assert confirm(client).status_code == 302
    client.post(reverse("logout"))
    client.force_login(consultant_a)
    assert client.get(export_url()).status_code == 302


def test_htmx_is_sent_to_the_confirmation_with_the_page_to_come_back_to(client, consultant_a):
    client.force_login(consultant_a)
    page = reverse("clients:list")
    response = client.get(
        export_url(), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == sudo_url(page)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/clienten/", "javascript:alert(1)", ""]
)
def test_only_a_page_of_this_site_is_gone_back_to(client, consultant_a, next_url):
    client.force_login(consultant_a)
    assert f'name="next" value="{reverse("home")}"' in client.get(sudo_url(next_url)).text
    response = client.post(reverse("sudo"), {"password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("sudo"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_post_without_confirmation_does_nothing(client, manager_a, client_a):
    client.force_login(manager_a)
    url = reverse("clients:delete", args=[client_a.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == sudo_url(url)  # back to the page, not to the POST
    assert ClientRecord.objects.filter(pk=client_a.pk).exists()
    assert not AccessLog.objects.exists()


def test_users_are_only_changed_in_the_admin_after_confirming(
    client, application_manager, consultant_a
):
    client.force_login(application_manager)
    change_url = reverse("admin:casework_user_change", args=[consultant_a.pk])
    form = {
        "username": consultant_a.username,
        "first_name": consultant_a.first_name,
        "last_name": consultant_a.last_name,
        "email": "",
        "is_active": "on",
        "role": Role.MANAGER,
        "job_title": "",
        "team": consultant_a.team_id,
        "phone": "",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
    }

    for url in (
        change_url,
        reverse("admin:casework_user_add"),
        reverse("admin:auth_user_password_change", args=[consultant_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == sudo_url(url)
    posted = client.post(change_url, form)
    assert posted.status_code == 302
    assert posted.url == sudo_url(change_url)
    consultant_a.refresh_from_db()
    assert consultant_a.role == Role.CONSULTANT

    confirm_sudo(client)
    assert client.get(change_url).status_code == 200
    saved = client.post(change_url, form)
    assert saved.status_code == 302
    assert saved.url == reverse("admin:casework_user_changelist")
    consultant_a.refresh_from_db()
    assert consultant_a.role == Role.MANAGER


def test_the_admin_pages_that_change_nobody_ask_nothing(client, application_manager):
    client.force_login(application_manager)
    assert client.get(reverse("admin:casework_user_changelist")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        ("http://testserver/profiel/?tab=1", "/profiel/?tab=1"),  # the page the form was on
        ("https://evil.example/profiel/", None),  # another site: the URL posted to
    ],
)
def test_a_post_comes_back_to_the_page_of_its_form(client, manager_a, client_a, referer, back):
    client.force_login(manager_a)
    url = reverse("clients:delete", args=[client_a.pk])
    response = client.post(url, HTTP_REFERER=referer)
    assert response.status_code == 302
    assert response.url == sudo_url(back or url)
    assert ClientRecord.objects.filter(pk=client_a.pk).exists()
