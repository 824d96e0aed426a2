import hashlib
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from casework.api.tokens import create_api_token, revoke_api_token
from casework.models import ApiToken
from tests.casework.sudo import confirm_sudo

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


@pytest.fixture
def api_client():
    return APIClient()


def test_a_user_creates_a_token_on_the_profile_page_and_sees_it_once(client, consultant_a):
    client.force_login(consultant_a)
    page = client.get(reverse("profile"))
    assert f'action="{reverse("token-create")}"' in page.text
    confirm_sudo(client)
    response = client.post(reverse("token-create"), {"name": "Koppeling uitkering"})
    assert response.status_code == 200
    assert response.templates[0].name == "casework/profile.html"
    token = response.context["new_token"]
    assert token in response.text
    assert 'id="new-token-value"' in response.text

    api_token = ApiToken.objects.get(user=consultant_a)
    assert api_token.name == "Koppeling uitkering"
    # Only the hash is stored, and a prefix too short to use.
    assert api_token.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(api_token.prefix)
    assert len(api_token.prefix) < len(token) // 3
    assert token not in str(ApiToken.objects.filter(pk=api_token.pk).values().get())

    # The next view of the page lists the token without its secret.
    response = client.get(reverse("profile"))
    assert token not in response.text
    assert f'data-token="{api_token.pk}"' in response.text
    assert api_token.prefix in response.text


def test_a_token_needs_a_name(client, consultant_a):
    client.force_login(consultant_a)
    confirm_sudo(client)
    response = client.post(reverse("token-create"), {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'id="id_name-errors"' in response.text
    assert response.context["new_token"] is None
    assert not ApiToken.objects.exists()


def test_a_stolen_session_makes_no_token_without_the_password(
    client, api_client, consultant_a, client_a
):
    """A session alone (no password, no second factor) cannot get a token to read the
    caseload through the API: the form is sent to sudo mode's confirmation first, and back to
    the profile page afterwards."""
    client.force_login(consultant_a)
    profile = reverse("profile")

    response = client.post(
        reverse("token-create"),
        {"name": "buit"},
        HTTP_REFERER=f"http://testserver{profile}",
    )

    assert response.status_code == 302
    assert response.url == f"{reverse('sudo')}?{urlencode({'next': profile})}"
    assert not ApiToken.objects.exists()
    # What was posted is not kept: after the confirmation the form is filled in again.
    confirm_sudo(client)
    response = client.post(reverse("token-create"), {"name": "koppeling"})
    token = response.context["new_token"]
    assert api_client.get(CLIENTS, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_the_confirmation_expires_for_tokens_too(client, consultant_a, settings):
    client.force_login(consultant_a)
    confirm_sudo(client, minutes_ago=settings.SUDO_MINUTES)
    response = client.post(reverse("token-create"), {"name": "koppeling"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("sudo"))
    assert not ApiToken.objects.exists()


def test_tokens_are_made_by_a_post_to_their_own_url_only(client, consultant_a):
    client.force_login(consultant_a)
    confirm_sudo(client)
    assert client.get(reverse("token-create")).status_code == 405
    assert client.post(reverse("profile"), {"name": "koppeling"}).status_code == 405
    assert not ApiToken.objects.exists()


def test_the_profile_page_needs_a_log_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_token_authenticates_and_records_its_last_use(api_client, consultant_a, client_a):
    api_token, token = create_api_token(user=consultant_a, name="test")
    assert api_token.last_used_at is None
    response = api_client.get(CLIENTS, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [client_a.pk]
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


def test_a_revoked_token_is_refused_with_401(client, api_client, consultant_a):
    api_token, token = create_api_token(user=consultant_a, name="test")
    client.force_login(consultant_a)
    response = client.post(reverse("token-revoke", args=[api_token.pk]))
    assert response.status_code == 302
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None

    response = api_client.get(CLIENTS, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_revoking_twice_keeps_the_first_moment(consultant_a):
    api_token, _token = create_api_token(user=consultant_a, name="test")
    revoke_api_token(api_token=api_token)
    first = api_token.revoked_at
    revoke_api_token(api_token=api_token)
    assert api_token.revoked_at == first


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token", "Token a b", "Token é"])
def test_an_unknown_or_malformed_token_is_refused_with_401(api_client, consultant_a, header):
    create_api_token(user=consultant_a, name="test")
    response = api_client.get(CLIENTS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_token_of_an_inactive_user_is_refused(api_client, consultant_a):
    _api_token, token = create_api_token(user=consultant_a, name="test")
    consultant_a.is_active = False
    consultant_a.save()
    response = api_client.get(CLIENTS, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401


def test_nobody_revokes_another_users_token(client, consultant_a, consultant_b):
    api_token, _token = create_api_token(user=consultant_a, name="test")
    client.force_login(consultant_b)
    response = client.post(reverse("token-revoke", args=[api_token.pk]))
    assert response.status_code == 404
    api_token.refresh_from_db()
    assert api_token.revoked_at is None


def test_revoking_needs_a_post(client, consultant_a):
    api_token, _token = create_api_token(user=consultant_a, name="test")
    client.force_login(consultant_a)
    assert client.get(reverse("token-revoke", args=[api_token.pk])).status_code == 405


def test_the_profile_lists_only_the_users_own_tokens(client, consultant_a, consultant_b):
    own, _token = create_api_token(user=consultant_a, name="mine")
    other, _token = create_api_token(user=consultant_b, name="theirs")
    client.force_login(consultant_a)
    response = client.get(reverse("profile"))
    assert f'data-token="{own.pk}"' in response.text
    assert f'data-token="{other.pk}"' not in response.text
