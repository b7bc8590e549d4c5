"""Alerts beyond tips, in the real app against a real server: the session's alerts listed in
the panel (filtered by kind and room, activating one selects its room), the count of new ones in
the title, a room's goal and mute set from the grid's menu, a burst of tips as one summary."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import qasync

from godmode_common.rooms import RoomKey
from godmode_desktop.alerts import AlertKind
from godmode_desktop.settings import AppSettings
from tests.helpers.bodies import sample_json
from tests.helpers.desktop_app import live_app
from tests.helpers.servers import ServerFactory
from tests.helpers.waiting import until

pytestmark = pytest.mark.slow


def test_the_panel_lists_the_sessions_alerts_and_the_grid_sets_goals_and_mutes(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server()
    start = int(time.time()) - 100
    clock = {"luna": 0, "mia": 0}

    async def post(room: str, tokens: int, viewers: int = 100) -> None:
        clock[room] += 1
        body = sample_json(
            room, tokens_count=tokens, viewers_count=viewers, timestamp=start + clock[room]
        )
        async with httpx.AsyncClient() as http:
            answer = await http.post(server.url + "/api/tracking/telemetry", json=body)
            assert answer.is_success, answer.text

    async def scenario() -> None:
        await post("luna", 1000)
        await post("mia", 1000)
        app = await live_app(app_settings, server.url)
        window = app.window
        assert window is not None
        panel = window.alerts_panel
        assert panel is not None
        luna, mia = RoomKey("luna", "chaturbate"), RoomKey("mia", "chaturbate")
        await until(lambda: app.model.row_of(mia) is not None, what="the rooms")

        # A goal for luna, from the grid's menu (as the dialog would answer).
        window.room_goal_changed.emit(luna, 2000)
        assert app.settings.alert_rules.goals == {luna: 2000}
        assert "2000" in [a.text() for a in window.room_menu(luna).actions()][1]
        # Mia muted from the grid's menu.
        [mute] = [a for a in window.room_menu(mia).actions() if a.isCheckable()]
        mute.trigger()
        assert app.settings.alert_rules.muted_rooms == {mia}

        await post("luna", 2100)  # +1100: a huge tip, and the goal passed
        await post("mia", 1600)  # +600, muted: listed only
        await post("luna", 2100, viewers=40)  # audience 100 → 40
        await until(lambda: len(app.alert_log) == 4, what="four alerts")
        kinds = [e.alert.kind for e in app.alert_log.entries]
        assert kinds == [AlertKind.TIP, AlertKind.GOAL, AlertKind.TIP, AlertKind.AUDIENCE_DROP]
        assert window.windowTitle() == "God Mode (unread alerts: 4) — Live — rooms: 2"
        assert [e.silenced for e in app.alert_log.entries] == [False, False, True, False]

        window.alerts_menu.actions()[-1].trigger()  # Alerts → Alerts panel
        await until(lambda: panel.isVisible(), what="the panel")
        assert window.windowTitle() == "God Mode — Live — rooms: 2", "seen: nothing new"
        rows = panel.rows()
        assert [r[1:3] for r in rows] == [
            ["luna (chaturbate)", "Audience drop"],
            ["mia (chaturbate)", "Big tip (muted)"],
            ["luna (chaturbate)", "Goal reached"],
            ["luna (chaturbate)", "Huge tip"],
        ]
        assert rows[0][3] == "luna (chaturbate): viewers 100 → 40 (−60 %)"
        assert rows[2][3] == "luna (chaturbate) earned 2100 tokens this broadcast (goal 2000)"
        panel.kind_box.setCurrentIndex(1)  # tips
        assert [r[2] for r in panel.rows()] == ["Big tip (muted)", "Huge tip"]
        panel.room_edit.setText("mia")
        assert [r[1] for r in panel.rows()] == ["mia (chaturbate)"]
        panel.table.activated.emit(panel.proxy.index(0, 0))
        assert window.selected_room == mia, "activating an alert selects its room"
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_a_collector_gone_silent_is_an_alert_the_server_decided(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server(GODMODE_COLLECTOR_SILENT_AFTER="3", GODMODE_COLLECTOR_CHECK_INTERVAL="0.2")
    key = server.cli("key", "create", "pc-7").stdout.strip()

    async def post(tokens: int) -> None:
        async with httpx.AsyncClient(headers={"X-Api-Key": key}) as http:
            body = sample_json("luna", tokens_count=tokens)
            answer = await http.post(server.url + "/api/tracking/telemetry", json=body)
            assert answer.is_success, answer.text

    async def scenario() -> None:
        app = await live_app(app_settings, server.url)
        window = app.window
        assert window is not None
        await post(1000)
        await until(
            lambda: any(e.alert.kind is AlertKind.COLLECTOR_SILENT for e in app.alert_log.entries),
            timeout=15,
            what="the collector's silence",
        )
        [silent] = [e.alert for e in app.alert_log.entries]
        assert silent.key == ("pc-7", "collector")
        # The room it fed is named whether or not its post was written to the database yet.
        assert window.banner.text().startswith(
            "Collector silent — pc-7: 1 room off line, nothing posted since"
        )
        await post(1100)
        await until(
            lambda: app.alert_log.entries[-1].alert.kind is AlertKind.COLLECTOR_BACK,
            timeout=15,
            what="the collector back",
        )
        await app._shutdown()

    qloop.run_until_complete(scenario())
