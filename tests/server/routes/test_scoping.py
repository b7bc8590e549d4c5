"""A monitor sees only their rooms, everywhere: the feed's snapshot, its live events and its
replay, the bulk read, a room's latest value and history, the reports when granted; and a change
of their rooms reaches their open feed within a second, on a real production server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from godmode_common.protocol import CLOSE_SCOPE_CHANGED
from tests.helpers.bodies import sample_json
from tests.helpers.dashboards import next_event, recv, ws_connect
from tests.helpers.databases import PostgresProcess, RedisProcess
from tests.helpers.servers import ServerProcess
from tests.helpers.waiting import wait_until

PASSWORD = "pass-word-1"
MINE = ("mine", "chaturbate")
OTHER = ("other", "chaturbate")


@pytest.fixture
def studio(tmp_path: Any) -> Iterator[tuple[ServerProcess, str, dict[str, str]]]:
    """A production server, an ingest key, and tokens of a monitor of MINE and a manager."""
    server = ServerProcess(tmp_path, dev=False, env={"GODMODE_HEARTBEAT_INTERVAL": "0.3"})
    for name, role in (("mo", "monitor"), ("boss", "manager")):
        assert (
            server.cli("user", "add", name, "--role", role, input=PASSWORD + "\n").returncode == 0
        )
    assert server.cli("user", "rooms", "mo", "mine@chaturbate").returncode == 0
    key = server.cli("key", "create", "pc").stdout.strip()
    server.start()
    tokens = {name: server.login(name, PASSWORD) for name in ("mo", "boss")}
    yield server, key, tokens
    server.stop()


def _post(server: ServerProcess, key: str, room: tuple[str, str], tokens: int) -> int:
    body = sample_json(room[0], platform=room[1], tokens_count=tokens, timestamp=int(time.time()))
    answer = httpx.post(
        server.url + "/api/tracking/telemetry", json=body, headers={"X-Api-Key": key}
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["seq"])


def _get(server: ServerProcess, token: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(server.url + path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_a_monitors_reads_hold_only_their_rooms(
    studio: tuple[ServerProcess, str, dict[str, str]],
) -> None:
    server, key, tokens = studio
    _post(server, key, MINE, 10)
    _post(server, key, OTHER, 20)

    bulk = _get(server, tokens["mo"], "/api/tracking/telemetry").json()
    assert [(r["room_id"], r["platform"]) for r in bulk["rooms"]] == [MINE]
    everything = _get(server, tokens["boss"], "/api/tracking/telemetry").json()
    assert {(r["room_id"], r["platform"]) for r in everything["rooms"]} == {MINE, OTHER}

    assert _get(server, tokens["mo"], "/api/tracking/telemetry/mine/chaturbate").status_code == 200
    assert _get(server, tokens["mo"], "/api/tracking/telemetry/other/chaturbate").status_code == 404
    assert (
        _get(server, tokens["boss"], "/api/tracking/telemetry/other/chaturbate").status_code == 200
    )
    history = "/api/tracking/telemetry/other/chaturbate/history"
    assert _get(server, tokens["mo"], history).status_code == 404
    assert _get(server, tokens["boss"], history).status_code == 200


def test_a_monitors_feed_holds_only_their_rooms_and_still_beats(
    studio: tuple[ServerProcess, str, dict[str, str]],
) -> None:
    server, key, tokens = studio
    _post(server, key, MINE, 10)
    _post(server, key, OTHER, 20)

    async def scenario() -> None:
        async with ws_connect(server, tokens["mo"]) as ws:
            snapshot = await next_event(ws, "SNAPSHOT")
            assert [(r["room_id"], r["platform"]) for r in snapshot["rooms"]] == [MINE]
            assert snapshot["scope"] == [{"room_id": "mine", "platform": "chaturbate"}]
            other = _post(server, key, OTHER, 21)
            mine = _post(server, key, MINE, 11)
            seen = []
            while True:  # everything up to MINE's update, heartbeats included
                event = await recv(ws)
                seen.append(event["event_type"])
                if event["event_type"] == "TELEMETRY_UPDATE":
                    assert event["room_id"] == "mine"
                    assert event["seq"] == mine == other + 1
                    break
            beat = await next_event(ws, "HEARTBEAT")
            assert beat["seq"] >= mine
        async with ws_connect(server, tokens["boss"]) as ws:
            assert "scope" not in await next_event(ws, "SNAPSHOT"), "unchanged for the others"

    asyncio.run(scenario())


def test_a_monitors_replay_holds_only_their_rooms(
    studio: tuple[ServerProcess, str, dict[str, str]],
) -> None:
    server, key, tokens = studio

    async def scenario() -> None:
        async with ws_connect(server, tokens["mo"]) as ws:
            snapshot = await next_event(ws, "SNAPSHOT")
        _post(server, key, OTHER, 1)
        mine = _post(server, key, MINE, 2)
        _post(server, key, OTHER, 3)
        query = {"since": snapshot["seq"], "epoch": snapshot["epoch"]}
        async with ws_connect(server, tokens["mo"], **query) as ws:
            assert (await recv(ws))["event_type"] == "RESUME"
            update = await recv(ws)
            assert (update["event_type"], update["room_id"], update["seq"]) == (
                "TELEMETRY_UPDATE",
                "mine",
                mine,
            )
            follows = await recv(ws)
            assert follows["event_type"] == "HEARTBEAT", "the other room's events are left out"

    asyncio.run(scenario())


async def _until_closed(ws: Any) -> ConnectionClosed:
    """Read (heartbeats) until the server closes the feed; how it closed it."""
    while True:
        try:
            await recv(ws, timeout=3)
        except ConnectionClosed as closed:
            return closed


def test_new_rooms_reach_an_open_feed_within_a_second(
    studio: tuple[ServerProcess, str, dict[str, str]],
) -> None:
    server, key, tokens = studio
    _post(server, key, OTHER, 20)

    async def scenario() -> None:
        async with ws_connect(server, tokens["mo"]) as ws:
            await next_event(ws, "SNAPSHOT")
            changed = await asyncio.to_thread(
                server.cli, "user", "rooms", "mo", "mine@chaturbate", "other@chaturbate"
            )
            assert changed.returncode == 0
            started = time.monotonic()
            closed = await _until_closed(ws)
            assert closed.rcvd is not None
            assert closed.rcvd.code == CLOSE_SCOPE_CHANGED
            assert time.monotonic() - started < 1.5
        async with ws_connect(server, tokens["mo"]) as ws:
            snapshot = await next_event(ws, "SNAPSHOT")
            assert [(r["room_id"], r["platform"]) for r in snapshot["rooms"]] == [OTHER]

    asyncio.run(scenario())


def test_a_monitor_granted_reports_sees_their_rooms_earnings(
    studio: tuple[ServerProcess, str, dict[str, str]],
) -> None:
    server, key, tokens = studio
    assert server.cli("user", "reports", "mo", "on").returncode == 0
    now = int(time.time())
    _post(server, key, MINE, 10)
    _post(server, key, OTHER, 20)
    span = {"from": now - now % 60 - 3600, "to": now - now % 60 + 120}

    def rooms(name: str) -> set[str]:
        answer = _get(server, tokens[name], "/api/reports/earnings", **span)
        assert answer.status_code == 200, answer.text
        return {r["room_id"] for r in answer.json()["rows"]}

    wait_until(lambda: rooms("boss") == {"mine", "other"}, what="the archive")
    assert rooms("mo") == {"mine"}


def test_a_rooms_change_made_on_one_node_reaches_a_feed_on_the_other(
    make_server: Any, postgres: PostgresProcess, redis_server: RedisProcess
) -> None:
    shared = {
        "GODMODE_DATABASE_URL": postgres.new_database(),
        "GODMODE_REDIS_URL": redis_server.url,
    }
    first: ServerProcess = make_server(dev=False, **shared)
    second: ServerProcess = make_server(dev=False, **shared)
    for name, role in (("root", "admin"), ("mo", "monitor")):
        assert first.cli("user", "add", name, "--role", role, input=PASSWORD + "\n").returncode == 0
    admin = {"Authorization": f"Bearer {first.login('root', PASSWORD)}"}
    token = second.login("mo", PASSWORD)

    async def scenario() -> None:
        async with ws_connect(second, token) as ws:
            assert (await next_event(ws, "SNAPSHOT"))["scope"] == []
            async with httpx.AsyncClient(headers=admin) as http:
                answer = await http.put(
                    first.url + "/api/admin/users/mo/rooms",
                    json={"rooms": [{"room_id": "mine", "platform": "chaturbate"}]},
                )
                assert answer.status_code == 200, answer.text
            started = time.monotonic()
            closed = await _until_closed(ws)
            assert closed.rcvd is not None
            assert closed.rcvd.code == CLOSE_SCOPE_CHANGED
            assert time.monotonic() - started < 1.5
        async with ws_connect(second, token) as ws:
            scope = (await next_event(ws, "SNAPSHOT"))["scope"]
            assert scope == [{"room_id": "mine", "platform": "chaturbate"}]

    asyncio.run(scenario())
