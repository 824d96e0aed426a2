import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_dutch(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Inloggen" in response.text


def test_a_wrong_password_gets_a_dutch_message(client, consultant_a):
    response = client.post(reverse("login"), {"username": "consultant_a", "password": "wrong"})
    assert response.status_code == 200
    assert "wachtwoord" in response.text.lower()
    assert "_auth_user_id" not in client.session


def test_logging_in_and_out(client, consultant_a):
    response = client.post(
        reverse("login"),
        {"username": "consultant_a", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_english_is_available(client, consultant_a):
    client.force_login(consultant_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert '<html lang="en">' in response.text
    assert "Overview" in response.text


@pytest.mark.parametrize(
    ("user", "expected", "absent"),
    [
        ("consultant_a", [">Cliënten<", ">Nieuwe cliënt<"], ["/beheer/"]),
        ("manager_a", [">Cliënten<"], [">Nieuwe cliënt<", "/beheer/"]),
        ("policy_officer", [], [">Cliënten<", "/beheer/"]),
        ("application_manager", ["/beheer/", ">Cliënten importeren<"], [">Cliënten<"]),
    ],
)
def test_navigation_follows_the_role(client, request, user, expected, absent):
    client.force_login(request.getfixturevalue(user))
    navigation = client.get(reverse("home")).text.split("<main")[0]
    for text in expected:
        assert text in navigation
    for text in absent:
        assert text not in navigation


def test_the_browser_language_does_not_switch_the_interface(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in response.text


def test_a_deactivated_user_is_logged_out_at_the_next_request(client, consultant_a):
    client.force_login(consultant_a)
    assert client.get(reverse("profile")).status_code == 200
    consultant_a.is_active = False
    consultant_a.save()
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
