"""The rooms grid model: cells, flashes on a controllable clock, coalescing, sorting, filtering."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from godmode_common.rooms import RoomKey
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.flash import PEAK_ALPHA
from godmode_desktop.widgets.rooms_columns import DEFAULT_COLUMNS, Column, ColumnSpec, Follows
from godmode_desktop.widgets.rooms_filter import RoomsFilter
from godmode_desktop.widgets.rooms_model import KEY_ROLE, RoomsModel
from godmode_desktop.widgets.style import FLASH_DOWN, FLASH_UP, RESORT_MS, stale_text
from tests.helpers.clock import Clock
from tests.helpers.models import applied, room_sample, snapshot, telemetry_update


@pytest.fixture
def clock() -> Clock:
    """The server's time, where the samples below are taken (at 1, 2, ...)."""
    return Clock(now=1.0)


@pytest.fixture
def board(clock: Clock) -> RoomBoard:
    return RoomBoard(clock=clock)


@pytest.fixture
def model(board: RoomBoard, clock: Clock, qtbot: QtBot) -> RoomsModel:
    model = RoomsModel(board, stale_after=60, clock=clock, flash_clock=clock)
    model.apply(board.apply_snapshot(snapshot(room_sample("a", 100, 1), room_sample("b", 50, 1))))
    model.tick()
    return model


class Emissions:
    """Counts a model's ``dataChanged`` emissions and the rows they covered."""

    def __init__(self, model: RoomsModel) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.columns: list[tuple[int, int]] = []
        model.dataChanged.connect(self._record)

    def _record(self, top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        self.ranges.append((top.row(), bottom.row()))
        self.columns.append((top.column(), bottom.column()))

    def repainted(self, column: int) -> bool:
        return any(left <= column <= right for left, right in self.columns)


def _cell(model: RoomsModel, room: str, column: Column, role: int = Qt.ItemDataRole.DisplayRole):
    row = model.row_of(RoomKey(room, "chaturbate"))
    assert row is not None
    return model.index(row, column).data(role)


def test_rows_and_cells_follow_the_board(model: RoomsModel, board: RoomBoard) -> None:
    emissions = Emissions(model)

    model.apply([applied(board, telemetry_update("b", 75, 2, seq=2, delta=25))])
    assert emissions.ranges == [], "nothing is repainted before the frame"
    model.tick()

    assert model.rowCount() == 2
    assert _cell(model, "b", Column.TOKENS) == "75"
    assert _cell(model, "a", Column.TOKENS) == "100"
    assert _cell(model, "b", Column.ROOM) == "b"
    assert emissions.ranges == [(model.row_of(RoomKey("b", "chaturbate")),) * 2]


def test_rooms_come_and_a_room_the_server_forgot_stays_greyed_until_the_board_forgets_it(
    model: RoomsModel, board: RoomBoard, clock: Clock
) -> None:
    clock.now = 100.0
    model.apply(board.apply_snapshot(snapshot(room_sample("b", 50, 100), room_sample("c", 7, 100))))
    model.tick()
    model.refresh_clock()

    keys = [model.index(r, 0).data(KEY_ROLE) for r in range(model.rowCount())]
    assert sorted(keys) == [("a", "chaturbate"), ("b", "chaturbate"), ("c", "chaturbate")]
    assert _cell(model, "c", Column.TOKENS) == "7"
    assert _cell(model, "a", Column.TOKENS) == "100", "its last values"
    assert _cell(model, "a", Column.UPDATED) == "1 min ago"
    assert _cell(model, "a", Column.ROOM, Qt.ItemDataRole.ForegroundRole) == stale_text(
        QGuiApplication.palette()
    )
    assert model.totals().live == 2, "a grey room is not live"

    clock.now = 1 + board.forget_after + 1
    model.apply(board.prune())
    model.tick()
    keys = [model.index(r, 0).data(KEY_ROLE) for r in range(model.rowCount())]
    assert sorted(keys) == [("b", "chaturbate"), ("c", "chaturbate")]


def test_totals_count_every_live_room(model: RoomsModel, board: RoomBoard, qtbot: QtBot) -> None:
    with qtbot.waitSignal(model.totals_changed) as signal:
        model.apply([applied(board, telemetry_update("a", 130, 2, seq=2, delta=30, viewers=9))])
        model.tick()
    [totals] = signal.args
    assert (totals.viewers, totals.live) == (14, 2)
    assert (totals.shift_tokens, totals.day_tokens) == (0, 0), "the server told no figures"


def test_a_rise_flashes_green_and_fades_in_600_ms(
    model: RoomsModel, board: RoomBoard, clock: Clock
) -> None:
    model.apply([applied(board, telemetry_update("a", 130, 2, seq=2, delta=30))])
    model.tick()

    start = _cell(model, "a", Column.TOKENS, Qt.ItemDataRole.BackgroundRole)
    clock.now += 0.3
    middle = _cell(model, "a", Column.TOKENS, Qt.ItemDataRole.BackgroundRole)
    clock.now += 0.3
    end = _cell(model, "a", Column.TOKENS, Qt.ItemDataRole.BackgroundRole)

    assert start.rgb() == FLASH_UP.rgb()
    assert start.alpha() == PEAK_ALPHA
    assert middle.rgb() == FLASH_UP.rgb()
    assert 0.4 * PEAK_ALPHA < middle.alpha() < 0.6 * PEAK_ALPHA, "fading"
    assert end is None, "back to normal"
    assert _cell(model, "a", Column.TIPS, Qt.ItemDataRole.BackgroundRole) is None, "unchanged"


def test_a_fall_flashes_red(model: RoomsModel, board: RoomBoard) -> None:
    model.apply(
        [applied(board, telemetry_update("a", 100, 2, seq=2, delta=0, viewers=2, viewers_delta=-3))]
    )
    model.tick()

    color = _cell(model, "a", Column.VIEWERS, Qt.ItemDataRole.BackgroundRole)
    assert color.rgb() == FLASH_DOWN.rgb()
    assert _cell(model, "a", Column.TOKENS, Qt.ItemDataRole.BackgroundRole) is None


def test_a_burst_of_5000_updates_is_one_repaint(
    model: RoomsModel, board: RoomBoard, clock: Clock
) -> None:
    emissions = Emissions(model)
    for n in range(5000):
        room = "a" if n % 2 else "b"
        change = board.apply_update(telemetry_update(room, 1000 + n, 2 + n, seq=2 + n, delta=1))
        model.apply([change] if change else [])

    model.tick()  # the frame
    clock.now += 0.6  # the flashes have run their course
    model.tick()  # one more repaint clears them
    model.tick()  # nothing left to do

    assert len(emissions.ranges) == 2
    assert _cell(model, "a", Column.TOKENS) == "5,999"
    assert _cell(model, "b", Column.TOKENS) == "5,998"
    assert not model._frame.isActive(), "the frame timer stops when idle"


def test_rooms_without_news_are_drawn_as_stale(
    model: RoomsModel, board: RoomBoard, clock: Clock
) -> None:
    clock.now += 30
    model.apply([applied(board, telemetry_update("a", 130, 31, seq=2, delta=30))])
    model.tick()
    clock.now += 40  # b: 70 s without news; a: 40 s
    model.refresh_clock()

    assert _cell(model, "b", Column.ROOM, Qt.ItemDataRole.ForegroundRole) == stale_text(
        QGuiApplication.palette()
    )
    assert _cell(model, "a", Column.ROOM, Qt.ItemDataRole.ForegroundRole) is None
    assert _cell(model, "b", Column.UPDATED) == "1 min ago"
    assert _cell(model, "a", Column.UPDATED) == "40 s ago"


def test_sorting_and_filtering_keep_the_selection(
    model: RoomsModel, board: RoomBoard, qtbot: QtBot
) -> None:
    proxy = RoomsFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(Column.TOKENS, Qt.SortOrder.DescendingOrder)
    model.apply(
        board.apply_snapshot(
            snapshot(room_sample("a", 100, 1), room_sample("b", 50, 1), room_sample("c", 10, 1))
        )
    )
    model.tick()

    def selected() -> list[tuple[str, str]]:
        return [i.data(KEY_ROLE) for i in view.selectionModel().selectedRows()]

    def order() -> list[str]:
        return [proxy.index(r, Column.ROOM).data() for r in range(proxy.rowCount())]

    source_row = model.row_of(RoomKey("b", "chaturbate"))
    assert source_row is not None
    row_b = proxy.mapFromSource(model.index(source_row, 0)).row()
    view.selectionModel().select(
        proxy.index(row_b, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert order() == ["a", "b", "c"]

    model.apply([applied(board, telemetry_update("b", 500, 2, seq=2, delta=450))])
    model.tick()
    assert order() == ["a", "b", "c"], "rows do not jump on every change..."
    qtbot.waitUntil(lambda: order() == ["b", "a", "c"], timeout=RESORT_MS * 4)  # ...but soon
    assert selected() == [("b", "chaturbate")]

    proxy.set_text("B")  # case-insensitive, on the room id
    assert order() == ["b"]
    assert selected() == [("b", "chaturbate")]
    proxy.set_text("")
    proxy.set_platform("chaturbate")
    assert order() == ["b", "a", "c"]
    assert selected() == [("b", "chaturbate")]
    proxy.set_platform("stripchat")
    assert order() == []
    proxy.set_platform("")
    view.sortByColumn(Column.ROOM, Qt.SortOrder.AscendingOrder)
    assert order() == ["a", "b", "c"]


def test_an_update_repaints_the_age_only_where_it_said_more_than_now(
    model: RoomsModel, board: RoomBoard, clock: Clock
) -> None:
    """The numbers are repainted on every change; "last update" only where it showed an age
    (a busy room says "0 s ago" all along, and saves a cell per frame)."""
    cells: list[tuple[int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=None: cells.append((top.row(), top.column(), bottom.column()))
    )
    clock.now += 5
    model.refresh_clock()  # both rooms now show "5 s ago"
    cells.clear()
    row_a = model.row_of(RoomKey("a", "chaturbate"))

    model.apply([applied(board, telemetry_update("a", 130, 6, seq=2, delta=30))])
    model.tick()
    assert (row_a, Column.UPDATED, Column.UPDATED) in cells
    assert _cell(model, "a", Column.UPDATED) == "0 s ago"

    cells.clear()
    clock.now += 0.1
    model.apply([applied(board, telemetry_update("a", 140, 6, seq=3, delta=10))])
    model.tick()
    assert [c for c in cells if c[2] >= Column.UPDATED] == [], "still 0 s ago: not repainted"
    assert (row_a, Column.SHIFT, Column.TIPS) in cells, "the sample's columns, not the age"


def test_new_rooms_take_their_place_in_the_order_at_once(
    model: RoomsModel, board: RoomBoard
) -> None:
    """Only changed values wait for the next re-sort; a room just come in (the first snapshot,
    a new room) is shown where it belongs."""
    model.sort(Column.TOKENS, Qt.SortOrder.DescendingOrder)
    model.apply([applied(board, telemetry_update("z", 999, 2, seq=2, delta=0))])
    model.tick()

    rooms = [model.index(r, Column.ROOM).data() for r in range(model.rowCount())]
    assert rooms == ["z", "a", "b"]


@pytest.mark.parametrize("position", ["last", "after tokens/hour"])
def test_a_new_column_is_repainted_when_its_value_changes(
    board: RoomBoard, clock: Clock, qtbot: QtBot, position: str
) -> None:
    """The repaint ranges come from the column definitions: a column added anywhere is
    repainted by the frames that change it, and not by the others."""
    extra = ColumnSpec(lambda: "Viewers (again)", "viewers", Follows.SAMPLE, numeric=True)
    at = len(DEFAULT_COLUMNS) if position == "last" else Column.TOKENS_PER_HOUR + 1
    columns = (*DEFAULT_COLUMNS[:at], extra, *DEFAULT_COLUMNS[at:])
    model = RoomsModel(board, stale_after=60, clock=clock, flash_clock=clock, columns=columns)
    model.apply(board.apply_snapshot(snapshot(room_sample("a", 100, 1, viewers=5))))
    model.tick()
    assert model.columnCount() == len(DEFAULT_COLUMNS) + 1
    assert model.headerData(at, Qt.Orientation.Horizontal) == "Viewers (again)"
    emissions = Emissions(model)

    model.apply([applied(board, telemetry_update("a", 130, 2, seq=2, delta=30, viewers=9))])
    model.tick()

    assert emissions.repainted(at), f"column {at} not repainted: {emissions.columns}"
    assert model.index(0, at).data() == "9"
    assert model.index(0, at).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    # Sorting by it works like any numeric column.
    model.apply(
        board.apply_snapshot(
            snapshot(room_sample("a", 1, 5, viewers=3), room_sample("b", 1, 5, viewers=7))
        )
    )
    model.tick()
    model.sort(at, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, Column.ROOM).data() for r in range(2)] == ["b", "a"]


def test_a_frame_of_flashes_only_repaints_no_value(
    model: RoomsModel, board: RoomBoard, clock: Clock
) -> None:
    model.apply([applied(board, telemetry_update("a", 130, 2, seq=2, delta=30))])
    model.tick()
    emissions = Emissions(model)
    clock.now += 0.1  # still lit: the next frame repaints the flashing cells only
    model.tick()
    assert emissions.columns == [(Column.SHIFT, Column.TIPS)], "the flashing columns' span"
