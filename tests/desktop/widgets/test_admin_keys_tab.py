"""The *Keys and collectors* tab flags a collector that went silent: first in the list, in the
colour of bad news, with how long it has been silent."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from godmode_desktop.net.protocol import KeySummary
from godmode_desktop.widgets.admin_keys_tab import KeyColumn, KeysTab
from godmode_desktop.widgets.style import FLASH_DOWN


def test_a_silent_collector_comes_first_marked_in_red(qtbot: QtBot) -> None:
    tab = KeysTab(clock=lambda: 10_000.0)
    qtbot.addWidget(tab)
    tab.show_keys(
        [
            KeySummary(name="pc-1", revoked=False, created_at=1, last_post=9_990),
            KeySummary(name="pc-2", revoked=True, created_at=1, last_post=1_000),
            KeySummary(name="pc-3", revoked=False, created_at=1, last_post=9_820, silent=True),
        ]
    )
    table = tab.table

    def cell(row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text() if item is not None else ""

    assert [cell(r, 0) for r in range(3)] == ["pc-3", "pc-1", "pc-2"]
    assert [cell(r, KeyColumn.STATE) for r in range(3)] == ["silent", "active", "revoked"]
    assert cell(0, KeyColumn.SILENT_FOR) == "3 min ago"
    silent = table.item(0, KeyColumn.STATE)
    assert silent is not None
    assert silent.foreground().color() == FLASH_DOWN
    assert silent.font().bold()
    active = table.item(1, KeyColumn.STATE)
    assert active is not None
    assert not active.font().bold()
    assert [k.name for k in tab.keys] == ["pc-3", "pc-1", "pc-2"], "revoking row 0 is pc-3's"
