"""Tip alerts: which tier a tip jump reaches, and the queue that shows alerts one at a time.

Qt-free; :class:`godmode_desktop.alert_center.AlertCenter` drives it with a timer.  What decides
is the server's ``tokens_delta`` of one update, so every dashboard agrees on what a big tip was.
A negative delta (a new broadcast resets the counter) is never an alert, and neither are
snapshots or poll answers (they say where a room is, not what just happened).
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

from godmode_common.rooms import RoomKey


@dataclass(frozen=True, slots=True)
class AlertTier:
    #: Smallest tokens delta of one update that reaches this tier.
    threshold: int
    label: str
    #: Name of a sound in resources/sounds (without ``.wav``).
    sound: str


DEFAULT_TIERS = (
    AlertTier(100, "Tip", "tip"),
    AlertTier(500, "Big tip", "big-tip"),
    AlertTier(1000, "Huge tip", "huge-tip"),
)


def tier_for(tokens_delta: int, tiers: Sequence[AlertTier]) -> AlertTier | None:
    """The highest tier whose threshold ``tokens_delta`` reaches, or ``None``."""
    if tokens_delta <= 0:
        return None  # most updates: no tip at all
    reached = [t for t in tiers if t.threshold > 0 and tokens_delta >= t.threshold]
    return max(reached, key=lambda t: t.threshold) if reached else None


class AlertKind(enum.StrEnum):
    TIP = "tip"
    #: Several tips that waited while another alert was on screen, shown as one.
    TIPS = "tips"
    OFFLINE = "offline"
    ONLINE = "online"
    AUDIENCE_DROP = "audience_drop"
    GOAL = "goal"
    #: An ingest key's collector stopped posting / posts again (decided by the server).
    COLLECTOR_SILENT = "collector_silent"
    COLLECTOR_BACK = "collector_back"


#: The sound of alerts that are not tips (resources/sounds).
OTHER_SOUND = "tip"


@dataclass(frozen=True, slots=True)
class Alert:
    room_id: str
    platform: str
    #: The tip (tokens); for the other kinds their amount: seconds silent (offline), viewers
    #: lost (audience drop), tokens earned (goal); for a summary, the tips' total.
    tokens_delta: int
    tier: AlertTier | None = None
    #: Sent from the "test alert" button, not by a room.
    test: bool = False
    kind: AlertKind = AlertKind.TIP
    #: Tips summed in a summary (1 otherwise).
    count: int = 1
    #: The reference the amount is measured against: the goal, the audience before the fall,
    #: a collector's latest post (Unix seconds).
    value: int = 0
    #: The rooms a summary's tips came from.
    tipped: frozenset[RoomKey] = frozenset()

    @property
    def key(self) -> RoomKey:
        return RoomKey(self.room_id, self.platform)

    @property
    def sound(self) -> str:
        return self.tier.sound if self.tier is not None else OTHER_SOUND


def summarize(waiting: Alert, tip: Alert) -> Alert:
    """A tip joining one (or a summary) that waits: one alert with the highest tier, the total,
    and the room of the first (clicking it goes there)."""
    tiers = [a.tier for a in (waiting, tip) if a.tier is not None]
    return replace(
        waiting,
        kind=AlertKind.TIPS,
        tokens_delta=waiting.tokens_delta + tip.tokens_delta,
        tier=max(tiers, key=lambda t: t.threshold) if tiers else None,
        count=waiting.count + tip.count,
        tipped=(waiting.tipped or frozenset({waiting.key})) | {tip.key},
    )


class AlertQueue:
    """Alerts wait here and come out one at a time: each is on screen for ``show_ms``, then
    ``gap_ms`` pass before the next.  Times are milliseconds on any monotonic clock."""

    def __init__(self, show_ms: int, gap_ms: int, max_waiting: int = 50) -> None:
        self.show_ms = show_ms
        self.gap_ms = gap_ms
        self._waiting: deque[Alert] = deque(maxlen=max_waiting)
        self._free_at = float("-inf")

    def __len__(self) -> int:
        return len(self._waiting)

    def push(self, alert: Alert) -> None:
        """Queue an alert (the oldest waiting one gives way when too many wait).  A tip joins
        the tips already waiting: a burst (20 tips in 5 s) is one notification, not twenty."""
        if alert.kind is AlertKind.TIP and not alert.test:
            for i, waiting in enumerate(self._waiting):
                if waiting.kind in (AlertKind.TIP, AlertKind.TIPS) and not waiting.test:
                    self._waiting[i] = summarize(waiting, alert)
                    return
        self._waiting.append(alert)

    def pop_due(self, now_ms: float) -> Alert | None:
        """The next alert to show now, if one waits and the previous has had its time."""
        if not self._waiting or now_ms < self._free_at:
            return None
        self._free_at = now_ms + self.show_ms + self.gap_ms
        return self._waiting.popleft()

    def due_in(self, now_ms: float) -> float | None:
        """Milliseconds until :meth:`pop_due` has something, or ``None`` when nothing waits."""
        if not self._waiting:
            return None
        return max(0.0, self._free_at - now_ms)

    def clear(self) -> None:
        self._waiting.clear()
