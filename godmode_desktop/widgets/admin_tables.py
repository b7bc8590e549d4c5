"""The Administration's tables: read-only, one row selected at a time, kept selected when the
rows are shown again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from godmode_desktop.i18n import tr


def make_table(headers: Iterable[str]) -> QTableWidget:
    names = list(headers)
    table = QTableWidget(0, len(names))
    table.setHorizontalHeaderLabels(names)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    selected = table.currentRow()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    if 0 <= selected < len(rows):
        table.selectRow(selected)


class NamedRoom(Protocol):
    """A user's or a key's room, as the server lists them."""

    @property
    def room_id(self) -> str: ...

    @property
    def platform(self) -> str: ...


#: Rooms a table's cell names before "+N more" (its tool tip lists them all).
ROOMS_NAMED = 3
#: Rooms a tool tip lists before "+N more".
ROOMS_LISTED = 60


def rooms_summary(rooms: Sequence[NamedRoom]) -> str:
    """A cell's few words for a list of rooms, however long: "3: luna@chaturbate, …"."""
    if not rooms:
        return ""
    named = ", ".join(f"{r.room_id}@{r.platform}" for r in rooms[:ROOMS_NAMED])
    more = len(rooms) - ROOMS_NAMED
    if more > 0:
        named += " " + tr("+%1 more").replace("%1", str(more))
    return f"{len(rooms)}: {named}"


def rooms_list(rooms: Sequence[NamedRoom]) -> str:
    """The rooms one per line, for a tool tip."""
    lines = [f"{r.room_id}@{r.platform}" for r in rooms[:ROOMS_LISTED]]
    if len(rooms) > ROOMS_LISTED:
        lines.append(tr("+%1 more").replace("%1", str(len(rooms) - ROOMS_LISTED)))
    return "\n".join(lines)
