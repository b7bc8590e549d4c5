"""The main window on its own: totals, alerts inside the window, selecting a room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from godmode_desktop.alerts import DEFAULT_TIERS, Alert
from godmode_desktop.board import RoomBoard
from godmode_desktop.widgets.main_window import MainWindow
from godmode_desktop.widgets.rooms_model import RoomsModel
from godmode_desktop.widgets.style import TOTALS_MS
from tests.helpers.models import room_sample, snapshot


def _window(qtbot: QtBot) -> tuple[MainWindow, RoomsModel, RoomBoard]:
    board = RoomBoard()
    model = RoomsModel(board)
    window = MainWindow(model, ["chaturbate", "stripchat"])
    qtbot.addWidget(window)
    model.apply(
        board.apply_snapshot(
            snapshot(
                room_sample("a", 1000, 1, tips=3, viewers=10), room_sample("b", 500, 1, viewers=7)
            )
        )
    )
    model.tick()
    return window, model, board


def test_totals_show_every_live_room(qtbot: QtBot) -> None:
    window, _, _ = _window(qtbot)
    expected = "Tokens 1,500 · Tips 4 · Viewers 17 · Rooms live 2"
    # Sums follow the changes a few times a second (TOTALS_MS), not on every update.
    qtbot.waitUntil(lambda: window.totals_label.text() == expected, timeout=TOTALS_MS * 8)


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
    window.select_room(("b", "chaturbate"))

    window.filter_edit.setText("a")
    assert window.proxy.rowCount() == 1
    window.filter_edit.setText("")

    rows = window.table.selectionModel().selectedRows()
    assert [r.data() for r in rows] == ["b"]
