"""The Administration's *Audit log* tab: who did what to whom, when and from where (the
server's record of every administrative act, from the app, the API or the command line),
filtered by who, what and when."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from godmode_desktop.i18n import tr
from godmode_desktop.net.protocol import AuditRecord

from .admin_tables import fill_table, make_table

#: The details column, and how much of a detail its tool tip shows.
DETAILS, MAX_TOOLTIP = 5, 4000


def _when_choices() -> list[tuple[str, int | None]]:
    """(label, seconds back from now; None for everything read)."""
    return [
        (tr("Any time"), None),
        (tr("Last 24 hours"), 86400),
        (tr("Last 7 days"), 7 * 86400),
        (tr("Last 30 days"), 30 * 86400),
    ]


class AuditTab(QWidget):
    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.records: list[AuditRecord] = []
        self.shown: list[AuditRecord] = []
        self.who_box = QComboBox()
        self.who_box.setAccessibleName(tr("Who"))
        self.what_box = QComboBox()
        self.what_box.setAccessibleName(tr("What"))
        self.when_box = QComboBox()
        self.when_box.setAccessibleName(tr("When"))
        for label, seconds in _when_choices():
            self.when_box.addItem(label, seconds)
        self.table = make_table(
            [tr("When"), tr("Who"), tr("What"), tr("To whom"), tr("From"), tr("Details")]
        )
        self.table.setAccessibleName(tr("Audit log"))
        # The details (a thousand rooms assigned, say) fill what is left of the width, cut
        # short there; each row's tool tip holds them whole.
        self.table.setProperty("elides_cells", True)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for label, box in (
            (tr("Who"), self.who_box),
            (tr("What"), self.what_box),
            (tr("When"), self.when_box),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(box)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        for box in (self.who_box, self.what_box, self.when_box):
            box.currentIndexChanged.connect(self._filter)

    def show_records(self, records: list[AuditRecord]) -> None:
        """The latest entries, newest first; the filters keep their choice where it still
        exists."""
        self.records = list(records)
        for box, values in (
            (self.who_box, {r.actor for r in records}),
            (self.what_box, {r.action for r in records}),
        ):
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(tr("Anyone") if box is self.who_box else tr("Anything"), None)
            for value in sorted(values):
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(chosen)))
            box.blockSignals(False)
        self._filter()

    def _filter(self) -> None:
        who, what, back = (
            self.who_box.currentData(),
            self.what_box.currentData(),
            self.when_box.currentData(),
        )
        since = self._clock() - back if back is not None else None
        self.shown = [
            r
            for r in self.records
            if (who is None or r.actor == who)
            and (what is None or r.action == what)
            and (since is None or r.at >= since)
        ]
        fill_table(
            self.table,
            [
                [
                    time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.at)),
                    r.actor,
                    r.action,
                    r.target,
                    r.address,
                    r.detail,
                ]
                for r in self.shown
            ],
        )
        for row, record in enumerate(self.shown):
            item = self.table.item(row, DETAILS)
            if item is not None:
                item.setToolTip(record.detail[:MAX_TOOLTIP])
        self.count_label.setText(
            tr("%1 of %2 entries")
            .replace("%1", str(len(self.shown)))
            .replace("%2", str(len(self.records)))
        )
