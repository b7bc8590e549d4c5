"""The Chaturbate Stats API collector against a local stand-in that answers as the API does."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from godmode_common.protocol import TelemetrySample
from godmode_common.retry import Backoff
from godmode_server.collectors.chaturbate_stats import MAX_ANSWER_BYTES, ChaturbateStatsCollector
from godmode_server.collectors.config import ChaturbateStatsRoom
from godmode_server.collectors.source_health import STALL_POLLS
from tests.helpers.waiting import POLL_INTERVAL, Changes

from .fake_stats_api import FakeStatsApi

TOKEN = "stats-token-123456789012"


class Run:
    """A collector running in the test's loop; what it ingested, as it arrives."""

    def __init__(self) -> None:
        self.samples: list[TelemetrySample] = []
        self.changes = Changes()
        self.latest: TelemetrySample | None = None
        self.collector: ChaturbateStatsCollector
        self.task: asyncio.Task[None]

    @property
    def counters(self) -> list[tuple[int, int, int]]:
        return [(s.tokens_count, s.tips_count, s.viewers_count) for s in self.samples]


@pytest.fixture
def api() -> Iterator[FakeStatsApi]:
    with FakeStatsApi(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def collectors(api: FakeStatsApi) -> AsyncIterator[object]:
    runs: list[Run] = []
    async with httpx.AsyncClient() as http:

        def start(*, token: str = TOKEN, samples: bool = True, interval: float = 1.0) -> Run:
            room = ChaturbateStatsRoom(
                username=api.username,
                token=token,
                api_url=api.url,
                interval=interval,
                samples=samples,
            )
            run = Run()

            async def ingest(sample: TelemetrySample) -> None:
                run.samples.append(sample)
                run.latest = sample
                run.changes.changed()

            async def latest(room_id: str, platform: str) -> TelemetrySample | None:
                assert (room_id, platform) == (room.room, "chaturbate")
                return run.latest

            run.collector = ChaturbateStatsCollector(
                room,
                http=http,
                ingest=ingest,
                latest=latest,
                backoff=Backoff(base=0.05, cap=0.2),
            )
            run.task = asyncio.create_task(run.collector.run())
            runs.append(run)
            return run

        yield start
        for run in runs:
            run.task.cancel()
            await asyncio.gather(run.task, return_exceptions=True)


async def until(predicate, timeout: float = 10.0, what: str = "") -> None:
    """Wait for something the stand-in or the collector's health shows (no event to await)."""
    try:
        async with asyncio.timeout(timeout):
            while not predicate():  # noqa: ASYNC110 - another thread's state: no event to await
                await asyncio.sleep(POLL_INTERVAL)
    except TimeoutError:
        pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")


async def test_the_balance_and_viewers_become_a_sample_when_they_change(
    api: FakeStatsApi, collectors
) -> None:
    api.set(balance=1200, viewers=40)
    run = collectors(interval=1.0)

    await run.changes.until(lambda: len(run.samples) == 1, what="the first sample")
    assert run.counters == [(1200, 0, 40)]
    assert (run.samples[0].room_id, run.samples[0].platform) == ("alice", "chaturbate")
    assert api.requests[0].username == "alice"
    assert api.requests[0].token == TOKEN

    # Unchanged figures: polled again, nothing posted.
    await until(lambda: len(api.requests) >= 2, what="a second poll")
    assert len(run.samples) == 1

    api.set(balance=1350, viewers=38)
    await run.changes.until(lambda: len(run.samples) == 2, what="the changed figures")
    assert run.counters[-1] == (1350, 0, 38)
    assert run.collector.health.describe() == "ok"


async def test_the_room_s_tips_count_is_carried_over(api: FakeStatsApi, collectors) -> None:
    api.set(balance=500, viewers=3)
    run = collectors()
    # What another collector (the extension) posted last for the room.
    run.latest = TelemetrySample(
        room_id="alice",
        platform="chaturbate",
        tokens_count=480,
        tips_count=17,
        viewers_count=2,
        timestamp=1_700_000_000,
    )

    await run.changes.until(lambda: len(run.samples) == 1)

    assert run.counters == [(500, 17, 3)]


async def test_with_samples_off_the_figures_are_only_kept(api: FakeStatsApi, collectors) -> None:
    api.set(balance=900, viewers=12)
    run = collectors(samples=False)

    await until(lambda: run.collector.figures is not None, what="the figures")
    await until(lambda: len(api.requests) >= 2, what="a second poll")

    assert run.collector.figures is not None
    assert (run.collector.figures.token_balance, run.collector.figures.num_viewers) == (900, 12)
    assert run.samples == []


async def test_a_refused_token_stops_it_and_says_so(api: FakeStatsApi, collectors) -> None:
    run = collectors(token="revoked-token-000000000000")

    await asyncio.wait_for(run.task, 10)

    assert run.collector.health.state == "unhealthy"
    assert "token refused (401)" in run.collector.health.describe()
    assert run.collector.health.stalled
    assert len(api.requests) == 1
    assert run.samples == []


async def test_server_errors_are_retried_and_a_long_run_of_them_is_a_stall(
    api: FakeStatsApi, collectors
) -> None:
    api.set(balance=10, viewers=1)
    api.fail_next(503, times=1000)
    run = collectors()

    await until(lambda: run.collector.health.stalled, what="the stall")
    assert run.collector.health.describe() == "retrying: HTTP 503"
    assert len(api.requests) >= STALL_POLLS
    assert run.samples == []
    api.recover()

    await run.changes.until(lambda: len(run.samples) == 1, what="the recovery")
    assert run.counters == [(10, 0, 1)]
    assert not run.collector.health.stalled
    assert run.collector.health.state == "ok"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"<html>Just a moment...</html>", "not JSON (a challenge page)"),
        (b'{"username": "alice", "num_viewers": 3}', "no token_balance"),
        (b'{"username": "alice", "token_balance": -5, "num_viewers": 3}', "a negative balance"),
        (b'{"username": "alice", "token_balance": "lots", "num_viewers": 3}', "not a number"),
        (b"[]", "not an object"),
    ],
)
async def test_a_malformed_answer_posts_nothing_and_is_retried(
    api: FakeStatsApi, collectors, body: bytes, why: str
) -> None:
    api.set(balance=70, viewers=7)
    api.answer_next(body)
    run = collectors()

    await run.changes.until(lambda: len(run.samples) == 1, what=f"the recovery after {why}")

    assert run.counters == [(70, 0, 7)], why
    assert len(api.requests) == 2


async def test_an_answer_for_another_account_is_never_posted(api: FakeStatsApi, collectors) -> None:
    api.set(balance=70, viewers=7)
    api.answer_next({**api.documented_answer(), "username": "mallory", "token_balance": 99999})
    run = collectors()

    await run.changes.until(lambda: len(run.samples) == 1)

    assert run.counters == [(70, 0, 7)]


async def test_an_oversized_answer_is_not_read(
    api: FakeStatsApi, collectors, caplog: pytest.LogCaptureFixture
) -> None:
    api.set(balance=70, viewers=7)
    padding = "x" * (MAX_ANSWER_BYTES + 1)
    api.answer_next({**api.documented_answer(), "token_balance": 99999, "padding": padding})
    run = collectors()

    await run.changes.until(lambda: len(run.samples) == 1)

    assert run.counters == [(70, 0, 7)]
    assert len(api.requests) == 2
    assert f"answer is over {MAX_ANSWER_BYTES} bytes" in caplog.text


async def test_the_token_is_never_logged(
    api: FakeStatsApi, collectors, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.set(balance=5, viewers=1)
    api.fail_next(500)
    run = collectors()

    await run.changes.until(lambda: len(run.samples) == 1)

    assert "HTTP Request" in caplog.text  # httpx logged the request line...
    assert TOKEN not in caplog.text  # ...without the token
