"""The whole app against a real server: login dialog, the live window, the status bar following
the link, in-window alerts, logout.  Qt and asyncio share a qasync loop, as in the app."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import keyring
import pytest
import qasync
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMenu

from godmode_common.protocol import DOCTOR_ROOM
from godmode_common.rooms import RoomKey
from godmode_desktop import resources
from godmode_desktop.app import GodModeApp
from godmode_desktop.net.api import ApiClient
from godmode_desktop.net.session import KEYRING_SERVICE, Session, TokenVault
from godmode_desktop.net.status import ConnectionState
from godmode_desktop.settings import AppSettings
from godmode_desktop.widgets.main_window import MainWindow
from godmode_desktop.widgets.rooms_columns import Column
from tests.helpers.bodies import sample_json
from tests.helpers.desktop_app import FAST, account_known, live_app, log_in, new_app, state
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.tcp_proxy import TcpProxy
from tests.helpers.waiting import until, wait_until


def _run(loop: qasync.QEventLoop, scenario: Callable[[], Awaitable[None]]) -> None:
    loop.run_until_complete(scenario())


async def _post(server: ServerProcess, body: dict[str, object]) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(server.url + "/api/tracking/telemetry", json=body)
        assert answer.status_code == 200, answer.text


def test_login_opens_the_live_window_and_keeps_the_token_in_the_keyring(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    secret_service: Path,
    tmp_path: Path,
    room: str,
) -> None:
    async def scenario() -> None:
        app = await live_app(app_settings, dev_server.url)
        assert app.login_dialog is None
        await _post(dev_server, sample_json(room, tokens_count=4242))
        await until(
            lambda: app.model.row_of(RoomKey(room, "chaturbate")) is not None, what="the row"
        )
        assert app.window is not None
        assert "demo on http://127.0.0.1" in app.window.status.account_label.text()
        token = app.session.token if app.session else None
        await app._shutdown()

        assert token is not None
        assert keyring.get_password(KEYRING_SERVICE, f"demo@127.0.0.1:{dev_server.port}") == token
        settings_file = (tmp_path / "godmode.ini").read_text()
        assert "demo" in settings_file
        assert token not in settings_file, "the token never goes into the settings"

    _run(qloop, scenario)


def test_a_stored_valid_token_skips_the_login_dialog(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    secret_service: Path,
    room: str,
) -> None:
    async def scenario() -> None:
        await _post(dev_server, sample_json(room, tokens_count=4242))
        session = Session(dev_server.url, "demo", TokenVault())
        async with ApiClient(dev_server.url) as api:
            await session.login(api, "demo")  # as a previous run of the app did
        app_settings.server, app_settings.user = dev_server.url, "demo"

        app = new_app(app_settings)
        app.start()

        assert app.login_dialog is None
        await until(lambda: state(app) is ConnectionState.LIVE, what="Live")
        await until(
            lambda: app.model.row_of(RoomKey(room, "chaturbate")) is not None, what="the row"
        )
        await app._shutdown()

    _run(qloop, scenario)


@pytest.mark.parametrize(
    ("server", "password", "message"),
    [
        (None, "wrong", "Wrong user name or password."),
        ("http://127.0.0.1:1", "demo", "Cannot reach the server at http://127.0.0.1:1."),
    ],
    ids=["bad-password", "unreachable"],
)
def test_a_failed_login_says_why_and_keeps_the_dialog(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    server: str | None,
    password: str,
    message: str,
) -> None:
    async def scenario() -> None:
        app_settings.server = server or dev_server.url
        app = new_app(app_settings)
        app.start()
        dialog = app.login_dialog
        assert dialog is not None
        await log_in(app, "demo", password)
        await until(lambda: dialog.error_label.isVisible(), what="the error")
        assert dialog.error_label.text().startswith(message)
        assert dialog.isVisible()
        assert app.window is None
        assert dialog.buttons.isEnabled(), "the user can try again"
        dialog.reject()
        await until(app.finished.done, what="quit after cancel")

    _run(qloop, scenario)


def test_the_status_bar_follows_the_link(
    qloop: qasync.QEventLoop, app_settings: AppSettings, dev_server: ServerProcess, room: str
) -> None:
    async def scenario() -> None:
        proxy = await TcpProxy(dev_server.port).start()
        app = await live_app(app_settings, proxy.url)
        assert app.window is not None
        label = app.window.status.state_label

        proxy.block_websockets = True
        proxy.cut_websockets()
        await until(lambda: state(app) is ConnectionState.POLLING, what="Polling")
        assert label.text() == "● Polling"
        await _post(dev_server, sample_json(room, tokens_count=77))
        await until(
            lambda: app.model.row_of(RoomKey(room, "chaturbate")) is not None, what="polled"
        )

        proxy.block_websockets = False
        app.window.status.reconnect_button.click()
        await until(lambda: state(app) is ConnectionState.LIVE, what="Live again")
        assert label.text() == "● Live"

        await proxy.close()
        await until(lambda: state(app) is ConnectionState.OFFLINE, what="Offline")
        assert label.text() == "● Offline"
        await app._shutdown()

    _run(qloop, scenario)


def test_a_big_tip_shows_an_alert_in_the_window_without_a_tray(
    qloop: qasync.QEventLoop, app_settings: AppSettings, dev_server: ServerProcess, room: str
) -> None:
    async def scenario() -> None:
        app = await live_app(app_settings, dev_server.url)
        now = int(time.time())
        await _post(dev_server, sample_json(room, tokens_count=1000, timestamp=now - 1))
        await _post(dev_server, sample_json(room, tokens_count=1600, timestamp=now))
        assert app.window is not None
        banner = app.window.banner
        await until(lambda: banner.isVisible(), what="the alert")
        assert banner.text() == f"Big tip — +600 tokens in {room} (chaturbate)"
        await app._shutdown()

    _run(qloop, scenario)


def test_logout_forgets_the_token_and_asks_again(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    secret_service: Path,
) -> None:
    async def scenario() -> None:
        app = await live_app(app_settings, dev_server.url)
        account = f"demo@127.0.0.1:{dev_server.port}"
        assert keyring.get_password(KEYRING_SERVICE, account) is not None

        await app.logout()

        assert keyring.get_password(KEYRING_SERVICE, account) is None
        assert app.login_dialog is not None
        assert app.login_dialog.isVisible()
        assert app.window is not None
        assert not app.window.isVisible()
        app.login_dialog.reject()
        await until(app.finished.done, what="quit")

    _run(qloop, scenario)


async def _room_shown(
    app_settings: AppSettings, server: ServerProcess, room: str
) -> tuple[GodModeApp, MainWindow]:
    """The app logged in to ``server`` as demo, with ``room``'s row in the grid."""
    app_settings.server = server.url
    app = new_app(app_settings)
    app.start()
    await log_in(app, "demo", "demo")
    key = RoomKey(room, "chaturbate")
    await until(lambda: app.model.row_of(key) is not None, what="the row")
    window = app.window
    assert window is not None
    return app, window


async def _tokens_per_hour_cell(app: GodModeApp, room: str) -> QModelIndex:
    """The Tokens/hour cell of ``room``'s row, once the row is in the grid."""
    key = RoomKey(room, "chaturbate")
    await until(lambda: app.model.row_of(key) is not None, what="the row")
    row = app.model.row_of(key)
    assert row is not None
    return app.model.index(row, Column.TOKENS_PER_HOUR)


async def _room_selected(
    app_settings: AppSettings, server: ServerProcess, room: str
) -> tuple[GodModeApp, MainWindow]:
    """The app logged in to ``server`` as demo, with ``room``'s row selected."""
    app, window = await _room_shown(app_settings, server, room)
    assert window.select_room(RoomKey(room, "chaturbate"))
    return app, window


def test_selecting_a_room_charts_its_history_and_extends_it_live(
    qloop: qasync.QEventLoop, app_settings: AppSettings, dev_server: ServerProcess, room: str
) -> None:
    async def scenario() -> None:
        now = int(time.time())  # the chart shows the last hour by default
        for n in range(3):
            await _post(dev_server, sample_json(room, tokens_count=100 + n, timestamp=now - 9 + n))
        app, window = await _room_selected(app_settings, dev_server, room)
        await until(lambda: len(window.chart.points) == 3, what="the history")
        await _post(dev_server, sample_json(room, tokens_count=150, timestamp=now + 1))
        await until(lambda: len(window.chart.points) == 4, what="the live point")

        assert [tokens for _, tokens, _ in window.chart.points] == [100, 101, 102, 150]
        assert window.chart.title.text() == f"{room} · chaturbate"
        await app._shutdown()

    _run(qloop, scenario)


def test_a_room_s_chart_has_its_newest_samples_before_the_archive_has_them(
    qloop: qasync.QEventLoop, app_settings: AppSettings, make_server: ServerFactory, room: str
) -> None:
    """The chart's history comes from the archive, which takes about a second to get a sample
    (and longer when the database is busy): the newest samples come from the store meanwhile."""
    server = make_server()
    now = int(time.time())

    def archived() -> int:
        answer = httpx.get(
            f"{server.url}/api/tracking/telemetry/{room}/chaturbate/history",
            params={"from": now - 3600, "to": now + 60},
        )
        return len(answer.json()["samples"]) if answer.status_code == 200 else 0

    async def scenario() -> None:
        for n in range(2):
            await _post(server, sample_json(room, tokens_count=100 + n, timestamp=now - 9 + n))
        await until(lambda: archived() == 2, what="the first two samples archived")
        # Another writer holds the database (SQLite's RESERVED lock): reads go on, the
        # archive's writes wait.
        lock = sqlite3.connect(server.workdir / "godmode.db", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            await _post(server, sample_json(room, tokens_count=102, timestamp=now - 5))
            assert archived() == 2, "the third is not archived yet"
            app, window = await _room_selected(app_settings, server, room)
            await until(lambda: len(window.chart.points) == 3, what="the history")
            assert [tokens for _, tokens, _ in window.chart.points] == [100, 101, 102]
            await app._shutdown()
        finally:
            lock.execute("ROLLBACK")
            lock.close()

    _run(qloop, scenario)


def test_settings_are_applied_and_kept(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own_sound = tmp_path / "cash-register.wav"
    own_sound.write_bytes((resources.sound("tip")).read_bytes())

    async def scenario() -> None:
        app_settings.server = dev_server.url
        app = new_app(app_settings)
        app.start()
        await log_in(app, "demo", "demo")
        await until(lambda: app.window is not None and app.window.isVisible(), what="window")

        dialog = app.open_settings()
        threshold, label, _ = dialog.tier_rows[0]
        threshold.setValue(50)
        label.setText("Small tip")
        dialog.stale_spin.setValue(120)
        dialog.keep_spin.setValue(12)
        dialog.drop_min_viewers.setValue(30)
        dialog.drop_min_lost.setValue(15)
        dialog.poll_spin.setValue(7)
        dialog.language_box.setCurrentIndex(dialog.language_box.findData("es"))
        # The other alerts, the display time, and a tier sound of the user's own.
        dialog.offline_box.setChecked(False)
        dialog.drop_percent.setValue(25)
        dialog.drop_minutes.setValue(10)
        dialog.collectors_box.setChecked(False)
        dialog.show_spin.setValue(9)
        sound = dialog.tier_rows[2][2]
        own = sound.count() - 1  # "Your own file…"
        monkeypatch.setattr(
            QFileDialog, "getOpenFileName", lambda *a, **k: (str(own_sound), "Sounds (*.wav)")
        )
        sound.setCurrentIndex(own)
        sound.activated.emit(own)
        assert sound.currentText() == "cash-register.wav"
        with_test: list[object] = []
        app.alerts.alert_shown.connect(with_test.append)
        dialog.test_button.click()
        dialog.accept()

        assert with_test, "the test alert button works from the settings"
        assert app.alerts.tiers[0].threshold == 50
        assert app.model.stale_after == 120
        assert app.board.forget_after == 12 * 3600, "silent rooms kept 12 h from now on"
        reread = AppSettings(app_settings.qsettings)
        assert reread.keep_silent_hours == 12
        assert (reread.tiers[0].threshold, reread.tiers[0].label) == (50, "Small tip")
        assert (reread.stale_after, reread.poll_interval, reread.language) == (120, 7, "es")
        rules = reread.alert_rules
        assert (rules.offline, rules.drop_percent, rules.drop_minutes, rules.collectors) == (
            False,
            25,
            10,
            False,
        )
        assert rules.stale_after == 120, "off line means the grid's stale time"
        assert (rules.drop_min_viewers, rules.drop_min_lost) == (30, 15)
        assert app.alerts.rules == rules, "applied at once"
        assert reread.alert_show_seconds == 9
        assert app.alerts.show_ms == 9000
        assert reread.tiers[2].sound == str(own_sound)
        await app._shutdown()
        geometry, header = AppSettings(app_settings.qsettings).window_state()
        assert geometry is not None, "the window's geometry is kept"
        assert header is not None, "and the grid's column layout"

    _run(qloop, scenario)


def test_the_view_density_chart_and_text_size_are_kept_and_muted_rooms_are_listed_and_marked(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    room: str,
) -> None:
    async def scenario() -> None:
        app = await live_app(app_settings, dev_server.url)
        window = app.window
        assert window is not None
        base = app.appearance._system_font.pointSizeF() if app.appearance else 0
        # From the View menu: compact rows, no chart, larger text twice.
        window.compact_action.trigger()
        window.chart_action.setChecked(True)  # shown (unless it did not fit the screen)
        window.chart_action.trigger()
        text_menu = next(m for m in window.findChildren(QMenu) if m.title() == "&Text size")
        larger = text_menu.actions()[0]
        larger.trigger()
        larger.trigger()
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.30)
        assert window.table.verticalHeader().defaultSectionSize() == (
            window.table.fontMetrics().height() + 1
        ), "compact rows follow the larger text"
        assert not window.chart.isVisible()
        # A muted room is marked in the grid and listed in the settings, where it is unmuted.
        await _post(dev_server, sample_json(room, tokens_count=10))
        key = RoomKey(room, "chaturbate")
        await until(lambda: app.model.row_of(key) is not None, what="the row")
        window.room_mute_changed.emit(key, True)
        row = app.model.row_of(key)
        assert row is not None
        cell = app.model.index(row, Column.ROOM)
        assert cell.data() == f"{room} · muted"
        dialog = app.open_settings()
        assert dialog.text_size_box.currentData() == 130
        assert dialog.density_box.currentData() == "compact"
        listed = [dialog.muted_list.item(i).text() for i in range(dialog.muted_list.count())]
        assert listed == [f"{room} (chaturbate)"]
        dialog.muted_list.item(0).setSelected(True)
        dialog.unmute_button.click()
        assert dialog.muted_list.count() == 0
        assert not dialog.muted_empty.isHidden(), "it says no room is muted"
        assert not dialog.unmute_all_button.isEnabled()
        dialog.text_size_box.setCurrentIndex(dialog.text_size_box.findData(115))
        dialog.accept()
        # The view as the user set it up: filters, sort, the chart's range, the selection.
        window.filter_edit.setText(room[:6])
        window.platform_box.setCurrentIndex(window.platform_box.findData("chaturbate"))
        window.table.sortByColumn(Column.VIEWERS, Qt.SortOrder.AscendingOrder)
        window.chart.set_span(86400)
        assert window.select_room(key)
        assert key not in app.alerts.rules.muted_rooms
        row = app.model.row_of(key)  # other tests' rooms on the shared server may sort above
        assert row is not None
        assert app.model.index(row, Column.ROOM).data() == room, "unmarked"
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.15)
        await app._shutdown()

        # Started again: as it was left.
        again = await live_app(AppSettings(app_settings.qsettings), dev_server.url)
        assert again.window is not None
        assert again.window.density == "compact"
        view = again.window
        assert (view.filter_edit.text(), view.platform_box.currentData()) == (
            room[:6],
            "chaturbate",
        )
        header = view.table.horizontalHeader()
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
            Column.VIEWERS,
            Qt.SortOrder.AscendingOrder,
        )
        assert view.chart.span == 86400
        await until(lambda: view.chart.key == key, what="the room selected and charted again")
        assert not again.window.chart_action.isChecked()
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.15)
        assert AppSettings(app_settings.qsettings).alert_rules.muted_rooms == frozenset()
        await again._shutdown()

    _run(qloop, scenario)


# The offscreen platform has no tray to host the icon (issue 21 brings a real one).
@pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged")
@pytest.mark.parametrize("to_tray", [True, False])
def test_closing_the_window_keeps_the_app_in_the_tray_or_quits(
    qloop: qasync.QEventLoop, app_settings: AppSettings, dev_server: ServerProcess, to_tray: bool
) -> None:
    async def scenario() -> None:
        app_settings.close_to_tray = to_tray
        app_settings.server = dev_server.url
        app = GodModeApp(app_settings, TokenVault(), feed_config=FAST, use_tray=True)
        app.start()
        await log_in(app, "demo", "demo")
        await until(lambda: state(app) is ConnectionState.LIVE, what="Live")
        window = app.window
        assert window is not None
        assert app.tray is not None

        window.close()

        if to_tray:
            await until(lambda: not window.isVisible(), what="the window hidden")
            assert not app.finished.done(), "still running in the tray"
            assert state(app) is ConnectionState.LIVE
            app.bring_up()  # from the tray, or a second launch
            assert window.isVisible()
            await app._shutdown()
        else:
            await until(lambda: app.finished.done(), what="the app to quit")

    _run(qloop, scenario)


def test_the_chart_shows_the_range_chosen_and_stays_live_at_its_right_end(
    qloop: qasync.QEventLoop, app_settings: AppSettings, dev_server: ServerProcess, room: str
) -> None:
    now = int(time.time())
    ages = (5 * 86400, 2 * 86400, 1800, 60)

    async def scenario() -> None:
        for n, age in enumerate(ages):
            await _post(
                dev_server, sample_json(room, tokens_count=10 * (n + 1), timestamp=now - age)
            )
        archive = f"{dev_server.url}/api/tracking/telemetry/{room}/chaturbate/history"

        def archived() -> bool:
            answer = httpx.get(archive, params={"from": now - 7 * 86400})
            return answer.status_code == 200 and len(answer.json()["samples"]) == len(ages)

        wait_until(archived, what="the archive")  # the server's, in its own process
        app, window = await _room_shown(app_settings, dev_server, room)
        key = RoomKey(room, "chaturbate")
        chart = window.chart

        def tokens() -> list[float]:
            return [t for _, t, _ in chart.points]

        assert chart.span == 3600, "the last hour by default"
        assert window.select_room(key)
        await until(lambda: tokens() == [30, 40], what="the last hour from the archive")

        chart.set_span(7 * 86400)
        await until(lambda: tokens() == [10, 20, 30, 40], what="the last week")
        await _post(dev_server, sample_json(room, tokens_count=50, timestamp=now + 1))
        await until(lambda: tokens() == [10, 20, 30, 40, 50], what="the live point at the right")

        chart.set_fixed(now - 6 * 86400, now - 86400)
        await until(lambda: tokens() == [10, 20], what="fixed dates")
        assert chart.range_box.currentData() == 0
        await _post(dev_server, sample_json(room, tokens_count=60, timestamp=now + 2))
        await _post(dev_server, sample_json(room + "x", timestamp=now + 2))  # a later event
        await until(
            lambda: app.model.row_of(RoomKey(room + "x", "chaturbate")) is not None, what="it"
        )
        assert tokens() == [10, 20], "past dates do not move with live updates"
        await app._shutdown()

    _run(qloop, scenario)


def test_changing_the_password_keeps_this_session_live(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server(dev=False)
    assert server.cli("user", "add", "carla", input="old-password\n").returncode == 0
    other = server.login("carla", "old-password")  # another session of hers, elsewhere
    key = server.cli("key", "create", "pw").stdout.strip()

    async def scenario() -> None:
        app_settings.server = server.url
        app = new_app(app_settings)
        app.start()
        await log_in(app, "carla", "old-password")
        await until(lambda: state(app) is ConnectionState.LIVE, what="Live")
        assert app.window is not None
        dialog = app.open_password_dialog()
        assert dialog is not None

        dialog.old_edit.setText("old-password")
        dialog.new_edit.setText("new-password")
        dialog.again_edit.setText("new-passwrod")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert "differ" in dialog.message.text(), "checked before asking"

        dialog.old_edit.setText("not-it")
        dialog.again_edit.setText("new-password")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        await until(lambda: "current password" in dialog.message.text(), what="the refusal")
        assert dialog.isVisible()

        dialog.old_edit.setText("old-password")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        await until(lambda: not dialog.isVisible(), what="the change")
        # The server ends the old token's feed within a second; the app goes on with the new.
        controller = app.controller
        assert controller is not None
        await until(lambda: controller.feed.attempts >= 2, what="the feed on the new token")
        async with httpx.AsyncClient() as client:
            posted = await client.post(
                server.url + "/api/tracking/telemetry",
                json=sample_json("pw_room", tokens_count=7),
                headers={"X-Api-Key": key},
            )
            assert posted.status_code == 200, posted.text
        await until(
            lambda: app.model.row_of(RoomKey("pw_room", "chaturbate")) is not None, what="live"
        )
        assert app.login_dialog is None or not app.login_dialog.isVisible()
        assert state(app) is ConnectionState.LIVE
        token = app.session.token if app.session else None
        await app._shutdown()

        assert token is not None
        assert keyring.get_password(KEYRING_SERVICE, f"carla@127.0.0.1:{server.port}") == token

    _run(qloop, scenario)
    me = httpx.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {other}"})
    assert me.status_code == 401, "her other session ended"
    assert server.login("carla", "new-password")


@pytest.mark.parametrize(("granted", "offered"), [(False, False), (True, True)])
def test_the_reports_are_offered_only_to_whom_they_are_open(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
    granted: bool,
    offered: bool,
) -> None:
    server = make_server(dev=False)
    added = server.cli("user", "add", "mo", "--role", "monitor", input="pass-word\n")
    assert added.returncode == 0, added.stderr
    if granted:
        assert server.cli("user", "reports", "mo", "on").returncode == 0

    async def scenario() -> None:
        app = await live_app(app_settings, server.url, "mo", "pass-word")
        window = app.window
        assert window is not None
        await account_known(app)
        assert window.reports_action.isEnabled() is offered
        await app._shutdown()

    _run(qloop, scenario)


def test_ages_stale_rooms_and_rooms_live_come_from_the_samples_from_the_first_paint(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
) -> None:
    """A collector stopped 150 s before the manager logs in: the rooms say so at once, not
    "0 s ago" counted from the login."""
    server = make_server()
    app_settings.stale_after = 60

    async def scenario() -> None:
        now = int(time.time())
        await _post(server, sample_json("quiet", tokens_count=10, timestamp=now - 150))
        await _post(server, sample_json("busy", tokens_count=10, viewers_count=4, timestamp=now))
        await _post(
            server,
            sample_json(DOCTOR_ROOM, tokens_count=26_849, viewers_count=1000, timestamp=now),
        )
        app = await live_app(app_settings, server.url)
        window = app.window
        assert window is not None
        quiet, busy = RoomKey("quiet", "chaturbate"), RoomKey("busy", "chaturbate")
        await until(lambda: app.model.row_of(quiet) is not None, what="the rows")
        await until(lambda: app.model.row_of(busy) is not None, what="the rows")

        def cell(key: RoomKey, column: Column, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            row = app.model.row_of(key)
            assert row is not None
            return app.model.index(row, column).data(role)

        assert cell(quiet, Column.UPDATED) == "2 min ago"
        assert cell(quiet, Column.ROOM, Qt.ItemDataRole.FontRole) is not None, "greyed"
        assert cell(busy, Column.ROOM, Qt.ItemDataRole.FontRole) is None
        await until(lambda: window.totals_label.text().endswith("Live 1"), what="totals")
        assert window.status.age_label.text() in ("data from 0 s ago", "data from 1 s ago")
        # The self-check's room is no manager's: not in the grid, the totals or the alerts,
        # neither from the snapshot nor live.
        await _post(
            server,
            sample_json(DOCTOR_ROOM, tokens_count=99_999, viewers_count=1000, timestamp=now + 1),
        )
        await _post(
            server, sample_json("busy", tokens_count=11, viewers_count=5, timestamp=now + 1)
        )
        await until(lambda: cell(busy, Column.TOKENS) == "11", what="the next update")
        assert app.model.row_of(RoomKey(DOCTOR_ROOM, "chaturbate")) is None
        assert app.alert_log.unread == 0
        # quiet's 45 and busy's 5 viewers; not the self-check's 1,000.
        await until(lambda: " · Viewers 50 · " in window.totals_label.text(), what="totals")
        await app._shutdown()

    _run(qloop, scenario)


def test_tokens_per_hour_is_the_server_s_count_of_the_last_hour_from_the_first_paint(
    qloop: qasync.QEventLoop, app_settings: AppSettings, make_server: ServerFactory
) -> None:
    """It read "—" for minutes although the server had an hour of history, then extrapolated a
    few minutes' tips to thousands an hour: it is now what the reports count for the last 60
    whole minutes, and the header says so."""
    server = make_server()
    now = int(time.time())
    end = now // 60 * 60

    async def scenario() -> None:
        for ago, tokens in ((3000, 100), (2000, 400), (1000, 900)):
            await _post(server, sample_json("ava", tokens_count=tokens, timestamp=end - ago))
        token = server.login()

        def archived() -> bool:
            answer = httpx.get(
                server.url + "/api/reports/earnings",
                params={"from": end - 3600, "to": end, "group": "total"},
                headers={"Authorization": f"Bearer {token}"},
            )
            return bool(answer.json()["rows"])

        wait_until(archived, timeout=15, what="the samples in the reports")
        app = await live_app(app_settings, server.url)
        index = await _tokens_per_hour_cell(app, "ava")
        # The first sample of a room counts as earned, as in the reports: 100 + 300 + 500.
        await until(lambda: index.data() == "900", what="the last hour's tokens")
        tooltip = app.model.headerData(
            Column.TOKENS_PER_HOUR, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
        )
        assert "last 60 whole minutes" in str(tooltip)
        await app._shutdown()

    _run(qloop, scenario)


def test_rooms_and_the_selection_survive_a_server_restart(
    qloop: qasync.QEventLoop, app_settings: AppSettings, make_server: ServerFactory
) -> None:
    """The server restarted without Redis forgets its rooms: the app kept on changing the
    selected room by itself and dropped rooms from the grid.  They stay, greyed in time; the
    filter, the sort, the column widths and the chart's range stay through the reconnection
    and the new snapshot."""
    server = make_server()

    async def scenario() -> None:
        now = int(time.time())
        for name in ("ava", "bea", "cleo"):
            await _post(server, sample_json(name, tokens_count=10, timestamp=now))
        app, window = await _room_selected(app_settings, server, "bea")
        await until(lambda: app.model.rowCount() == 3, what="the three rows")
        bea = RoomKey("bea", "chaturbate")
        assert window.selected_room == bea
        # The rest of the view the manager set up: a filter, a sort, the chart's range.
        window.platform_box.setCurrentIndex(window.platform_box.findData("chaturbate"))
        window.table.sortByColumn(Column.ROOM, Qt.SortOrder.DescendingOrder)
        window.chart.set_span(7 * 86400)
        widths = [window.table.columnWidth(c) for c in range(app.model.columnCount())]

        server.stop()
        await until(lambda: state(app) is not ConnectionState.LIVE, what="the link lost")
        server.start(server.port)  # a new epoch, no rooms
        await until(lambda: state(app) is ConnectionState.LIVE, timeout=20, what="Live again")
        await _post(server, sample_json("ava", tokens_count=20, timestamp=now + 1))
        ava = RoomKey("ava", "chaturbate")

        def tokens() -> int | None:
            found = app.board.get(*ava)
            return found.tokens if found is not None else None

        await until(lambda: tokens() == 20, what="ava's new sample")

        assert window.selected_room == bea, "the selection is the manager's"
        assert window.chart.title.text() == "bea · chaturbate"
        assert app.model.rowCount() == 3, "no room vanished"
        assert window.platform_box.currentData() == "chaturbate"
        header = window.table.horizontalHeader()
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
            Column.ROOM,
            Qt.SortOrder.DescendingOrder,
        )
        await until(
            lambda: [window.proxy.index(r, 0).data() for r in range(3)] == ["cleo", "bea", "ava"],
            what="the rows in the manager's order",
        )
        assert window.chart.span == 7 * 86400
        assert [window.table.columnWidth(c) for c in range(app.model.columnCount())] == widths
        await app._shutdown()

    _run(qloop, scenario)


def test_without_the_reports_tokens_per_hour_is_seeded_from_the_room_s_history(
    qloop: qasync.QEventLoop, app_settings: AppSettings, make_server: ServerFactory
) -> None:
    """A monitor may not read the reports, but may read their rooms' history: the rate is
    known from the first paint, not after ten minutes of watching."""
    server = make_server(dev=False)
    assert (
        server.cli("user", "add", "mo", "--role", "monitor", input="mo-pass-123\n").returncode == 0
    )
    assert server.cli("user", "rooms", "mo", "ava@chaturbate").returncode == 0
    key = server.cli("key", "create", "pc").stdout.strip()
    now = int(time.time())

    async def scenario() -> None:
        async with httpx.AsyncClient() as client:
            for ago, tokens in ((1800, 100), (1200, 400), (600, 900), (0, 1000)):
                body = sample_json("ava", tokens_count=tokens, timestamp=now - ago)
                answer = await client.post(
                    server.url + "/api/tracking/telemetry", json=body, headers={"X-Api-Key": key}
                )
                assert answer.status_code == 200, answer.text
        token = server.login("mo", "mo-pass-123")

        def archived() -> bool:
            answer = httpx.get(
                server.url + "/api/tracking/telemetry/ava/chaturbate/history",
                params={"from": now - 3600, "to": now, "points": 100},
                headers={"Authorization": f"Bearer {token}"},
            )
            # 404 until the archive has the room (it writes about once a second).
            return answer.status_code == 200 and len(answer.json()["samples"]) == 4

        wait_until(archived, timeout=15, what="the samples archived")
        app = await live_app(app_settings, server.url, "mo", "mo-pass-123")
        index = await _tokens_per_hour_cell(app, "ava")
        # 300 + 500 + 100 tokens over the 30 minutes the archive holds: 1,800 an hour.
        await until(lambda: index.data() == "1,800", what="the seeded rate")
        await app._shutdown()

    _run(qloop, scenario)
