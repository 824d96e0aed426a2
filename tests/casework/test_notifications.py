"""The notification list and marking notifications read (casework.notifications)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import notifications
from casework.models import Notification
from tests.casework.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(user, key, *, read=False, minutes_ago=0):
    return Notification.objects.create(
        user=user,
        key=key,
        message=f"Message {key}",
        url="/clienten/1/",
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_shows_own_notifications_unread_first_then_newest(client, consultant_a):
    old_unread = notify(consultant_a, "a", minutes_ago=30)
    new_read = notify(consultant_a, "b", read=True, minutes_ago=1)
    new_unread = notify(consultant_a, "c", minutes_ago=5)
    notify(UserFactory(), "someone else's")
    client.force_login(consultant_a)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [new_unread, old_unread, new_read]
    assert response.context["unread"] == 2
    assert "someone else" not in response.text
    assert response.text.count("<h1") == 1


@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_query_count_does_not_grow_with_the_rows(
    client, consultant_a, django_assert_num_queries, rows
):
    for i in range(rows):
        notify(consultant_a, f"key {i}", read=i % 2 == 0)
    client.force_login(consultant_a)
    # session, user (with team and unread count: casework.backends), count, page
    with django_assert_num_queries(4):
        client.get(reverse("notifications"))


def test_marking_one_read(client, consultant_a):
    first, second = notify(consultant_a, "a"), notify(consultant_a, "b")
    client.force_login(consultant_a)
    response = client.post(reverse("notifications-read"), {"notification": first.pk})
    assert response.status_code == 302
    assert response.url == reverse("notifications")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_marking_all_read_leaves_earlier_read_times_alone(client, consultant_a):
    earlier = notify(consultant_a, "a", read=True)
    read_at = earlier.read_at
    notify(consultant_a, "b")
    other = notify(UserFactory(), "c")
    client.force_login(consultant_a)
    client.post(reverse("notifications-read"))
    assert not Notification.objects.filter(user=consultant_a, read_at__isnull=True).exists()
    earlier.refresh_from_db()
    other.refresh_from_db()
    assert earlier.read_at == read_at
    assert other.read_at is None


def test_someone_else_s_notification_is_a_404(client, consultant_a, consultant_b):
    theirs = notify(consultant_b, "a")
    client.force_login(consultant_a)
    assert (
        client.post(reverse("notifications-read"), {"notification": theirs.pk}).status_code == 404
    )
    assert client.post(reverse("notifications-read"), {"notification": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, consultant_a):
    client.force_login(consultant_a)
    assert client.get(reverse("notifications-read")).status_code == 405


def test_the_unread_count_is_one_query(consultant_a, django_assert_num_queries):
    notify(consultant_a, "a")
    notify(consultant_a, "b", read=True)
    with django_assert_num_queries(1):
        assert notifications.unread_notification_count(consultant_a) == 1


def test_pages_count_the_unread_with_the_session_user(
    client, consultant_a, django_assert_num_queries
):
    """The authentication backend (casework.backends) reads the session's user with their team
    and unread count: the navigation shows both without a query of its own."""
    notify(consultant_a, "a")
    notify(consultant_a, "b")
    notify(consultant_a, "c", read=True)
    notify(UserFactory(), "someone else's")
    client.force_login(consultant_a)
    response = client.get(reverse("profile"))
    assert "Meldingen (2 ongelezen)" in response.text
    assert consultant_a.team.name in response.text
    user = response.wsgi_request.user
    with django_assert_num_queries(0):
        assert user.team == consultant_a.team
        assert notifications.unread_notification_count(user) == 2
    notify(consultant_a, "d")
    assert "Meldingen (3 ongelezen)" in client.get(reverse("profile")).text
