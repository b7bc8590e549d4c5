"""The server's time as this machine can know it: how old a sample is, whatever this clock says.

A sample's age is the server's "now" minus the sample's own time.  The samples' times come from
the collectors' clocks, which the server checks against its own (nothing from the future), so the
dashboard counts ages on the server's clock too: this computer's clock may be minutes off, and an
age counted from it (or from when this app happened to learn of a sample, such as at login) would
say "8 s ago" of a room silent for minutes.

The server stamps what it sends fresh — a snapshot, a heartbeat every few seconds, a resume, a
poll answer — with its own time in whole seconds; the offset from this clock is taken from them.
Not from live updates: theirs is when the server processed the sample, which a replay after a
reconnect sends long after.  Qt-free.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

#: Observations the offset is taken from (about half a minute of heartbeats).
KEPT = 8


class ServerClock:
    def __init__(self, local: Callable[[], float] = time.time) -> None:
        self._local = local
        self._offsets: deque[float] = deque(maxlen=KEPT)
        #: Seconds to add to this machine's clock to read the server's (0 until it is heard).
        self.offset = 0.0

    def observe(self, server_time: int) -> None:
        """The server said it was ``server_time`` (whole seconds, rounded down) just now.

        The estimate is the largest of the latest few: the time in transit only ever makes one
        smaller than the truth.  The middle of the second is taken, so the estimate is within
        half a second plus the transit time.
        """
        self._offsets.append(server_time + 0.5 - self._local())
        self.offset = max(self._offsets)

    def now(self) -> float:
        """The server's time now (Unix seconds), as well as it is known."""
        return self._local() + self.offset

    def age(self, timestamp: float) -> float:
        """Seconds since ``timestamp`` on the server's clock (never negative)."""
        return max(0.0, self.now() - timestamp)
