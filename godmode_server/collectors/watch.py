"""Collectors gone silent: an ingest key that was posting and has posted nothing for
``GODMODE_COLLECTOR_SILENT_AFTER`` seconds, told to the dashboards as a COLLECTOR_STATUS event
(and again when it posts again).  A server-side collector of this node (sources.py) that has
stalled -- stopped, or several polls in a row without an answer it can use -- is told the same
way, under its source's name, with its last good answer as its latest post.

Each node decides from the shared ``key_activity`` table (every node writes its posts there
every few seconds) plus its own posts not written yet, so every node reaches the same decision
about the same post within a check interval and a write; the event says the key's latest post,
not when the node noticed, so its content is the same everywhere.  A key first seen silent (at
the node's start, or never used) is not news: only a change is told.
"""

from __future__ import annotations

import logging
import time
from typing import Literal

from godmode_common.protocol import CollectorStatus, RoomRef
from godmode_common.tasks import Periodic
from godmode_server.collectors.activity import KeyActivity
from godmode_server.collectors.sources import Sources
from godmode_server.feed.hub import Hub
from godmode_server.sql.database import Database
from godmode_server.stores.base import event_text

log = logging.getLogger(__name__)

State = Literal["silent", "posting"]


class CollectorWatch:
    def __init__(
        self,
        db: Database,
        activity: KeyActivity,
        hub: Hub,
        *,
        silent_after: int,
        interval: float,
        sources: Sources | None = None,
    ) -> None:
        self._db = db
        self._sources = sources
        self._activity = activity
        self._hub = hub
        self._silent_after = silent_after
        self._state: dict[str, State] = {}
        self._periodic = Periodic(
            self.check, interval, what="checking collectors for silence", log=log
        )

    async def check(self, now: float | None = None) -> list[CollectorStatus]:
        """Compare each key's latest post with the silence limit; tell what changed."""
        now = time.time() if now is None else now
        stored = await self._db.key_activity()
        # Posts not written yet count as much as written ones: their rooms too (the silence
        # alert names the rooms a key feeds, whenever the last write happened).
        for key, posts in self._activity.pending().items():
            known = {(p, r): at for p, r, at in stored.get(key, [])}
            for platform, room, at in posts:
                known[platform, room] = max(at, known.get((platform, room), 0))
            newest = sorted(known.items(), key=lambda item: -item[1])
            stored[key] = [(p, r, at) for (p, r), at in newest]
        latest = {key: max(at for _, _, at in rooms) for key, rooms in stored.items() if rooms}
        changes = []
        for key, at in sorted(latest.items()):
            state: State = "posting" if now - at < self._silent_after else "silent"
            before = self._state.get(key)
            self._state[key] = state
            if before is None or before == state:
                continue
            rooms = [RoomRef(room_id=r, platform=p) for p, r, _ in stored.get(key, [])][:200]
            status = CollectorStatus(
                key=key,
                state=state,
                last_post=at,
                silent_after=self._silent_after,
                rooms=rooms,
                timestamp=int(now),
            )
            log.info("collector %r is %s (latest post %d)", key, state, at)
            self._hub.notify_collectors(event_text(status))
            changes.append(status)
        for source, room, last_ok, stalled in self._sources.stalls() if self._sources else []:
            state = "silent" if stalled else "posting"
            before = self._state.get(source, "posting")  # a source starts as working
            self._state[source] = state
            if before == state:
                continue
            status = CollectorStatus(
                key=source,
                state=state,
                last_post=int(last_ok or 0),
                silent_after=self._silent_after,
                rooms=[RoomRef(room_id=room, platform="chaturbate")],
                timestamp=int(now),
            )
            log.info("server-side collector %r is %s", source, state)
            self._hub.notify_collectors(event_text(status))
            changes.append(status)
        return changes

    def start(self) -> None:
        self._periodic.start()

    async def close(self) -> None:
        await self._periodic.close()
