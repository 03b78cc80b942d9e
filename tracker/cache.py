"""The cache shared by every app server: Redis at `REDIS_URL`, bypassed while unreachable.

Django's Redis backend raises when Redis is down, which would turn every cached page
into an error. This one answers as an empty cache instead: a read misses, a write is
dropped, and a warning names the server (never its password). After a failure it does
not try again for `RETRY_AFTER_SECONDS` (or until `reachable()`, which `/healthz` calls,
finds it back), so a Redis that is down costs each request nothing, not a connection
timeout per cache call; the connection and read timeouts in `OPTIONS`
(tracker/settings.py) bound what the first failing call costs.

Correctness never depends on the cache: the dashboard's entries are keyed by the
register's version, which lives in the database (commitments/caching.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long a process leaves an unreachable Redis alone before trying it again.
RETRY_AFTER_SECONDS = 10.0

OK = "ok"
DEGRADED = "degraded"


def safe_address(url: str) -> str:
    """A Redis URL without its credentials, for logs and messages."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache, bypassed (with a warning) while Redis does not answer."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._address = ", ".join(safe_address(url) for url in self._servers)
        self._lock = threading.Lock()
        self._down_until = 0.0

    def _bypassed(self) -> bool:
        return monotonic() < self._down_until

    def _failed(self, exc: RedisError) -> None:
        with self._lock:
            already_down = self._bypassed()
            self._down_until = monotonic() + RETRY_AFTER_SECONDS
        if not already_down:
            logger.warning(
                "Cache at %s is unreachable (%s: %s); serving without it for %.0f s.",
                self._address,
                type(exc).__name__,
                exc,
                RETRY_AFTER_SECONDS,
            )

    def _guarded(self, call: Callable[[], Any], fallback: Any) -> Any:
        if self._bypassed():
            return fallback
        try:
            return call()
        except RedisError as exc:
            self._failed(exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guarded(lambda: super(RedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guarded(lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(lambda: super(RedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        self._guarded(lambda: super(RedisCache, self).set(key, value, timeout, version), None)

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(RedisCache, self).add(key, value, timeout, version), False
        )

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        # The keys that could not be stored: all of them when Redis is away.
        return self._guarded(
            lambda: super(RedisCache, self).set_many(data, timeout, version), list(data)
        )

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded(lambda: super(RedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._guarded(lambda: super(RedisCache, self).delete_many(keys, version), None)

    def clear(self):
        """Delete this app's keys only (those under its `KEY_PREFIX`), never the whole
        Redis database, which other apps or other trackers may share."""

        def delete_ours() -> bool:
            client = self._cache.get_client(write=True)
            pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
            for batch in _batches(client.scan_iter(match=pattern, count=500), 500):
                client.delete(*batch)
            return True

        return self._guarded(delete_ours, False)

    def reachable(self) -> bool:
        """Whether Redis answers a PING now (tried even while bypassed; an answer ends
        the bypass at once)."""
        try:
            answered = bool(self._cache.get_client(write=True).ping())
        except RedisError as exc:
            self._failed(exc)
            return False
        if answered:
            with self._lock:
                self._down_until = 0.0
        return answered


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def state(cache) -> str:
    """`ok` when the cache answers, `degraded` when pages are served without it. A
    process's own memory (no `REDIS_URL`) always answers."""
    reachable = getattr(cache, "reachable", None)
    if reachable is None or reachable():
        return OK
    return DEGRADED
