"""Rate limits: per API key and per client address for ingest, per address for login, and a
lock-out of a user name after repeated wrong passwords.  Answered 429 with ``Retry-After``.

The counters live in Redis when the node has one (``GODMODE_REDIS_URL``), so every node of a
deployment counts together; else in the process.  A limit is written like ``100/second`` or
``5/15 minutes`` (the ``limits`` library's notation); ``GODMODE_RATE_LIMITS=false`` turns them
all off (benchmarks, trusted networks).

When Redis does not answer, requests are let through (and logged): a limiter must not turn a
Redis outage, which the store rides out in degraded mode, into refused samples.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from starlette.requests import HTTPConnection

from .errors import ApiError
from .settings import Settings

log = logging.getLogger(__name__)


class RateLimits:
    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limits
        self._storage = _storage(settings)
        self._limiter = FixedWindowRateLimiter(self._storage)
        self.ingest_per_key = parse(settings.ingest_rate_per_key)
        self.ingest_per_address = parse(settings.ingest_rate_per_address)
        self.login_per_address = parse(settings.login_rate_per_address)
        self.login_failures_per_user = parse(settings.login_failures_per_user)

    async def hit(self, item: RateLimitItem, *identity: str, what: str) -> None:
        """Count one request; :class:`ApiError` 429 when it is over ``item``."""
        if not self.enabled:
            return
        try:
            allowed = await self._limiter.hit(item, *identity)
        except Exception as exc:  # storage trouble: let the request through, say so
            log.warning("rate limit not checked (%s): %s", type(exc).__name__, exc)
            return
        if not allowed:
            await self._refuse(item, identity, what)

    async def check(self, item: RateLimitItem, *identity: str, what: str) -> None:
        """Refuse (429) if ``item`` is already used up, without counting this request."""
        if not self.enabled:
            return
        try:
            allowed = await self._limiter.test(item, *identity)
        except Exception as exc:
            log.warning("rate limit not checked (%s): %s", type(exc).__name__, exc)
            return
        if not allowed:
            await self._refuse(item, identity, what)

    async def count(self, item: RateLimitItem, *identity: str) -> None:
        """Count one event against ``item`` (a failed login), without refusing anything."""
        if self.enabled:
            try:
                await self._limiter.hit(item, *identity)
            except Exception as exc:
                log.warning("rate limit not counted (%s): %s", type(exc).__name__, exc)

    async def clear(self, item: RateLimitItem, *identity: str) -> None:
        if self.enabled:
            try:
                await self._limiter.clear(item, *identity)
            except Exception as exc:
                log.warning("rate limit not cleared (%s): %s", type(exc).__name__, exc)

    async def _refuse(self, item: RateLimitItem, identity: tuple[str, ...], what: str) -> None:
        try:
            stats = await self._limiter.get_window_stats(item, *identity)
            retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        except Exception:
            retry_after = item.get_expiry()
        raise ApiError(
            429,
            f"too many requests: {what} (at most {item}); retry in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )

    async def close(self) -> None:
        # The redis-py client the limits library made, if it made one.
        client = getattr(getattr(self._storage, "bridge", None), "storage", None)
        close = getattr(client, "aclose", None)
        if close is not None:
            await close()


def _storage(settings: Settings) -> Storage:
    if not settings.redis_url:
        return MemoryStorage()
    scheme, rest = settings.redis_url.split("://", 1)
    uri = {
        "redis": "async+redis://",
        "rediss": "async+rediss://",
        "unix": "async+redis+unix://",
    }[scheme] + rest
    return RedisStorage(
        uri,
        implementation="redispy",
        key_prefix=f"{settings.redis_prefix}ratelimit",
        socket_timeout=settings.redis_timeout,
        socket_connect_timeout=settings.redis_timeout,
    )


def client_address(conn: HTTPConnection) -> str:
    """The client's address (behind a proxy, what uvicorn's ``--forwarded-allow-ips`` trusts)."""
    return conn.client.host if conn.client else "unknown"
