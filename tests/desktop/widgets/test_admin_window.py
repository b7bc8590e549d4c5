"""The Administration window in the real app against a real server: an admin sees it, adds a
monitor and gives them rooms and reports, creates a key (shown once) and revokes it; a manager
does not see it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import qasync

from godmode_common.rooms import RoomKey
from godmode_desktop.settings import AppSettings
from godmode_desktop.widgets.admin_dialogs import CreatedKeyDialog
from godmode_desktop.widgets.admin_users_tab import parse_rooms
from godmode_desktop.widgets.admin_window import AdminWindow
from godmode_desktop.widgets.rooms_columns import Column
from tests.helpers.bodies import sample_json
from tests.helpers.desktop_app import account_known, live_app
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.waiting import until

pytestmark = pytest.mark.slow


def _cell(table: object, row: int, column: int) -> str:
    return str(table.item(row, column).text())  # type: ignore[attr-defined]


def test_an_admin_manages_users_and_keys_from_the_window(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server()  # dev mode: demo is an admin

    async def scenario() -> None:
        async with httpx.AsyncClient() as http:
            body = sample_json("live_one")
            assert (await http.post(server.url + "/api/tracking/telemetry", json=body)).is_success
        app = await live_app(app_settings, server.url)
        window = app.window
        assert window is not None
        await until(
            lambda: app.model.row_of(RoomKey("live_one", "chaturbate")) is not None, what="row"
        )
        await until(lambda: window.admin_action.isVisible(), what="the Administration entry")
        window.admin_action.trigger()
        admin = app.admin
        assert isinstance(admin, AdminWindow)
        await until(
            lambda: [u.username for u in admin.users_tab.users] == ["demo"], what="the users"
        )

        assert admin.users_tab.editor.currentWidget() is admin.users_tab.nobody, (
            "no user selected: no user's settings shown"
        )
        admin.users_tab.create_user_requested.emit("mo", "mo-pass-123", "monitor")
        await until(lambda: len(admin.users_tab.users) == 2, what="mo added")
        assert "mo added" in admin.status.text()
        admin.users_tab.select_user("mo")
        assert admin.users_tab.role_box.currentData() == "monitor"
        assert admin.users_tab.known_rooms.currentText() == "live_one@chaturbate", (
            "the grid's rooms"
        )
        admin.users_tab.add_room_button.click()
        admin.users_tab.add_room_button.click()  # twice: listed once
        assert admin.users_tab.rooms_edit.toPlainText() == "live_one@chaturbate"
        admin.users_tab.rooms_edit.setPlainText("luna@chaturbate\nmia@stripchat luna@chaturbate")
        admin.users_tab.reports_check.setChecked(True)
        admin.users_tab.apply_button.click()

        def mo_row() -> list[str]:
            row = [u.username for u in admin.users_tab.users].index("mo")
            return [_cell(admin.users_tab.table, row, c) for c in range(5)]

        await until(
            lambda: (
                mo_row() == ["mo", "monitor", "yes", "enabled", "2: luna@chaturbate, mia@stripchat"]
            ),
            what="mo's rooms and reports",
        )
        await until(lambda: admin.status.text() == "mo: reports open, 2 rooms", what="told")
        # The audit log in the window: both changes, by demo, filtered by what.
        audit = admin.audit_tab
        await until(lambda: len(audit.records) >= 3, what="the audit log")
        audit.what_box.setCurrentIndex(audit.what_box.findData("user.rooms"))
        assert [(r.actor, r.target) for r in audit.shown] == [("demo", "mo")]
        assert _cell(audit.table, 0, 5).startswith("2 rooms: ")
        audit.what_box.setCurrentIndex(0)
        audit.who_box.setCurrentIndex(audit.who_box.findData("demo"))
        assert {r.action for r in audit.shown} >= {"user.add", "user.reports", "user.rooms"}
        audit.when_box.setCurrentIndex(audit.when_box.findData(86400))
        assert len(audit.shown) == len(audit.records), "all of the last day"
        admin.users_tab.apply_button.click()
        assert admin.status.text() == "Nothing to change for mo"

        admin.users_tab.rooms_edit.setPlainText("no-platform")
        admin.users_tab.apply_button.click()
        assert "ROOM@PLATFORM" in admin.status.text(), "refused before asking"

        admin.keys_tab.create_key_requested.emit("pc-1")
        await until(lambda: [k.name for k in admin.keys_tab.keys] == ["pc-1"], what="the key")
        shown = admin.findChildren(CreatedKeyDialog)
        assert shown, "the key is shown once, in a dialog"
        assert shown[0].key_edit.text().startswith("gm_")
        assert _cell(admin.keys_tab.table, 0, 2) == "never"
        assert _cell(admin.keys_tab.table, 0, 5) == "no report"
        # The collector on that key reports a page whose counter it cannot read.
        report = {
            "version": "1.1.0",
            "managed": ["backendUrl", "apiKey"],
            "selector_misses": [
                {
                    "platform": "chaturbate",
                    "field": "tokens_count",
                    "kind": "missing",
                    "count": 3,
                    "last_at": 1_800_000_000,
                },
                {
                    "platform": "chaturbate",
                    "field": "viewers_count",
                    "kind": "disagree",
                    "count": 1,
                    "last_at": 1_800_000_000,
                },
            ],
            "strategies": [
                {
                    "platform": "chaturbate",
                    "field": "viewers_count",
                    "strategy": "chatvideocontext num_users",
                    "last_at": 1_800_000_000,
                },
                {
                    "platform": "chaturbate",
                    "field": "tips_count",
                    "strategy": ".tip-count",
                    "last_at": 1_800_000_000,
                },
            ],
            "queue_length": 4,
        }
        async with httpx.AsyncClient() as http:
            sent = await http.post(
                server.url + "/api/collectors/health",
                json=report,
                headers={"X-Api-Key": shown[0].key_edit.text()},
            )
            assert sent.status_code == 204, sent.text
        admin.refresh_requested.emit()
        await until(lambda: admin.keys_tab.keys[0].health is not None, what="the health report")
        assert re.match(
            r"^1\.1\.0, reported \d+ s ago \(set by policy\)$", _cell(admin.keys_tab.table, 0, 5)
        )
        assert _cell(admin.keys_tab.table, 0, 6) == (
            "chaturbate tokens_count missing ×3; "
            "chaturbate viewers_count read two ways that disagree ×1; 4 waiting"
        )
        assert _cell(admin.keys_tab.table, 0, 7) == (
            "chaturbate tips_count: .tip-count; chaturbate viewers_count: chatvideocontext num_users"
        )
        admin.keys_tab.table.selectRow(0)
        admin.keys_tab.revoke_button.click()
        await until(lambda: _cell(admin.keys_tab.table, 0, 1) == "revoked", what="revoked")

        admin.users_tab.delete_requested.emit("demo")
        await until(lambda: "last enabled administrator" in admin.status.text(), what="refused")
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_an_admin_sets_rates_in_the_window_and_the_grid_shows_dollars(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server(GODMODE_CURRENCY="COP", GODMODE_LIVE_EARNINGS_EVERY="0.5")
    luna = RoomKey("luna", "chaturbate")

    async def scenario() -> None:
        async with httpx.AsyncClient() as http:
            body = sample_json("luna", tokens_count=1234)
            assert (await http.post(server.url + "/api/tracking/telemetry", json=body)).is_success
        app = await live_app(app_settings, server.url)
        window = app.window
        assert window is not None
        await until(lambda: app.model.row_of(luna) is not None, what="luna's row")
        await until(lambda: window.admin_action.isVisible(), what="the Administration entry")
        window.admin_action.trigger()
        admin = app.admin
        assert isinstance(admin, AdminWindow)
        rates = admin.rates_tab
        await until(lambda: rates.rates is not None, what="the rates")
        assert "COP" in rates.currency_label.text()
        assert rates.currency_edit.text() == "COP", "the studio's currency, ready to be priced"

        rates.rate_edit.setText("five cents")
        rates.set_rate_button.click()
        assert "is not a number" in admin.status.text(), "said before anything is sent"
        rates.room_edit.setText("luna")
        rates.rate_edit.setText("0.05")
        rates.payout_start.dated.setChecked(True)
        rates.payout_start.day.setDate(rates.payout_start.day.date().addYears(2))
        rates.set_rate_button.click()
        await until(lambda: "more than a year ahead" in admin.status.text(), what="refused")
        rates.payout_start.dated.setChecked(False)
        rates.set_rate_button.click()
        await until(
            lambda: admin.status.text() == "luna@chaturbate: 0.05 USD per token", what="set"
        )
        assert rates.payout_table.rowCount() == 1
        assert [_cell(rates.payout_table, 0, c) for c in range(4)] == [
            "chaturbate",
            "luna",
            "always before",
            "0.05",
        ]
        rates.units_edit.setText("4100.5")
        rates.set_exchange_button.click()
        await until(lambda: rates.exchange_table.rowCount() == 1, what="the exchange rate")
        assert _cell(rates.exchange_table, 0, 2) == "4100.5"
        actions = [r.action for r in admin.audit_tab.records]
        assert (actions.count("rate.set"), actions.count("rate.currency")) == (1, 1)

        # The grid in dollars: luna's shift as the server prices it from her next sample on,
        # once the server has read the rate (its reads come every half second here).
        window.money_action.trigger()
        row = app.model.row_of(luna)
        assert row is not None
        shift = app.model.index(row, Column.SHIFT)
        assert shift.data() == "—", "no rate when her last sample came"
        latest = server.url + "/api/tracking/telemetry/luna/chaturbate"
        await until(lambda: "day_usd" in httpx.get(latest).json(), what="the rate read")
        async with httpx.AsyncClient() as http:
            body = sample_json("luna", tokens_count=1240)
            assert (await http.post(server.url + "/api/tracking/telemetry", json=body)).is_success
        await until(lambda: shift.data() != "—", what="luna's shift in dollars")
        tokens = app.board.get(*luna).shift_tokens or 0  # type: ignore[union-attr]
        assert shift.data() == f"${tokens * 5 // 100}.{tokens * 5 % 100:02d}", "0.05 a token"
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_a_manager_is_not_offered_the_administration(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server: ServerProcess = make_server(dev=False)
    assert server.cli("user", "add", "boss", input="boss-pass-1\n").returncode == 0

    async def scenario() -> None:
        app = await live_app(app_settings, server.url, "boss", "boss-pass-1")
        window = app.window
        assert window is not None
        await account_known(app)
        assert not window.admin_action.isVisible()
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_rooms_are_typed_as_room_at_platform() -> None:
    assert parse_rooms("a@chaturbate, b@stripchat\nc") == (
        [("a", "chaturbate"), ("b", "stripchat")],
        ["c"],
    )


def test_an_admin_fixes_a_strategy_on_a_sent_outline_and_publishes_it(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    make_server: ServerFactory,
    secret_service: Path,
) -> None:
    server = make_server()  # dev mode: demo is an admin, collectors need no key
    outline = {
        "platform": "camsoda",
        "room_id": "carla-cs",
        "page": "/{room}",
        "nodes": 3,
        "root": {
            "t": "body",
            "k": [
                {"t": "div", "d": ["data-testid"], "c": ["tips-now"], "x": "12"},
                {"t": "div", "i": "chat", "o": True},
            ],
        },
    }

    async def scenario() -> None:
        async with httpx.AsyncClient() as http:
            sent = await http.post(server.url + "/api/collectors/outlines", json=outline)
            assert sent.status_code == 204, sent.text
        app = await live_app(app_settings, server.url)
        window = app.window
        assert window is not None
        await until(lambda: window.admin_action.isVisible(), what="the Administration entry")
        window.admin_action.trigger()
        admin = app.admin
        assert isinstance(admin, AdminWindow)
        rules = admin.rules_tab
        await until(lambda: rules.outlines and rules.served is not None, what="outline and rules")
        assert rules.outline_box.currentText().startswith("camsoda · /{room} · (no key)")
        version = rules.served.selectors.version if rules.served else 0
        assert f"version {version}, from the server's file" in rules.served_label.text()
        await until(lambda: rules.outline_view.toPlainText(), what="the outline shown")
        assert rules.outline_view.toPlainText().splitlines() == [
            "body",
            "  div.tips-now [data-testid] = 12",
            "  div#chat (left out: private)",
        ]
        rules.counter_box.setCurrentText("tips_count")
        assert ".tip-total-count" in rules.editor.toPlainText(), "the served strategies"

        rules.editor.setPlainText('[".tips-now", ".tip-total-count", "div[[["]')
        rules.try_button.click()
        await until(lambda: rules.table.rowCount() == 3, what="the trial")
        assert [[_cell(rules.table, r, c) for c in range(3)] for r in range(3)] == [
            [".tips-now", "reads", "12"],
            [".tip-total-count", "not found", ""],
            ["div[[[", "malformed selector", ""],
        ]

        rules.editor.setPlainText("not json")
        rules.publish_button.click()
        assert "not JSON" in admin.status.text()

        rules.editor.setPlainText('[".tips-now", ".tip-total-count"]')
        rules.publish_button.click()
        await until(
            lambda: rules.served is not None and rules.served.source == "published",
            what="the publication",
        )
        assert f"version {version + 1} published to every collector" in admin.status.text()
        assert "published by demo" in rules.served_label.text()
        async with httpx.AsyncClient() as http:
            served = (await http.get(server.url + "/api/collectors/selectors?strategies=1")).json()
        assert served["version"] == version + 1
        assert served["platforms"]["camsoda"]["counters"]["tips_count"] == [
            ".tips-now",
            ".tip-total-count",
        ]
        await app._shutdown()

    qloop.run_until_complete(scenario())
