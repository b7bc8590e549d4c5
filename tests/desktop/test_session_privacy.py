"""Logging out leaves nothing of the session behind (issue: after an admin logged out, the
monitor who logged in next on the same PC still saw the admin's alerts -- other models' rooms
and tips -- in the alerts panel).  The real app against a real production server: an admin
watches alerts, logs out; a monitor of two rooms logs in; the whole accessibility tree of every
window of the app hold no other room's name.  (The tray's tooltip and last notification, which
need a real tray: tray_scenarios.py, on a real X screen.)"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import qasync
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget

from godmode_common.rooms import RoomKey
from godmode_desktop.settings import AppSettings
from tests.helpers.bodies import sample_json
from tests.helpers.desktop_app import live_app, log_in
from tests.helpers.servers import ServerFactory
from tests.helpers.waiting import until

PASSWORD = "pass-word-1"
#: The monitor's rooms, and rooms only the admin may see (names found nowhere else).
THEIRS = [("mo_room_one", "chaturbate"), ("mo_room_two", "stripchat")]
OTHERS = [RoomKey("secret_room_a", "chaturbate"), RoomKey("secret_room_b", "camsoda")]


def _texts(interface: QAccessibleInterface | None, depth: int = 0) -> Iterator[str]:
    """Every name, value and description in an accessibility tree (what a screen reader could
    read out: item views expose each cell as a child)."""
    if interface is None or not interface.isValid() or depth > 40:
        return
    for kind in (QAccessible.Text.Name, QAccessible.Text.Value, QAccessible.Text.Description):
        text = interface.text(kind)
        if text:
            yield text
    for i in range(interface.childCount()):
        yield from _texts(interface.child(i), depth + 1)


def _everything_shown(app_widgets: list[QWidget]) -> str:
    texts = []
    for widget in app_widgets:
        texts.append(widget.windowTitle())
        texts.append(widget.toolTip())
        texts.extend(_texts(QAccessible.queryAccessibleInterface(widget)))
    return "\n".join(texts)


def test_nothing_of_the_last_session_is_left_for_the_next_user(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server(dev=False)
    for name, role in (("boss", "admin"), ("mo", "monitor")):
        added = server.cli("user", "add", name, "--role", role, input=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    rooms = [f"{r}@{p}" for r, p in THEIRS]
    assert server.cli("user", "rooms", "mo", *rooms).returncode == 0
    key = server.cli("key", "create", "pc").stdout.strip()

    async def post(room: tuple[str, str], tokens: int, at: int) -> None:
        body = sample_json(room[0], platform=room[1], tokens_count=tokens, timestamp=at)
        async with httpx.AsyncClient() as http:
            answer = await http.post(
                server.url + "/api/tracking/telemetry", json=body, headers={"X-Api-Key": key}
            )
            assert answer.status_code == 200, answer.text

    async def scenario() -> None:
        now = int(time.time())
        for room in THEIRS + OTHERS:
            await post(room, 100, now - 5)
        app = await live_app(app_settings, server.url, "boss", PASSWORD, use_tray=False)
        window = app.window
        assert window is not None
        await until(lambda: app.model.rowCount() == 4, what="the admin's four rooms")
        for room in OTHERS:  # big tips in the rooms the monitor may not see
            await post(room, 5100, now)
        await until(lambda: len(app.alert_log) >= 2, what="the admin's alerts")
        panel = window.alerts_panel
        assert panel is not None
        panel.show()
        window.filter_edit.setText(OTHERS[0][0])  # typed to find it
        window.select_room(OTHERS[0])
        before = _everything_shown(QApplication.topLevelWidgets())
        assert OTHERS[0][0] in before, "the walk finds what the admin sees"

        await app.logout()
        await log_in(app, "mo", PASSWORD)
        await until(lambda: app.model.rowCount() == 2, what="the monitor's two rooms")
        window.show()
        panel.show()

        shown = _everything_shown(QApplication.topLevelWidgets())
        for name, _platform in OTHERS:
            assert name not in shown, f"{name} is still shown to the next user"
        assert app.alert_log.unread == 0
        assert len(app.alert_log) == 0
        assert "unread" not in window.windowTitle()
        assert window.selected_room is None
        assert not window.banner.isVisible()
        assert not app.alerts.queue, "no alert of the last session waits to be shown"
        for name, _platform in THEIRS:
            assert name in shown, "the walk reads the grid"
        await app._shutdown()

    # As when a screen reader runs: the tree follows the models' changes (inactive, Qt keeps
    # the cells it made before, and they would read out what they held then).
    QAccessible.setActive(True)
    try:
        qloop.run_until_complete(scenario())
    finally:
        QAccessible.setActive(False)
