"""Writes and look-ups of personal API tokens. Only the SHA-256 hash of a token is stored:
the plain token exists once, in the return value of `create_api_token`."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from casework.models import ApiToken, User

TOKEN_PREFIX = "cw_"  # noqa: S105 - marks a casework token, it is no secret
# Characters of the token kept in the clear to recognise it in the list (prefix included).
VISIBLE_CHARACTERS = 10


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for this user: the stored row and the plain token, to be shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:VISIBLE_CHARACTERS], key_hash=hash_token(token)
    )
    return api_token, token


@transaction.atomic
def revoke_api_token(*, api_token: ApiToken) -> None:
    """Revoke a token for good; revoking twice keeps the first moment."""
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])


def active_token(token: str) -> ApiToken | None:
    """The unrevoked token row with this secret, with its user; None for unknown or revoked."""
    return (
        ApiToken.objects.select_related("user")  # the request's user, without a second query
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def mark_used(api_token: ApiToken) -> None:
    """Record when the token was last used (one UPDATE, without touching other fields)."""
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
