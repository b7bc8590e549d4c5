"""Collectors gone silent (godmode_server/collectors/watch.py) against a real production server:
a key that was posting and stops is told to the dashboards that asked (not to monitors, not to
those that did not ask), once, and again when it posts again; the event is the same on every
node of a cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from godmode_server.collectors.activity import KeyActivity
from godmode_server.collectors.source_health import STALL_POLLS
from godmode_server.collectors.watch import CollectorWatch
from godmode_server.sql.database import Database
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.servers import ServerProcess

from .fake_events_api import FakeEventsApi

PASSWORD = "admin-pass-1"
TOKEN = "tok-secret-1234567890"
# Longer than the key activity's writes (every 5 s), so the event can name the rooms.
FAST = {"GODMODE_COLLECTOR_SILENT_AFTER": "6", "GODMODE_COLLECTOR_CHECK_INTERVAL": "0.2"}


def _server(tmp_path: Path, env: dict[str, str] = FAST) -> tuple[ServerProcess, str]:
    server = ServerProcess(tmp_path, dev=False, env=env)
    assert (
        server.cli("user", "add", "root", "--role", "admin", input=PASSWORD + "\n").returncode == 0
    )
    assert (
        server.cli("user", "add", "mo", "--role", "monitor", input="mo-pass-123\n").returncode == 0
    )
    assert server.cli("user", "rooms", "mo", "luna@chaturbate").returncode == 0
    key = server.cli("key", "create", "pc-7").stdout.strip()
    return server.start(), key


async def test_a_silence_names_the_rooms_of_posts_not_written_yet(tmp_path: Path) -> None:
    """Silent after 2 s, before the key activity's first write (5 s): the event names the
    room all the same (it named none when the write had not happened yet)."""
    server, key = _server(tmp_path, {**FAST, "GODMODE_COLLECTOR_SILENT_AFTER": "2"})
    try:
        admin = server.login("root", PASSWORD)
        async with (
            ws_connect(server, admin, collectors=1) as asking,
            httpx.AsyncClient(headers={"X-Api-Key": key}) as collector,
        ):
            assert (await recv(asking))["event_type"] == "SNAPSHOT"
            body = sample_json("luna")
            assert (
                await collector.post(server.url + "/api/tracking/telemetry", json=body)
            ).is_success
            silent = await next_event(asking, "COLLECTOR_STATUS", timeout=10)
            assert silent["state"] == "silent"
            assert silent["rooms"] == [{"room_id": "luna", "platform": "chaturbate"}]
    finally:
        server.stop()


async def test_a_silent_collector_is_told_once_and_its_return_too(tmp_path: Path) -> None:
    server, key = _server(tmp_path)
    try:
        admin, monitor = server.login("root", PASSWORD), server.login("mo", "mo-pass-123")
        async with (
            ws_connect(server, admin, collectors=1) as asking,
            ws_connect(server, admin) as not_asking,
            ws_connect(server, monitor, collectors=1) as monitors,
            httpx.AsyncClient(headers={"X-Api-Key": key}) as collector,
        ):
            for ws in (asking, not_asking, monitors):
                assert (await recv(ws))["event_type"] == "SNAPSHOT"
            posted = await collector.post(
                server.url + "/api/tracking/telemetry", json=sample_json("luna")
            )
            assert posted.status_code == 200
            # Posting, then nothing for 6 s: silent.
            silent = await next_event(asking, "COLLECTOR_STATUS", timeout=10)
            assert silent["key"] == "pc-7"
            assert silent["state"] == "silent"
            assert silent["silent_after"] == 6
            assert silent["last_post"] >= posted.json().get("timestamp", 0)
            assert silent["rooms"] == [{"room_id": "luna", "platform": "chaturbate"}]
            # It posts again: told once more.
            again = sample_json("luna", tokens_count=6000)
            assert (
                await collector.post(server.url + "/api/tracking/telemetry", json=again)
            ).is_success
            back: dict[str, Any] = await next_event(asking, "COLLECTOR_STATUS", timeout=10)
            assert (back["key"], back["state"]) == ("pc-7", "posting")
            # The others saw the updates, never a collector's status.
            for ws in (not_asking, monitors):
                seen: list[str] = []
                while not seen or seen[-1] != "6000":
                    event = await recv(ws, timeout=10)
                    kind = event["event_type"]
                    seen.append(
                        str(event["data"]["tokens"]) if kind == "TELEMETRY_UPDATE" else kind
                    )
                assert "COLLECTOR_STATUS" not in seen, seen
                assert [e for e in seen if e.isdigit()] == ["5000", "6000"]
    finally:
        server.stop()


class _Told:
    """Where the watch tells its events (the hub's one method it uses)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def notify_collectors(self, text: str) -> int:
        self.texts.append(text)
        return 1


async def test_two_nodes_decide_the_same_from_the_shared_table(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}")
    await db.start()
    try:
        await db.note_key_activity({("pc-1", "chaturbate", "luna"): 1000})
        told = [_Told(), _Told()]
        nodes = [
            CollectorWatch(db, KeyActivity(db), hub, silent_after=60, interval=1)  # type: ignore[arg-type]
            for hub in told
        ]
        for node in nodes:
            assert await node.check(now=1030) == [], "posting when first seen: not news"
        decided = [await node.check(now=1061) for node in nodes]
        assert decided[0] == decided[1]
        assert [(s.key, s.state, s.last_post) for s in decided[0]] == [("pc-1", "silent", 1000)]
        assert told[0].texts == told[1].texts
        assert [await node.check(now=1200) for node in nodes] == [[], []], "once"
        # A post this node took and has not written yet counts at once.
        nodes[0]._activity.note("pc-1", "chaturbate", "luna", at=1250)
        [back] = await nodes[0].check(now=1251)
        assert (back.state, back.last_post) == ("posting", 1250)
    finally:
        await db.close()


async def test_a_stalled_server_side_collector_is_told_and_its_recovery_too(
    tmp_path: Path,
) -> None:
    """A Chaturbate Events API collector of the server that keeps getting no usable answer
    (here: the API answering 503 again and again) is told to the dashboards as a silent
    collector under its source's name, and again when its answers come back (issue 35)."""
    with FakeEventsApi(token=TOKEN) as api:
        collectors = tmp_path / "collectors.toml"
        collectors.write_text(
            f'[[chaturbate_events]]\nusername = "{api.username}"\ntoken = "{TOKEN}"\n'
            f'api_url = "{api.base_url}"\ntimeout = 1\n'
        )
        server = ServerProcess(
            tmp_path, dev=False, env={**FAST, "GODMODE_COLLECTORS_FILE": str(collectors)}
        )
        made = server.cli("user", "add", "root", "--role", "admin", input=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
        server.start()
        try:
            async with ws_connect(server, server.login("root", PASSWORD), collectors=1) as ws:
                assert (await recv(ws))["event_type"] == "SNAPSHOT"
                api.fail_next(503, times=STALL_POLLS)  # 1 + 2 + 4 s of the collector's backoff
                stalled = await next_event(ws, "COLLECTOR_STATUS", timeout=30)
                assert (stalled["key"], stalled["state"]) == ("chaturbate_events:alice", "silent")
                assert stalled["rooms"] == [{"room_id": "alice", "platform": "chaturbate"}]
                back = await next_event(ws, "COLLECTOR_STATUS", timeout=30)
                assert (back["key"], back["state"]) == ("chaturbate_events:alice", "posting")
                assert back["last_post"] >= stalled["last_post"]
        finally:
            server.stop()
