"""Brute-force protection on log-in (django-axes): an account is locked by its username after
five failures, whatever the IP address, and the log-in page says so."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def log_in(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def without_csrf_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def fail(client, username, times, ip="10.0.0.1"):
    for _attempt in range(times):
        log_in(client, username, "wrong password", ip=ip)


def test_the_right_password_is_refused_after_five_failures(client, consultant_a):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "consultant_a", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    # The log-in page itself, with the message and the form, not a bare text.
    assert 'id="lockout"' in response.text
    assert 'role="alert"' in response.text
    assert 'name="password"' in response.text
    assert str(settings.AXES_COOLOFF_MINUTES) in response.text


def test_the_lock_holds_from_another_address(client, consultant_a):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT, ip="10.0.0.1")
    response = log_in(client, "consultant_a", PASSWORD, ip="192.168.1.7")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_an_unknown_username_gets_the_same_answer(client, consultant_a):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT)
    fail(client, "nobody", settings.AXES_FAILURE_LIMIT)
    known = log_in(client, "consultant_a", "wrong password")
    unknown = log_in(client, "nobody", "wrong password")
    assert known.status_code == unknown.status_code == 429
    assert without_csrf_token(known.text) == without_csrf_token(unknown.text)


def test_four_failures_do_not_lock(client, consultant_a):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT - 1)
    response = log_in(client, "consultant_a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(consultant_a.pk)


def test_a_success_resets_the_count(client, consultant_a):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "consultant_a", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert not AccessAttempt.objects.filter(username="consultant_a").exists()

    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "consultant_a", PASSWORD).status_code == 302


def test_logging_in_works_again_after_the_cool_off(client, consultant_a):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "consultant_a", PASSWORD).status_code == 429
    # Move the failures back past the cool-off.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(minutes=settings.AXES_COOLOFF_MINUTES, seconds=1)
    )
    response = log_in(client, "consultant_a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(consultant_a.pk)


def test_another_user_is_not_affected(client, consultant_a, consultant_b):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "consultant_b", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(consultant_b.pk)


def test_the_application_manager_sees_and_can_unlock_attempts(client, application_manager):
    fail(client, "consultant_a", settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="consultant_a")
    client.force_login(application_manager)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
