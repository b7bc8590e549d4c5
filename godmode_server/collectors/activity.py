"""Which rooms each ingest key posts for, and when it last did: the collectors' health as the
server sees it (a studio PC whose key has gone silent is visible without going to it).

Ingest notes each post in memory (a dictionary update, nothing awaited); a background task writes
what changed to the database every few seconds, so every node's posts end up in the one table
the administration API reads.  A note is (key, room) → the latest post's time; a write keeps the
later of the stored and the new time, so nodes cannot move it backwards.
"""

from __future__ import annotations

import contextlib
import logging
import time

from godmode_common.tasks import Periodic
from godmode_server.sql.database import Database

log = logging.getLogger(__name__)

#: Seconds between writes of what changed.
FLUSH_INTERVAL = 5.0
#: (key, room) pairs held at most between writes (then the newest are dropped until a write).
MAX_PENDING = 100_000

Note = tuple[str, str, str]  # key name, platform, room_id


class KeyActivity:
    def __init__(self, db: Database, *, interval: float = FLUSH_INTERVAL) -> None:
        self._db = db
        self._pending: dict[Note, int] = {}
        # The database away: the notes are kept (see flush) and the next write tries again.
        self._periodic = Periodic(
            self.flush, interval, what="writing the key activity", log=log, wait_first=True
        )

    def note(self, key: str, platform: str, room_id: str, at: float | None = None) -> None:
        """A post by ``key`` for the room was accepted.  Never awaits."""
        entry = (key, platform, room_id)
        if entry not in self._pending and len(self._pending) >= MAX_PENDING:
            return
        at = int(time.time() if at is None else at)
        self._pending[entry] = max(at, self._pending.get(entry, 0))  # requests end out of order

    def pending(self) -> dict[str, list[tuple[str, str, int]]]:
        """This node's posts not written yet, per key: ``(platform, room_id, latest post)``,
        as the database's :meth:`key_activity` gives the others."""
        rooms: dict[str, list[tuple[str, str, int]]] = {}
        for (key, platform, room_id), at in self._pending.items():
            rooms.setdefault(key, []).append((platform, room_id, at))
        return rooms

    def start(self) -> None:
        self._periodic.start()

    async def close(self) -> None:
        await self._periodic.close()
        with contextlib.suppress(Exception):
            await self.flush()

    async def flush(self) -> None:
        """Write what changed since the last write; on failure it stays for the next one."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        try:
            await self._db.note_key_activity(pending)
        except Exception:
            for entry, at in pending.items():  # put back, newer notes first
                self._pending[entry] = max(at, self._pending.get(entry, 0))
            raise
