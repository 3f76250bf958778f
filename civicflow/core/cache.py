"""The shared cache's Redis backend, with one Redis client per connection pool.

Django's Redis backend makes a new ``redis.Redis`` client for every cache call, and a client
builds its table of response callbacks when it is made: on a page that reads the cache once,
that cost as much as the round trip. A client is only a front to its connection pool and is
safe to share, so this backend keeps one per pool. Everything else is Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` client per connection pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(  # type: ignore[attr-defined]
                connection_pool=pool
            )
        return client


class SharedRedisCache(RedisCache):
    """The Redis cache backend to name in ``CACHES`` (see the module's docstring)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
