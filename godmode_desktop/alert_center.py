"""Turns live updates into alerts, one at a time, and says when to show each.

Presenters (the tray, or the in-window banner where the desktop has no tray) connect to
:attr:`AlertCenter.alert_shown`; the sound is played here, once per alert.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from .alerts import DEFAULT_TIERS, Alert, AlertQueue, AlertTier, tier_for
from .net.protocol import TelemetryUpdate
from .widgets.style import ALERT_GAP_MS, ALERT_SHOW_MS


class AlertCenter(QObject):
    #: An alert to put on screen now, for ``show_ms``.
    alert_shown = Signal(object)
    muted_changed = Signal(bool)

    def __init__(
        self,
        tiers: Sequence[AlertTier] = DEFAULT_TIERS,
        *,
        show_ms: int = ALERT_SHOW_MS,
        gap_ms: int = ALERT_GAP_MS,
        play_sound: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tiers = list(tiers)
        self.queue = AlertQueue(show_ms, gap_ms)
        self._muted = False
        self._play = play_sound
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_due)

    @property
    def show_ms(self) -> int:
        return self.queue.show_ms

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

    def offer(self, update: TelemetryUpdate) -> Alert | None:
        """Queue an alert if this update is a tip jump that reaches a tier."""
        tier = tier_for(update.data.tokens_delta, self.tiers)
        if tier is None or self._muted:
            return None
        alert = Alert(update.room_id, update.data.platform, update.data.tokens_delta, tier)
        self._push(alert)
        return alert

    def send_test(self) -> Alert:
        """An alert of the highest tier that does not come from a room (the settings button).
        It is shown even when muted, since the user asked for it."""
        tier = max(self.tiers, key=lambda t: t.threshold) if self.tiers else DEFAULT_TIERS[-1]
        alert = Alert("test", "godmode", tier.threshold, tier, test=True)
        self._push(alert)
        return alert

    def _push(self, alert: Alert) -> None:
        self.queue.push(alert)
        self._show_due()

    def _show_due(self) -> None:
        now = time.monotonic() * 1000
        alert = self.queue.pop_due(now)
        if alert is not None:
            if self._play is not None and not self._muted:
                self._play(alert.tier.sound)
            self.alert_shown.emit(alert)
        wait = self.queue.due_in(time.monotonic() * 1000)
        if wait is not None:
            self._timer.start(max(1, round(wait)))
