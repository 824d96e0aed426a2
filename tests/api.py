"""Helpers of the API tests: a DRF test client as a user, by session or by token."""

from rest_framework.test import APIClient

from casework.api.tokens import create_api_token
from casework.models import User


def as_user(api_client: APIClient, user: User) -> APIClient:
    api_client.force_authenticate(user)
    return api_client


def with_token(api_client: APIClient, user: User) -> APIClient:
    _api_token, token = create_api_token(user=user, name="test")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]
