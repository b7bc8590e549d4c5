"""Ingest keys' names by key, cached: a collector posts every few seconds, and each post would
otherwise cost a database query.  A revoked or rotated key stops working within
:data:`CACHE_SECONDS`, or at once on a node that sees the credentials change (:meth:`forget`)."""

from __future__ import annotations

import time

from godmode_server.sql.database import Database

CACHE_SECONDS = 30.0
#: Names kept at most; a spray of distinct valid keys cannot grow the cache without end.
CACHE_MAX = 4096


class KeyNames:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, tuple[str, float]] = {}

    async def name(self, key: str) -> str | None:
        """The name of a valid, unrevoked key, or ``None``."""
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        name = await self._db.key_name(key)
        if name is not None:
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            self._cache[key] = (name, now + CACHE_SECONDS)
        return name

    def forget(self) -> None:
        """Credentials changed somewhere: ask the database again."""
        self._cache.clear()
