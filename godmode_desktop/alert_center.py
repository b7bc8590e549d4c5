"""Turns what the dashboard sees into alerts, one at a time, and says when to show each.

Presenters (the tray, or the in-window banner where the desktop has no tray) connect to
:attr:`AlertCenter.alert_shown`; the sound is played here, once per alert.  Every alert raised —
also a muted one, or a muted room's — is told on :attr:`AlertCenter.alert_raised` first, for the
session's history.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from godmode_common.rooms import RoomKey

from .alert_rules import AlertRules, RoomRules
from .alerts import DEFAULT_TIERS, Alert, AlertKind, AlertQueue, AlertTier, tier_for
from .net.protocol import CollectorStatus, TelemetrySample, TelemetryUpdate
from .widgets.style import ALERT_GAP_MS, ALERT_SHOW_MS

#: How often rooms are checked for having gone silent (off line), milliseconds.
CHECK_INTERVAL_MS = 1000


class AlertCenter(QObject):
    #: An alert to put on screen now, for ``show_ms``.
    alert_shown = Signal(object)
    #: Every alert raised, shown or not (muted), for the history.
    alert_raised = Signal(object)
    muted_changed = Signal(bool)

    def __init__(
        self,
        tiers: Sequence[AlertTier] = DEFAULT_TIERS,
        *,
        rules: AlertRules | None = None,
        show_ms: int = ALERT_SHOW_MS,
        gap_ms: int = ALERT_GAP_MS,
        play_sound: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        """``clock``: the server's time (a ServerClock's ``now``): rooms go off line by their
        samples' own times."""
        super().__init__(parent)
        self.tiers = list(tiers)
        self.queue = AlertQueue(show_ms, gap_ms)
        self._muted = False
        self._play = play_sound
        self._clock = clock
        self.rooms = RoomRules(rules or AlertRules())
        #: Silent collectors' rooms: their going off line is told once, by the collector's alert.
        self._silent: dict[str, frozenset[RoomKey]] = {}
        #: Rooms of a collector that posts again: their coming back is told by its alert.
        self._returning: set[RoomKey] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_due)
        self._check_timer = QTimer(self)
        self._check_timer.timeout.connect(self.check)
        self._check_timer.start(CHECK_INTERVAL_MS)

    @property
    def show_ms(self) -> int:
        return self.queue.show_ms

    @property
    def rules(self) -> AlertRules:
        return self.rooms.rules

    def set_rules(self, rules: AlertRules) -> None:
        """New settings.  Rules whose thresholds changed start afresh (what they watched is
        learnt again); a goal or a muted room changes nothing else."""
        old = self.rooms.rules
        thresholds = (
            "stale_after",
            "drop_percent",
            "drop_minutes",
            "drop_min_viewers",
            "drop_min_lost",
        )
        if all(getattr(old, name) == getattr(rules, name) for name in thresholds):
            self.rooms.rules = rules
            self.rooms.goal.goals = rules.goals
        else:
            self.rooms = RoomRules(rules)

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        """While muted nothing is shown or played, and what waits is dropped."""
        if muted == self._muted:
            return
        self._muted = muted
        if muted:
            self.queue.clear()
            self._timer.stop()
        self.muted_changed.emit(muted)

    def reset(self) -> None:
        """Forget the session's rooms and every alert waiting to be shown (another user may
        log in next, with other rooms: nothing of these may reach them)."""
        self.queue.clear()
        self._timer.stop()
        self.rooms = RoomRules(self.rooms.rules)
        self._silent.clear()
        self._returning.clear()

    def known(self, samples: Iterable[TelemetrySample]) -> None:
        """Rooms as a snapshot or poll gives them: learnt (their goal, audience, liveness),
        never an alert."""
        now = self._clock()
        for s in samples:
            self.rooms.known(s.key, s.tokens_count, s.viewers_count, s.timestamp, now)

    def forget(self, keys: set[RoomKey]) -> None:
        self.rooms.forget(keys)

    def offer(self, update: TelemetryUpdate) -> Alert | None:
        """Raise what this update makes news of; returns its tip alert, if it is one."""
        data = update.data
        key = RoomKey(update.room_id, data.platform)
        tip = None
        tier = tier_for(data.tokens_delta, self.tiers)
        if tier is not None and self.rules.tips:
            tip = Alert(update.room_id, data.platform, data.tokens_delta, tier)
        others = self.rooms.changed(key, data.tokens, data.viewers, data.timestamp, self._clock())
        for alert in [tip, *others] if tip else others:
            self._raise(alert)
        return tip if tip is not None and not self._silenced(tip) else None

    def collector(self, status: CollectorStatus) -> None:
        """The server says a collector went silent or posts again.  The alert's "room" is the
        key (platform ``collector``); its amount, the rooms it feeds; its value, the latest post."""
        if not self.rules.collectors:
            return
        silent = status.state == "silent"
        rooms = frozenset(RoomKey(r.room_id, r.platform) for r in status.rooms)
        if silent:
            # One alert for a dead studio PC, not one per room: the rooms' own off-line alerts
            # are listed, not shown (those waiting are taken back).
            self._silent[status.key] = rooms
            self._returning -= rooms
            self.queue.drop(rooms, AlertKind.OFFLINE)
        else:
            self._returning |= self._silent.pop(status.key, rooms)
            self.queue.drop(rooms, AlertKind.ONLINE)
        kind = AlertKind.COLLECTOR_SILENT if silent else AlertKind.COLLECTOR_BACK
        self._raise(Alert(status.key, "collector", len(rooms), kind=kind, value=status.last_post))

    def check(self) -> None:
        """Rooms that went silent (off line)."""
        for alert in self.rooms.check(self._clock()):
            self._raise(alert)

    def send_test(self) -> Alert:
        """An alert of the highest tier that does not come from a room (the settings button).
        It is shown even when muted, since the user asked for it."""
        tier = max(self.tiers, key=lambda t: t.threshold) if self.tiers else DEFAULT_TIERS[-1]
        alert = Alert("test", "godmode", tier.threshold, tier, test=True)
        self._push(alert)
        return alert

    def _silenced(self, alert: Alert) -> bool:
        return self._muted or alert.key in self.rules.muted_rooms or self._told(alert)

    def _told(self, alert: Alert) -> bool:
        """Said already by a collector's alert (its rooms going off line, or coming back)."""
        if alert.kind is AlertKind.OFFLINE:
            return any(alert.key in rooms for rooms in self._silent.values())
        if alert.kind is AlertKind.ONLINE and alert.key in self._returning:
            self._returning.discard(alert.key)
            return True
        return False

    def _raise(self, alert: Alert) -> None:
        self.alert_raised.emit(alert)
        if not self._silenced(alert):
            self._push(alert)

    def _push(self, alert: Alert) -> None:
        self.queue.push(alert)
        self._show_due()

    def _show_due(self) -> None:
        now = time.monotonic() * 1000
        alert = self.queue.pop_due(now)
        if alert is not None:
            if self._play is not None and not self._muted:
                self._play(alert.sound)
            self.alert_shown.emit(alert)
        wait = self.queue.due_in(time.monotonic() * 1000)
        if wait is not None:
            self._timer.start(max(1, round(wait)))
