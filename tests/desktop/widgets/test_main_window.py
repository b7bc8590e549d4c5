"""The main window on its own: totals, alerts inside the window, selecting a room, keys."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from godmode_common.rooms import RoomKey
from godmode_desktop.alerts import DEFAULT_TIERS, Alert, AlertKind
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.main_window import MainWindow
from godmode_desktop.widgets.rooms_columns import Column
from godmode_desktop.widgets.rooms_model import RoomsModel
from godmode_desktop.widgets.style import FLASH_DOWN, FLASH_UP, TOTALS_MS
from tests.helpers.models import live_room, snapshot


def _window(qtbot: QtBot) -> tuple[MainWindow, RoomsModel, RoomBoard]:
    board = RoomBoard()
    model = RoomsModel(board)
    window = MainWindow(model, ["chaturbate", "stripchat"])
    qtbot.addWidget(window)
    now = int(time.time())
    model.apply(
        board.apply_snapshot(
            snapshot(
                live_room(
                    "a",
                    1000,
                    now,
                    shift=800,
                    day=1200,
                    shift_usd="40.00",
                    day_usd="60.05",
                    tips=3,
                    viewers=10,
                ),
                live_room("b", 500, now, shift=300, day=500, shift_usd="15.00", viewers=7),
            )
        )
    )
    model.tick()
    return window, model, board


def test_totals_show_every_live_room(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    expected = "Shift 1,100 · Today 1,700 · Viewers 17 · Live 2"
    # Sums follow the changes a few times a second (TOTALS_MS), not on every update.
    qtbot.waitUntil(lambda: window.totals_label.text() == expected, timeout=TOTALS_MS * 8)


def test_totals_follow_the_filter(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    window.filter_edit.setText("A")  # room ids containing "a", as the rows
    assert window.totals_label.text() == "Shown: shift 800 · today 1,200 · viewers 10 · live 1"
    assert window.proxy.rowCount() == 1
    window.filter_edit.clear()
    window.platform_box.setCurrentIndex(window.platform_box.findData("stripchat"))
    assert window.totals_label.text() == "Shown: shift 0 · today 0 · viewers 0 · live 0"
    assert window.proxy.rowCount() == 0
    window.platform_box.setCurrentIndex(0)
    assert window.totals_label.text() == "Shift 1,100 · Today 1,700 · Viewers 17 · Live 2"


def _cells(window: MainWindow, column: int) -> list[str]:
    return [str(window.proxy.index(row, column).data()) for row in range(window.proxy.rowCount())]


def test_money_shows_the_shift_and_the_day_in_dollars_and_says_where_no_rate_is_set(
    qtbot: QtBot,
) -> None:
    window, model, _ = _window(qtbot)
    window.table.sortByColumn(Column.SHIFT, Qt.SortOrder.DescendingOrder)
    assert _cells(window, Column.SHIFT) == ["800", "300"]
    window.money_action.trigger()  # View → Show money

    assert model.money
    header = window.proxy.headerData
    assert header(Column.SHIFT, Qt.Orientation.Horizontal) == "This shift ($)"
    assert header(Column.DAY, Qt.Orientation.Horizontal) == "Today ($)"
    assert header(Column.VIEWERS, Qt.Orientation.Horizontal) == "Viewers"
    assert _cells(window, Column.SHIFT) == ["$40.00", "$15.00"]
    assert _cells(window, Column.DAY) == ["$60.05", "—"], "no rate for b's day: not $0"
    no_rate = window.proxy.index(1, Column.DAY).data(Qt.ItemDataRole.ToolTipRole)
    assert "No payout rate" in no_rate
    assert window.totals_label.text() == "Shift $55.00 · Today — · Viewers 17 · Live 2"
    window.filter_edit.setText("A")
    assert window.totals_label.text() == "Shown: shift $40.00 · today $60.05 · viewers 10 · live 1"
    names, rows = window.grid_rows()
    assert names[:4] == ["Room", "Platform", "This shift ($)", "Today ($)"]
    assert rows == [["a", "chaturbate", "40.00", "60.05", "", 10]], "exact dollars, no float"

    window.money_action.trigger()
    assert _cells(window, Column.SHIFT) == ["800"]
    assert window.totals_label.text() == "Shown: shift 800 · today 1,200 · viewers 10 · live 1"


def test_the_header_menu_shows_and_hides_columns_and_the_broadcast_counter_starts_hidden(
    qtbot: QtBot,
) -> None:
    window, _, _ = _window(qtbot)
    header = window.table.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert shown == [
        Column.ROOM,
        Column.PLATFORM,
        Column.SHIFT,
        Column.DAY,
        Column.TOKENS_PER_HOUR,
        Column.VIEWERS,
    ]
    menu = QMenu()
    window._fill_column_menu(menu)
    entries = {action.text(): action for action in menu.actions()}
    assert not entries["Room"].isEnabled(), "a row needs its name"
    assert "current broadcast" in entries["This broadcast"].toolTip()
    entries["This broadcast"].setChecked(True)
    assert not header.isSectionHidden(Column.TOKENS)
    assert _cells(window, Column.TOKENS) == ["1,000", "500"]
    entries["Viewers"].setChecked(False)
    assert header.isSectionHidden(Column.VIEWERS)
    assert "Viewers" not in window.grid_rows()[0]


def test_an_alert_inside_the_window_selects_its_room_when_clicked(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    window.show()
    alert = Alert("b", "chaturbate", 600, DEFAULT_TIERS[1])

    window.show_alert_in_window(alert, 5000)
    assert window.banner.isVisible()
    assert window.banner.text() == "Big tip — +600 tokens in b (chaturbate)"
    with qtbot.waitSignal(window.room_selected) as selected:
        qtbot.mouseClick(window.banner, Qt.MouseButton.LeftButton)

    assert selected.args == [("b", "chaturbate")]
    assert window.selected_room == ("b", "chaturbate")
    assert not window.banner.isVisible()
    assert window.chart.key == ("b", "chaturbate")


def test_a_room_hidden_by_a_filter_comes_back_selected(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    window.select_room(RoomKey("b", "chaturbate"))

    window.filter_edit.setText("a")
    assert window.proxy.rowCount() == 1
    window.filter_edit.setText("")

    rows = window.table.selectionModel().selectedRows()
    assert [r.data() for r in rows] == ["b"]


def _shortcut_window(qtbot: QtBot) -> MainWindow:
    window, _, _ = _window(qtbot)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    return window


def test_the_shortcuts_are_explicit_and_shown_in_the_menus(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    shown = {
        action.text(): action.shortcut().toString()
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
        if not action.shortcut().isEmpty()
    }
    assert shown == {
        "&Settings…": "Ctrl+,",
        "&Quit": "Ctrl+Q",
        "&Filter rooms": "Ctrl+F",
        "&Clear filter": "Esc",
        "&Reports…": "Ctrl+R",
        "Mute alerts": "Ctrl+M",
        "&Reconnect now": "F5",
        "&Compact rows": "Ctrl+Shift+D",
        "Show the c&hart": "Ctrl+Shift+H",
        "Show &money": "Ctrl+Shift+M",
        "&Larger": "Ctrl++",
        "&Smaller": "Ctrl+-",
        "&Default": "Ctrl+0",
    }


def test_ctrl_f_goes_to_the_filter_and_esc_clears_it(qtbot: QtBot) -> None:
    window = _shortcut_window(qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_edit.hasFocus()
    qtbot.keyClicks(window.filter_edit, "b")
    assert window.proxy.rowCount() == 1
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Escape)
    assert window.filter_edit.text() == ""
    assert window.proxy.rowCount() == 2


@pytest.mark.parametrize(
    ("key", "modifier", "signal"),
    [
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier, "reconnect"),
        (Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier, "settings_requested"),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier, "quit_requested"),
    ],
)
def test_keys_do_what_the_menus_say(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier, signal: str
) -> None:
    window = _shortcut_window(qtbot)
    emitter = (
        window.status.reconnect_requested if signal == "reconnect" else getattr(window, signal)
    )
    with qtbot.waitSignal(emitter, timeout=1000):
        qtbot.keyClick(window.table, key, modifier)


def test_ctrl_m_mutes_and_unmutes(qtbot: QtBot) -> None:
    window = _shortcut_window(qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.mute_action.isChecked()
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not window.mute_action.isChecked()


def test_the_grid_exports_as_shown_with_numbers_as_numbers(qtbot: QtBot, tmp_path: Path) -> None:
    window, _, _ = _window(qtbot)
    window.table.sortByColumn(Column.SHIFT, Qt.SortOrder.AscendingOrder)
    window.show_column(Column.UPDATED, True)
    window.table.horizontalHeader().hideSection(Column.DAY)
    window.table.horizontalHeader().moveSection(Column.VIEWERS, 0)
    path = tmp_path / "grid.csv"

    assert window.export_grid(path) is None

    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["Viewers", "Room", "Platform", "This shift"]
    assert "Today" not in rows[0]
    assert "This broadcast" not in rows[0], "a hidden column is not exported"
    assert [r[:4] for r in rows[1:]] == [
        ["7", "b", "chaturbate", "300"],
        ["10", "a", "chaturbate", "800"],
    ]
    updated = rows[1][rows[0].index("Last update")]
    assert dt.datetime.fromisoformat(updated).tzinfo is not None

    window.filter_edit.setText("a")
    assert window.export_grid(path) is None
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2, "only the rows shown"
    assert window.export_grid(tmp_path / "missing" / "grid.csv") is not None, "an error, said"


def test_bad_news_is_never_shown_in_the_colour_of_good_news(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    banner = window.banner
    window.show_alert_in_window(Alert("b", "chaturbate", 600, DEFAULT_TIERS[1]), 5000)
    assert FLASH_UP.name() in banner.styleSheet()
    for kind in (AlertKind.OFFLINE, AlertKind.AUDIENCE_DROP, AlertKind.COLLECTOR_SILENT):
        window.show_alert_in_window(Alert("b", "chaturbate", 60, kind=kind, value=100), 5000)
        assert FLASH_DOWN.name() in banner.styleSheet(), kind
        assert FLASH_UP.name() not in banner.styleSheet(), kind
