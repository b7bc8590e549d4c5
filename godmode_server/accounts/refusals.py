"""Refused attempts at administrative routes, in the audit log -- without letting a refused
caller write to the database as fast as they can send requests.

Each (caller, route) is recorded at most once per :data:`WINDOW` seconds on a node; the
entries repeated meanwhile are counted, and the count goes with the next entry recorded.  At most
:data:`TRACKED` pairs are remembered (the oldest forgotten first), so the memory is bounded too.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from godmode_server.sql.database import Database

#: Seconds between two entries for the same caller and route.
WINDOW = 60.0
#: (caller, route) pairs remembered at once.
TRACKED = 4096


class RefusedAttempts:
    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        #: (actor, route) -> (when last recorded, refusals not recorded since)
        self._seen: OrderedDict[tuple[str, str], tuple[float, int]] = OrderedDict()

    async def note(self, actor: str, route: str, why: str, address: str) -> bool:
        """Record the refusal unless this caller's same refusal was recorded within the window;
        whether it was recorded."""
        key, now = (actor, route), self._clock()
        last = self._seen.get(key)
        if last is not None and now - last[0] < WINDOW:
            self._seen[key] = (last[0], last[1] + 1)
            return False
        skipped = last[1] if last is not None else 0
        self._seen[key] = (now, 0)
        self._seen.move_to_end(key)
        while len(self._seen) > TRACKED:
            self._seen.popitem(last=False)
        more = f" (and {skipped} times more since the previous entry)" if skipped else ""
        await self._db.record_audit(actor, "refused", route, why + more, address)
        return True
