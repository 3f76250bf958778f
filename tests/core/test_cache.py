"""The shared Redis cache backend: one client per connection pool, and a working cache."""

from __future__ import annotations

import uuid

import pytest

from civicflow.core.cache import SharedRedisCache

URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {URL}")
    return SharedRedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads go to it too


def test_it_stores_reads_and_counts_like_django_s_redis_cache(redis_cache):
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("n", 1, 30) is True
    assert redis_cache.add("n", 5, 30) is False
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"x": 1}, "n": 2}
    redis_cache.delete_many(["a", "n"])
    assert redis_cache.get("a") is None
