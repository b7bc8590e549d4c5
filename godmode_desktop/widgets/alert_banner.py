"""Alerts shown inside the window, where the desktop has no system tray; and the tray itself."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QMouseEvent
from PySide6.QtWidgets import QLabel, QMenu, QSystemTrayIcon, QWidget

from godmode_desktop.alerts import Alert, AlertKind
from godmode_desktop.i18n import tr

from .style import FLASH_DOWN, FLASH_UP

#: The default tiers' labels, so that translators see them; a label typed in the settings is
#: shown as typed (or translated, if it happens to be one of these).
DEFAULT_LABELS = (
    QT_TRANSLATE_NOOP("", "Tip"),
    QT_TRANSLATE_NOOP("", "Big tip"),
    QT_TRANSLATE_NOOP("", "Huge tip"),
)


#: Rooms a summary names before "and N more".
NAMED_ROOMS = 3

#: Alerts that are bad news: never shown in the colour of good news.
BAD_NEWS = frozenset({AlertKind.OFFLINE, AlertKind.AUDIENCE_DROP, AlertKind.COLLECTOR_SILENT})


def default_tier_labels() -> dict[str, str]:
    """The default tiers' labels (kept in English in the settings) as the user reads them."""
    return {"Tip": tr("Tip"), "Big tip": tr("Big tip"), "Huge tip": tr("Huge tip")}


def tier_label(label: str) -> str:
    """A tier's label to show: a default one translated, the user's own as they typed it."""
    return default_tier_labels().get(label, label)


def tier_source(shown: str) -> str:
    """The label to keep for what the settings show: a default one in English again (it
    follows the language), the user's own as typed."""
    return next((source for source, text in default_tier_labels().items() if text == shown), shown)


def alert_title(alert: Alert) -> str:
    if alert.kind is AlertKind.TIP:
        return tier_label(alert.tier.label) if alert.tier is not None else tr("Tip")
    if alert.kind is AlertKind.OFFLINE and alert.rooms:
        return tr("%1 rooms off line").replace("%1", str(len(alert.rooms)))
    return {
        AlertKind.TIPS: tr("%1 tips").replace("%1", str(alert.count)),
        AlertKind.OFFLINE: tr("Off line"),
        AlertKind.ONLINE: tr("Back on line"),
        AlertKind.AUDIENCE_DROP: tr("Audience drop"),
        AlertKind.GOAL: tr("Goal reached"),
        AlertKind.COLLECTOR_SILENT: tr("Collector silent"),
        AlertKind.COLLECTOR_BACK: tr("Collector back"),
    }[alert.kind]


def alert_text(alert: Alert) -> str:
    room = f"{alert.room_id} ({alert.platform})"
    if alert.test:
        return tr("Test alert: this is how a tip of %1 tokens looks.").replace(
            "%1", str(alert.tokens_delta)
        )
    if alert.kind is AlertKind.TIPS and len(alert.rooms) > 1:
        named = _named(alert, lambda amount: f"+{amount}")
        return tr("%1 tokens: %2").replace("%1", f"+{alert.tokens_delta}").replace("%2", named)
    if alert.kind is AlertKind.OFFLINE and alert.rooms:
        return tr("%1: no new samples").replace("%1", _named(alert))
    if alert.kind is AlertKind.OFFLINE:
        minutes = max(1, round(alert.tokens_delta / 60))
        return tr("%1: no sample for %2 min").replace("%1", room).replace("%2", str(minutes))
    if alert.kind is AlertKind.COLLECTOR_SILENT and not alert.tokens_delta:
        since = time.strftime("%H:%M", time.localtime(alert.value))
        return (
            tr("Key %1 has posted nothing since %2")
            .replace("%1", alert.room_id)
            .replace("%2", since)
        )
    if alert.kind is AlertKind.COLLECTOR_SILENT:
        since = time.strftime("%H:%M", time.localtime(alert.value))
        text = (
            tr("%1: 1 room off line, nothing posted since %2")
            if alert.tokens_delta == 1
            else tr("%1: %3 rooms off line, nothing posted since %2")
        )
        return (
            text.replace("%1", alert.room_id)
            .replace("%2", since)
            .replace("%3", str(alert.tokens_delta))
        )
    if alert.kind is AlertKind.COLLECTOR_BACK:
        return tr("Key %1 posts again").replace("%1", alert.room_id)
    if alert.kind is AlertKind.ONLINE and alert.rooms:
        return (
            tr("%1 rooms are sending again: %2")
            .replace("%1", str(len(alert.rooms)))
            .replace("%2", _named(alert))
        )
    if alert.kind is AlertKind.ONLINE:
        return tr("%1 is sending again").replace("%1", room)
    if alert.kind is AlertKind.AUDIENCE_DROP:
        after = alert.value - alert.tokens_delta
        percent = round(100 * alert.tokens_delta / alert.value) if alert.value else 0
        return (
            tr("%1: viewers %2 → %3 (−%4 %)")
            .replace("%1", room)
            .replace("%2", str(alert.value))
            .replace("%3", str(after))
            .replace("%4", str(percent))
        )
    if alert.kind is AlertKind.GOAL:
        return (
            tr("%1 earned %2 tokens this broadcast (goal %3)")
            .replace("%1", room)
            .replace("%2", str(alert.tokens_delta))
            .replace("%3", str(alert.value))
        )
    return (
        tr("%1 tokens in %2 (%3)")
        .replace("%1", f"+{alert.tokens_delta}")
        .replace("%2", alert.room_id)
        .replace("%3", alert.platform)
    )


def _named(alert: Alert, amount: Callable[[int], str] | None = None) -> str:
    """A summary's first rooms (the biggest first), with their amounts, and how many more."""
    parts = [
        f"{key.room_id} ({amount(value)})" if amount is not None else key.room_id
        for key, value in alert.rooms[:NAMED_ROOMS]
    ]
    named = ", ".join(parts)
    more = len(alert.rooms) - NAMED_ROOMS
    return tr("%1 and %2 more").replace("%1", named).replace("%2", str(more)) if more > 0 else named


class AlertBanner(QLabel):
    """A coloured strip at the top of the window; clicking it selects the alert's room."""

    clicked = Signal(object)  # the Alert

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._alert: Alert | None = None
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide)
        self.hide()

    @property
    def alert(self) -> Alert | None:
        return self._alert if self.isVisible() else None

    def show_alert(self, alert: Alert, duration_ms: int) -> None:
        self._alert = alert
        colour = FLASH_DOWN if alert.kind in BAD_NEWS else FLASH_UP
        self.setStyleSheet(
            f"background: {colour.name()}; color: white; font-weight: bold; padding: 8px;"
        )
        self.setText(f"{alert_title(alert)} — {alert_text(alert)}")
        self.show()
        self._hide_timer.start(duration_ms)

    def dismiss(self) -> None:
        """Hide it and forget its alert at once."""
        self._hide_timer.stop()
        self._alert = None
        self.clear()
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._alert is not None:
            self.clicked.emit(self._alert)
        self.hide()
        event.accept()


class Tray(QSystemTrayIcon):
    """The tray icon: alerts as notifications; menu with show/hide, mute and quit."""

    alert_clicked = Signal(object)  # the Alert
    toggle_window = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, mute_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(icon, parent)
        self._last: Alert | None = None
        menu = QMenu(parent)
        menu.addAction(tr("Show/Hide window"), self.toggle_window.emit)
        menu.addAction(mute_action)
        menu.addSeparator()
        menu.addAction(tr("Quit"), self.quit_requested.emit)
        self.setContextMenu(menu)
        self.setToolTip("God Mode")
        self.messageClicked.connect(self._clicked)

    def show_unread(self, unread: int) -> None:
        """The count of alerts not seen yet, in the tooltip."""
        if unread:
            self.setToolTip(tr("God Mode — unread alerts: %1").replace("%1", str(unread)))
        else:
            self.setToolTip("God Mode")

    def show_alert(self, alert: Alert, duration_ms: int) -> None:
        self._last = alert
        bad = alert.kind in BAD_NEWS
        icon = (
            QSystemTrayIcon.MessageIcon.Warning if bad else QSystemTrayIcon.MessageIcon.Information
        )
        self.showMessage(alert_title(alert), alert_text(alert), icon, duration_ms)

    def forget_alert(self) -> None:
        """The last notification belongs to a session that ended: clicking it does nothing,
        and the count of unread alerts goes."""
        self._last = None
        self.show_unread(0)

    def _clicked(self) -> None:
        if self._last is not None:
            self.alert_clicked.emit(self._last)
