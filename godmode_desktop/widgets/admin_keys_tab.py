"""The Administration's *Keys and collectors* tab: each ingest key with what it posts, how long it
has been silent, and what its collector says of itself (the extension's health reports: the
counters it could not read, and which way of reading gave each counter)."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout, QWidget

from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import KeySummary

from .admin_tables import fill_table, make_table, rooms_list, rooms_summary
from .rooms_format import format_age
from .style import FLASH_DOWN


def _miss_kind(kind: str) -> str:
    return {
        "missing": tr("missing"),
        "malformed": tr("malformed"),
        "disagree": tr("read two ways that disagree"),
    }.get(kind, kind)


def _collector_health(key: KeySummary, now: float) -> tuple[str, str, str]:
    """What the key's collector last said of itself: (version and age of the report, problems,
    the strategy each counter was read with)."""
    if key.health is None:
        return tr("no report"), "", ""
    report = key.health.report
    collector = tr("{version}, reported {age}").format(
        version=report.version, age=format_age(max(0.0, now - key.health.received_at))
    )
    if report.managed:
        collector += tr(" (set by policy)")
    problems = [
        tr("{platform} {field} {kind} ×{count}").format(
            platform=m.platform,
            field=m.field,
            kind=_miss_kind(m.kind),
            count=m.count,
        )
        for m in report.selector_misses
    ]
    if report.refused_posts:
        problems.append(tr("{count} posts refused").format(count=report.refused_posts))
    if report.queue_length:
        problems.append(tr("{count} waiting").format(count=report.queue_length))
    read_by = "; ".join(
        f"{u.platform} {u.field}: {u.strategy}"
        for u in sorted(report.strategies, key=lambda u: (u.platform, u.field))
    )
    return collector, "; ".join(problems) or tr("none"), read_by


class KeyColumn(enum.IntEnum):
    STATE = 1
    SILENT_FOR = 3
    ROOMS = 4


def _state(key: KeySummary) -> str:
    if key.revoked:
        return tr("revoked")
    return tr("silent") if key.silent else tr("active")


class KeysTab(QWidget):
    create_key_requested = Signal(str)
    revoke_key_requested = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.keys: list[KeySummary] = []
        self.table = make_table(
            [
                tr("Key"),
                tr("State"),
                tr("Last post"),
                tr("Silent for"),
                tr("Rooms"),
                tr("Collector"),
                tr("Problems"),
                tr("Read by"),
            ]
        )
        self.table.setAccessibleName(tr("Ingest keys"))
        self.create_key_button = QPushButton(tr("&Create key…"))
        self.revoke_button = QPushButton(tr("Re&voke key"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_key_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.create_key_button.clicked.connect(self._create_key)
        self.revoke_button.clicked.connect(self._revoke)

    def show_keys(self, keys: list[KeySummary]) -> None:
        """The keys, silent collectors first (in the colour of bad news), revoked ones last."""
        self.keys = sorted(keys, key=lambda k: (not k.silent, k.revoked))
        now = self._clock()
        fill_table(
            self.table,
            [
                [
                    k.name,
                    _state(k),
                    time.strftime("%Y-%m-%d %H:%M", time.localtime(k.last_post))
                    if k.last_post
                    else tr("never"),
                    format_age(now - k.last_post) if k.last_post else "",
                    rooms_summary(k.rooms),
                    *_collector_health(k, now),
                ]
                for k in self.keys
            ],
        )
        for row, k in enumerate(self.keys):
            rooms = self.table.item(row, KeyColumn.ROOMS)
            if rooms is not None:
                rooms.setToolTip(rooms_list(k.rooms))
            if k.silent:
                for column in (KeyColumn.STATE, KeyColumn.SILENT_FOR):
                    item = self.table.item(row, column)
                    if item is None:
                        continue
                    item.setForeground(FLASH_DOWN)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)

    def _create_key(self) -> None:
        name, ok = QInputDialog.getText(
            self, tr("Create key"), tr("Name of the key (e.g. the PC it goes on):")
        )
        if ok and name.strip():
            self.create_key_requested.emit(name.strip())

    def _revoke(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.keys):
            self.revoke_key_requested.emit(self.keys[row].name)
