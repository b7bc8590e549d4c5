"""What /readyz, the metrics and the collector watch say about one server-side collector."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

#: Polls in a row without a usable answer after which a collector counts as stalled: the
#: dashboards are told, as of a collector gone silent (collectors/watch.py).
STALL_POLLS = 3


@dataclass
class SourceHealth:
    """What /readyz and the metrics say about one collector."""

    state: str = "starting"  # starting | ok | retrying | unhealthy
    detail: str = ""
    since: float = field(default_factory=time.time)
    #: Events that did not parse, skipped (their pages' other events counted).
    skipped_events: int = 0
    #: Polls in a row that gave no page (reset by a good one).
    failures: int = 0
    #: When the last good page came (Unix seconds; None before the first).
    last_ok: float | None = None

    @property
    def stalled(self) -> bool:
        """Collecting nothing: stopped, or :data:`STALL_POLLS` polls in a row without a page."""
        return self.state == "unhealthy" or self.failures >= STALL_POLLS

    def set(self, state: str, detail: str = "") -> None:
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail, self.since = state, detail, time.time()

    def describe(self) -> str:
        text = f"{self.state}: {self.detail}" if self.detail else self.state
        if self.skipped_events:
            text += f" ({self.skipped_events} malformed events skipped)"
        return text
