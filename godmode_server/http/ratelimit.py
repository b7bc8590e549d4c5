"""Rate limits: per API key and per client address for ingest, per address for login, and a
lock-out of a user name after repeated wrong passwords.  Answered 429 with ``Retry-After``.

The counters live in Redis when the node has one (``GODMODE_REDIS_URL``), so every node of a
deployment counts together; else in the process.  A limit is written like ``100/second`` or
``5/15 minutes`` (the ``limits`` library's notation); ``GODMODE_RATE_LIMITS=false`` turns them
all off (benchmarks, trusted networks).

Limits never fail open.  When Redis does not answer within ``GODMODE_REDIS_TIMEOUT`` the node
counts in its own memory instead (each node then has the whole budget: looser, never off), says
so in its log and in ``godmode_ratelimit_local``, and tries Redis again after
:data:`SHARED_RETRY_AFTER` seconds.  So a hung Redis costs one request at most that timeout, and
only one request per retry period, not every request.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from starlette.requests import HTTPConnection

from godmode_server.errors import ApiError
from godmode_server.metrics import Metrics
from godmode_server.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

#: After Redis failed, count locally this long before asking Redis again, seconds.
SHARED_RETRY_AFTER = 5.0


OUTLINES_PER_KEY = "6/minute"


class RateLimits:
    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.enabled = settings.rate_limits
        self._metrics = metrics
        self._timeout = settings.redis_timeout
        self._local = FixedWindowRateLimiter(MemoryStorage())
        self._shared_storage = _shared_storage(settings)
        self._shared = (
            FixedWindowRateLimiter(self._shared_storage) if self._shared_storage else None
        )
        #: While ``time.monotonic()`` is below this, Redis is not asked (it failed lately).
        self._shared_retry_at = 0.0
        self.ingest_per_key = parse(settings.ingest_rate_per_key)
        self.ingest_per_address = parse(settings.ingest_rate_per_address)
        self.login_per_address = parse(settings.login_rate_per_address)
        self.login_failures_per_user = parse(settings.login_failures_per_user)
        #: Page outlines (up to 512 KiB each, written to the database): a few a minute per key.
        self.outlines_per_key = parse(OUTLINES_PER_KEY)

    @property
    def local(self) -> bool:
        """Counting in this node's memory although the deployment shares Redis."""
        return self._shared is not None and self._shared_retry_at > 0

    async def _call(self, operation: Callable[[FixedWindowRateLimiter], Awaitable[T]]) -> T:
        """``operation`` on the shared limiter, or on the local one while Redis is failing."""
        if self._shared is not None and time.monotonic() >= self._shared_retry_at:
            try:
                async with asyncio.timeout(self._timeout):
                    result = await operation(self._shared)
            except Exception as exc:  # Redis down, hung or refusing: count here meanwhile
                if not self.local:
                    log.warning(
                        "rate limits counted on this node only: Redis failed (%s)",
                        type(exc).__name__,
                    )
                self._shared_retry_at = time.monotonic() + SHARED_RETRY_AFTER
                self._metrics.ratelimit_local.set(1)
            else:
                if self.local:
                    log.warning("rate limits shared through Redis again")
                    self._shared_retry_at = 0.0
                    self._metrics.ratelimit_local.set(0)
                return result
        return await operation(self._local)

    async def hit(self, item: RateLimitItem, *identity: str, what: str) -> None:
        """Count one request; :class:`ApiError` 429 when it is over ``item``."""
        if not self.enabled:
            return
        if self._shared is None:  # the hot path of a single node: no detour
            allowed = await self._local.hit(item, *identity)
        else:
            allowed = await self._call(lambda limiter: limiter.hit(item, *identity))
        if not allowed:
            await self._refuse(item, identity, what)

    async def clear(self, item: RateLimitItem, *identity: str) -> None:
        if self.enabled:
            await self._call(lambda limiter: limiter.clear(item, *identity))

    async def _refuse(self, item: RateLimitItem, identity: tuple[str, ...], what: str) -> None:
        try:
            stats = await self._call(lambda limiter: limiter.get_window_stats(item, *identity))
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
        client = getattr(getattr(self._shared_storage, "bridge", None), "storage", None)
        close = getattr(client, "aclose", None)
        if close is not None:
            await close()


def _shared_storage(settings: Settings) -> RedisStorage | None:
    if not settings.redis_url:
        return None
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
    """The client's address: behind a proxy named in ``GODMODE_TRUSTED_PROXIES``, the one it
    forwarded (uvicorn's proxy-headers middleware has put it in the scope)."""
    return conn.client.host if conn.client else "unknown"
