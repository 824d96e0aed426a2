"""Authentication of the API by personal token: `Authorization: Token <token>`."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from casework.api.tokens import active_token, mark_used
from casework.models import ApiToken, User

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # another scheme, or none: the session may still authenticate
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: give exactly one token."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The API token is unknown or has been revoked.")) from None
        api_token = active_token(token)
        if api_token is None:
            raise AuthenticationFailed(_("The API token is unknown or has been revoked."))
        mark_used(api_token)
        return api_token.user, api_token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to calls without valid credentials.
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI schema."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A personal API token, created on the profile page (profiel): "
                "`Authorization: Token <token>`."
            ),
        }
