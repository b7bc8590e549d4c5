"""The live feed against a real server: snapshot and updates, restarts, a cut live link with
polling, lossless resume, and refused tokens."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import jwt

from godmode_desktop.net.api import ApiClient
from godmode_desktop.net.feed import FeedConfig, LiveFeed
from godmode_desktop.net.status import ConnectionState
from tests.helpers import feed as helpers
from tests.helpers.bodies import sample_json
from tests.helpers.recorder import Recorder
from tests.helpers.servers import JWT_SECRET, ServerFactory, ServerProcess
from tests.helpers.tcp_proxy import TcpProxy
from tests.helpers.waiting import until

LIVE = ConnectionState.LIVE
FAST = FeedConfig(poll_after=0.5, poll_interval=0.3, backoff_cap=1.0, heartbeat_timeout=5.0)


def running(
    url: str, token: str | None, sink: Recorder, config: FeedConfig = FAST
) -> AbstractAsyncContextManager[LiveFeed]:
    return helpers.running(url, token, sink, config)


async def _post(http: httpx.AsyncClient, server: ServerProcess, room: str, tokens: int) -> int:
    answer = await http.post(
        server.url + "/api/tracking/telemetry", json=sample_json(room, tokens_count=tokens)
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["seq"])


async def _behind_proxy(
    make_server: ServerFactory, proxy_factory: Callable[[int], Any], **env: str
) -> tuple[ServerProcess, str, TcpProxy]:
    """A fresh server, a token for it, and a proxy in front of it."""
    server = make_server(**env)
    return server, server.login(), await proxy_factory(server.port)


async def test_feed_delivers_the_snapshot_then_updates(
    dev_server: ServerProcess, demo_token: str, recorder: Recorder, room: str
) -> None:
    async with httpx.AsyncClient() as http:
        await _post(http, dev_server, room, 100)
        async with running(dev_server.url, demo_token, recorder):
            await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
            assert recorder.tokens(room) == 100
            seq = await _post(http, dev_server, room, 250)
            await recorder.wait_for(lambda: recorder.tokens(room) == 250, what="the update")

    assert recorder.states[:2] == [ConnectionState.CONNECTING, LIVE]
    assert recorder.update_seqs[-1] == seq
    room_state = recorder.board.get(room, "chaturbate")
    assert room_state is not None
    assert room_state.tokens_delta == 150


async def test_feed_comes_back_by_itself_after_a_server_restart(
    make_server: ServerFactory, recorder: Recorder
) -> None:
    server = make_server()
    token = server.login()
    async with running(server.url, token, recorder) as feed:
        await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
        first_epoch = recorder.snapshots[-1].epoch
        server.stop()
        await recorder.wait_for(
            lambda: recorder.state is ConnectionState.OFFLINE, what="OFFLINE while down"
        )
        await asyncio.to_thread(server.start)  # same port, new process, new epoch
        async with httpx.AsyncClient() as http:
            await _post(http, server, "after_restart", 7)
        await recorder.wait_for(
            lambda: recorder.state is LIVE and recorder.tokens("after_restart") == 7,
            timeout=20,
            what="LIVE again with the new data",
        )
        assert feed.epoch != first_epoch


async def test_cut_live_link_falls_back_to_polling_then_returns_live(
    make_server: ServerFactory,
    recorder: Recorder,
    proxy_factory: Callable[[int], asyncio.Future[TcpProxy]],
) -> None:
    server, token, proxy = await _behind_proxy(make_server, proxy_factory)
    async with httpx.AsyncClient() as http, running(proxy.url, token, recorder):
        await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
        await _post(http, server, "r", 1)
        await recorder.wait_for(lambda: recorder.tokens("r") == 1, what="first update")

        proxy.block_websockets = True
        proxy.cut_websockets()
        await recorder.wait_for(lambda: recorder.state is ConnectionState.POLLING, what="POLLING")
        for tokens in (2, 3, 4):
            await _post(http, server, "r", tokens)
        await recorder.wait_for(lambda: recorder.tokens("r") == 4, what="polled data")
        assert recorder.polls, "the board must have been kept current by polling"

        proxy.block_websockets = False
        await recorder.wait_for(lambda: recorder.state is LIVE, timeout=15, what="LIVE again")
        last = await _post(http, server, "r", 5)
        await recorder.wait_for(lambda: recorder.tokens("r") == 5, what="live update")

    assert recorder.update_seqs[-1] == last
    assert recorder.update_seqs == sorted(set(recorder.update_seqs)), "duplicate or reordered"


async def test_samples_posted_while_cut_off_arrive_once_in_order(
    make_server: ServerFactory,
    recorder: Recorder,
    proxy_factory: Callable[[int], asyncio.Future[TcpProxy]],
) -> None:
    server, token, proxy = await _behind_proxy(make_server, proxy_factory)
    no_polling = FeedConfig(poll_after=600, backoff_cap=0.5)
    async with httpx.AsyncClient() as http, running(proxy.url, token, recorder, no_polling):
        await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
        before = await _post(http, server, "r", 1)
        await recorder.wait_for(lambda: before in recorder.update_seqs, what="first update")

        proxy.block_websockets = True
        proxy.cut_websockets()
        await recorder.wait_for(
            lambda: recorder.state is ConnectionState.CONNECTING, what="the drop"
        )
        missed = [await _post(http, server, "r", n) for n in range(2, 8)]
        proxy.block_websockets = False
        await recorder.wait_for(
            lambda: recorder.update_seqs[-1] == missed[-1], timeout=15, what="the replay"
        )

    assert recorder.update_seqs == [before, *missed]
    assert recorder.tokens("r") == 7
    assert len(recorder.snapshots) == 1, "a resume must not fall back to a snapshot"


async def test_a_silent_link_is_detected_by_the_heartbeat_watchdog(
    make_server: ServerFactory,
    recorder: Recorder,
    proxy_factory: Callable[[int], asyncio.Future[TcpProxy]],
) -> None:
    server, token, proxy = await _behind_proxy(
        make_server, proxy_factory, GODMODE_HEARTBEAT_INTERVAL="0.2"
    )
    watchdog = FeedConfig(heartbeat_timeout=1.0, open_timeout=1.0, poll_after=600, backoff_cap=0.5)
    async with httpx.AsyncClient() as http, running(proxy.url, token, recorder, watchdog) as feed:
        await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
        proxy.freeze_websockets = True  # nothing is closed; bytes just stop flowing
        await recorder.wait_for(
            lambda: recorder.state is ConnectionState.CONNECTING, what="the watchdog"
        )
        seq = await _post(http, server, "r", 42)
        proxy.freeze_websockets = False
        await recorder.wait_for(
            lambda: recorder.state is LIVE and recorder.tokens("r") == 42,
            timeout=15,
            what="LIVE again with the missed update",
        )
    assert recorder.update_seqs == [seq]
    assert feed.attempts >= 2


def _forged(secret: str, **claims: object) -> str:
    now = int(time.time())
    payload = {"sub": "demo", "role": "admin", "iat": now, "exp": now + 600}
    payload |= {"iss": "godmode", "aud": "godmode-dashboard"} | claims
    return jwt.encode(payload, secret, algorithm="HS256")


async def test_a_refused_token_stops_in_auth_required_without_retrying(
    dev_server: ServerProcess, recorder: Recorder
) -> None:
    for token in (
        _forged("not-the-server-secret-" + "z" * 40),
        _forged(JWT_SECRET, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    ):
        recorder.states.clear()
        async with running(dev_server.url, token, recorder) as feed:
            await recorder.wait_for(
                lambda: recorder.state is ConnectionState.AUTH_REQUIRED, what="AUTH_REQUIRED"
            )
        assert feed.attempts == 1


async def test_a_disabled_account_stops_in_auth_required_without_retrying(
    make_server: ServerFactory, recorder: Recorder
) -> None:
    server = make_server()
    assert server.cli("user", "add", "eve", input="pw-eve\n").returncode == 0
    token = server.login("eve", "pw-eve")
    async with ApiClient(server.url, token=token) as api:
        feed = LiveFeed(api, recorder, FAST)
        task = asyncio.create_task(feed.run())
        await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
        assert server.cli("user", "disable", "eve").returncode == 0
        server.stop()  # drop the live link: the feed reconnects, and is refused
        await asyncio.to_thread(server.start)

        # run() ends by itself: no retry loop with a refused token.
        await asyncio.wait_for(task, 30)

    assert recorder.state is ConnectionState.AUTH_REQUIRED


async def test_a_refused_token_while_polling_stops_in_auth_required(
    dev_server: ServerProcess,
    recorder: Recorder,
    proxy_factory: Callable[[int], asyncio.Future[TcpProxy]],
) -> None:
    proxy = await proxy_factory(dev_server.port)
    proxy.block_websockets = True  # only the polls reach the server, and they are refused
    token = _forged("not-the-server-secret-" + "z" * 40)
    async with ApiClient(proxy.url, token=token) as api:
        feed = LiveFeed(api, recorder, FAST)
        await asyncio.wait_for(feed.run(), 30)  # ends by itself

    assert recorder.state is ConnectionState.AUTH_REQUIRED
    assert ConnectionState.LIVE not in recorder.states


async def test_a_monitors_feed_skips_other_rooms_seqs_without_resyncing(
    make_server: ServerFactory, recorder: Recorder
) -> None:
    server = make_server(dev=False, GODMODE_HEARTBEAT_INTERVAL="0.2")
    added = server.cli("user", "add", "mo", "--role", "monitor", input="pass-word\n")
    assert added.returncode == 0, added.stderr
    assert server.cli("user", "rooms", "mo", "mine@chaturbate").returncode == 0
    key = server.cli("key", "create", "pc").stdout.strip()
    token = server.login("mo", "pass-word")
    async with (
        httpx.AsyncClient(headers={"X-Api-Key": key}) as http,
        running(server.url, token, recorder) as feed,
    ):
        await recorder.wait_for(lambda: recorder.state is LIVE, what="LIVE")
        for n in range(1, 6):  # the other room's events make gaps in the monitor's seqs
            await _post(http, server, "other", n)
            await _post(http, server, "mine", n)
        await recorder.wait_for(lambda: recorder.tokens("mine") == 5, what="mine, live")
        last = await _post(http, server, "other", 6)
        await until(lambda: feed.seq == last, what="a heartbeat moving the cursor")
        assert feed.attempts == 1, "no resync for the gaps"
    assert recorder.tokens("other") is None
    assert recorder.states == [ConnectionState.CONNECTING, LIVE]
    assert feed.scoped
