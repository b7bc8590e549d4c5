"""The grid's delegate, judged by the pixels it paints: flashes, stale rooms, selection, and the
same placement of text as Qt's own delegate."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QTableView
from pytestqt.qtbot import QtBot

from godmode_common.rooms import RoomKey
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.flash import PEAK_ALPHA
from godmode_desktop.widgets.rooms_columns import Column
from godmode_desktop.widgets.rooms_delegate import MARK_WIDTH, PADDING, RoomsDelegate
from godmode_desktop.widgets.rooms_model import RoomsModel
from godmode_desktop.widgets.style import FLASH_DURATION_MS, FLASH_UP
from tests.helpers.clock import Clock
from tests.helpers.models import applied, room_sample, snapshot, telemetry_update


@pytest.fixture
def clock() -> Clock:
    """The server's time, where the samples below are taken (at 1, 2, ...)."""
    return Clock(now=1.0)


@pytest.fixture
def model(clock: Clock, qtbot: QtBot) -> RoomsModel:
    board = RoomBoard(clock=clock)
    model = RoomsModel(board, stale_after=60, clock=clock, flash_clock=clock)
    model.apply(board.apply_snapshot(snapshot(room_sample("a", 100, 1), room_sample("b", 50, 1))))
    model.tick()
    return model


def _table(qtbot: QtBot, model: RoomsModel, delegate: QStyledItemDelegate | None = None):
    table = QTableView()
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setItemDelegate(delegate or RoomsDelegate(table))
    table.resize(760, 200)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    return table


def _pixels(
    table: QTableView, model: RoomsModel, room: str, column: Column
) -> tuple[QImage, QRect]:
    row = model.row_of(RoomKey(room, "chaturbate"))
    assert row is not None
    rect = table.visualRect(model.index(row, column))
    return table.viewport().grab().toImage(), rect


def _base(table: QTableView, row: int) -> QColor:
    role = QPalette.ColorRole.AlternateBase if row % 2 else QPalette.ColorRole.Base
    return table.palette().color(role)


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(_rgb(a), _rgb(b), strict=True))


def _rgb(color: QColor) -> tuple[int, int, int]:
    return color.red(), color.green(), color.blue()


def _darkest(image: QImage, rect: QRect) -> int:
    return min(
        QColor(image.pixel(x, y)).value()
        for x in range(rect.left(), rect.right())
        for y in range(rect.top(), rect.bottom())
    )


def _ink(image: QImage, rect: QRect) -> tuple[int, int]:
    """The leftmost and rightmost columns of a cell where text was drawn."""
    xs = [
        x
        for x in range(rect.left() + 1, rect.right() - 1)
        for y in range(rect.top() + 1, rect.bottom() - 1)
        if QColor(image.pixel(x, y)).value() < 128
    ]
    return min(xs), max(xs)


def test_a_changed_number_is_painted_in_its_flash_colour_until_it_fades(
    qtbot: QtBot, model: RoomsModel, clock: Clock
) -> None:
    table = _table(qtbot, model)
    row = model.row_of(RoomKey("a", "chaturbate"))
    assert row is not None
    model.apply([applied(model.board, telemetry_update("a", 130, 2, seq=2, delta=30))])
    model.tick()

    image, rect = _pixels(table, model, "a", Column.TOKENS)
    lit = QColor(image.pixel(rect.left() + 2, rect.center().y()))  # numbers sit on the right
    base = _base(table, row)
    alpha = PEAK_ALPHA / 255
    expected = QColor(
        *(
            round(b * (1 - alpha) + f * alpha)
            for b, f in zip(_rgb(base), _rgb(FLASH_UP), strict=True)
        )
    )
    assert _close(lit, expected), (lit.getRgb(), expected.getRgb())

    clock.now += FLASH_DURATION_MS / 1000
    model.tick()
    image, rect = _pixels(table, model, "a", Column.TOKENS)
    assert _close(QColor(image.pixel(rect.left() + 2, rect.center().y())), base)


def test_a_stale_room_is_drawn_in_the_stale_colour(
    qtbot: QtBot, model: RoomsModel, clock: Clock
) -> None:
    table = _table(qtbot, model)
    clock.now += 30
    model.apply([applied(model.board, telemetry_update("a", 130, 31, seq=2, delta=30))])
    model.tick()
    clock.now += 40  # b: 70 s without news
    model.refresh_clock()

    image, stale = _pixels(table, model, "b", Column.ROOM)
    _, fresh = _pixels(table, model, "a", Column.ROOM)
    assert _darkest(image, fresh) < 60, "normal text is dark"
    assert 130 <= _darkest(image, stale) <= 170, (
        "stale text is grey (stale_text: the text faded towards the background)"
    )


def test_the_selected_row_is_painted_in_the_highlight_colour(
    qtbot: QtBot, model: RoomsModel
) -> None:
    table = _table(qtbot, model)
    row = model.row_of(RoomKey("b", "chaturbate"))
    assert row is not None
    table.selectionModel().select(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    image, rect = _pixels(table, model, "b", Column.TIPS)
    highlight = table.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    inactive = table.palette().color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight)
    painted = QColor(image.pixel(rect.left() + 2, rect.center().y()))
    assert _close(painted, highlight) or _close(painted, inactive), painted.getRgb()


@pytest.mark.parametrize("column", [Column.ROOM, Column.TOKENS])
def test_text_sits_where_qts_own_delegate_puts_it(
    qtbot: QtBot, model: RoomsModel, column: Column
) -> None:
    ours = _table(qtbot, model)
    theirs = _table(qtbot, model, QStyledItemDelegate())

    left, right = _ink(*_pixels(ours, model, "a", column))
    their_left, their_right = _ink(*_pixels(theirs, model, "a", column))
    assert abs(left - their_left) <= 1
    assert abs(right - their_right) <= 1


def _mark_rows(image: QImage, rect: QRect) -> list[int]:
    """Dark pixels per row of the mark's area (left of the number), top to bottom."""
    return [
        sum(
            1
            for x in range(rect.left() + PADDING + 1, rect.left() + PADDING + 1 + MARK_WIDTH)
            if QColor(image.pixel(x, y)).value() < 128
        )
        for y in range(rect.top() + 1, rect.bottom() - 1)
    ]


def test_a_change_is_told_by_an_up_or_down_mark_not_by_colour_alone(
    qtbot: QtBot, model: RoomsModel, clock: Clock
) -> None:
    table = _table(qtbot, model)
    image, rect = _pixels(table, model, "a", Column.TOKENS)
    assert sum(_mark_rows(image, rect)) == 0, "no change: no mark"

    model.apply([applied(model.board, telemetry_update("a", 130, 2, seq=2, delta=30))])
    model.tick()
    image, rect = _pixels(table, model, "a", Column.TOKENS)
    rows = [n for n in _mark_rows(image, rect) if n]
    assert len(rows) >= 3, rows
    assert rows[0] < rows[-1], f"▲ (narrow at the top): {rows}"
    index = model.index(model.row_of(RoomKey("a", "chaturbate")) or 0, Column.TOKENS)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).endswith(", up")

    clock.now += 0.1
    model.apply([applied(model.board, telemetry_update("a", 100, 3, seq=3, delta=-30))])
    model.tick()
    image, rect = _pixels(table, model, "a", Column.TOKENS)
    rows = [n for n in _mark_rows(image, rect) if n]
    assert rows[0] > rows[-1], f"▼ (wide at the top): {rows}"
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).endswith(", down")

    clock.now += FLASH_DURATION_MS / 1000
    model.tick()
    image, rect = _pixels(table, model, "a", Column.TOKENS)
    assert sum(_mark_rows(image, rect)) == 0, "the mark goes with the flash"
    assert not index.data(Qt.ItemDataRole.AccessibleTextRole).endswith(("up", "down"))
