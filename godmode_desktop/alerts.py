"""Tip alerts: which tier a tip jump reaches, and the queue that shows alerts one at a time.

Qt-free; :class:`godmode_desktop.alert_center.AlertCenter` drives it with a timer.  What decides
is the server's ``tokens_delta`` of one update, so every dashboard agrees on what a big tip was.
A negative delta (a new broadcast resets the counter) is never an alert, and neither are
snapshots or poll answers (they say where a room is, not what just happened).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

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
    #: A summary's rooms with their amounts, the biggest first (empty for a single alert).
    rooms: tuple[tuple[RoomKey, int], ...] = ()

    @property
    def key(self) -> RoomKey:
        return RoomKey(self.room_id, self.platform)

    @property
    def sound(self) -> str:
        return self.tier.sound if self.tier is not None else OTHER_SOUND


#: Which alerts go first, the lowest first (waiting alerts of one rank keep their order): a tip
#: before everything -- it is what a manager acts on at once --, then a collector that went
#: silent (it explains the rooms going off line that follow), then the rest.
RANK = {
    AlertKind.TIP: 0,
    AlertKind.TIPS: 0,
    AlertKind.COLLECTOR_SILENT: 1,
    AlertKind.OFFLINE: 2,
    AlertKind.GOAL: 2,
    AlertKind.AUDIENCE_DROP: 3,
    AlertKind.ONLINE: 3,
    AlertKind.COLLECTOR_BACK: 3,
}

#: Kinds of which several waiting alerts are shown as one (a burst of tips; rooms going off line
#: or coming back together).
_MERGED = {
    AlertKind.TIP: AlertKind.TIPS,
    AlertKind.TIPS: AlertKind.TIPS,
    AlertKind.OFFLINE: AlertKind.OFFLINE,
    AlertKind.ONLINE: AlertKind.ONLINE,
}


def _rooms_of(alert: Alert) -> dict[RoomKey, int]:
    return dict(alert.rooms) if alert.rooms else {alert.key: alert.tokens_delta}


def summarize(waiting: Alert, new: Alert) -> Alert:
    """An alert joining one of its kind (or a summary) that waits: one alert with the highest
    tier, the total, the count, and its rooms with their amounts, the biggest first (the first
    is the room the summary stands for: clicking it goes there)."""
    tiers = [a.tier for a in (waiting, new) if a.tier is not None]
    rooms = _rooms_of(waiting)
    for key, amount in _rooms_of(new).items():
        rooms[key] = rooms.get(key, 0) + amount
    return _over(
        waiting,
        rooms,
        kind=_MERGED[waiting.kind],
        tokens_delta=waiting.tokens_delta + new.tokens_delta,
        tier=max(tiers, key=lambda t: t.threshold) if tiers else None,
        count=waiting.count + new.count,
    )


def _over(alert: Alert, rooms: dict[RoomKey, int], **changes: Any) -> Alert:
    """``alert`` standing for ``rooms`` (with ``changes``): its rooms the biggest first, and the
    first the room it names (clicking it goes there)."""
    ranked = tuple(sorted(rooms.items(), key=lambda item: -item[1]))
    top = ranked[0][0]
    return replace(alert, room_id=top.room_id, platform=top.platform, rooms=ranked, **changes)


class AlertQueue:
    """Alerts wait here and come out one at a time: each is on screen for ``show_ms``, then
    ``gap_ms`` pass before the next.  Times are milliseconds on any monotonic clock.

    They come out by :data:`RANK`, not only in the order raised: a tip raised behind 200 rooms
    going off line is the next one shown, and a tip does not wait for another kind of alert on
    screen to end -- it takes its place.  Alerts of a mergeable kind join the one of their kind
    that waits (:func:`summarize`), so a storm is one notification per kind.
    """

    def __init__(self, show_ms: int, gap_ms: int, max_waiting: int = 50) -> None:
        self.show_ms = show_ms
        self.gap_ms = gap_ms
        self._max_waiting = max_waiting
        self._waiting: list[Alert] = []
        self._free_at = float("-inf")
        #: The alert on screen and when its time ends (None once it has).
        self._showing: tuple[Alert, float] | None = None

    def __len__(self) -> int:
        return len(self._waiting)

    def push(self, alert: Alert) -> None:
        """Queue an alert behind those of its rank or a lower one; a mergeable one joins the
        one of its kind that waits.  When too many wait, the oldest of the least urgent rank
        gives way."""
        merged = _MERGED.get(alert.kind)
        if merged is not None and not alert.test:
            for i, waiting in enumerate(self._waiting):
                if _MERGED.get(waiting.kind) is merged and not waiting.test:
                    self._waiting[i] = summarize(waiting, alert)
                    return
        rank = RANK[alert.kind] if not alert.test else 0
        at = len(self._waiting)
        while at > 0 and RANK[self._waiting[at - 1].kind] > rank:
            at -= 1
        self._waiting.insert(at, alert)
        if len(self._waiting) > self._max_waiting:
            # The oldest of the least urgent rank gives way.
            lowest = max(RANK[a.kind] for a in self._waiting)
            del self._waiting[
                next(i for i, a in enumerate(self._waiting) if RANK[a.kind] == lowest)
            ]

    def pop_due(self, now_ms: float) -> Alert | None:
        """The next alert to show now: when the previous has had its time, or at once when it
        is a tip and what is on screen is not."""
        if not self._waiting:
            return None
        if now_ms < self._free_at and not self._preempts(self._waiting[0], now_ms):
            return None
        alert = self._waiting.pop(0)
        self._free_at = now_ms + self.show_ms + self.gap_ms
        self._showing = (alert, now_ms + self.show_ms)
        return alert

    def _preempts(self, alert: Alert, now_ms: float) -> bool:
        """``alert`` takes the place of the one on screen: a tip over another kind, or over a
        tip of a lower tier (a +5,000 tip does not wait behind a +100 one)."""
        if RANK[alert.kind] != 0 or self._showing is None:
            return False
        showing, until = self._showing
        if now_ms >= until or showing.test:
            return False
        if RANK[showing.kind] != 0:
            return True
        return _threshold(alert) > _threshold(showing)

    def due_in(self, now_ms: float) -> float | None:
        """Milliseconds until :meth:`pop_due` has something, or ``None`` when nothing waits."""
        if not self._waiting:
            return None
        if self._preempts(self._waiting[0], now_ms):
            return 0.0
        return max(0.0, self._free_at - now_ms)

    def drop(self, keys: frozenset[RoomKey], kind: AlertKind) -> None:
        """Take the waiting alerts of ``kind`` about ``keys`` out (a collector's alert says it
        for them); a summary loses those rooms."""
        kept = []
        for alert in self._waiting:
            if alert.kind is kind:
                rooms = {k: v for k, v in _rooms_of(alert).items() if k not in keys}
                if not rooms:
                    continue
                if len(rooms) < len(_rooms_of(alert)):
                    alert = _remake(alert, rooms)
            kept.append(alert)
        self._waiting = kept

    def clear(self) -> None:
        self._waiting.clear()
        self._showing = None


def _threshold(alert: Alert) -> int:
    return alert.tier.threshold if alert.tier is not None else 0


def _remake(alert: Alert, rooms: dict[RoomKey, int]) -> Alert:
    """A summary of rooms going off line (or coming back) over ``rooms`` only: one of them
    alone is a single alert again."""
    remade = _over(alert, rooms, tokens_delta=sum(rooms.values()), count=len(rooms))
    return remade if len(rooms) > 1 else replace(remade, rooms=())
