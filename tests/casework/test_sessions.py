"""Sessions end after the idle time and the absolute maximum, and "log out everywhere" ends
every session of the user (this one too), and nothing else."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import ApiToken
from casework.sessions import ACTIVE_AT, LOGGED_IN_AT
from casework.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def now():
    return int(timezone.now().timestamp())


def set_session(client, **values):
    session = client.session
    session.update(values)
    session.save()


def is_logged_in(client):
    return client.get(reverse("home")).status_code == 200


def test_logging_in_stamps_the_session(client, consultant_a):
    client.post(reverse("login"), {"username": "consultant_a", "password": PASSWORD})
    assert now() - client.session[LOGGED_IN_AT] < 5
    assert now() - client.session[ACTIVE_AT] < 5
    # The database row and the cookie expire after the idle time.
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60


def test_a_fresh_session_is_fine(client, consultant_a):
    client.force_login(consultant_a)
    assert is_logged_in(client)
    assert is_logged_in(client)


def test_an_idle_session_ends(client, consultant_a):
    client.force_login(consultant_a)
    set_session(client, **{ACTIVE_AT: now() - settings.SESSION_IDLE_MINUTES * 60 - 60})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    # The log-in page then says why.
    assert 'class="messages"' in client.get(response.url).text


def test_activity_keeps_the_session_going(client, consultant_a):
    client.force_login(consultant_a)
    # Active a while ago, within the idle time: the request renews the activity time.
    set_session(client, **{ACTIVE_AT: now() - settings.SESSION_IDLE_MINUTES * 60 + 120})
    assert is_logged_in(client)
    assert now() - client.session[ACTIVE_AT] < 5


def test_a_session_ends_after_the_absolute_maximum_whatever_the_activity(client, consultant_a):
    client.force_login(consultant_a)
    set_session(
        client,
        **{LOGGED_IN_AT: now() - settings.SESSION_MAX_HOURS * 3600 - 60, ACTIVE_AT: now()},
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_an_expired_session_sends_htmx_to_the_log_in_page(client, consultant_a):
    client.force_login(consultant_a)
    set_session(client, **{ACTIVE_AT: now() - settings.SESSION_IDLE_MINUTES * 60 - 60})
    response = client.get(
        reverse("notifications"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_an_expired_session_gets_401_from_the_api(client, consultant_a):
    client.force_login(consultant_a)
    set_session(client, **{ACTIVE_AT: now() - settings.SESSION_IDLE_MINUTES * 60 - 60})
    assert client.get("/api/v1/clients/").status_code == 401
    assert SESSION_KEY not in client.session


def test_log_out_everywhere_ends_every_session_of_the_user(consultant_a, consultant_b):
    office, home, colleague = Client(), Client(), Client()
    office.force_login(consultant_a)
    home.force_login(consultant_a)
    colleague.force_login(consultant_b)
    ApiToken.objects.create(user=consultant_a, name="koppeling", prefix="abc", key_hash="x" * 64)

    response = office.post(reverse("logout-everywhere"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert 'class="messages"' in office.get(response.url).text

    assert not is_logged_in(office)
    assert not is_logged_in(home)
    assert is_logged_in(colleague)
    # API tokens are separate: not revoked.
    assert ApiToken.objects.get(user=consultant_a).revoked_at is None
    # Logging in again works.
    home.post(reverse("login"), {"username": "consultant_a", "password": PASSWORD})
    assert is_logged_in(home)


def test_log_out_everywhere_needs_a_post(client, consultant_a):
    client.force_login(consultant_a)
    assert client.get(reverse("logout-everywhere")).status_code == 405
    assert is_logged_in(client)


def test_the_profile_page_offers_it(client, consultant_a):
    client.force_login(consultant_a)
    response = client.get(reverse("profile"))
    assert f'action="{reverse("logout-everywhere")}"' in response.text


def test_the_daily_job_deletes_expired_sessions_only(client, consultant_a, consultant_b):
    client.force_login(consultant_a)
    other = Client()
    other.force_login(consultant_b)
    Session.objects.filter(session_key=other.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]
