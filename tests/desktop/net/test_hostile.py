"""What a broken or hostile server can make the desktop net layer do: bounded memory, bounded
time per request, a bounded reconnect rate, a token refresh timed by the server's lifetime,
and a log that does not fill up.  Against tests/desktop/net/hostile_server.py, on loopback."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from benchmarks.harness import rss_mb
from godmode_desktop.net.api import MAX_ROOMS, ApiClient
from godmode_desktop.net.errors import ProtocolMismatch, ServerUnreachable
from godmode_desktop.net.feed import FeedConfig, LiveFeed
from godmode_desktop.net.session import MIN_REFRESH_GAP, Session, TokenVault
from godmode_desktop.net.throttled_log import ThrottledLog
from tests.desktop.net.hostile_server import HostileServer
from tests.helpers.feed import running
from tests.helpers.recorder import Recorder

#: Exact backoff delays (0, 0.25, 0.5, 1, 2 ...), so the time between reconnects can be checked.
STEADY = FeedConfig(poll_after=60, backoff_base=0.25, backoff_cap=10, jitter=False)


@asynccontextmanager
async def hostile(**behaviour: object) -> AsyncIterator[HostileServer]:
    server = await HostileServer(**behaviour).start()  # type: ignore[arg-type]
    try:
        yield server
    finally:
        await server.close()


async def test_a_poll_answer_of_a_million_rooms_is_refused_as_it_streams() -> None:
    async with hostile(bulk_rooms=1_000_000) as server, ApiClient(server.url) as api:
        before = rss_mb(os.getpid())
        with pytest.raises(ProtocolMismatch, match="answer over 8 MiB"):
            await api.bulk()
        assert rss_mb(os.getpid()) - before < 60


async def test_a_poll_of_more_rooms_than_allowed_is_refused() -> None:
    async with hostile(bulk_rooms=MAX_ROOMS + 1) as server, ApiClient(server.url) as api:
        with pytest.raises(ProtocolMismatch, match=f"{MAX_ROOMS + 1} rooms"):
            await api.bulk()


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/tracking/telemetry"])
async def test_a_trickled_answer_ends_at_the_deadline(path: str) -> None:
    """One byte every 0.1 s would keep a per-read timeout happy forever; the deadline is for
    the whole request."""
    async with (
        hostile(trickle=frozenset({path})) as server,
        ApiClient(server.url, deadline=1.0) as api,
    ):
        request = api.login("ana", "pw") if path.endswith("login") else api.bulk()
        started = time.monotonic()
        with pytest.raises(ServerUnreachable, match="no complete answer in 1 s"):
            await request
        assert time.monotonic() - started < 2


def following(server: HostileServer, sink: Recorder) -> AbstractAsyncContextManager[LiveFeed]:
    return running(server.url, "t", sink, STEADY)


async def connections(server: HostileServer, count: int) -> float:
    """Seconds until the client has opened ``count`` WebSockets to ``server``."""
    started = time.monotonic()
    await server.changes.until(lambda: server.ws_connections >= count, 20, f"{count} connections")
    return time.monotonic() - started


@pytest.mark.parametrize("behaviour", ["close", "skip_seq", "flip_epoch"])
async def test_a_server_that_breaks_every_connection_is_not_hammered(behaviour: str) -> None:
    """Closing after each SNAPSHOT, or breaking the event order on every connection: the
    backoff is not reset by a connection that did not stay healthy, and at most three resyncs
    a minute are immediate.  So the connections come only after the backoff's first steps
    (0 + 0.25 + 0.5 + 1 s, jitter off); before, thousands came within seconds."""
    # "close": #1, then delays 0, 0.25, 0.5, 1 → #5.  The others: #1, three immediate resyncs,
    # then delays 0, 0.25, 0.5, 1 → #8.
    count = 5 if behaviour == "close" else 8
    async with hostile(after_snapshot=behaviour) as server, following(server, Recorder()):
        elapsed = await connections(server, count)
    assert elapsed >= 1.7, f"{server.ws_connections} connections in {elapsed:.2f} s"


async def test_a_snapshot_of_too_many_rooms_is_not_taken() -> None:
    sink = Recorder()
    async with hostile(snapshot_rooms=MAX_ROOMS + 1) as server, following(server, sink):
        await connections(server, 2)
    assert sink.snapshots == []
    assert len(sink.board) == 0


async def test_garbage_messages_are_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    sink = Recorder()
    caplog.set_level(logging.WARNING, logger="godmode_desktop.net.feed")
    async with hostile(after_snapshot="garbage") as server, following(server, sink):
        # The update sent after the 100 garbage messages: every one of them has been read.
        await sink.wait_for(lambda: sink.update_seqs == [2], what="the update after the garbage")
    ignored = [r for r in caplog.records if "not a protocol v1 event" in r.getMessage()]
    assert len(ignored) == 1


def test_throttled_warnings_count_what_they_left_out(caplog: pytest.LogCaptureFixture) -> None:
    log = ThrottledLog(logging.getLogger("test.throttled"), interval=3600)
    caplog.set_level(logging.WARNING, logger="test.throttled")
    written = [log.warning("kind", "bad message %d", n) for n in range(100)]
    assert written == [True] + [False] * 99
    assert log.warning("other", "another kind") is True
    assert [r.getMessage() for r in caplog.records] == ["bad message 0", "another kind"]


@pytest.mark.parametrize(
    ("clock_offset", "lifetime", "delay"),
    [
        (-50, 60, (47.0, 48.0)),  # the server's clock 50 s behind: the token looks expired here
        (+3600, 60, (47.0, 48.0)),  # an hour ahead: the token looks not yet valid
        (0, 1, (MIN_REFRESH_GAP, MIN_REFRESH_GAP)),  # a one-second lifetime: not a loop
    ],
)
async def test_the_refresh_is_timed_by_the_servers_lifetime(
    clock_offset: int, lifetime: int, delay: tuple[float, float]
) -> None:
    session = Session("http://h:1", "ana", TokenVault(use_keyring=False))
    async with (
        hostile(clock_offset=clock_offset, token_lifetime=lifetime) as server,
        ApiClient(server.url) as api,
    ):
        session.server_url = server.url
        await session.login(api, "pw")
    low, high = delay
    assert low <= session.refresh_delay() <= high
