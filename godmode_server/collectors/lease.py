"""One node at a time per collector: a lease in Redis.

Every node of a deployment may carry the same collectors file (configuration management copies
it everywhere); if all of them polled a room's Events API, each tip would be fetched once per
node.  With Redis configured, a node collects a room only while it holds that room's lease
(``<prefix>lease:<source>``, renewed every third of its lifetime); the others stand by and take
over within one lifetime when the holder dies.  Without Redis there is one node and no lease.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable

import redis.asyncio as aioredis

log = logging.getLogger(__name__)

#: Renew: only the holder may extend (or drop) its lease.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class Leases:
    """This node's leases in one Redis."""

    def __init__(self, redis_url: str, prefix: str, ttl: float, timeout: float) -> None:
        self.ttl = ttl
        self.node = uuid.uuid4().hex[:12]
        self._prefix = prefix
        self._redis = aioredis.Redis.from_url(
            redis_url, socket_timeout=timeout, socket_connect_timeout=timeout
        )

    def _key(self, name: str) -> str:
        return f"{self._prefix}lease:{name}"

    async def acquire(self, name: str) -> bool:
        return bool(
            await self._redis.set(self._key(name), self.node, nx=True, px=int(self.ttl * 1000))
        )

    async def renew(self, name: str) -> bool:
        renewed = await self._redis.eval(
            _RENEW, 1, self._key(name), self.node, int(self.ttl * 1000)
        )
        return bool(renewed)

    async def release(self, name: str) -> None:
        await self._redis.eval(_RELEASE, 1, self._key(name), self.node)

    async def hold(self, name: str, on_standby: Callable[[], object]) -> None:
        """Return once this node holds ``name``; ``on_standby()`` is called while it waits.
        Redis errors count as "not now": a node never collects without knowing it may."""
        while True:
            try:
                if await self.acquire(name):
                    return
            except Exception as exc:  # redis-py errors of any kind
                log.warning("lease %s not taken (%s)", name, type(exc).__name__)
            on_standby()
            await asyncio.sleep(self.ttl / 3)

    async def keep(self, name: str) -> None:
        """Renew ``name`` until it is lost to another node (then return).  While Redis does
        not answer the holder keeps collecting: the lease outlives short outages, and a long
        one ends with its expiry, when another node may take over."""
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                if not await self.renew(name):
                    log.warning("lease %s lost to another node", name)
                    return
            except Exception as exc:
                log.warning("lease %s not renewed (%s)", name, type(exc).__name__)

    async def close(self) -> None:
        await self._redis.aclose()
