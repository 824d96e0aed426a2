"""The shared cache over Redis, for which an unreachable Redis is a miss, not an error.

The cache only holds what can be computed again (the dashboard's figures of closed quarters, the
caseload filter's reference lists: clients.reference), so while Redis is down or hanging the
pages compute what they show and do not fail: a read finds nothing, a write is dropped, and the
failure is logged. The connection timeouts (settings, CACHES OPTIONS) bound how long that takes.
The settings use this backend whenever CACHE_URL is a Redis URL.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _nothing(*args: Any) -> None:
    return None


def _false(*args: Any) -> bool:
    return False


# What each operation of the cache answers while Redis is unreachable: what it answers for a key
# that is absent (get: the caller's default). incr is left out: it has no sensible answer
# without the value.
ANSWERS: dict[str, Callable[..., Any]] = {
    "get": lambda key, default: default,
    "get_many": lambda keys: {},
    "has_key": _false,
    "add": _false,
    "touch": _false,
    "delete": _false,
    "clear": _false,
    "set": _nothing,
    "set_many": _nothing,
    "delete_many": _nothing,
}


class OutageTolerantClient(RedisCacheClient):
    """Django's Redis client, answering as if the key were absent when Redis is unreachable
    (ANSWERS)."""


def _tolerant(name: str, answer: Callable[..., Any]) -> Callable[..., Any]:
    operation = getattr(RedisCacheClient, name)

    @functools.wraps(operation)
    def tolerant(self: RedisCacheClient, *args: Any) -> Any:
        try:
            return operation(self, *args)
        except UNREACHABLE as error:
            # Without the traceback: while Redis is down every page that uses the cache says so.
            logger.warning("Cache unreachable (%s): answered as a miss: %s", name, error)
            return answer(*args)

    return tolerant


for _name, _answer in ANSWERS.items():
    setattr(OutageTolerantClient, _name, _tolerant(_name, _answer))


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with OutageTolerantClient."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = OutageTolerantClient
